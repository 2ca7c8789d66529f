"""Every rule of the data contract's import: each bad input gives its message and leaves the database unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from conftest import BOTH_MODES, add_case, add_event, add_resident, add_staff, add_training

from planboard import db, ingest
from planboard.ingest import Limits, TableCounts, import_files, import_paths

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
TODAY = dt.date(2024, 12, 31)
TABLES = ("residents", "cases", "events", "staff", "training", "import_log", "meta")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """'Today' is 31/12/2024 so the future-date rule does not depend on the clock."""
    monkeypatch.setattr(ingest.run, "local_today", lambda: TODAY)


@pytest.fixture
def seeded(con, plan):
    """A small database that every failing import must leave exactly as it is."""
    add_resident(
        con, "R1", full_name="Võ Thị Lan", department="CTXH", ethnicity="Kinh", admitted_on=dt.date(2020, 5, 1)
    )
    add_case(con, "C1", "R1", dt.date(2024, 3, 1))
    add_event(con, "T1", "tap_huan", dt.date(2024, 3, 15), plan=plan, department="HCTH")
    add_event(con, "M1", "hop_thang", dt.date(2024, 3, 20), plan=plan)
    add_staff(con, "S1")
    add_training(con, "T1", "S1")
    return con


def snapshot(con) -> dict[str, list[tuple]]:
    return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for t in TABLES}


def put(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def only(result) -> ingest.Problem:
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def failing(con, plan, files: dict[str, str | bytes], **kw):
    """Import that must fail: returns the result after checking that no table changed."""
    before = snapshot(con)
    result = import_files(con, plan, [(n, c if isinstance(c, bytes) else csv_bytes(c)) for n, c in files.items()], **kw)
    assert not result.ok and not result.written
    assert result.counts == {}
    assert snapshot(con) == before
    return result


def row_of(con, table: str, key: str, value: str) -> dict:
    cur = con.execute(f"select * from {table} where {key} = $v", {"v": value})
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


RESIDENTS_HEAD = "resident_id,full_name,gender,birth_date,admitted_on\n"


# --- A valid import, re-import, partial update ----------------------------------------------------------------------
@BOTH_MODES
def test_valid_folder_imports_every_table(con, plan):
    version = db.data_version(con)
    result = import_paths(con, plan, [FIXTURES / "valid"], user="thu", source="cli")

    assert result.ok and result.written
    assert result.counts == {
        "residents": TableCounts(3, 0, 0),
        "cases": TableCounts(2, 0, 0),
        "events": TableCounts(2, 0, 0),
        "staff": TableCounts(2, 0, 0),
        "training": TableCounts(2, 0, 0),
    }
    assert [n for n, _ in result.files] == ["cases.csv", "events.csv", "residents.csv", "staff.csv", "training.csv"]
    an = row_of(con, "residents", "resident_id", "NCT001")
    assert an == dict(
        center="BTXH_BL",
        resident_id="NCT001",
        full_name="Nguyễn Văn An",
        gender="nam",
        birth_date=dt.date(1950, 3, 5),
        admitted_on=dt.date(2020, 2, 1),
        left_on=None,
        department="CSKC",
        is_meritorious=True,
        is_poor_household=False,
        has_financial_hardship=False,
        is_violence_victim=False,
        ethnicity="Kinh",
    )
    # "06/1948" is 1 June 1948; "1940" is 1 January 1940; left_on may lie in the future.
    assert row_of(con, "residents", "resident_id", "NCT002")["birth_date"] == dt.date(1948, 6, 1)
    cuong = row_of(con, "residents", "resident_id", "NCT003")
    assert (cuong["birth_date"], cuong["left_on"], cuong["gender"]) == (
        dt.date(1940, 1, 1),
        dt.date(2025, 12, 31),
        "nam",
    )
    v1 = row_of(con, "cases", "case_id", "V001")
    assert (v1["legal_field"], v1["aid_form"], v1["priority"], v1["status"]) == (
        "dan_su",
        "tu_van",
        "nguoi_co_cong",
        "hoan_thanh",
    )
    v2 = row_of(con, "cases", "case_id", "V002")
    # 1/7/2024 is 1 July; 500.000 is 500000 đồng; a formula-like note is kept as text.
    assert (v2["requested_on"], v2["fee_charged"], v2["notes"]) == (dt.date(2024, 7, 1), 500000, "=SUM(A1)")
    assert row_of(con, "events", "event_id", "HD01")["activity"] == "2"  # derived from tap_huan
    hd02 = row_of(con, "events", "event_id", "HD02")
    assert (hd02["event_type"], hd02["activity"], hd02["elderly_reached"]) == ("phat_thanh", "4.1", 80)
    assert con.execute("select event_id, staff_id, completed from training order by staff_id").fetchall() == [
        ("HD01", "NV01", True),
        ("HD01", "NV02", False),
    ]
    assert row_of(con, "staff", "staff_id", "NV02")["is_legal_aid_worker"] is False
    assert db.data_version(con) == version + 1  # one import, one new version (in the lake: one snapshot)


@BOTH_MODES
def test_import_is_logged(con, plan):
    result = import_paths(con, plan, [FIXTURES / "valid" / "staff.csv"], user="thu", source="cli")
    sha = hashlib.sha256((FIXTURES / "valid" / "staff.csv").read_bytes()).hexdigest()
    assert result.files == [("staff.csv", sha)]
    log = con.execute(
        "select user_name, source, files, sha256, added_count, updated_count, unchanged_count, "
        "counts_json from import_log"
    ).fetchall()
    assert log == [
        ("thu", "cli", '["staff.csv"]', sha, 2, 0, 0, json.dumps({"staff": {"added": 2, "updated": 0, "unchanged": 0}}))
    ]


@BOTH_MODES
def test_reimport_changes_nothing_and_keeps_data_version(con, plan, store):
    import_paths(con, plan, [FIXTURES / "valid"])
    version = db.data_version(con)
    before = snapshot(con)
    again = import_paths(con, plan, [FIXTURES / "valid"])

    assert again.ok and again.written
    assert again.counts == {
        "residents": TableCounts(0, 0, 3),
        "cases": TableCounts(0, 0, 2),
        "events": TableCounts(0, 0, 2),
        "staff": TableCounts(0, 0, 2),
        "training": TableCounts(0, 0, 2),
    }
    after = snapshot(con)
    assert {t: after[t] for t in TABLES if t != "import_log"} == {t: before[t] for t in TABLES if t != "import_log"}
    # Nothing changed, so the file's caches stay valid. In the lake the import's log row is itself a commit (it
    # commits with the rows it tells of, in the lake): one new snapshot, the caches made again once.
    assert db.data_version(con) == version + (store == "lake")
    assert con.execute("select unchanged_count from import_log order by import_id").fetchall() == [(0,), (11,)]


@BOTH_MODES
def test_partial_columns_update_only_those_columns(seeded, plan):
    version = db.data_version(seeded)
    result = import_files(
        seeded, plan, [("residents.csv", csv_bytes("Mã đối tượng,Ngày rời Trung tâm\nR1,30/06/2024\n"))]
    )

    assert result.ok and result.counts == {"residents": TableCounts(0, 1, 0)}
    r1 = row_of(seeded, "residents", "resident_id", "R1")
    assert r1["left_on"] == dt.date(2024, 6, 30)
    assert (r1["full_name"], r1["department"], r1["ethnicity"], r1["has_financial_hardship"]) == (
        "Võ Thị Lan",
        "CTXH",
        "Kinh",
        True,
    )
    assert db.data_version(seeded) == version + 1  # one import, one new version


@BOTH_MODES
def test_changed_value_counts_as_updated_others_unchanged(seeded, plan):
    text = "staff_id,full_name,department,is_legal_aid_worker\nS1,Trần Thị B,HCTH,có\nS2,Mai Văn Hòa,CTXH,k\n"
    result = import_files(seeded, plan, [("staff.csv", csv_bytes(text))])
    assert result.counts == {"staff": TableCounts(added=1, updated=1, unchanged=0)}
    assert row_of(seeded, "staff", "staff_id", "S1")["department"] == "HCTH"
    s2 = row_of(seeded, "staff", "staff_id", "S2")
    assert (s2["is_legal_aid_worker"], s2["active_from"]) == (False, None)


@BOTH_MODES
def test_new_row_defaults_for_absent_columns(con, plan):
    import_files(con, plan, [("residents.csv", csv_bytes(RESIDENTS_HEAD + "R9,Đỗ Văn Hải,nam,1950,01/01/2020\n"))])
    r9 = row_of(con, "residents", "resident_id", "R9")
    assert (r9["department"], r9["is_meritorious"], r9["ethnicity"]) == ("CSKC", False, None)


@BOTH_MODES
def test_dry_run_counts_but_writes_nothing(seeded, plan):
    before = snapshot(seeded)
    result = import_paths(seeded, plan, [FIXTURES / "valid"], dry_run=True)
    assert result.ok and not result.written
    assert result.counts["residents"] == TableCounts(3, 0, 0)
    assert snapshot(seeded) == before


@BOTH_MODES
def test_valid_and_invalid_file_together_write_nothing(seeded, plan):
    result = failing(
        seeded,
        plan,
        {
            "staff.csv": (FIXTURES / "valid" / "staff.csv").read_bytes(),
            "cases.csv": (FIXTURES / "bad" / "cases.csv").read_bytes(),
        },
    )
    assert {p.file for p in result.problems} == {"cases.csv"}
    assert [(p.row, p.column) for p in result.problems][:2] == [(2, "requested_on"), (2, "resident_id")]
    assert "Ngày không có thật: '31/02/2024'" in result.problems[0].message


def test_every_problem_is_reported_with_row_and_column(seeded, plan):
    result = failing(seeded, plan, {"cases.csv": (FIXTURES / "bad" / "cases.csv").read_bytes()})
    found = sorted((p.row, p.column, p.value) for p in result.problems)
    assert found == [
        (2, "requested_on", "31/02/2024"),
        (2, "resident_id", "NCT001"),
        (3, "department", "PHONG_X"),
        (3, "resident_id", "NCT001"),
        (4, "fee_charged", "1,5"),
        (4, "resident_id", "NCT001"),
    ]
    assert all(p.file == "cases.csv" and p.sheet is None for p in result.problems)


# --- Encodings and delimiters ---------------------------------------------------------------------------------------
def to_cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258: letters like ê/ơ/ư are single bytes, tone marks are separate combining bytes."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = [m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
            out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return out


NAME = "Nguyễn Thị Hằng"


@pytest.mark.parametrize(
    "encoding, delimiter",
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("utf-8", ";"),
        ("utf-8", "\t"),
        ("utf-16", "\t"),
        ("cp1258", ";"),
    ],
)
def test_encodings_and_delimiters(con, plan, encoding, delimiter):
    text = delimiter.join(["Mã đối tượng", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày tiếp nhận", "Dân tộc"]) + "\r\n"
    text += delimiter.join(["R1", NAME, "Nữ", "02/09/1945", "01/01/2020", "Kinh"]) + "\r\n"
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    if encoding == "cp1258":
        assert b"Nguy\xea\xden" in data  # ễ is the byte of ê followed by the combining tilde byte
    result = import_files(con, plan, [("residents.csv", data)])
    assert result.ok, result.problems
    r1 = row_of(con, "residents", "resident_id", "R1")
    assert (r1["full_name"], r1["gender"], r1["ethnicity"]) == (NAME, "nu", "Kinh")
    assert unicodedata.is_normalized("NFC", r1["full_name"])


@pytest.mark.parametrize(
    "data",
    [
        RESIDENTS_HEAD.encode() + "R1,Tr\u00b8n V\u00a7n,nam,1950,01/01/2020\n".encode("cp1252"),  # TCVN3 bytes
        (RESIDENTS_HEAD + "R1,Trần Văn,nam,1950,01/01/2020\n").encode("utf-16-le"),  # UTF-16 without BOM
    ],
    ids=["tcvn3", "utf16-no-bom"],
)
def test_unknown_encoding_asks_for_csv_utf8(seeded, plan, data):
    p = only(failing(seeded, plan, {"residents.csv": data}))
    assert p.file == "residents.csv" and p.row is None
    assert "CSV UTF-8" in p.message


def test_empty_file(seeded, plan):
    p = only(failing(seeded, plan, {"residents.csv": b""}))
    assert "Tệp trống" in p.message


def test_not_a_table(seeded, plan):
    p = only(failing(seeded, plan, {"residents.csv": "Danh sách người cao tuổi\nnăm 2024\n"}))
    assert "Không tìm thấy dòng tiêu đề" in p.message and "Mã đối tượng" in p.message


def test_csv_row_with_too_many_cells(seeded, plan):
    p = only(
        failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + "R2,An,nam,1950,01/01/2020\nR3,B,nu,1950,1,2,3\n"})
    )
    assert p.row == 3 and "7 ô" in p.message and "(5 ô)" in p.message


def test_csv_title_rows_numbered_blank_rows_and_total_row(con, plan):
    text = (
        "DANH SÁCH NHÂN SỰ;;;\n;;;\nSTT;Mã nhân viên;Họ và tên;Bộ phận;Làm công tác TGPL\n"
        "1;S1;An;CTXH;có\n2;S2;Bo;HCTH;không\n3;;;;\n;Cộng;2;;\n"
    )
    result = import_files(con, plan, [("staff.csv", csv_bytes(text))])
    assert result.ok, result.problems
    assert con.execute("select staff_id, department from staff order by 1").fetchall() == [
        ("S1", "CTXH"),
        ("S2", "HCTH"),
    ]


def test_csv_row_numbers_count_title_rows(seeded, plan):
    text = "Danh sách nhân sự\nstaff_id,full_name,department,is_legal_aid_worker\nS9,An,CTXH,có\nS8,Bo,CTXH,chắc\n"
    p = only(failing(seeded, plan, {"staff.csv": text}))
    assert (p.row, p.column, p.value) == (4, "is_legal_aid_worker", "chắc")


# --- Headers --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Ngày sinh", "ngay sinh", "  NGÀY SINH ", "birth_date", "Birth_Date", "Ngày Sinh"])
def test_header_by_code_or_label_any_case_and_diacritics(con, plan, header):
    text = f"STT,resident_id,Ho va ten,GIỚI TÍNH,{header},ngay tiep nhan\n1,R1,An,nam,1950,01/01/2020\n"
    result = import_files(con, plan, [("Residents.CSV", csv_bytes(text))])
    assert result.ok, result.problems
    assert row_of(con, "residents", "resident_id", "R1")["birth_date"] == dt.date(1950, 1, 1)


def test_decomposed_header_text_is_normalised(con, plan):
    text = unicodedata.normalize(
        "NFD", "Mã đối tượng,Họ và tên,Giới tính,Ngày sinh,Ngày tiếp nhận\nR1,Hằng,Nữ,1950,01/01/2020\n"
    )
    assert import_files(con, plan, [("residents.csv", csv_bytes(text))]).ok
    assert row_of(con, "residents", "resident_id", "R1")["full_name"] == "Hằng"


def test_unknown_column_is_an_error(seeded, plan):
    p = only(
        failing(
            seeded,
            plan,
            {
                "residents.csv": "resident_id,full_name,gender,birth_date,admitted_on,Ngay sinnh\n"
                "R2,An,nam,1950,01/01/2020,1950\n"
            },
        )
    )
    assert (p.row, p.column, p.value) == (1, "Ngay sinnh", "Ngay sinnh")
    assert "Cột không xác định 'Ngay sinnh'" in p.message


def test_missing_required_column_for_new_records(seeded, plan):
    p = only(
        failing(seeded, plan, {"residents.csv": "resident_id,full_name,gender,admitted_on\nR2,An,nam,01/01/2020\n"})
    )
    assert p.column == "birth_date"
    assert "Thiếu cột bắt buộc 'Ngày sinh' (birth_date)" in p.message and "'R2' ở dòng 2" in p.message


def test_missing_key_column(seeded, plan):
    p = only(failing(seeded, plan, {"staff.csv": "full_name,department,is_legal_aid_worker\nAn,CTXH,có\n"}))
    assert (p.column, p.row) == ("staff_id", 1) and "Mã nhân viên" in p.message


def test_duplicate_column(seeded, plan):
    p = only(
        failing(
            seeded,
            plan,
            {"staff.csv": "staff_id,Mã nhân viên,full_name,department,is_legal_aid_worker\nS9,S9,An,CTXH,có\n"},
        )
    )
    assert p.column == "Mã nhân viên" and "trùng với cột 'staff_id'" in p.message


# --- Files, sheets, limits ------------------------------------------------------------------------------------------
def test_unknown_file_name(seeded, plan):
    p = only(failing(seeded, plan, {"nguoi_cao_tuoi_2024.csv": RESIDENTS_HEAD}))
    assert p.file == "nguoi_cao_tuoi_2024.csv" and "'Người cao tuổi', 'Yêu cầu TGPL'" in p.message
    assert not [t for t in ("residents", "cases", "events", "staff", "training") if t in p.message]


def test_messages_name_tables_in_vietnamese(seeded, plan):
    # the same table twice (a corrected file next to the old one): named 'Người cao tuổi', not 'residents'
    problems = failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD, "Người cao tuổi.csv": RESIDENTS_HEAD}).problems
    assert problems and all("Bảng 'Người cao tuổi' có ở nhiều nơi" in p.message for p in problems)
    # an unknown column: the table and its columns by their Vietnamese names
    p = only(
        failing(seeded, plan, {"staff.csv": "staff_id,full_name,department,is_legal_aid_worker,xyz\nS9,An,CTXH,có,1\n"})
    )
    assert "Bảng Nhân sự có các cột: Mã nhân viên, " in p.message and "staff_id" not in p.message
    # a training row whose event is unknown: "bảng Hoạt động", not "bảng events"
    result = failing(seeded, plan, {"training.csv": "event_id,staff_id\nE404,S1\n"})
    messages = " ".join(x.message for x in result.problems)
    assert "bảng Hoạt động" in messages and "events" not in messages


def test_vietnamese_table_label_as_file_name(con, plan):
    result = import_files(
        con, plan, [("Nhân sự.csv", csv_bytes("staff_id,full_name,department,is_legal_aid_worker\nS9,An,CTXH,có\n"))]
    )
    assert result.ok and result.counts == {"staff": TableCounts(1, 0, 0)}


def test_unsupported_extension(seeded, plan):
    p = only(failing(seeded, plan, {"residents.xls": b"\xd0\xcf\x11\xe0"}))
    assert "'.xls'" in p.message and "CSV UTF-8" in p.message


def test_missing_path(seeded, plan, tmp_path):
    before = snapshot(seeded)
    result = import_paths(seeded, plan, [tmp_path / "khong_co.csv"])
    assert not result.written and "Không tìm thấy" in only(result).message
    assert snapshot(seeded) == before


def test_file_too_big_and_too_many_rows(seeded, plan, tmp_path):
    path = put(tmp_path, "residents.csv", RESIDENTS_HEAD + "R2,An,nam,1950,01/01/2020\nR3,Bo,nam,1950,01/01/2020\n")
    before = snapshot(seeded)
    big = import_paths(seeded, plan, [path], limits=Limits(max_file_bytes=20))
    assert "Tệp quá lớn" in only(big).message
    rows = import_paths(seeded, plan, [path], limits=Limits(max_rows=1))
    assert "2 dòng dữ liệu, vượt giới hạn 1 dòng" in only(rows).message
    assert snapshot(seeded) == before


def test_table_given_twice(seeded, plan):
    result = failing(
        seeded,
        plan,
        {
            "staff.csv": "staff_id,full_name,department,is_legal_aid_worker\nS9,An,CTXH,có\n",
            "Staff.txt": "staff_id,full_name,department,is_legal_aid_worker\nS8,Bo,CTXH,có\n",
        },
    )
    assert len(result.problems) == 2 and all("nhiều nơi" in p.message for p in result.problems)


def test_too_many_problems_are_summarised(seeded, plan):
    rows = "".join(f"R{i},An,nam,31/02/1950,01/01/2020\n" for i in range(10, 20))
    result = failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + rows}, limits=Limits(max_problems=3))
    assert len(result.problems) == 4
    assert result.problems[-1].message.startswith("Còn 7 lỗi khác")


def test_progress_is_reported(con, plan):
    seen = []
    import_files(
        con,
        plan,
        [("staff.csv", (FIXTURES / "valid" / "staff.csv").read_bytes())],
        progress=lambda f, text: seen.append((f, text)),
    )
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "Xong.")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


# --- XLSX -----------------------------------------------------------------------------------------------------------
def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_workbook_with_title_rows_stt_and_total_row(con, plan, tmp_path):
    residents = [
        ["DANH SÁCH NGƯỜI CAO TUỔI ĐANG ĐƯỢC NUÔI DƯỠNG"],
        ["(kèm theo báo cáo năm 2024)"],
        [],
        ["STT", "Mã đối tượng", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày tiếp nhận", "Hộ nghèo"],
        [1, 12, "Nguyễn Văn An", "Nam", 1950, dt.datetime(2024, 6, 30, 14, 30), True],
        [2, "NCT02", "Trần Thị Bình", "Nữ", dt.datetime(1948, 2, 29), "15/06/2021", "x"],
        [],
        [None, "Tổng cộng", 2],
    ]
    events = [
        [
            "STT",
            "Mã hoạt động",
            "Loại hoạt động",
            "Mục kế hoạch",
            "Ngày thực hiện",
            "Bộ phận chủ trì",
            "Nội dung",
            "Số người tham dự",
        ],
        [1, "HD1", "phat_thanh", 4.1, dt.datetime(2024, 5, 2), "CTXH", "Phát thanh", 1200],
        ["Cộng", None, None, None, None, None, None, 1200],
    ]
    path = workbook(tmp_path / "du_lieu_2024.xlsx", {"Người cao tuổi": residents, "events": events})
    result = import_paths(con, plan, [path])

    assert result.ok, result.problems
    assert result.counts == {"residents": TableCounts(2, 0, 0), "events": TableCounts(1, 0, 0)}
    an = row_of(con, "residents", "resident_id", "12")  # a whole number id becomes its digits
    assert (an["birth_date"], an["admitted_on"], an["is_poor_household"]) == (
        dt.date(1950, 1, 1),
        dt.date(2024, 6, 30),
        True,
    )
    assert row_of(con, "residents", "resident_id", "NCT02")["birth_date"] == dt.date(1948, 2, 29)
    hd1 = row_of(con, "events", "event_id", "HD1")
    assert (hd1["activity"], hd1["participants"]) == ("4.1", 1200)


def test_workbook_row_numbers_count_title_rows(seeded, plan, tmp_path):
    rows = [
        ["Danh sách nhân sự"],
        ["Mã nhân viên", "Họ và tên", "Bộ phận", "Làm công tác TGPL", "Ngày bắt đầu"],
        ["S7", "An", "CTXH", "có", dt.datetime(2020, 1, 1)],
        ["S8", "Bo", "CTXH", "có", 45000],
    ]
    path = workbook(tmp_path / "staff.xlsx", {"Sheet1": rows})
    before = snapshot(seeded)
    p = only(import_paths(seeded, plan, [path]))
    assert (p.file, p.sheet, p.row, p.column, p.value) == ("staff.xlsx", "Sheet1", 4, "Ngày bắt đầu", "45000")
    assert "con số" in p.message
    assert snapshot(seeded) == before


def test_workbook_unknown_sheet(seeded, plan, tmp_path):
    path = workbook(tmp_path / "du_lieu.xlsx", {"Trang 1": [["staff_id", "full_name"], ["S9", "An"]]})
    before = snapshot(seeded)
    p = only(import_paths(seeded, plan, [path]))
    assert (p.sheet, "Trang 1") == ("Trang 1", p.sheet) and "Không biết trang tính 'Trang 1'" in p.message
    assert snapshot(seeded) == before


def test_broken_xlsx(seeded, plan):
    p = only(failing(seeded, plan, {"staff.xlsx": b"PK\x03\x04 not really a workbook"}))
    assert "Không mở được tệp Excel" in p.message


def zip_bomb() -> bytes:
    """A 1-sheet workbook whose sheet is 1,048,576 rows × 16 cells of "1": 16.8 M cells, 264 MB of XML packed into
    about 1 MB (the size of the issue's bomb). Built here in 1 MB pieces, so the test holds no big file or string."""
    import io
    import zipfile

    small = io.BytesIO()
    openpyxl.Workbook().save(small)
    out = io.BytesIO()
    row = b"<row>" + b"<c><v>1</v></c>" * 16 + b"</row>"  # 5 + 16 × 15 + 6 = 251 bytes
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                    b'2006/main"><dimension ref="A1:P1048576"/><sheetData>'
                )
                for _ in range(256):
                    f.write(row * 4096)
                f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_xlsx_zip_bomb_refused_at_once(seeded, plan):
    import time
    import tracemalloc

    bomb = zip_bomb()
    assert len(bomb) < 2 * 2**20
    before = snapshot(seeded)
    tracemalloc.start()
    started = time.perf_counter()
    result = import_files(seeded, plan, [("staff.xlsx", bomb)])
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    p = only(result)
    # 1,048,576 × 251 bytes = 263.2 MB of XML in ~1 MB: packed ~250 times, over the 100 allowed; with its
    # <dimension> the 16 × 1,048,576 = 16,777,216 cells are over 10 M as well (the ratio is checked first).
    assert p.message.startswith("Tệp Excel quá lớn khi mở ra (xl/worksheets/sheet1.xml: 251 MB, nén ")
    assert "giới hạn là 100 lần" in p.message
    assert took < 1.0, took
    assert peak < 20 * 2**20, peak  # far from the 263 MB the sheet would take
    assert snapshot(seeded) == before


