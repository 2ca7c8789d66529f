"""CSV/XLSX export opened back: values, types (dates, integers) and neutralised formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from planboard import export


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Ngày yêu cầu": pd.to_datetime(["2024-06-30", None]),
            "Số người": pd.array([1234, None], dtype="Int64"),
            "Tỷ lệ (%)": [75.5, 100.0],
            "Họ và tên": ['=HYPERLINK("http://x")', "Nguyễn Thị Ánh"],
            "Ghi chú": ["+1 gọi lại", "-5 ngày"],
            "Khác": ["@SUM(A1)", "bình thường"],
            "Âm": [-3, 4],
        }
    )


def test_neutralise():
    assert export.neutralise("=1+1") == "'=1+1"
    assert export.neutralise("  @x") == "'  @x"
    assert export.neutralise("Đất đai") == "Đất đai"
    assert export.cell_value(-3) == -3  # numbers are never touched


def test_csv_has_bom_and_neutralised_text():
    data = export.to_csv(frame())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Ngày yêu cầu", "Số người", "Tỷ lệ (%)", "Họ và tên", "Ghi chú", "Khác", "Âm"]
    assert rows[1] == ["30/06/2024", "1234", "75.5", '\'=HYPERLINK("http://x")', "'+1 gọi lại", "'@SUM(A1)", "-3"]
    assert rows[2] == ["", "", "100", "Nguyễn Thị Ánh", "'-5 ngày", "bình thường", "4"]


def test_xlsx_types_formats_and_neutralised_formulas():
    wb = load_workbook(io.BytesIO(export.to_xlsx(frame(), title="Sổ yêu cầu")))
    ws = wb.active
    assert ws["A1"].value == "Sổ yêu cầu"
    assert [c.value for c in ws[3]][:4] == ["Ngày yêu cầu", "Số người", "Tỷ lệ (%)", "Họ và tên"]
    date_cell = ws["A4"]
    assert date_cell.value == dt.datetime(2024, 6, 30) and date_cell.number_format == "dd/mm/yyyy"
    assert ws["B4"].value == 1234 and isinstance(ws["B4"].value, int)
    assert ws["C4"].value == 75.5 and ws["C5"].value == 100
    assert ws["D4"].value == '\'=HYPERLINK("http://x")' and ws["D4"].data_type == "s"
    assert ws["E4"].value == "'+1 gọi lại" and ws["E5"].value == "'-5 ngày"
    assert ws["F4"].value == "'@SUM(A1)"
    assert ws["G4"].value == -3
    assert ws["A5"].value is None and ws["B5"].value is None
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)


def test_column_values_equal_cell_value_for_every_dtype():
    from decimal import Decimal
    from fractions import Fraction

    mixed = pd.DataFrame(
        {
            "int": [3, -4, 5],
            "float": [1.5, float("nan"), 2.0],  # NaN -> empty, 2.0 -> 2
            "Int64": pd.array([7, None, 9], dtype="Int64"),
            "bool": [True, False, True],
            "date": pd.to_datetime(["2024-06-30", None, "2024-01-01"]),
            "datetime": pd.to_datetime(["2024-06-30 08:15", None, "2024-01-01 00:00"]),
            "text": ["=1+1", None, "Ánh"],
            "objects": [Decimal("1.5"), Fraction(1, 4), dt.date(2024, 2, 29)],
        }
    )
    for name in mixed.columns:
        assert export._column_values(mixed[name]) == [export.cell_value(v) for v in mixed[name]], name


def test_xlsx_longer_than_a_worksheet_continues_on_numbered_sheets(monkeypatch):
    # A worksheet of 5 rows: title (1), blank (2), header (3) leave 2 data rows a sheet; 7 rows -> 4 sheets.
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 5)
    df = pd.DataFrame({"Mã": [f"C{i}" for i in range(1, 8)], "Số": range(1, 8)})
    wb = load_workbook(io.BytesIO(export.to_xlsx(df, title="Sổ")))
    assert wb.sheetnames == ["Dữ liệu", "Dữ liệu (2)", "Dữ liệu (3)", "Dữ liệu (4)"]
    got = []
    for ws in wb.worksheets:
        rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
        assert rows[0][0] == "Sổ" and rows[2] == ("Mã", "Số")  # every sheet has the title and the header
        assert ws.freeze_panes == "A4"
        got += rows[3:]
    assert got == [(f"C{i}", i) for i in range(1, 8)]
