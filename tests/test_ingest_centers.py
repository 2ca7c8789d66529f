"""Records carry their center (docs/centers.md, issue 12): the optional `center` column, ids unique and references
resolved within a center, the importer's allowed centers, each center's own plan, and isolation of the numbers.

Real DuckDB files and the real command line (planboard.cli.main in-process); the fixture files are those of
tests/fixtures/ingest/valid (3 residents, 2 requests, 2 events, 2 staff, 2 training rows)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import add_case, add_resident

from planboard import cli, db, edits, ingest, org
from planboard.plan import load_plan

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ingest" / "valid"
PLAN_TEXT = (ROOT / "data" / "plans" / "btxh-bl-2024.toml").read_text(encoding="utf-8")
TABLES = ("residents", "cases", "events", "staff", "training")
AS_OF = "2024-12-31"
# Center B's plan has one more unit than A's: rows of B may name it, rows of A may not.
EXTRA_UNIT = '\n[[units]]\ncode = "YTE"\nlabel = "Tổ Y tế"\nshort = "Y tế"\nlabel_en = "Medical team"\n'


def _plan_text(center: str, extra: str = "") -> str:
    return PLAN_TEXT.replace('center = "BTXH_BL"', f'center = "{center}"') + extra


@pytest.fixture
def plans_dir(tmp_path, monkeypatch):
    """Plans for A, B and C (the shipped 2024 plan, renamed; B with an extra unit) in $PLANBOARD_PLANS."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for center, extra in (("TT_A", ""), ("TT_B", EXTRA_UNIT), ("TT_C", "")):
        (folder / f"{center.lower()}-2024.toml").write_text(_plan_text(center, extra), encoding="utf-8")
    monkeypatch.setenv("PLANBOARD_PLANS", str(folder))
    return folder


def _cli(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def _add_centers(con, *codes: str) -> None:
    for code in codes:
        org.save_center(con, code, f"Trung tâm {code[-1]}", "BL", "Bạc Liêu")


def _with_center(src: Path, dst: Path, value: str, header: str = "Cơ sở") -> Path:
    """Copies of the fixture CSVs with a center column (first) holding `value` on every row."""
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.glob("*.csv")):
        text = f.read_text(encoding="utf-8-sig")
        delim = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
        out = io.StringIO()
        w = csv.writer(out, delimiter=delim, lineterminator="\n")
        w.writerow([header, *rows[0]])
        for row in rows[1:]:
            w.writerow([value, *row])
        (dst / f.name).write_text(out.getvalue(), encoding="utf-8")
    return dst


def _snapshot(con) -> dict:
    out = {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}
    out["import_log"] = con.execute("select count(*) from import_log").fetchall()
    return out


def _records(text: str) -> dict[str, dict]:
    return {r["indicator"]: r for r in json.loads(text)}


# --- Isolation: the same files in A and B, other data in C ----------------------------------------------------------
@pytest.fixture
def single(tmp_path, capsys, monkeypatch):
    """The fixture files imported into a fresh single-center database (BTXH_BL, the shipped plan)."""
    monkeypatch.delenv("PLANBOARD_PLANS", raising=False)
    path = tmp_path / "single.duckdb"
    assert _cli(capsys, "import", "--db", path, FIXTURES)[0] == 0
    csv_out = _cli(capsys, "kpis", "--db", path, "--as-of", AS_OF)[1]
    json_out = _cli(capsys, "kpis", "--db", path, "--as-of", AS_OF, "--format", "json")[1]
    db.close(path)
    return csv_out, json_out


