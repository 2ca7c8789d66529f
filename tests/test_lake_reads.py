"""The shared mode's read path (issue 13): a warm page reads the lake's snapshot id once per run and goes to
PostgreSQL a bounded number of times (db.COUNTS counts every statement a shared-mode connection sends, each at least
one PostgreSQL round trip), and a write by another process still shows at the next run."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, open_app
from test_pages_overview import page_text

from planboard import auth, db, demo

SNAPSHOT_READ = "current_snapshot()"


def _counting(monkeypatch) -> list[str]:
    """The statements sent through shared-mode cursors from now on (their text), as db._execute receives them."""
    sent: list[str] = []
    real = db._execute

    def execute(cur, query, parameters=None, autocommit=True):
        sent.append(str(query))
        return real(cur, query, parameters, autocommit)

    monkeypatch.setattr(db, "_execute", execute)
    return sent


def test_a_warm_overview_on_the_lake_reads_the_snapshot_once_and_sees_another_process_write(
    lake, tmp_path, monkeypatch
):
    """Tổng quan at 30/06/2024 on the one-center demo year, run again (warm): before the fix every cached call read
    the snapshot id (19 reads x 3 statements = 57 of 59 statements, measured); now one read (begin, select, rollback)
    plus the two PostgreSQL tables that change without a new snapshot (the meeting the cards compare with, the open
    actions): K = 5 statements. Then a `planboard import` process adds one policy document (van_ban, activity 1,
    year target 1, the demo has 0): the next run shows it, 4 on pace + 2 behind → activity 1 reached (Đạt) + 4 on
    pace + 1 behind."""
    con = db.connect(lake)
    demo.fill(con)
    auth.ensure_demo_accounts(con)
    at = open_app(as_of="2024-06-30")
    assert not at.exception, at.exception
    assert "4 Đúng tiến độ 2 Chậm tiến độ" in page_text(at)

    sent = _counting(monkeypatch)
    before = db.COUNTS["shared_statements"]
    at.run()
    assert not at.exception, at.exception
    assert sum(SNAPSHOT_READ in q for q in sent) == 1, sent
    assert db.COUNTS["shared_statements"] - before <= 5, sent
    assert "4 Đúng tiến độ 2 Chậm tiến độ" in page_text(at)

    events = tmp_path / "events.csv"
    events.write_text(
        "event_id,event_type,activity,held_on,department,title\nVBX1,van_ban,1,15/05/2024,CTXH,Văn bản rà soát\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "planboard", "import", "--db", lake, str(events)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    at.run()
    assert not at.exception, at.exception
    assert "1 Đạt 4 Đúng tiến độ 1 Chậm tiến độ" in page_text(at)


def test_writes_to_postgres_from_the_lake_raise_no_deprecation_warning(lake):
    """The PostgreSQL writes of the shared mode (an audit row, a RETURNING update) fetch their rows as Arrow with the
    API of the pinned DuckDB 1.5.5 (to_arrow_table; fetch_arrow_table warned 69 times in tests/test_lake.py)."""
    import warnings

    con = db.connect(lake)
    auth.ensure_demo_accounts(con)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        auth.audit(con, "tester", "import", rows=1)
        auth.set_role(con, "lanhdao", "quan_tri", None, by="tester")
    assert [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)] == []
    assert con.execute("select role from users where username = 'lanhdao'").fetchone() == ("quan_tri",)


def _write_within_a_run():
    import streamlit as st

    from planboard import org
    from planboard.ui import data

    first = data.version()
    again = data.version()
    org.save_center(data.connection(), "BTXH_BL", "Tên mới", "BL", "Bạc Liêu")  # a write: a new data version
    st.write(f"versions {first} {again} {data.version()}")


def test_a_write_by_this_process_within_a_run_is_seen_in_the_same_run(tmp_path, monkeypatch):
    """The version is read once per run, and again after this process wrote (db.COUNTS['writes']): read, read
    (remembered), rename a center (the data version + 1), read → v, v, v + 1."""
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "one.duckdb"
    version = db.data_version(db.connect(path))
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    try:
        at = AppTest.from_function(_write_within_a_run, default_timeout=60).run()
        assert not at.exception, at.exception
        assert at.markdown[0].value == f"versions {version} {version} {version + 1}"
    finally:
        db.close(path)