def test_xlsx_with_too_many_cells_declared(seeded, plan):
    """An honest, well-packed sheet too big to read in one go: its <dimension> says so before it is parsed."""
    import io

    limits = Limits(max_xlsx_cells=1_000)
    book = openpyxl.Workbook()
    book.active.title = "staff"
    for r in range(1, 302):
        book.active.append(["S" + str(r), "An", "CTXH", "có"])
    out = io.BytesIO()
    book.save(out)
    p = only(import_files(seeded, plan, [("staff.xlsx", out.getvalue())], limits=limits))
    # A1:D301 = 4 × 301 = 1.204 cells > 1.000.
    assert p.message.startswith("Tệp Excel quá lớn khi mở ra (1.204 ô), giới hạn là 1.000 ô."), p.message


@pytest.mark.parametrize("dimension", [None, b'<dimension ref="A1"/>'], ids=["missing", "lying"])
def test_xlsx_cells_counted_when_the_dimension_is_missing_or_lies(seeded, plan, dimension):
    import io
    import re
    import zipfile

    book = openpyxl.Workbook()
    book.active.title = "staff"
    for r in range(1, 302):
        book.active.append(["S" + str(r), "An", "CTXH", "có"])
    out = io.BytesIO()
    book.save(out)
    edited = io.BytesIO()
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb"<dimension [^>]*/>", dimension or b"", body)
            dst.writestr(item, body)
    p = only(import_files(seeded, plan, [("staff.xlsx", edited.getvalue())], limits=Limits(max_xlsx_cells=1_000)))
    # 4 × 301 = 1.204 cells; counting stops past 1.000 (at the end of the first 1 MB block: here the whole sheet).
    assert p.message.startswith("Tệp Excel quá lớn khi mở ra (hơn 1.000 ô), giới hạn là 1.000 ô."), p.message