@pytest.fixture
def multi(tmp_path, capsys, single, plans_dir):
    """A: the fixture files by `import --center A`; B: the same files with a column 'Cơ sở' naming B by its name
    (imported with --center A, so the column decides); C: the same files plus two broadcasts and a third request."""
    path = tmp_path / "multi.duckdb"
    con = db.connect(path)
    _add_centers(con, "TT_A", "TT_B", "TT_C")
    assert _cli(capsys, "import", "--db", path, "--center", "TT_A", FIXTURES)[0] == 0
    b_files = _with_center(FIXTURES, tmp_path / "b", "trung tam b")  # the name, accents and case folded
    rc, out, err = _cli(capsys, "import", "--db", path, "--center", "TT_A", b_files)
    assert (rc, err) == (0, ""), err
    assert "thêm 3" in out  # B's three residents are new: ids are unique within a center, not across
    assert _cli(capsys, "import", "--db", path, "--center", "TT_C", FIXTURES)[0] == 0
    extra = tmp_path / "c"
    extra.mkdir()
    (extra / "events.csv").write_text(
        "event_id,event_type,held_on,department,title,participants,elderly_reached\n"
        "C1,phat_thanh,06/05/2024,CTXH,Phát thanh,50,40\n"
        "C2,phat_thanh,07/05/2024,CTXH,Phát thanh,50,40\n",
        encoding="utf-8",
    )
    (extra / "cases.csv").write_text(
        "case_id,resident_id,requested_on,department,legal_field,status\n"
        "V003,NCT003,02/02/2024,CTXH,dan_su,tiep_nhan\n",
        encoding="utf-8",
    )
    assert _cli(capsys, "import", "--db", path, "--center", "TT_C", extra)[0] == 0
    yield path, con
    db.close(path)


def test_one_center_of_three_equals_the_single_center_result(multi, single, capsys):
    path, con = multi
    # 3 residents, 2 requests, 2 events, 2 staff, 2 training rows in A and in B; C has 2 more events and 1 more request.
    counts = con.execute("select center, count(*) from residents group by 1 order by 1").fetchall()
    assert counts == [("TT_A", 3), ("TT_B", 3), ("TT_C", 3)]
    assert con.execute("select center, count(*) from events group by 1 order by 1").fetchall() == [
        ("TT_A", 2),
        ("TT_B", 2),
        ("TT_C", 4),
    ]
    rc, out, err = _cli(capsys, "kpis", "--db", path, "--center", "TT_A", "--as-of", AS_OF)
    assert (rc, err) == (0, "")
    assert out == single[0]  # byte for byte, every indicator
    assert _cli(capsys, "kpis", "--db", path, "--center", "TT_B", "--as-of", AS_OF)[1] == single[0]
    assert _cli(capsys, "kpis", "--db", path, "--center", "TT_C", "--as-of", AS_OF)[1] != single[0]


def test_two_identical_centers_double_every_count_and_keep_every_rate(multi, single, capsys):
    path, _ = multi
    one = _records(single[1])
    rc, out, _ = _cli(capsys, "kpis", "--db", path, "--center", "TT_A,TT_B", "--as-of", AS_OF, "--format", "json")
    assert rc == 0
    two = _records(out)
    assert list(two) == list(one)
    # By hand, the single center at 31/12/2024 → A + B:
    #   A2_TAP_HUAN  rate 1/1 = 100 % (target 80, dat)        → 2/2 = 100 %, dat
    #   A3_MIEN_PHI  rate 1/2 = 50 % (target 100, khong_dat)  → 2/4 = 50 %, khong_dat
    #   A3_YEU_CAU   count 2 (no target, theo_doi)            → 4, theo_doi
    #   A41_PHAT_THANH count 1 of target 24 (khong_dat)       → 2 of target 48, khong_dat
    #   A4_LUOT_NCT  count 80 elderly reached (theo_doi)      → 160
    assert (two["A2_TAP_HUAN"]["numerator"], two["A2_TAP_HUAN"]["denominator"]) == (2, 2)
    assert (two["A3_MIEN_PHI"]["numerator"], two["A3_MIEN_PHI"]["denominator"]) == (2, 4)
    assert float(two["A3_MIEN_PHI"]["value"]) == 50.0 and two["A3_MIEN_PHI"]["status"] == "khong_dat"
    assert two["A3_YEU_CAU"]["value"] == 4 and two["A3_YEU_CAU"]["status"] == "theo_doi"
    assert (two["A41_PHAT_THANH"]["value"], two["A41_PHAT_THANH"]["target_year"]) == (2, 48)
    assert two["A4_LUOT_NCT"]["value"] == 160
    for code, r in one.items():
        d = two[code]
        assert d["status"] == r["status"], code
        for k in ("numerator", "denominator"):
            assert d[k] == (None if r[k] is None else 2 * r[k]), (code, k)
        if r["denominator"] is None:  # a count: value and its targets double
            assert d["value"] == 2 * r["value"], code
            for k in ("target_year", "expected_now"):
                assert d[k] == (None if r[k] is None else 2 * r[k]), (code, k)
        else:  # a rate: the same value and the same target
            assert float(d["value"]) == float(r["value"]) and d["target_year"] == r["target_year"], code


