"""The SQL console in the shared mode (issue 13): the sandbox copy is made from the lake (one snapshot), holds only
the account's scope, and is made again after a write by another server (the lake's snapshot id is the version)."""

from __future__ import annotations

import time

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from planboard import auth, db, demo, ingest, sqlconsole


def test_the_console_on_the_lake_answers_from_the_accounts_centers_only(lake, plan, tmp_path, monkeypatch):
    """The demo province on the lake; an administrator of DEMO_GR alone asks for requests per center: one row,
    DEMO_GR, with the lake's own count for that center; the cheat sheet lists the five tables' columns; a DELETE is
    refused before it runs. Then another connection imports one resident of DEMO_GR: the next question sees it."""
    monkeypatch.setenv("PLANBOARD_SQL_CONSOLE", "1")
    con = db.connect(lake)
    demo.fill_province(con)
    expected = con.execute("select count(*) from cases where center = 'DEMO_GR'").fetchone()[0]
    residents = con.execute("select count(*) from residents where center = 'DEMO_GR'").fetchone()[0]
    assert expected > 0 and con.execute("select count(distinct center) from cases").fetchone()[0] == 3

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["_user"] = auth.User("gr_admin", "Quản trị Giá Rai", "quan_tri", None, "center", "DEMO_GR")
    at.session_state["_user_seen"] = time.time()
    at.run()
    at.switch_page("pages/sql.py").run()
    assert not at.exception, at.exception
    sheet = " ".join(e.value for e in at.markdown)
    assert "**cases**: center, case_id, resident_id" in sheet
    at.text_area(key="sql_text").set_value("select center, count(*) as n from cases group by center")
    at.button[0].click().run()
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert frame["center"].tolist() == ["DEMO_GR"] and frame["n"].tolist() == [expected]
    at.text_area(key="sql_text").set_value("delete from cases")
    at.button[0].click().run()
    assert at.error[0].value.startswith("Chỉ cho phép câu lệnh SELECT")
    assert con.execute("select count(*) from cases where center = 'DEMO_GR'").fetchone()[0] == expected

    # A write through the lake (another server's import would do the same): a new snapshot, a new copy.
    csv = tmp_path / "residents.csv"
    csv.write_text(
        "resident_id,full_name,gender,birth_date,admitted_on\nGRX1,Nguyễn Văn X,nam,1950-01-01,2020-01-01\n",
        encoding="utf-8",
    )
    result = ingest.import_paths(con, plan, [csv], user="tester", center="DEMO_GR")
    assert result.written and not result.problems, result.problems
    answer = sqlconsole.run(con, "select count(*) as n from residents", ["DEMO_GR"])
    assert answer.frame["n"].tolist() == [residents + 1]
