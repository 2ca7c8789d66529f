"""The command line as a user runs it, on a real database file: in this process through cli.main (conftest.run_cli),
one smoke test as a real process (`python -m planboard`), and a real process wherever a file-size limit stands in
for a full disk (the limit must not cap the test run itself)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from conftest import run_cli as run
from test_conventions import VIETNAMESE

HEADER = "indicator,activity,value,numerator,denominator,expected_now,target_year,status"


def run_process(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "planboard", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.slow
def test_demo_then_kpis_prints_header_and_13_rows(tmp_path):
    """The smoke test: `python -m planboard` as a user runs it, two real processes."""
    db = tmp_path / "demo.duckdb"
    assert run_process("demo", "--single", "--db", str(db)).returncode == 0
    out = run_process("kpis", "--db", str(db), "--as-of", "2024-06-30")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["indicator"] for r in rows] == [
        "A1_VAN_BAN",
        "A2_TAP_HUAN",
        "A3_MIEN_PHI",
        "A3_UU_TIEN",
        "A3_YEU_CAU",
        "A41_PHAT_THANH",
        "A41_HOP",
        "A41_BAO_CAO",
        "A4_LUOT_NCT",
        "A42_CAO_DIEM",
        "A5_KIEM_TRA",
        "A5_HUONG_DAN",
        "A5_BAO_CAO",
    ]
    by = {r["indicator"]: r for r in rows}
    # Demo story at 30/06: twelve broadcasts (two a month, Jan-Jun) = Q2 level 12 -> on track;
    # the review document is not out yet (0 < T2 = 1) -> behind.
    assert by["A41_PHAT_THANH"] == {
        "indicator": "A41_PHAT_THANH",
        "activity": "4.1",
        "value": "12",
        "numerator": "12",
        "denominator": "",
        "expected_now": "12",
        "target_year": "24",
        "status": "dung_tien_do",
    }
    assert by["A1_VAN_BAN"]["status"] == "cham_tien_do"
    # Monitor-only: empty expected_now and target_year.
    assert by["A5_HUONG_DAN"]["expected_now"] == "" and by["A5_HUONG_DAN"]["target_year"] == ""


def test_same_seed_same_output_and_other_seed_differs(tmp_path):
    outs = []
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        db = tmp_path / f"{name}.duckdb"
        assert run("demo", "--single", "--db", str(db), "--seed", seed).returncode == 0
        outs.append(run("kpis", "--db", str(db), "--as-of", "2024-12-31", "--format", "json").stdout)
    assert outs[0] == outs[1]
    a, c = json.loads(outs[0]), json.loads(outs[2])
    # A different seed jitters reach figures (elderly_reached), so the sum differs.
    assert [r["value"] for r in a if r["indicator"] == "A4_LUOT_NCT"] != [
        r["value"] for r in c if r["indicator"] == "A4_LUOT_NCT"
    ]


def test_json_numbers_and_nulls(tmp_path):
    db = tmp_path / "d.duckdb"
    run("demo", "--single", "--db", str(db))
    rows = json.loads(run("kpis", "--db", str(db), "--as-of", "2024-06-30", "--format", "json").stdout)
    a3 = next(r for r in rows if r["indicator"] == "A3_MIEN_PHI")
    # 9 of 12 eligible requests served by 30/06: 100 * 9 / 12 = 75.0
    assert a3 == {
        "indicator": "A3_MIEN_PHI",
        "activity": "3",
        "value": 75.0,
        "numerator": 9,
        "denominator": 12,
        "expected_now": 100,
        "target_year": 100,
        "status": "cham_tien_do",
    }


def test_env_db_path_and_as_of_clipped(tmp_path):
    import os

    db = tmp_path / "env.duckdb"
    env = {**os.environ, "PLANBOARD_DB": str(db)}
    assert run("demo", "--single", env=env).returncode == 0
    late = run("kpis", "--as-of", "2025-02-01", env=env).stdout
    year_end = run("kpis", "--as-of", "2024-12-31", env=env).stdout
    assert late == year_end


def test_user_errors_exit_1_without_traceback(tmp_path):
    db = tmp_path / "d.duckdb"
    missing = run("kpis", "--db", str(db))
    assert missing.returncode == 1 and "Chưa có cơ sở dữ liệu" in missing.stderr
    run("demo", "--single", "--db", str(db))
    for args, words in (
        (("kpis", "--db", str(db), "--as-of", "30/06/2024"), "Ngày không hợp lệ"),
        (("kpis", "--db", str(db), "--department", "XYZ"), "Bộ phận không xác định"),
        (("demo", "--db", str(db), "--scale", "0"), "--scale"),
        (("nonsense",), "invalid choice"),
    ):
        out = run(*args)
        assert out.returncode == 1, args
        assert words in out.stderr
        assert "Traceback" not in out.stderr


@pytest.mark.slow
def test_database_held_by_another_process_is_explained(tmp_path):
    db = tmp_path / "held.duckdb"
    run("demo", "--single", "--db", str(db))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        out = run("kpis", "--db", str(db))
        assert out.returncode == 1
        assert "đang mở tệp này" in out.stderr and "Traceback" not in out.stderr
    finally:
        holder.kill()


FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def _kpis(db) -> dict[str, dict]:
    out = run("kpis", "--db", str(db), "--as-of", "2024-12-31")
    assert out.returncode == 0, out.stderr
    return {r["indicator"]: r for r in csv.DictReader(io.StringIO(out.stdout))}


def test_import_small_valid_folder_then_kpis(tmp_path):
    db = tmp_path / "own.duckdb"
    out = run("import", "--db", str(db), str(FIXTURES / "valid"))
    assert out.returncode == 0, out.stderr
    assert "Nhập dữ liệu thành công" in out.stdout
    by = _kpis(db)
    # Requests: V001 (NCT001, meritorious, accepted 10/04, fee 0, done) served; V002 (NCT002, poor household,
    # still tiep_nhan, fee 500.000) not served -> A3_MIEN_PHI = 1/2 = 50.00, year over -> khong_dat.
    assert (
        by["A3_MIEN_PHI"]["value"],
        by["A3_MIEN_PHI"]["numerator"],
        by["A3_MIEN_PHI"]["denominator"],
        by["A3_MIEN_PHI"]["status"],
    ) == ("50.00", "1", "2", "khong_dat")
    # Priority: only V001 (priority nguoi_co_cong) -> 1/1 = 100.00 -> dat.
    assert (by["A3_UU_TIEN"]["value"], by["A3_UU_TIEN"]["status"]) == ("100.00", "dat")
    # Workers: NV01 only (NV02 is not a legal-aid worker); NV01 completed HD01 (tap_huan 15/03) -> 1/1 = 100 > 80.
    assert (by["A2_TAP_HUAN"]["value"], by["A2_TAP_HUAN"]["denominator"], by["A2_TAP_HUAN"]["status"]) == (
        "100.00",
        "1",
        "dat",
    )
    # One broadcast (HD02) of 24 -> khong_dat at 31/12; it reached 80 older persons; HD01 is activity 2, not counted.
    assert (by["A41_PHAT_THANH"]["value"], by["A41_PHAT_THANH"]["status"]) == ("1", "khong_dat")
    assert by["A4_LUOT_NCT"]["value"] == "80"
    assert by["A3_YEU_CAU"]["value"] == "2"


def test_invalid_file_leaves_every_table_unchanged(tmp_path):
    import duckdb

    db = tmp_path / "demo.duckdb"
    run("demo", "--single", "--db", str(db))

    def snapshot():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return {
                t: con.execute(f"select * from {t} order by all").fetchall()
                for t in ("residents", "cases", "events", "staff", "training")
            }
        finally:
            con.close()

    import shutil

    before = snapshot()
    # Four valid files and one bad one in one import: nothing at all is written.
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "bad" / "cases.csv", folder / "cases.csv")
    out = run("import", "--db", str(db), str(folder))
    assert out.returncode == 1
    assert "Không nhập được" in out.stderr and "Traceback" not in out.stderr
    # Every problem is listed with file, row (as Excel numbers it) and column: 31/02/2024 is on row 2.
    assert "cases.csv, dòng 2, cột requested_on" in out.stderr
    assert snapshot() == before


def test_the_command_line_speaks_english_when_asked_and_vietnamese_by_default(tmp_path):
    db = tmp_path / "own.duckdb"
    folder = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "bad" / "cases.csv", folder / "cases.csv")
    english = run("import", "--db", str(db), str(folder), env={**os.environ, "PLANBOARD_LANG": "en"})
    vietnamese = run("import", "--db", str(db), str(folder), env={**os.environ, "PLANBOARD_LANG": "fr"})
    assert english.returncode == vietnamese.returncode == 1
    first = english.stderr.splitlines()[0]
    # The problems themselves in English too, not only the frame around them (it printed their Vietnamese text).
    assert first.startswith("cases.csv, row 2, column requested_on: ") and "(value: '31/02/2024')" in first
    assert not VIETNAMESE.search(first), first  # (a unit's problem names the plan's units and the file's header as
    # they are written, in Vietnamese)
    assert "Not imported:" in english.stderr and "Nothing was written." in english.stderr
    assert vietnamese.stderr.splitlines()[0].startswith("cases.csv, dòng 2, cột requested_on: ")  # unknown: Vietnamese
    ok = run("import", "--db", str(db), str(FIXTURES / "valid"), env={**os.environ, "PLANBOARD_LANG": "en"})
    assert ok.returncode == 0 and "\nImported (" in ok.stdout and "Legal-aid requests: added 2" in ok.stdout
    unknown = run("kpis", "--db", str(db), "--center", "NOPE", env={**os.environ, "PLANBOARD_LANG": "en"})
    assert unknown.returncode == 1  # a center's error too (org.OrgError)
    assert unknown.stderr.startswith("Unknown center or outside your scope: 'NOPE'. Centers: BTXH_BL (")


# --- A full disk: a file-size limit (RLIMIT_FSIZE) on the command's process stands in for it ----------------------
def _run_with_file_limit(limit: int, *args, python: tuple[str, ...] = ("-m", "planboard"), env=None):
    """The command with every file it writes capped at `limit` bytes: a write past it fails with EFBIG ("File too
    large"), as a full disk fails with ENOSPC (the signal that would kill the process is ignored, as on a full disk)."""
    import resource
    import signal

    def cap():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, *python, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, preexec_fn=cap, env=env
    )


