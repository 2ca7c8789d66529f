"""The importer's messages come from the locale files, so an English user reads English import errors; and its
column contract is the schema's (names, types, keys, required columns, defaults)."""

from __future__ import annotations

import io
import string

from openpyxl import load_workbook

from planboard import ingest, templates
from planboard.i18n import catalog


def _problems(con, plan, name: str, text: str) -> list[ingest.Problem]:
    result = ingest.import_files(con, plan, [(name, text.encode("utf-8"))])
    assert not result.ok and not result.written
    return result.problems


def test_a_problem_reads_in_vietnamese_and_in_english(con, plan):
    [p] = _problems(
        con, plan, "residents.csv", "resident_id,full_name,gender,birth_date,admitted_on\nR1,An,nam,1950,31/02/2024\n"
    )
    assert (p.row, p.column, p.value) == (2, "admitted_on", "31/02/2024")
    assert (
        p.message
        == p.text("vi")
        == ("Ngày không có thật: '31/02/2024'. Nhập ngày dạng dd/mm/yyyy (ngày trước, tháng sau), ví dụ 30/06/2024.")
    )
    assert p.text("en") == (
        "No such date: '31/02/2024'. Write dates as dd/mm/yyyy (day first, then month), for example 30/06/2024."
    )


def test_a_table_is_named_in_the_readers_language(con, plan):
    [p] = _problems(
        con, plan, "staff.csv", "staff_id,full_name,department,is_legal_aid_worker,Chuc vu\nS9,An,CTXH,có,x\n"
    )
    assert p.message.startswith("Cột không xác định 'Chuc vu'. Bảng Nhân sự có các cột: Mã nhân viên, ")
    assert p.text("en").startswith("Unknown column 'Chuc vu'. Table Staff has the columns: Mã nhân viên, ")


def test_numbers_in_a_message_are_written_the_readers_way():
    # 12.345.678 cells (vi) is 12,345,678 (en); the limit 10.000.000 / 10,000,000.
    vi = ingest.message("xlsx_cells", cells=12_345_678, limit_cells=10_000_000)
    en = ingest.message("xlsx_cells", "en", cells=12_345_678, limit_cells=10_000_000)
    assert vi.startswith("Tệp Excel quá lớn khi mở ra (12.345.678 ô), giới hạn là 10.000.000 ô.")
    assert en.startswith("The Excel file is too large once unpacked (12,345,678 cells); the limit is 10,000,000 cells.")


def test_the_problem_report_downloads_in_the_readers_language(con, plan):
    problems = _problems(
        con, plan, "residents.csv", "resident_id,full_name,gender,birth_date,admitted_on\nR1,An,x,1950,01/01/2024\n"
    )
    ws = load_workbook(io.BytesIO(templates.problems_xlsx(problems, "en"))).active
    assert ws["F2"].value.startswith("Invalid value for 'Giới tính': 'x'. Choose one of: nam (Nam), nu (Nữ)")
    csv_text = templates.problems_csv(problems, "vi").decode("utf-8-sig")
    assert "Giá trị không hợp lệ cho 'Giới tính': 'x'." in csv_text


def test_every_import_message_has_the_same_placeholders_in_every_language():
    vi, en = catalog("vi"), catalog("en")
    keys = [k for k in vi if k.startswith("ingest.")]
    # the 58 texts of the former ingest.MESSAGES, its Excel-size one now four: 58 - 1 + 4; ref_after_error (issue 17)
    assert len(keys) == 62
    for k in keys:
        names = {
            lang: {f for _, f, _, _ in string.Formatter().parse(text[k]) if f}
            for lang, text in (("vi", vi), ("en", en))
        }
        assert names["vi"] == names["en"], k
        assert en[k] != vi[k], k  # translated, not copied


def test_the_column_contract_is_the_schemas():
    cols = {t: {c.code: c for c in cs} for t, cs in ingest.TABLE_COLUMNS.items()}
    # from 001_tables.sql: `not null` without a default = required; a default fills an empty cell; the key columns
    assert ingest.KEYS == {
        "residents": ("resident_id",),
        "cases": ("case_id",),
        "events": ("event_id",),
        "staff": ("staff_id",),
        "training": ("event_id", "staff_id"),
    }
    dept = cols["residents"]["department"]
    assert (dept.required, dept.default, dept.kind) == (False, "CSKC", "unit")
    assert (cols["cases"]["fee_charged"].default, cols["cases"]["fee_charged"].max_value) == (0, 2**63 - 1)
    assert cols["events"]["participants"].max_value == 2**31 - 1  # integer, not bigint
    assert cols["training"]["completed"].default is True and not cols["training"]["completed"].required
    assert not cols["events"]["activity"].required  # not null in the table, filled in from the event type
    assert cols["residents"]["birth_date"].kind == "birth" and cols["residents"]["admitted_on"].kind == "date"
    assert [c.code for c in ingest.TABLE_COLUMNS["staff"]] == [
        "staff_id",
        "full_name",
        "department",
        "is_legal_aid_worker",
        "active_from",
        "active_to",
    ]