# --- Dates ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["03/04/2024", "3/4/2024", "03-04-2024", "03.04.2024", "2024-04-03", "03/04/2024 14:30"]
)
def test_date_forms_are_day_first(con, plan, text):
    assert import_files(con, plan, [("residents.csv", csv_bytes(RESIDENTS_HEAD + f"R1,An,nam,1950,{text}\n"))]).ok
    assert row_of(con, "residents", "resident_id", "R1")["admitted_on"] == dt.date(2024, 4, 3)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1950", dt.date(1950, 1, 1)),
        ("05/1950", dt.date(1950, 5, 1)),
        ("5/1950", dt.date(1950, 5, 1)),
        ("29/02/1948", dt.date(1948, 2, 29)),
    ],
)
def test_birth_date_accepts_month_and_year(con, plan, text, expected):
    assert import_files(con, plan, [("residents.csv", csv_bytes(RESIDENTS_HEAD + f"R1,An,nam,{text},01/01/2020\n"))]).ok
    assert row_of(con, "residents", "resident_id", "R1")["birth_date"] == expected


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("31/02/2024", "Ngày không có thật: '31/02/2024'. Nhập ngày dạng dd/mm/yyyy"),
        ("30/06/24", "Năm phải đủ 4 chữ số: '30/06/24'"),
        ("31/12/1899", "Ngày trước năm 1900: '31/12/1899'"),
        ("01/01/2025", "Ngày ở tương lai: '01/01/2025' (hôm nay là 31/12/2024)"),
        ("45000", "Ô ngày chứa một con số: '45000'"),
        ("2024", "Ô ngày chứa một con số: '2024'"),
        ("ngày 3 tháng 4", "Ngày không hợp lệ: 'ngày 3 tháng 4'. Nhập ngày dạng dd/mm/yyyy, ví dụ 30/06/2024."),
    ],
)
def test_bad_dates(seeded, plan, text, fragment):
    p = only(failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + f"R2,An,nam,1950,{text}\n"}))
    assert (p.row, p.column, p.value) == (2, "admitted_on", text)
    assert fragment in p.message


