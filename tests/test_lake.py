"""The shared mode (issue 13): the same schema, importer and indicators on a DuckLake whose catalog is a throwaway
PostgreSQL (tests/pg_cluster.py via the `lake` fixture), and the pinned DuckDB's message for a newer file."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli

from planboard import auth, cli, db, demo

FIXTURES = Path(__file__).parent / "fixtures" / "duckdb201"


def _kpis(capsys, target: str) -> str:
    assert cli.main(["kpis", "--db", target, "--center", "all", "--as-of", "2025-06-30"]) == 0
    return capsys.readouterr().out


@pytest.mark.skipif(not duckdb.__version__.startswith("1."), reason="this DuckDB (the previous pin) reads 2.0.1 files")
def test_newer_duckdb_file_is_said_in_vietnamese(tmp_path, capsys):
    """A file written by DuckDB 2.0.1 (the previous release; tests/fixtures/duckdb201, made by 2.0.1 with one
    residents row) cannot be read by the pinned 1.5.5: the command says what to do, no traceback."""
    path = tmp_path / "old.duckdb"
    path.write_bytes(gzip.decompress((FIXTURES / "written_by_2.0.1.duckdb.gz").read_bytes()))
    with pytest.raises(db.DatabaseUnavailable, match="EXPORT DATABASE"):
        db.connect(path)
    assert cli.main(["kpis", "--db", str(path), "--center", "all"]) == 1
    err = capsys.readouterr().err
    assert "phiên bản DuckDB mới hơn" in err and "Traceback" not in err
    # ... in the command line's language when asked (PLANBOARD_LANG=en): the error carries its key, not only its text
    run = run_cli("kpis", "--db", str(path), "--center", "all", env={**os.environ, "PLANBOARD_LANG": "en"})
    assert run.returncode == 1 and "written by a newer DuckDB" in run.stderr, run.stderr


def test_schema_on_the_lake_puts_records_in_the_lake_and_accounts_in_postgres(lake):
    con = db.connect(lake)
    kinds = dict(con.execute("select table_name, database_name from duckdb_tables() where not temporary").fetchall())
    for table in db.CONTRACT_TABLES + ("centers", "case_facts"):
        assert kinds[table] == db.LAKE, table
    for table in db.PG_TABLES:
        assert kinds[table] == db.PG, table
    assert db.shared(con) and not db.shared(duckdb.connect())
    # Opening again applies every schema file again (idempotent) and makes no new lake snapshot.
    version = db.data_version(con)
    db.close(lake)
    con = db.connect(lake)
    assert db.data_version(con) == version
    # The keys the lake cannot hold are PostgreSQL's: a second row with the same username is refused.
    con.execute("insert into users (username, full_name, role, password_hash) values ('a', 'A', 'admin', 'x')")
    with pytest.raises(duckdb.Error, match="duplicate key"):
        con.execute("insert into users (username, full_name, role, password_hash) values ('a', 'B', 'admin', 'x')")


def test_an_applied_schema_is_not_applied_again_at_each_open(lake, pg):
    """Opening a lake runs the schema files only when its stamp (meta `schema_digest`, in PostgreSQL) is not the
    files' digest: a server or command opening an up-to-date lake runs only its own macros. Seen from PostgreSQL:
    a table dropped behind the lake's back stays dropped at the next open; once the stamp is an older one, the
    next open applies the files again and the table is back."""
    from conftest import lake_dbname

    tables = "select count(*) from pg_tables where schemaname = 'planboard' and tablename = 'annotations'"
    db.connect(lake)
    db.close(lake)
    pg.psql(lake_dbname(lake), "drop table planboard.annotations")
    db.connect(lake)  # the stamp is the files' digest: nothing applied
    db.close(lake)
    assert pg.psql(lake_dbname(lake), tables).strip() == "0"
    pg.psql(lake_dbname(lake), "update planboard.meta set value = 'older' where key = 'schema_digest'")
    con = db.connect(lake)
    assert pg.psql(lake_dbname(lake), tables).strip() == "1"
    assert con.execute("select value from meta where key = 'schema_digest'").fetchone()[0] == db._schema_digest()
    assert con.execute("select count(*) from annotations").fetchone()[0] == 0


def test_thirteen_indicators_equal_on_the_file_and_on_the_lake(lake, tmp_path, capsys):
    """The demo province (3 centers, 2024–2025) in a file and in a lake: `kpis --all` prints the same CSV."""
    path = tmp_path / "demo.duckdb"
    for target in (str(path), lake):
        demo.fill_province(db.connect(target))
    on_file, on_lake = _kpis(capsys, str(path)), _kpis(capsys, lake)
    db.close(path)
    assert on_file == on_lake
    assert len(on_file.splitlines()) == 14  # the header and the 13 indicators
    version = db.data_version(db.connect(lake))
    assert version == db.data_version(db.connect(lake)) > 0  # the lake snapshot id, not a counter in meta


def test_an_import_writes_its_rows_and_its_log_in_one_lake_snapshot(lake, plan, tmp_path):
    """An import into the lake writes its rows and its import_log row (id from a PostgreSQL sequence) in one commit:
    one new snapshot; the audit row goes to PostgreSQL."""
    con = db.connect(lake)
    before = db.data_version(con)
    csv = tmp_path / "residents.csv"
    csv.write_text(
        "resident_id,full_name,gender,birth_date,admitted_on\nR1,Nguyễn Văn A,nam,1950-01-01,2020-01-01\n",
        encoding="utf-8",
    )
    from planboard import ingest

    result = ingest.import_paths(con, plan, [csv], user="tester")
    assert result.written and not result.problems
    assert db.data_version(con) == before + 1  # one commit: one new lake snapshot
    assert con.execute("select count(*) from residents").fetchone()[0] == 1
    assert con.execute("select user_name, added_count from import_log").fetchall() == [("tester", 1)]
    auth.audit(con, "tester", "import", rows=1)
    assert con.execute("select username, action from audit_log").fetchall() == [("tester", "import")]


def test_the_app_on_the_lake_signs_in_and_shows_the_overview_numbers(lake, tmp_path):
    """AppTest smoke in the shared mode ($PLANBOARD_DB = the lake): the login form checks the account in
    PostgreSQL, and Tổng quan at 30/06/2024 on the one-center demo year shows what it shows on the file
    (tests/test_pages_overview.py::test_overview_demo_june: 4 on pace, 2 behind, A1 first)."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest
    from test_pages_overview import action_rows, page_text

    con = db.connect(lake)
    demo.fill(con)
    auth.ensure_demo_accounts(con)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["as_of"] = "2024-06-30"
    at.run()
    at.text_input(key="login_username").set_value("lanhdao")
    at.text_input(key="login_password").set_value("demo-lanhdao")
    at.button[0].click().run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "4 Đúng tiến độ 2 Chậm tiến độ" in text, text[:500]
    rows = action_rows(at)
    assert rows[0].startswith("Chậm tiến độ 1 · Số văn bản rà soát")
    assert con.execute("select action, is_ok from audit_log where username = 'lanhdao'").fetchall() == [("login", True)]


