"""The shared mode under concurrency (issue 13): real processes and separate DuckDB instances against one lake on a
throwaway PostgreSQL (the `lake` fixture). Loops are bounded; everything is on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from planboard import db, ingest

ROOT = Path(__file__).resolve().parent.parent
HEADER = "resident_id,full_name,gender,birth_date,admitted_on\n"


def _residents(tmp_path: Path, name: str, ids: range) -> Path:
    """residents.csv (the file name names the table) in a folder of its own; ids start with name's first letters."""
    (tmp_path / name).mkdir()
    path = tmp_path / name / "residents.csv"
    rows = "".join(f"{name[:2]}{i},Nguyễn Văn {i},nam,1950-01-01,2020-01-01\n" for i in ids)
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


RACE = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from planboard import auth, db
    from planboard.i18n import t
    barrier = Path(sys.argv[1])
    con = db.connect(os.environ["PLANBOARD_DB"])
    class SlowHasher:  # hashes between add_user's "is the name free?" and its insert: both servers pass the check
        def hash(self, password):
            (barrier.parent / f"ready-{os.getpid()}").touch()
            deadline = time.monotonic() + 60
            while not barrier.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            return real.hash(password)
    real, auth._hasher = auth._hasher, SlowHasher()
    try:
        auth.add_user(con, "trung", "Trùng Tên", "quan_tri", "matkhau12345", scope=auth.Scope("center", "BTXH_BL"))
        print("ok")
    except auth.AuthError as e:
        print("refused:" + t(f"auth.{e.code}", **e.values))
    """
)


def test_two_servers_racing_to_add_one_username_one_wins(lake, tmp_path):
    """Two processes check that the name is free at the same moment, then both insert: PostgreSQL's key lets one
    in; the other gets the Vietnamese "already exists" message (not a traceback), and there is one row."""
    db.connect(lake)  # the schema exists before the racers start
    barrier = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(barrier)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        assert all(r.poll() is None for r in racers), [r.communicate() for r in racers]
        time.sleep(0.1)
    assert len(list(tmp_path.glob("ready-*"))) == 2, "both racers passed the check"
    barrier.touch()
    outs = [r.communicate(timeout=120) for r in racers]
    results = sorted(out.decode().strip().splitlines()[-1] for out, _ in outs)
    assert results[0] == "ok", outs
    assert results[1] == "refused:Tên đăng nhập 'trung' đã có.", outs
    assert all(b"Traceback" not in err for _, err in outs)
    assert db.connect(lake).execute("select count(*) from users where username = 'trung'").fetchone()[0] == 1


def test_a_commit_conflict_is_retried_and_both_imports_land(lake, plan, tmp_path):
    """Import A is about to commit when import B (another DuckDB instance: another server) commits first; both
    rebuild case_facts, so A's commit conflicts. A runs again by itself and lands: both imports' rows are there,
    with one import_log row each."""
    con = db.connect(lake)
    other = db._connect_shared(lake)  # a second server's connection
    a, b = _residents(tmp_path, "aa.csv", range(5)), _residents(tmp_path, "bb.csv", range(7))
    attempts = []

    def meanwhile(cur, result):
        attempts.append(1)
        if len(attempts) == 1:
            assert ingest.import_paths(other, plan, [b], user="b").written

    result = ingest.import_files(con, plan, [(a.name, a.read_bytes())], user="a", before_commit=meanwhile)
    assert result.written and not result.problems
    assert len(attempts) == 2  # the first commit conflicted, the second went in
    assert con.execute("select count(*) from residents").fetchone()[0] == 12  # 5 + 7
    assert sorted(r[0] for r in con.execute("select user_name from import_log").fetchall()) == ["a", "b"]
    assert con.execute("select count(*) from case_facts").fetchone()[0] == 0  # rebuilt, no cases
    other.close()


def test_a_conflict_every_time_ends_in_a_clear_try_again(lake, plan, tmp_path):
    """Bounded: when every attempt collides, the import stops with "thử lại" and writes nothing of its own."""
    con = db.connect(lake)
    other = db._connect_shared(lake)
    a = _residents(tmp_path, "aa.csv", range(3))
    n = []

    def meanwhile(cur, result):
        n.append(1)
        ingest.import_paths(other, plan, [_residents(tmp_path, f"b{len(n)}.csv", range(len(n) * 10, len(n) * 10 + 1))])

    with pytest.raises(db.TryAgain, match="thử lại"):
        ingest.import_files(con, plan, [(a.name, a.read_bytes())], user="a", before_commit=meanwhile)
    assert len(n) == 5
    assert con.execute("select count(*) from residents where resident_id like 'aa%'").fetchone()[0] == 0
    assert con.execute("select count(*) from import_log where user_name = 'a'").fetchone()[0] == 0
    other.close()


def test_a_reader_never_sees_half_an_import(lake, plan, tmp_path):
    """A snapshot (a page's numbers) opened before an import keeps its version and rows while the import commits;
    the next snapshot sees all of it, under a new version."""
    con = db.connect(lake)
    other = db._connect_shared(lake)
    ingest.import_paths(con, plan, [_residents(tmp_path, "aa.csv", range(4))])
    with db.snapshot(con) as snap:
        before = snap.cur.execute("select count(*) from residents").fetchone()[0]
        assert ingest.import_paths(other, plan, [_residents(tmp_path, "bb.csv", range(6))]).written
        assert snap.cur.execute("select count(*) from residents").fetchone()[0] == before == 4
        assert db.data_version(snap) == snap.version
    with db.snapshot(con) as snap:
        assert snap.cur.execute("select count(*) from residents").fetchone()[0] == 10
        assert snap.version > 0
    other.close()


def test_two_command_line_imports_at_the_same_moment_both_succeed(lake, tmp_path):
    """Two `planboard import` processes started together on one lake: both exit 0 (a conflict is retried), and a
    running reader process sees both at its next query."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    db.connect(lake)
    files = [_residents(tmp_path, "aa.csv", range(20)), _residents(tmp_path, "bb.csv", range(30))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "planboard", "import", "--db", lake, str(f)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all(b"lake-snapshot-" in out for out, _ in outs)  # the restore point named, no file copy of the lake
    con = db.connect(lake)
    assert con.execute("select count(*) from residents").fetchone()[0] == 50
    assert con.execute("select count(*) from import_log").fetchone()[0] == 2


def test_wrong_connection_string_is_said_in_vietnamese(pg, tmp_path, monkeypatch, capsys):
    """PostgreSQL not there (a port nobody listens on): the command names what to check, no traceback."""
    import pg_cluster

    monkeypatch.setenv("PLANBOARD_DATA_PATH", str(tmp_path / "data"))
    url = f"{db.LAKE_PREFIX}host=127.0.0.1 port={pg_cluster.free_port()} dbname=nothing user=postgres"
    from planboard import cli

    assert cli.main(["kpis", "--db", url, "--center", "all"]) == 1
    err = capsys.readouterr().err
    assert "Không kết nối được kho dữ liệu dùng chung" in err and "Traceback" not in err
    assert "PostgreSQL có đang chạy không" in err


def test_no_data_path_is_said(lake, monkeypatch):
    monkeypatch.delenv("PLANBOARD_DATA_PATH")
    db.close(lake)
    with pytest.raises(db.DatabaseUnavailable, match="PLANBOARD_DATA_PATH"):
        db.connect(lake)