def _disk_full_db(tmp_path):
    db = tmp_path / "demo.duckdb"
    assert run("demo", "--single", "--db", str(db), "--scale", "1").returncode == 0  # 63 events
    return db


def _events(db) -> int:
    import duckdb

    with duckdb.connect(str(db)) as con:
        return con.execute("select count(*) from events").fetchone()[0]


FULL = "Đĩa đã đầy (hoặc tệp vượt giới hạn kích thước): không ghi được dữ liệu."


@pytest.mark.slow
def test_disk_full_at_commit_says_so_and_changes_nothing(tmp_path):
    db = _disk_full_db(tmp_path)
    cap = db.stat().st_size + 2**18
    # Events of ~250 bytes filling the cap less 300 kB (about 20.000 rows): the CSV fits under the cap (its temporary
    # copy too), the write-ahead log of the new rows (measured ~1.13 x the CSV) does not — the failure comes at
    # COMMIT, after the backup was made.
    rows = (cap - 300_000) // 250
    csv_file = tmp_path / "events.csv"
    csv_file.write_text(
        "event_id,event_type,activity,held_on,department,title\n"
        + "".join(f"E{i:06d},phat_thanh,4.1,20/07/2024,CTXH,Tiêu đề {i} {'x' * 200}\n" for i in range(rows)),
        encoding="utf-8",
    )
    assert csv_file.stat().st_size < cap
    out = _run_with_file_limit(cap, "import", "--db", str(db), str(csv_file))
    assert out.returncode == 1
    assert FULL in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert _events(db) == 63