def test_bad_birth_date_message_lists_its_forms(seeded, plan):
    p = only(failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + "R2,An,nam,năm 1950,01/01/2020\n"}))
    assert p.column == "birth_date" and "mm/yyyy" in p.message


def test_month_first_column_is_refused_as_a_whole(seeded, plan):
    rows = "R2,An,nam,1950,03/04/2020\nR3,Bo,nam,1950,04/25/2020\nR4,Cu,nam,1950,05/26/2020\n"
    p = only(failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + rows}))
    assert (p.row, p.column, p.value) == (3, "admitted_on", "04/25/2020")
    assert "tháng trước ngày" in p.message and "cả cột bị từ chối" in p.message


def test_future_allowed_for_left_on_and_active_to(con, plan):
    text = (
        "staff_id,full_name,department,is_legal_aid_worker,active_from,active_to\nS1,An,CTXH,có,01/01/2020,31/12/2030\n"
    )
    assert import_files(con, plan, [("staff.csv", csv_bytes(text))]).ok
    assert row_of(con, "staff", "staff_id", "S1")["active_to"] == dt.date(2030, 12, 31)


# --- Integers, booleans, codes, identifiers -------------------------------------------------------------------------
CASES_HEAD = "case_id,resident_id,requested_on,department,legal_field,status,fee_charged\n"