def test_lake_migrate_moves_a_demo_file_with_equal_numbers(lake, tmp_path, capsys):
    """`lake migrate --from FILE` into a new lake: every center's 13 indicators equal before and after, the
    accounts, meetings and logs are there with their ids, and the next id continues after them."""
    path = tmp_path / "demo.duckdb"
    file_con = db.connect(path)
    demo.fill_province(file_con)
    auth.ensure_demo_accounts(file_con)
    tables = ("users", "meetings", "meeting_numbers", "actions", "centers", "residents", "cases")
    before = {tbl: file_con.execute(f"select count(*) from {tbl}").fetchone()[0] for tbl in tables}
    top_meeting = file_con.execute("select max(meeting_id) from meetings").fetchone()[0]
    assert cli.main(["kpis", "--db", str(path), "--center", "all", "--by-center", "--as-of", "2025-06-30"]) == 0
    on_file = capsys.readouterr().out
    db.close(path)
    assert cli.main(["lake", "init", "--db", lake]) == 0
    assert "sẵn sàng" in capsys.readouterr().out
    assert cli.main(["lake", "migrate", "--db", lake, "--from", str(path)]) == 0
    assert "Đã chuyển" in capsys.readouterr().out
    assert cli.main(["kpis", "--db", lake, "--center", "all", "--by-center", "--as-of", "2025-06-30"]) == 0
    assert capsys.readouterr().out == on_file
    con = db.connect(lake)
    assert {tbl: con.execute(f"select count(*) from {tbl}").fetchone()[0] for tbl in tables} == before
    assert before["meetings"] > 0 and before["users"] == 5
    # the sequences continue after the copied ids (a PostgreSQL sequence moved by setval)
    next_id = con.execute("select * from postgres_query('pg', 'select nextval(''meeting_seq'')')").fetchone()[0]
    assert next_id == top_meeting + 1
    # a second migrate into the now full lake is refused, nothing changed
    assert cli.main(["lake", "migrate", "--db", lake, "--from", str(path)]) == 1
    assert "chỉ chuyển được vào kho mới" in capsys.readouterr().err
    assert con.execute("select count(*) from residents").fetchone()[0] == before["residents"]


def test_the_sign_in_throttle_counts_in_postgresql_for_every_server(lake, monkeypatch):
    """Failed sign-ins are rows of PostgreSQL's sign_in_failures (upserted there: the lake has no keys), so a second
    app server reads the same count. Three failures from one client -> the fourth try waits 2^(3-3) = 1 s."""
    monkeypatch.setattr(auth, "_clock", lambda: 5000.0)
    con = db.connect(lake)
    auth.add_user(con, "canbo1", "Cán bộ", "can_bo", "matkhau123", department="CTXH")
    settings = auth.Settings(max_failed=3, lockout_minutes=15)
    for _ in range(3):
        with pytest.raises(auth.AuthError):
            auth.login(con, "canbo1", "sai", settings, client="10.0.0.9")
    db.close(lake)
    con = db.connect(lake)  # another server process opens the same catalog
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "canbo1", "matkhau123", settings, client="10.0.0.9")
    assert (e.value.code, e.value.values) == ("throttled", {"seconds": 1})
    assert con.execute("select failures from sign_in_failures").fetchall() == [(3,)]