@pytest.mark.slow
def test_disk_full_at_the_schema_step(tmp_path):
    db = _disk_full_db(tmp_path)
    out = _run_with_file_limit(2000, "kpis", "--db", str(db), "--as-of", "2024-06-30")
    assert (out.returncode, out.stdout) == (1, "")
    assert FULL in out.stderr and "Traceback" not in out.stderr, out.stderr


@pytest.mark.slow
def test_failed_backup_leaves_no_partial_file(tmp_path):
    db = _disk_full_db(tmp_path)
    events = tmp_path / "events.csv"
    events.write_text(
        "event_id,event_type,activity,held_on,department,title\nE1,phat_thanh,4.1,20/07/2024,CTXH,Phát thanh\n",
        encoding="utf-8",
    )
    out = _run_with_file_limit(2**20, "import", "--db", str(db), str(events))  # the ~4 MB copy stops at 1 MB
    assert out.returncode == 1
    assert FULL in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert list((tmp_path / "backups").iterdir()) == []
    assert _events(db) == 63


def test_rollback_without_a_transaction_is_quiet(con):
    from planboard import db

    cur = con.cursor()
    db.rollback(cur)  # nothing open: DuckDB would raise "no transaction is active"
    cur.begin()
    cur.execute("create table t (x int)")
    db.rollback(cur)
    assert con.execute("select count(*) from information_schema.tables where table_name = 't'").fetchone() == (0,)


@pytest.mark.slow
def test_app_on_a_full_disk_says_so(tmp_path):
    """The app's first page on a database whose schema step cannot write: the message, not a traceback."""
    import os

    db = _disk_full_db(tmp_path)
    script = (
        "from streamlit.testing.v1 import AppTest; at = AppTest.from_file('app.py', default_timeout=60).run(); "
        "print(repr([e.value for e in at.error]), repr([str(e.message) for e in at.exception]))"
    )
    out = _run_with_file_limit(2000, "-c", script, python=(), env={**os.environ, "PLANBOARD_DB": str(db)})
    assert out.returncode == 0, out.stderr
    assert (
        out.stdout.strip()
        == repr(
            [
                "Ổ đĩa của máy chủ đã đầy nên không mở được cơ sở dữ liệu. Hãy báo người "
                "quản trị giải phóng dung lượng rồi tải lại trang."
            ]
        )
        + " []"
    )


@pytest.mark.slow
def test_app_on_a_database_another_process_holds_says_so(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = _disk_full_db(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("PLANBOARD_DB", str(db))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        assert [e.value for e in at.error] == [
            "Cơ sở dữ liệu đang được một tiến trình khác mở. Hãy đóng tiến trình đó rồi tải lại trang."
        ]
    finally:
        holder.kill()
        holder.wait()