@pytest.mark.parametrize("text", ["500000", "500.000", '"500,000"'])
def test_integers_with_thousands_separators(seeded, plan, text):
    assert import_files(
        seeded, plan, [("cases.csv", csv_bytes(CASES_HEAD + f"C2,R1,01/04/2024,CTXH,dan_su,tiep_nhan,{text}\n"))]
    ).ok
    assert row_of(seeded, "cases", "case_id", "C2")["fee_charged"] == 500000


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("1,5", "Không phải số nguyên: '1,5'"),
        ("12.5", "Không phải số nguyên"),
        ("-3", "Số âm không hợp lệ: '-3'"),
        ("năm trăm", "Không phải số nguyên"),
    ],
)
def test_bad_integers(seeded, plan, text, fragment):
    p = only(failing(seeded, plan, {"cases.csv": CASES_HEAD + f'C2,R1,01/04/2024,CTXH,dan_su,tiep_nhan,"{text}"\n'}))
    assert (p.row, p.column, p.value) == (2, "fee_charged", text) and fragment in p.message


def test_empty_fee_means_default_zero(seeded, plan):
    assert import_files(
        seeded, plan, [("cases.csv", csv_bytes(CASES_HEAD + "C2,R1,01/04/2024,CTXH,dan_su,tiep_nhan,\n"))]
    ).ok
    assert row_of(seeded, "cases", "case_id", "C2")["fee_charged"] == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("có", True),
        ("Không", False),
        ("CO", True),
        ("khong", False),
        ("c", True),
        ("K", False),
        ("x", True),
        ("X", True),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("false", False),
        ("Yes", True),
        ("no", False),
        ("", False),
    ],
)
def test_booleans(con, plan, text, expected):
    text_file = RESIDENTS_HEAD.strip() + ",Hộ nghèo\n" + f"R1,An,nam,1950,01/01/2020,{text}\n"
    assert import_files(con, plan, [("residents.csv", csv_bytes(text_file))]).ok
    assert row_of(con, "residents", "resident_id", "R1")["is_poor_household"] is expected


