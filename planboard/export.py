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
import itertools
import math
from decimal import Decimal
from fractions import Fraction

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .i18n import t

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


EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet in Excel and LibreOffice


def _number_format(v) -> str | None:
    if isinstance(v, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(v, dt.date):
        return DATE_FORMAT
    if isinstance(v, float):
        return "#,##0.0"
    if isinstance(v, int) and not isinstance(v, bool):
        return "#,##0"
    return None


def _column_values(s: pd.Series) -> list:
    """A column as cell_value would give each of its values, without a Python call per value for the usual dtypes."""
    if pd.api.types.is_bool_dtype(s) and not s.hasnans:
        return s.tolist()
    if pd.api.types.is_integer_dtype(s) and not s.hasnans:
        return [int(v) for v in s.tolist()]
    if pd.api.types.is_float_dtype(s) and s.dtype.kind == "f":
        return [None if v != v else int(v) if v.is_integer() else v for v in s.tolist()]
    if pd.api.types.is_datetime64_any_dtype(s) and s.dt.tz is None:
        if (s.dropna() == s.dropna().dt.normalize()).all():
            return [None if v is None else v.date() for v in s.astype(object).where(s.notna(), None).tolist()]
    return [cell_value(v) for v in s.tolist()]


def to_xlsx(df: pd.DataFrame, sheet: str | None = None, title: str | None = None, lang: str = "vi") -> bytes:
    """An XLSX workbook: optional title row, a bold header row, dates as dates shown dd/mm/yyyy, numbers as numbers.

    The sheet is named `sheet`, else the locale's word for data in `lang`. Written row by row in openpyxl's write-only mode, so memory stays flat for a register of 400,000 requests. A table
    longer than a worksheet allows goes on as "<sheet> (2)", "(3)" …, each with the title and header again."""
    wb = Workbook(write_only=True)
    header_row = 3 if title else 1
    sheet = sheet or t("export.sheet", lang)
    per_sheet = EXCEL_MAX_ROWS - header_row
    columns = [neutralise(str(c)) for c in df.columns]
    sample = df.head(1000)  # column widths from the header and the first rows: writing cannot go back to widen them
    widths = [min(max(len(c), 8, *(len(_csv_text(v)) for v in sample.iloc[:, j])), 60) for j, c in enumerate(columns)]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EAEEF2")
    rows = zip(*(_column_values(df.iloc[:, j]) for j in range(len(columns))), strict=True)
    for part in range(max(1, math.ceil(len(df) / per_sheet))):
        ws = wb.create_sheet(sheet[:31] if part == 0 else f"{sheet[:25]} ({part + 1})")
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w + 2
        ws.freeze_panes = f"A{header_row + 1}"
        if title:
            cell = WriteOnlyCell(ws, value=neutralise(title))
            cell.font = Font(bold=True, size=13)
            ws.append([cell])
            ws.append([])
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=name)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        ws.append(header)
        for values in itertools.islice(rows, per_sheet):
            out = []
            for v in values:
                number_format = _number_format(v)
                if number_format is None:
                    out.append(v)
                else:
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = number_format
                    out.append(cell)
            ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