def test_import_log_records_the_centers(multi):
    _, con = multi
    logged = con.execute("select center from import_log order by import_id").fetchall()
    # A's files, B's files (the column named B only), C's two imports.
    assert logged == [("TT_A",), ("TT_B",), ("TT_C",), ("TT_C",)]


# --- The center column ----------------------------------------------------------------------------------------------
@pytest.fixture
def two(con, plans_dir):
    """A database with centers A and B and their plans; NCT001 and NV01 live in A."""
    _add_centers(con, "TT_A", "TT_B")
    plans = {c: load_plan(plans_dir / f"{c.lower()}-2024.toml") for c in ("TT_A", "TT_B")}
    r = ingest.import_files(
        con,
        plans["TT_A"],
        [
            ("residents.csv", b"resident_id,full_name,gender,birth_date,admitted_on\nNCT001,An,nam,1950,01/01/2020\n"),
            ("staff.csv", b"staff_id,full_name,department,is_legal_aid_worker\nNV01,Dung,CTXH,co\n"),
            ("events.csv", b"event_id,event_type,held_on,department,title\nHD01,tap_huan,15/03/2024,CTXH,Lop\n"),
        ],
        center="TT_A",
    )
    assert r.ok, r.problems
    return con, plans


def test_rows_of_two_centers_in_one_file_same_id_once_per_center(two):
    con, plans = two
    data = (
        "Mã cơ sở,resident_id,full_name,gender,birth_date,admitted_on\n"
        "TT_A,R1,Một,nam,1950,01/01/2020\n"
        "tt_b,R1,Hai,nu,1951,01/01/2020\n"  # the code, case folded
        ",R2,Ba,nam,1952,01/01/2020\n"
    )  # empty: the import's center
    r = ingest.import_files(con, plans["TT_A"], [("residents.csv", data.encode())], center="TT_A", plans=plans)
    assert r.ok, r.problems
    assert r.centers == ["TT_A", "TT_B"]
    assert con.execute(
        "select center, resident_id, full_name from residents where resident_id <> 'NCT001' order by all"
    ).fetchall() == [("TT_A", "R1", "Một"), ("TT_A", "R2", "Ba"), ("TT_B", "R1", "Hai")]
    dup = (
        "center,resident_id,full_name,gender,birth_date,admitted_on\nTT_B,R9,X,nam,1950,01/01/2020\n"
        "TT_B,R9,Y,nam,1950,01/01/2020\nTT_A,R9,Z,nam,1950,01/01/2020\n"
    )
    r = ingest.import_files(con, plans["TT_A"], [("residents.csv", dup.encode())], center="TT_A", plans=plans)
    assert [(p.row, p.column, p.value, p.message) for p in r.problems] == [
        (3, "resident_id", "R9", "Mã trùng: 'R9' đã có ở dòng 2. Mỗi mã chỉ được một dòng.")
    ]