def test_training_completed_empty_means_true(seeded, plan):
    assert import_files(
        seeded, plan, [("training.csv", csv_bytes("event_id,staff_id,completed\nT1,S1,\n"))]
    ).counts == {"training": TableCounts(0, 0, 1)}


def test_bad_boolean(seeded, plan):
    p = only(
        failing(
            seeded, plan, {"residents.csv": RESIDENTS_HEAD.strip() + ",Hộ nghèo\nR2,An,nam,1950,01/01/2020,có lẽ\n"}
        )
    )
    assert (p.column, p.value) == ("Hộ nghèo", "có lẽ") and "có/không" in p.message


def test_required_boolean_empty_is_an_error(seeded, plan):
    p = only(failing(seeded, plan, {"staff.csv": "staff_id,full_name,department,Làm công tác TGPL\nS9,An,CTXH,\n"}))
    assert (p.row, p.column) == (2, "Làm công tác TGPL")
    assert "Thiếu giá trị bắt buộc cho 'Làm công tác TGPL'" in p.message


def test_required_text_empty_is_an_error(seeded, plan):
    p = only(failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + "R2,  ,nam,1950,01/01/2020\n"}))
    assert (p.row, p.column) == (2, "full_name") and "Thiếu giá trị bắt buộc" in p.message


@pytest.mark.parametrize("gender, expected", [("Nam", "nam"), ("nữ", "nu"), ("NU", "nu"), ("M", "nam"), ("f", "nu")])
def test_gender_codes_labels_and_aliases(con, plan, gender, expected):
    assert import_files(
        con, plan, [("residents.csv", csv_bytes(RESIDENTS_HEAD + f"R1,An,{gender},1950,01/01/2020\n"))]
    ).ok
    assert row_of(con, "residents", "resident_id", "R1")["gender"] == expected


@pytest.mark.parametrize(
    "status, expected",
    [
        ("tiep_nhan", "tiep_nhan"),
        ("Đã tiếp nhận", "tiep_nhan"),
        ("da tiep nhan", "tiep_nhan"),
        ("ĐÃ CHUYỂN", "da_chuyen"),
    ],
)
def test_codes_by_code_or_label(seeded, plan, status, expected):
    text = (
        CASES_HEAD
        + f"C2,R1,01/04/2024,Bộ phận Công tác Xã hội và Phát triển cộng đồng,hôn nhân và gia đình,{status},0\n"
    )
    assert import_files(seeded, plan, [("cases.csv", csv_bytes(text))]).ok
    c2 = row_of(seeded, "cases", "case_id", "C2")
    assert (c2["status"], c2["department"], c2["legal_field"]) == (expected, "CTXH", "hon_nhan_gia_dinh")


