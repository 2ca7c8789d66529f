"""Export of a table view to CSV (UTF-8 with BOM) and XLSX (real dates and numbers). No SQL, no Streamlit.

Formula injection: a text cell that starts with `=`, `+`, `-` or `@` (also after leading spaces, and a tab or a
carriage return, which some spreadsheets strip) is written with a single quote `'` in front, so Excel and
LibreOffice show it as text instead of evaluating it (`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`). Numbers are
never touched: a negative number stays a number. The quote is visible in the exported cell; that is the price
of safety and the data contract says so (text starting with these characters is neutralised on export).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal
from fractions import Fraction

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
BOM = "\ufeff"


def neutralise(text: str) -> str:
    """'=1+1' -> "'=1+1"; other text unchanged."""
    stripped = text.lstrip(" ")
    return "'" + text if stripped.startswith(FORMULA_PREFIXES) else text


def _is_missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_value(value):
    """A Python value as it goes into a spreadsheet cell: dates as dates, numbers as numbers, text neutralised."""
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
        if isinstance(value, bool | int | float):
            return cell_value(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else (int(value) if value.is_integer() else value)
    if isinstance(value, Decimal | Fraction):
        return float(value)
    return neutralise(str(value))


def _csv_text(value) -> str:
    v = cell_value(value)
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def to_csv(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel reads Vietnamese), dates dd/mm/yyyy, text neutralised."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_csv_text(v) for v in row])
    return (BOM + buf.getvalue()).encode("utf-8")


def to_xlsx(df: pd.DataFrame, sheet: str = "Dữ liệu", title: str | None = None) -> bytes:
    """An XLSX workbook: optional title row, a bold header row, dates as dates shown dd/mm/yyyy, numbers as numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    row = 1
    if title:
        ws.cell(row=1, column=1, value=neutralise(title)).font = Font(bold=True, size=13)
        row = 3
    header_row = row
    fill = PatternFill("solid", fgColor="EAEEF2")
    for j, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=header_row, column=j, value=neutralise(str(name)))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [min(max(len(str(c)), 8), 40) for c in df.columns]
    for i, values in enumerate(df.itertuples(index=False, name=None), start=header_row + 1):
        for j, raw in enumerate(values, start=1):
            v = cell_value(raw)
            cell = ws.cell(row=i, column=j, value=v)
            if isinstance(v, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(v, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(v, float):
                cell.number_format = "#,##0.0"
            elif isinstance(v, int) and not isinstance(v, bool):
                cell.number_format = "#,##0"
            if v is not None:
                widths[j - 1] = min(max(widths[j - 1], len(_csv_text(v))), 60)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w + 2
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