def test_each_centers_rows_are_checked_against_its_own_plan(two):
    con, plans = two
    data = (
        "center,staff_id,full_name,department,is_legal_aid_worker\n"
        "TT_B,NV05,Bác sĩ,Tổ Y tế,co\n"  # B's plan has the unit YTE
        "TT_A,NV06,Bác sĩ,YTE,co\n"
    )  # A's has not
    r = ingest.import_files(con, plans["TT_A"], [("staff.csv", data.encode())], center="TT_A", plans=plans)
    assert [(p.row, p.column, p.value) for p in r.problems] == [(3, "department", "YTE")]
    assert r.problems[0].message.startswith("Giá trị không hợp lệ cho 'Bộ phận': 'YTE'.")
    before = _snapshot(con)
    # Without B's plan, B's rows cannot be checked: a problem, nothing written.
    r = ingest.import_files(con, plans["TT_A"], [("staff.csv", data.encode())], center="TT_A")
    assert (r.problems[0].row, r.problems[0].column, r.problems[0].value) == (2, "center", "TT_B")
    assert r.problems[0].message == (
        "Cơ sở TT_B (Trung tâm B) chưa có kế hoạch năm 2024 trong lần nhập này nên không "
        "kiểm tra được bộ phận và loại hoạt động. Nhập riêng các dòng của cơ sở này "
        "(chọn cơ sở đó khi nhập) hoặc sửa cột cơ sở."
    )
    assert _snapshot(con) == before
    ok = ingest.import_files(
        con,
        plans["TT_A"],
        [
            (
                "staff.csv",
                data.encode().replace(b"TT_A,NV06,B\xc3\xa1c s\xc4\xa9,YTE", b"TT_A,NV06,B\xc3\xa1c s\xc4\xa9,CTXH"),
            )
        ],
        center="TT_A",
        plans=plans,
    )
    assert ok.ok, ok.problems
    assert con.execute(
        "select center, department from staff where staff_id in ('NV05', 'NV06') order by 1"
    ).fetchall() == [("TT_A", "CTXH"), ("TT_B", "YTE")]


def test_bad_centers_are_problems_and_nothing_is_written(two):
    con, plans = two
    before = _snapshot(con)
    data = (
        "Cơ sở,resident_id,full_name,gender,birth_date,admitted_on\n"
        "TT_A,R1,Một,nam,1950,01/01/2020\n"
        "TT_B,R2,Hai,nam,1950,01/01/2020\n"
        "Trung tâm Z,R3,Ba,nam,1950,01/01/2020\n"
    )
    r = ingest.import_files(
        con, plans["TT_A"], [("residents.csv", data.encode())], center="TT_A", plans=plans, allowed_centers={"TT_A"}
    )
    assert [(p.file, p.row, p.column, p.value) for p in r.problems] == [
        ("residents.csv", 3, "Cơ sở", "TT_B"),
        ("residents.csv", 4, "Cơ sở", "Trung tâm Z"),
    ]
    assert r.problems[0].message == (
        "Bạn không được nhập dữ liệu cho cơ sở TT_B (Trung tâm B); bạn chỉ được nhập cho: TT_A (Trung tâm A)."
    )
    assert r.problems[1].message == (
        "Cơ sở 'Trung tâm Z' không có trong hệ thống. Ghi mã hoặc tên một cơ sở: "
        "BTXH_BL (Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu), TT_A (Trung tâm A), "
        "TT_B (Trung tâm B)."
    )
    assert not r.written and _snapshot(con) == before
    # A file without the column goes to the import's center: outside the allowed set, one problem for the file.
    r = ingest.import_files(
        con,
        plans["TT_B"],
        [("residents.csv", b"resident_id,full_name,gender,birth_date,admitted_on\nR4,Bon,nam,1950,01/01/2020\n")],
        center="TT_B",
        allowed_centers={"TT_A"},
    )
    assert [(p.file, p.row, p.value) for p in r.problems] == [("residents.csv", None, "TT_B")]
    assert _snapshot(con) == before