def test_unknown_code_lists_the_choices(seeded, plan):
    p = only(failing(seeded, plan, {"cases.csv": CASES_HEAD + "C2,R1,01/04/2024,CTXH,dan_su,Đang xử lý,0\n"}))
    assert (p.row, p.column, p.value) == (2, "status", "Đang xử lý")
    assert "Giá trị không hợp lệ cho 'Trạng thái': 'Đang xử lý'" in p.message
    assert "tiep_nhan (Đã tiếp nhận)" in p.message


def test_unknown_unit_comes_from_the_plan(seeded, plan):
    p = only(
        failing(seeded, plan, {"staff.csv": "staff_id,full_name,department,is_legal_aid_worker\nS9,An,Phòng Y tế,có\n"})
    )
    assert p.column == "department" and "CSKC (Bộ phận Chăm sóc Khẩn cấp và dài hạn)" in p.message


def test_identifiers_are_trimmed_text(con, plan):
    assert import_files(
        con, plan, [("residents.csv", csv_bytes(RESIDENTS_HEAD + "  007 ,An,nam,1950,01/01/2020\n"))]
    ).ok
    assert con.execute("select resident_id from residents").fetchall() == [("007",)]


@BOTH_MODES
def test_duplicate_ids_in_a_file(seeded, plan):
    rows = "R2,An,nam,1950,01/01/2020\nR3,Bo,nam,1950,01/01/2020\nR2,Cu,nam,1950,01/01/2020\nR2,Da,nu,1950,01/01/2020\n"
    result = failing(seeded, plan, {"residents.csv": RESIDENTS_HEAD + rows})
    assert [(p.row, p.column, p.value) for p in result.problems] == [(4, "resident_id", "R2"), (5, "resident_id", "R2")]
    assert "Mã trùng: 'R2' đã có ở dòng 2" in result.problems[0].message


@BOTH_MODES
def test_duplicate_training_pair(seeded, plan):
    result = failing(seeded, plan, {"training.csv": "event_id,staff_id\nT1,S1\nT1,S1\n"})
    p = only(result)
    assert (p.row, p.value) == (3, "T1 / S1") and "dòng 2" in p.message


def test_formula_like_text_is_stored_unchanged(con, plan):
    text = (
        RESIDENTS_HEAD.strip()
        + ',Dân tộc\nR1,=HYPERLINK("x"),nam,1950,01/01/2020,@Kinh\nR2,+84 123,nam,1950,01/01/2020,-\n'
    )
    assert import_files(con, plan, [("residents.csv", csv_bytes(text))]).ok
    assert con.execute("select full_name, ethnicity from residents order by resident_id").fetchall() == [
        ('=HYPERLINK("x")', "@Kinh"),
        ("+84 123", "-"),
    ]


# --- References -----------------------------------------------------------------------------------------------------
@BOTH_MODES
def test_case_resident_must_exist(seeded, plan):
    p = only(failing(seeded, plan, {"cases.csv": CASES_HEAD + "C2,R404,01/04/2024,CTXH,dan_su,tiep_nhan,0\n"}))
    assert (p.row, p.column, p.value) == (2, "resident_id", "R404") and "Mã đối tượng 'R404' không có" in p.message


@BOTH_MODES
def test_case_resident_from_the_same_import(seeded, plan):
    result = import_files(
        seeded,
        plan,
        [
            ("cases.csv", csv_bytes(CASES_HEAD + "C2,R2,01/04/2024,CTXH,dan_su,tiep_nhan,0\n")),
            ("residents.csv", csv_bytes(RESIDENTS_HEAD + "R2,An,nam,1950,01/01/2020\n")),
        ],
    )
    assert result.ok and result.counts == {"residents": TableCounts(1, 0, 0), "cases": TableCounts(1, 0, 0)}


def test_training_event_must_be_a_training_course(seeded, plan):
    result = failing(seeded, plan, {"training.csv": "event_id,staff_id\nM1,S1\nX9,S1\n"})
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "event_id", "M1"), (3, "event_id", "X9")]
    assert "là loại 'hop_thang', không phải lớp tập huấn" in result.problems[0].message
    assert "Mã hoạt động 'X9' không có" in result.problems[1].message


def test_training_staff_must_exist(seeded, plan):
    p = only(failing(seeded, plan, {"training.csv": "event_id,staff_id\nT1,S404\n"}))
    assert (p.row, p.column, p.value) == (2, "staff_id", "S404") and "Mã nhân viên 'S404' không có" in p.message


@BOTH_MODES
def test_training_references_from_the_same_import(seeded, plan):
    result = import_files(
        seeded,
        plan,
        [
            ("training.csv", csv_bytes("event_id,staff_id\nT2,S2\nT1,S2\n")),
            (
                "events.csv",
                csv_bytes("event_id,event_type,held_on,department,title\nT2,tap_huan,01/06/2024,HCTH,Lớp 2\n"),
            ),
            ("staff.csv", csv_bytes("staff_id,full_name,department,is_legal_aid_worker\nS2,An,CTXH,có\n")),
        ],
    )
    assert result.ok, result.problems
    assert result.counts["training"] == TableCounts(2, 0, 0)


def test_training_sees_event_type_changed_in_the_same_import(seeded, plan):
    result = failing(
        seeded,
        plan,
        {
            "training.csv": "event_id,staff_id\nT1,S1\n",
            "events.csv": "event_id,event_type,held_on,department,title\nT1,hop_quy,15/03/2024,HCTH,Họp quý\n",
        },
    )
    p = only(result)
    assert (p.file, p.value) == ("training.csv", "T1") and "hop_quy" in p.message


# --- Cross-field rules ----------------------------------------------------------------------------------------------
CASES_DATES_HEAD = "case_id,resident_id,requested_on,department,legal_field,status,accepted_on,closed_on,referred_on\n"


