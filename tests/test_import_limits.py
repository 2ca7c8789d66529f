"""Issue 17 item 3: the 50 MB / 2,000,000-row limits are the upload page's; the command line imports files of any
size. And a reference that fails only because the referenced table's own file failed in the same import is said
once, as such, not once per row burying the error that matters."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from conftest import ROOT, add_event, add_staff

from planboard import db, edits, ingest
from planboard.ingest import import_files

EVENTS_HEAD = "event_id,event_type,held_on,department,title,notes\n"
MB = 2**20


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(ingest.run, "local_today", lambda: dt.date(2024, 12, 31))


@pytest.mark.slow
def test_a_file_over_the_page_limit_is_refused_by_the_page_and_imported_by_the_command_line(tmp_path, monkeypatch):
    # 51 broadcasts, each with a 1 MB note: a 51 MB events.csv, over the page's 50 MB, small in rows.
    note = "x" * MB
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write(EVENTS_HEAD)
        for i in range(51):
            f.write(f"E{i:02d},phat_thanh,{1 + i % 28:02d}/03/2024,CTXH,Loa {i},{note}\n")
    assert path.stat().st_size > 51 * MB
    monkeypatch.delenv("PLANBOARD_MAX_UPLOAD_MB", raising=False)
    page = import_files(
        db.connect(tmp_path / "page.duckdb"), _plan(), [("events.csv", path.read_bytes())], limits=edits.upload_limits()
    )
    assert not page.ok and [p.key for p in page.problems] == ["file_too_big"]  # the page: 51 MB > 50 MB
    db.close(tmp_path / "page.duckdb")

    cli = tmp_path / "cli.duckdb"
    out = subprocess.run(
        [sys.executable, "-m", "planboard", "import", "--db", str(cli), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    con = db.connect(cli)
    try:  # all 51, each note whole
        assert con.execute("select count(*), min(length(notes)) from events").fetchone() == (51, MB)
    finally:
        db.close(cli)


def _plan():
    from planboard.plan import load_plan

    return load_plan()


def test_references_into_a_file_that_failed_are_said_once(con, plan):
    """events.csv is empty (its own error); the three training rows point at events it would have held: one
    problem naming the failed file and counting 3 rows, not three 'activity not found'."""
    add_staff(con, "S1")
    result = import_files(
        con,
        plan,
        [
            ("events.csv", b""),
            ("training.csv", b"event_id,staff_id\nT2,S1\nT3,S1\nT4,S1\n"),
        ],
    )
    assert not result.ok
    assert [p.key for p in result.problems] == ["empty_file", "ref_after_error"]
    knock = result.problems[1]
    assert (knock.file, knock.row, knock.column) == ("training.csv", None, "event_id")
    assert knock.message == (
        "3 dòng tham chiếu tới mã không tìm thấy trong bảng Hoạt động (ví dụ: T2, T3, T4). Bảng Hoạt động trong lần "
        "nhập này đã có lỗi (events.csv, xem ở trên): sửa lỗi đó trước, các tham chiếu này có thể tự hết."
    )
    assert knock.text("en").startswith("3 rows refer to ids not found in the")


def test_requests_into_a_refused_residents_file_are_said_once(con, plan, tmp_path):
    """residents.csv refused whole (over a lowered size limit); 7 requests of its residents: one problem."""
    residents = tmp_path / "residents.csv"
    residents.write_text(
        "resident_id,full_name,gender,birth_date,admitted_on\n"
        + "".join(f"R{i},Nguyễn Thị Hồng An,nu,01/01/1950,01/01/2020\n" for i in range(20)),
        encoding="utf-8",
    )
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "case_id,resident_id,requested_on,department,legal_field,status\n"
        + "".join(f"C{i},R{i},01/03/2024,CTXH,dan_su,tiep_nhan\n" for i in range(7)),
        encoding="utf-8",
    )
    limit = residents.stat().st_size - 1  # residents.csv just over, cases.csv under
    assert cases.stat().st_size <= limit
    result = ingest.import_paths(con, plan, [residents, cases], limits=ingest.Limits(max_file_bytes=limit))
    assert [p.key for p in result.problems] == ["file_too_big", "ref_after_error"]
    assert result.problems[1].message.startswith("7 dòng tham chiếu tới mã không tìm thấy trong bảng Người cao tuổi")
    assert "(ví dụ: R0, R1, R2, R3, R4, …)" in result.problems[1].message


def test_a_reference_missing_on_its_own_is_still_said_per_row(con, plan):
    """No earlier error in events: each wrong id is its own problem, with its row (as before)."""
    add_staff(con, "S1")
    add_event(con, "T1", "tap_huan", dt.date(2024, 3, 15), plan=plan, department="HCTH")
    result = import_files(con, plan, [("training.csv", b"event_id,staff_id\nT1,S1\nX8,S1\nX9,S1\n")])
    assert [(p.key, p.row, p.value) for p in result.problems] == [("ref_event", 3, "X8"), ("ref_event", 4, "X9")]