def test_references_resolve_within_the_center_and_name_the_other_center(two):
    con, plans = two
    before = _snapshot(con)
    cases = (
        "case_id,resident_id,requested_on,department,legal_field,status\n"
        "V1,NCT001,02/02/2024,CTXH,dan_su,tiep_nhan\n"
        "V2,NOPE,02/02/2024,CTXH,dan_su,tiep_nhan\n"
    )
    training = "event_id,staff_id\nHD01,NV01\n"
    r = ingest.import_files(
        con, plans["TT_B"], [("cases.csv", cases.encode()), ("training.csv", training.encode())], center="TT_B"
    )
    assert [(p.file, p.row, p.column, p.value) for p in r.problems] == [
        ("cases.csv", 2, "resident_id", "NCT001"),
        ("cases.csv", 3, "resident_id", "NOPE"),
        ("training.csv", 2, "staff_id", "NV01"),
        ("training.csv", 2, "event_id", "HD01"),
    ]
    assert r.problems[0].message == (
        "Mã đối tượng 'NCT001' là người cao tuổi của cơ sở TT_A (Trung tâm A), không phải "
        "của cơ sở TT_B (Trung tâm B) (cơ sở của dòng này). Một yêu cầu chỉ gắn với người "
        "cao tuổi cùng cơ sở."
    )
    assert r.problems[1].message.startswith("Mã đối tượng 'NOPE' không có trong danh sách người cao tuổi")
    assert "nhân sự của cơ sở TT_A (Trung tâm A)" in r.problems[2].message
    assert "hoạt động của cơ sở TT_A (Trung tâm A)" in r.problems[3].message
    assert _snapshot(con) == before
    # The same rows in A resolve.
    r = ingest.import_files(
        con,
        plans["TT_A"],
        [("cases.csv", cases.encode().replace(b"NOPE", b"NCT001")), ("training.csv", training.encode())],
        center="TT_A",
    )
    assert r.ok, r.problems


def test_cli_import_names_a_center_outside_the_database(tmp_path, capsys, plans_dir):
    path = tmp_path / "x.duckdb"
    con = db.connect(path)
    _add_centers(con, "TT_A", "TT_B", "TT_C", "TT_D")  # D exists but has no plan
    files = _with_center(FIXTURES, tmp_path / "d", "TT_D", header="center")
    rc, out, err = _cli(capsys, "import", "--db", path, "--center", "TT_A", files)
    assert rc == 1 and "Cơ sở TT_D (Trung tâm D) chưa có kế hoạch năm 2024" in err
    assert con.execute("select count(*) from residents").fetchone() == (0,)
    db.close(path)


# --- Entry forms and deletes ----------------------------------------------------------------------------------------
def test_forms_write_into_their_center_and_keys_include_it(two):
    con, plans = two
    values = {
        "case_id": "V1",
        "resident_id": "NCT001",
        "requested_on": "02/02/2024",
        "department": "CTXH",
        "legal_field": "dan_su",
        "status": "tiep_nhan",
    }
    # B has no NCT001: the form of center B is refused with the importer's message naming A.
    r = edits.save_record(con, plans["TT_B"], "cases", values, user="u", center="TT_B")
    assert "là người cao tuổi của cơ sở TT_A (Trung tâm A)" in r.problems[0].message
    r = edits.save_record(con, plans["TT_A"], "cases", values, user="u", center="TT_A", allowed_centers={"TT_A"})
    assert r.action == "insert"
    # A form may not write a center outside the user's scope.
    r = edits.save_record(
        con,
        plans["TT_B"],
        "residents",
        {"resident_id": "R1", "full_name": "X", "gender": "nam", "birth_date": "1950", "admitted_on": "01/01/2020"},
        center="TT_B",
        allowed_centers={"TT_A"},
    )
    assert not r.ok and r.problems[0].message.startswith("Bạn không được nhập dữ liệu cho cơ sở TT_B")
    assert edits.get_record(con, "cases", "V1", "TT_A")["center"] == "TT_A"
    assert edits.get_record(con, "cases", "V1", "TT_B") is None
    assert (
        edits.record_ids(con, "cases", center="TT_A") == [("V1",)]
        and edits.record_ids(con, "cases", center="TT_B") == []
    )
    assert edits.event_ids(con, ["tap_huan"], center="TT_A") == ["HD01"] and edits.event_ids(con, center="TT_B") == []
    assert con.execute("select center, record_id, action from edit_log").fetchall() == [("TT_A", "V1", "insert")]
    # Deleting: the resident NCT001 of A is referenced by V1 (A); B has no such record; B is outside the scope.
    assert not edits.delete_record(con, "residents", "NCT001", center="TT_A").deleted
    out = edits.delete_record(con, "cases", "V1", center="TT_A", allowed_centers={"TT_B"})
    assert not out.deleted and out.message == "Bạn chỉ được xóa dữ liệu của cơ sở TT_B; bản ghi 'V1' thuộc cơ sở TT_A."
    assert not edits.delete_record(con, "cases", "V1", center="TT_B").deleted
    assert edits.delete_record(con, "cases", "V1", center="TT_A", user="u").deleted
    assert con.execute("select center, record_id, action from edit_log order by edit_id").fetchall() == [
        ("TT_A", "V1", "insert"),
        ("TT_A", "V1", "delete"),
    ]