@pytest.mark.parametrize(
    "status, accepted, closed, missing",
    [
        ("Đang thực hiện", "", "", "Ngày thụ lý"),
        ("hoan_thanh", "", "20/04/2024", "Ngày thụ lý"),
        ("hoan_thanh", "10/04/2024", "", "Ngày kết thúc"),
        ("rut_yeu_cau", "", "", "Ngày kết thúc"),
        ("Từ chối", "", "", "Ngày kết thúc"),
    ],
)
def test_status_needs_dates(seeded, plan, status, accepted, closed, missing):
    text = CASES_DATES_HEAD + f"C2,R1,01/04/2024,CTXH,dan_su,{status},{accepted},{closed},\n"
    p = only(failing(seeded, plan, {"cases.csv": text}))
    assert (p.row, p.column, p.value) == (2, "status", status)
    assert f"cần có '{missing}'" in p.message


@BOTH_MODES
def test_status_rule_uses_stored_dates_for_absent_columns(seeded, plan):
    # C1 is stored without accepted_on and closed_on; the file changes only its status.
    result = failing(seeded, plan, {"cases.csv": "case_id,status\nC1,Hoàn thành\n"})
    assert [(p.row, p.column) for p in result.problems] == [(2, "status"), (2, "status")]
    assert "'Ngày thụ lý'" in result.problems[0].message and "'Ngày kết thúc'" in result.problems[1].message


@pytest.mark.parametrize(
    "accepted, closed, referred, column, fragment",
    [
        (
            "31/03/2024",
            "",
            "",
            "accepted_on",
            "'Ngày thụ lý' (31/03/2024) không được trước 'Ngày yêu cầu' (01/04/2024)",
        ),
        ("", "", "30/03/2024", "referred_on", "'Ngày chuyển yêu cầu' (30/03/2024) không được trước 'Ngày yêu cầu'"),
        (
            "10/04/2024",
            "09/04/2024",
            "",
            "closed_on",
            "'Ngày kết thúc' (09/04/2024) không được trước 'Ngày thụ lý' (10/04/2024)",
        ),
    ],
)
def test_case_date_order(seeded, plan, accepted, closed, referred, column, fragment):
    text = CASES_DATES_HEAD + f"C2,R1,01/04/2024,CTXH,dan_su,da_chuyen,{accepted},{closed},{referred}\n"
    p = only(failing(seeded, plan, {"cases.csv": text}))
    assert (p.row, p.column) == (2, column) and fragment in p.message


def test_closed_before_requested(seeded, plan):
    text = CASES_DATES_HEAD + "C2,R1,01/04/2024,CTXH,dan_su,rut_yeu_cau,,31/03/2024,\n"
    p = only(failing(seeded, plan, {"cases.csv": text}))
    assert p.column == "closed_on" and "trước 'Ngày yêu cầu' (01/04/2024)" in p.message


@BOTH_MODES
def test_left_on_before_admitted_on_checks_the_stored_value(seeded, plan):
    # R1 was admitted on 01/05/2020 (seeded); the file only gives left_on.
    p = only(failing(seeded, plan, {"residents.csv": "resident_id,left_on\nR1,30/04/2020\n"}))
    assert (p.row, p.column, p.value) == (2, "left_on", "30/04/2020")
    assert "'Ngày rời Trung tâm' (30/04/2020) không được trước 'Ngày tiếp nhận' (01/05/2020)" in p.message


def test_active_to_before_active_from(seeded, plan):
    text = (
        "staff_id,full_name,department,is_legal_aid_worker,active_from,active_to\nS9,An,CTXH,có,01/06/2024,31/05/2024\n"
    )
    p = only(failing(seeded, plan, {"staff.csv": text}))
    assert (
        p.column == "active_to"
        and "'Ngày kết thúc' (31/05/2024) không được trước 'Ngày bắt đầu' (01/06/2024)" in p.message
    )


EVENTS_HEAD = "event_id,event_type,activity,held_on,department,title,participants,elderly_reached\n"


def test_elderly_reached_at_most_participants(seeded, plan):
    p = only(failing(seeded, plan, {"events.csv": EVENTS_HEAD + "E9,phat_thanh,,02/05/2024,CTXH,Loa,40,41\n"}))
    assert (p.row, p.column, p.value) == (2, "elderly_reached", "41")
    assert "(41) không được lớn hơn số người tham dự (40)" in p.message


def test_elderly_reached_without_participants_is_fine(con, plan):
    assert import_files(
        con, plan, [("events.csv", csv_bytes(EVENTS_HEAD + "E9,phat_thanh,,02/05/2024,CTXH,Loa,,41\n"))]
    ).ok


def test_activity_must_match_event_type(seeded, plan):
    p = only(failing(seeded, plan, {"events.csv": EVENTS_HEAD + "E9,tap_huan,3,02/05/2024,HCTH,Lớp,,\n"}))
    assert (p.row, p.column, p.value) == (2, "activity", "3")
    assert "Mục kế hoạch '3' không khớp loại hoạt động 'tap_huan' (thuộc mục 2)" in p.message


def test_activity_alone_is_checked_against_the_stored_event_type(seeded, plan):
    p = only(failing(seeded, plan, {"events.csv": "event_id,activity\nM1,5\n"}))
    assert (p.column, p.value) == ("activity", "5") and "thuộc mục 4.1" in p.message


def test_bad_activity_code(seeded, plan):
    p = only(failing(seeded, plan, {"events.csv": EVENTS_HEAD + "E9,tap_huan,7,02/05/2024,HCTH,Lớp,,\n"}))
    assert (p.column, p.value) == ("activity", "7") and "Giá trị không hợp lệ cho 'Mục kế hoạch'" in p.message


@BOTH_MODES
def test_changing_event_type_rederives_activity(seeded, plan):
    result = import_files(
        seeded, plan, [("events.csv", csv_bytes("event_id,event_type\nM1,Báo cáo kết quả gửi cấp trên\n"))]
    )
    assert result.counts == {"events": TableCounts(0, 1, 0)}
    m1 = row_of(seeded, "events", "event_id", "M1")
    assert (m1["event_type"], m1["activity"], m1["held_on"]) == ("bao_cao", "5", dt.date(2024, 3, 20))
