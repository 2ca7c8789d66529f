"""Faults of the shared mode with real processes (issue 13): a command-line import killed (-9) in the middle of its
write, and a data folder the import cannot write into. Each leaves the lake at the snapshot before the import:
rows, import log, snapshot id and the 13 indicators unchanged; the other connections keep serving. Everything on
127.0.0.1 (the `lake` fixture's throwaway PostgreSQL); loops bounded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from planboard import db, ingest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
N = 3000  # residents and as many requests in the import that is killed: seconds of writing under load


def _big_import(folder: Path, n: int = N) -> Path:
    """residents.csv and cases.csv of `n` residents with one 2024 request each (ids B0..), in `folder`."""
    folder.mkdir()
    residents = "".join(f"B{i},Người {i},nam,1950-01-01,2020-01-01\n" for i in range(n))
    (folder / "residents.csv").write_text(
        "resident_id,full_name,gender,birth_date,admitted_on\n" + residents, encoding="utf-8"
    )
    cases = "".join(f"CB{i},B{i},2024-03-01,CTXH,dan_su,tu_van,tiep_nhan\n" for i in range(n))
    (folder / "cases.csv").write_text(
        "case_id,resident_id,requested_on,department,legal_field,aid_form,status\n" + cases, encoding="utf-8"
    )
    return folder


def _state(con) -> dict:
    """What an import changes: the snapshot id, the rows of the tables, the import log."""
    return {
        "version": db.data_version(con),
        **{t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("residents", "cases", "case_facts")},
        "import_log": con.execute("select count(*) from import_log").fetchone()[0],
    }


def _kpis(lake: str) -> str:
    run = run_cli("kpis", "--db", lake, "--center", "all", "--as-of", "2024-06-30")
    assert run.returncode == 0, run.stderr
    return run.stdout


def _parquet(folder: str) -> set[Path]:
    return set(Path(folder).rglob("*.parquet"))


# The real command line (`python -m planboard import`), paused inside its transaction once every row, the derived
# facts and the import log row are written and only the commit is left: it says so with a file, then waits to be
# killed. Nothing of the command is replaced; the pause is added after the log row (write._log).
PAUSED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from planboard import cli
    from planboard.ingest import write
    written = Path(sys.argv[1])
    real_log = write._log
    def log_then_wait(cur, *args, **kw):
        real_log(cur, *args, **kw)
        written.touch()
        time.sleep(600)
    write._log = log_then_wait
    sys.exit(cli.main(sys.argv[2:]))
    """
)


def test_an_import_killed_in_the_middle_of_its_write_leaves_the_previous_snapshot(lake, plan, tmp_path):
    """kill -9 of `planboard import` after its rows are written into the lake's data folder (new Parquet files are
    there) and before its commit: the lake stays at the previous snapshot (same id, rows, import log, 13
    indicators) as seen by a server that was serving all along and by a new connection; the next import lands."""
    con = db.connect(lake)
    assert ingest.import_paths(con, plan, [FIXTURES / "valid"], user="first").written  # 3 residents, 2 requests
    serving = db._connect_shared(lake)  # another app server's connection, open during the kill
    before, kpis_before = _state(serving), _kpis(lake)
    files_before = _parquet(os.environ["PLANBOARD_DATA_PATH"])
    written = tmp_path / "written"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, str(written), "import", "--db", lake, str(_big_import(tmp_path / "big"))],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 240
        while not written.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert written.exists(), child.communicate(timeout=30)
        new_files = _parquet(os.environ["PLANBOARD_DATA_PATH"]) - files_before
        assert new_files, "the write had started: its Parquet files are in the data folder"
        assert _state(serving) == before  # not committed: nobody sees it yet
        child.kill()  # SIGKILL: no rollback, no goodbye to PostgreSQL
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -9
    # The serving connection and a new one see the previous snapshot, whole.
    assert _state(serving) == before
    assert before == {"version": before["version"], "residents": 3, "cases": 2, "case_facts": 2, "import_log": 1}
    db.close(lake)
    assert _state(db.connect(lake)) == before
    assert _kpis(lake) == kpis_before
    # The files the killed import wrote are not in any snapshot (orphans the lake never reads).
    assert serving.execute("select count(*) from ducklake_list_files('lake', 'residents')").fetchone()[0] == len(
        [f for f in files_before if "/residents/" in str(f)]
    )
    # Nothing is left locked or half-done: the same import by the serving server lands, as one new snapshot.
    result = ingest.import_paths(serving, plan, [tmp_path / "big"], user="again")
    assert result.written and not result.problems
    after = _state(serving)
    assert after["version"] == before["version"] + 1
    assert (after["residents"], after["cases"], after["import_log"]) == (3 + N, 2 + N, 2)
    assert _kpis(lake) != kpis_before  # 3,000 more requests
    serving.close()


def _read_only_mount_works(folder: Path) -> bool:
    """Whether this machine lets a process see `folder` read-only in a mount namespace of its own (root in a
    container may lack the right)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    check = f'mount --bind "{folder}" "{folder}" && mount -o remount,ro,bind "{folder}" && ! touch "{folder}/.w"'
    return subprocess.run(["unshare", "-m", "sh", "-c", check], capture_output=True).returncode == 0


@pytest.mark.parametrize("how", ["read-only folder", "a file where a table's folder should be"])
def test_an_import_into_a_data_folder_it_cannot_write_fails_cleanly(lake, plan, tmp_path, how):
    """The data folder cannot take the import's Parquet files: a read-only folder (a read-only bind mount seen by
    the command alone: root ignores file modes, and so would a chmod test), or a file where the table's folder
    should be. `planboard import` fails with the Vietnamese message naming the folder, no traceback; nothing is
    recorded in the catalog: snapshot id, rows and import log unchanged."""
    data = Path(os.environ["PLANBOARD_DATA_PATH"])
    con = db.connect(lake)
    assert ingest.import_paths(con, plan, [FIXTURES / "valid" / "staff.csv"], user="first").written
    before = _state(con)
    command = [sys.executable, "-m", "planboard", "import", "--db", lake, str(_big_import(tmp_path / "more", 5))]
    if how == "read-only folder":
        if not _read_only_mount_works(data):
            pytest.skip(reason="no read-only bind mount here (unshare -m needs CAP_SYS_ADMIN)")
        mount = f'mount --bind "{data}" "{data}" && mount -o remount,ro,bind "{data}" && exec "$0" "$@"'
        command = ["unshare", "-m", "sh", "-c", mount, *command]
        reason = "Read-only file system"
    else:
        (data / "main" / "residents").write_text("not a folder")  # no resident in the lake yet
        reason = "is a file, not a directory"
    run = subprocess.run(
        command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 1, run.stderr
    assert "Không ghi được vào thư mục dữ liệu của kho dùng chung" in run.stderr
    assert f"({data})" in run.stderr and reason in run.stderr
    assert "Traceback" not in run.stderr
    db.close(lake)
    assert _state(db.connect(lake)) == before