def test_a_single_center_database_needs_no_center_anywhere(con, plan, tmp_path):
    """The shipped single-center install: no center argument, no column; everything lands in BTXH_BL."""
    copy = tmp_path / "in"
    shutil.copytree(FIXTURES, copy)
    r = ingest.import_paths(con, plan, [copy])
    assert r.ok and r.centers == ["BTXH_BL"]
    assert con.execute("select distinct center from cases").fetchall() == [("BTXH_BL",)]
    assert con.execute("select center from import_log").fetchall() == [("BTXH_BL",)]
    assert edits.get_record(con, "cases", "V001")["center"] == "BTXH_BL"


# --- The import page ------------------------------------------------------------------------------------------------
@pytest.fixture
def page_two(tmp_path, monkeypatch):
    """BTXH_BL (the shipped plan) and TT_B (its copy with one more unit) in one database the page opens."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "btxh-bl-2024.toml").write_text(PLAN_TEXT, encoding="utf-8")
    (folder / "tt_b-2024.toml").write_text(_plan_text("TT_B", EXTRA_UNIT), encoding="utf-8")
    monkeypatch.setenv("PLANBOARD_PLANS", str(folder))
    path = tmp_path / "page.duckdb"
    con = db.connect(path)
    _add_centers(con, "TT_B")
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path, con
    db.close(path)


def _page(scope_kind: str = "all", scope_code: str | None = None, view: str | None = None):
    import time

    from streamlit.testing.v1 import AppTest

    from planboard.auth import User

    at = AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=60)
    at.session_state["_user"] = User("test", "Người dùng", "lanh_dao", None, scope_kind, scope_code)
    at.session_state["_user_seen"] = time.time()
    if view is not None:
        at.session_state["f_scope"] = view  # the sidebar's view (center=… in the URL)
    at.run()
    assert not at.exception
    return at


RESIDENTS = b"resident_id,full_name,gender,birth_date,admitted_on\nR1,An,nam,1950,01/01/2020\n"


def test_page_offers_the_centers_of_the_scope_and_writes_into_the_chosen_one(page_two):
    path, con = page_two
    at = _page()
    choice = at.selectbox(key="imp_center")
    assert choice.options == ["Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu (BTXH_BL)", "Trung tâm B (TT_B)"]
    assert choice.value == "BTXH_BL"  # the view is the province's roll-up: the first center
    assert _page(view="center:TT_B").selectbox(key="imp_center").value == "TT_B"  # the sidebar's center
    choice.set_value("TT_B").run()
    at.file_uploader[0].set_value(("residents.csv", RESIDENTS, "text/csv")).run()
    assert not at.exception and not at.error
    next(b for b in at.button if b.label == "Xác nhận nhập").click().run()
    assert not at.exception
    assert con.execute("select center, resident_id from residents").fetchall() == [("TT_B", "R1")]
    assert con.execute("select center from import_log").fetchall() == [("TT_B",)]
    # The forms' pickers hold the chosen center's records only (the same id in both centers).
    add_resident(con, "R1", center="BTXH_BL")
    add_case(con, "YC_BL", "R1", dt.date(2024, 3, 1), center="BTXH_BL")
    add_case(con, "YC_B", "R1", dt.date(2024, 3, 1), center="TT_B")
    at.run()
    assert at.selectbox(key="imp_pick_cases").options == ["+ Thêm mới", "YC_B"]
    at.selectbox(key="imp_center").set_value("BTXH_BL").run()
    assert not at.exception
    assert at.selectbox(key="imp_pick_cases").options == ["+ Thêm mới", "YC_BL"]


def test_page_of_a_center_account_refuses_another_centers_rows(page_two):
    path, con = page_two
    plan_b = load_plan(path.parent / "plans" / "tt_b-2024.toml")
    assert ingest.import_files(con, plan_b, [("residents.csv", RESIDENTS)], center="TT_B", user="b").ok
    assert ingest.import_files(con, load_plan(), [("residents.csv", RESIDENTS)], user="bl").ok
    at = _page("center", "BTXH_BL")
    log = at.dataframe[-1].value  # the import log: this center's imports only, with their center
    assert (log["Người thực hiện"].tolist(), log["Cơ sở"].tolist()) == (["bl"], ["BTXH_BL"])
    assert not [s for s in at.selectbox if s.key == "imp_center"]  # one center: no choice
    assert "Dữ liệu nhập ở đây thuộc: Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu." in [c.value for c in at.caption]
    rows = b"center,resident_id,full_name,gender,birth_date,admitted_on\nTT_B,R1,An,nam,1950,01/01/2020\n"
    at.file_uploader[0].set_value(("residents.csv", rows, "text/csv")).run()
    assert not at.exception
    frame = at.table[0].value  # the problems: a static table, every message read whole
    assert list(zip(frame["Dòng"], frame["Cột"], frame["Giá trị"], strict=True)) == [(2, "center", "TT_B")]
    assert frame["Lỗi"][0].startswith("Bạn không được nhập dữ liệu cho cơ sở TT_B (Trung tâm B)")
    assert con.execute("select center, count(*) from residents group by 1 order by 1").fetchall() == [
        ("BTXH_BL", 1),
        ("TT_B", 1),
    ]


# --- Templates ------------------------------------------------------------------------------------------------------
def test_template_documents_the_center_column_and_a_filled_one_imports_with_it(two):
    from planboard import templates

    con, plans = two
    wb = templates.workbook(plans["TT_A"])
    notes = [c.value for c in wb["Hướng dẫn"]["A"] if c.value]
    assert any(n.startswith('9. Cột "Cơ sở" (center) không bắt buộc') and "kế hoạch của TT_A" in n for n in notes)
    # The example residents moved to B by a column added at the end; the example requests stay in A.
    sheet = wb["Người cao tuổi"]
    col = sheet.max_column + 1
    sheet.cell(row=1, column=col, value="Mã cơ sở")
    for row in (2, 3):
        sheet.cell(row=row, column=col, value="Trung tâm B")
    out = io.BytesIO()
    wb.save(out)
    before = _snapshot(con)
    r = ingest.import_files(con, plans["TT_A"], [("mau.xlsx", out.getvalue())], center="TT_A", plans=plans)
    assert [(p.sheet, p.row, p.column, p.value) for p in r.problems] == [
        ("Yêu cầu TGPL", 2, "Mã đối tượng", "VD-NCT-01"),
        ("Yêu cầu TGPL", 3, "Mã đối tượng", "VD-NCT-02"),
    ]
    assert "là người cao tuổi của cơ sở TT_B (Trung tâm B)" in r.problems[0].message
    assert _snapshot(con) == before
    # Without the requests sheet the rest imports: residents in B, the others in A.
    del wb["Yêu cầu TGPL"]
    out = io.BytesIO()
    wb.save(out)
    r = ingest.import_files(con, plans["TT_A"], [("mau.xlsx", out.getvalue())], center="TT_A", plans=plans)
    assert r.ok, r.problems
    assert r.centers == ["TT_A", "TT_B"]
    assert con.execute(
        "select center, count(*) from residents where resident_id like 'VD-%' group by 1"
    ).fetchall() == [("TT_B", 2)]
    assert con.execute("select distinct center from staff where staff_id like 'VD-%'").fetchall() == [("TT_A",)]
