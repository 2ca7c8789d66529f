"""Backup and restore in the shared mode (issue 13): `backup --out FILE` writes every table of the lake (one
snapshot) and of PostgreSQL into one DuckDB file; `restore FILE` copies it into a new, empty lake (the
`lake migrate` path) — never over a lake in use."""

from __future__ import annotations

import uuid

import duckdb

from planboard import auth, cli, db, demo


def _kpis(capsys, target: str) -> str:
    assert cli.main(["kpis", "--db", target, "--center", "all", "--by-center", "--as-of", "2025-06-30"]) == 0
    return capsys.readouterr().out


TABLES = ("users", "meetings", "meeting_numbers", "actions", "action_notes", "centers", "residents", "cases", "events")


def test_a_lake_backed_up_and_restored_into_a_new_lake_has_equal_numbers(lake, pg, tmp_path, monkeypatch, capsys):
    """The demo province (3 centers, 2024-2025, meetings and actions) and its 5 demo accounts: backed up, restored
    into a new PostgreSQL database and data folder; every center's 13 indicators print the same CSV, every table
    has as many rows, the accounts still sign in, and the next meeting id continues after the restored ones. A
    restore into the lake in use is refused, nothing changed."""
    con = db.connect(lake)
    demo.fill_province(con)
    auth.ensure_demo_accounts(con)
    before = {tbl: con.execute(f"select count(*) from {tbl}").fetchone()[0] for tbl in TABLES}
    top_meeting = con.execute("select max(meeting_id) from meetings").fetchone()[0]
    on_lake = _kpis(capsys, lake)
    out = tmp_path / "province-backup.duckdb"
    assert cli.main(["backup", "--db", lake, "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    with duckdb.connect(str(out), read_only=True) as b:  # any DuckDB reads it, no PostgreSQL needed
        assert b.execute("select count(*) from users").fetchone()[0] == before["users"] == 5
        tables = {r[0] for r in b.execute("select table_name from duckdb_tables()").fetchall()}
    assert "sessions" not in tables and {"audit_log", "import_log", "period_locks"} <= tables

    # Restoring over the lake in use: refused, with what to do.
    assert cli.main(["restore", "--db", lake, str(out)]) == 1
    err = capsys.readouterr().err
    assert "chỉ khôi phục vào một kho mới" in err and "lake init" in err and "Traceback" not in err
    assert con.execute("select count(*) from residents").fetchone()[0] == before["residents"]

    # A new lake: its own PostgreSQL database and data folder.
    fresh = db.LAKE_PREFIX + pg.createdb(f"restored_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("PLANBOARD_DATA_PATH", str(tmp_path / "restored_data"))
    try:
        assert cli.main(["lake", "init", "--db", fresh]) == 0
        capsys.readouterr()
        assert cli.main(["restore", "--db", fresh, str(out)]) == 0
        assert "Đã khôi phục" in capsys.readouterr().out
        assert _kpis(capsys, fresh) == on_lake
        restored = db.connect(fresh)
        assert {tbl: restored.execute(f"select count(*) from {tbl}").fetchone()[0] for tbl in TABLES} == before
        assert auth.login(restored, "lanhdao", "demo-lanhdao").username == "lanhdao"
        next_id = restored.execute("select * from postgres_query('pg', 'select nextval(''meeting_seq'')')").fetchone()[
            0
        ]
        assert next_id == top_meeting + 1
        assert list((tmp_path / "restored_data").rglob("*.parquet"))  # the records are in the new data folder
    finally:
        db.close(fresh)
