"""The database itself refuses a second row with the same id (the importer checks first, the table keys hold anyway)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from conftest import BOTH_MODES, add_case, add_event, add_resident, add_staff, add_training

from planboard import ingest


@pytest.mark.parametrize("table", ingest.KEYS)
def test_the_table_key_refuses_a_duplicate(con, plan, table):
    add_resident(con, "R1")
    add_case(con, "C1", "R1", dt.date(2024, 3, 1))
    add_event(con, "T1", "tap_huan", dt.date(2024, 3, 15), plan=plan)
    add_staff(con, "S1")
    add_training(con, "T1", "S1")
    keys = ", ".join(ingest.KEYS[table])
    before = con.execute(f"select count(*) from {table}").fetchone()[0]
    with pytest.raises(duckdb.ConstraintException):
        con.execute(f"insert into {table} select * from {table} where ({keys}) in (select ({keys}) from {table})")
    assert con.execute(f"select count(*) from {table}").fetchone()[0] == before == 1


@BOTH_MODES
def test_an_import_of_a_duplicate_id_is_refused_before_the_database(con, plan):
    text = "resident_id,full_name,gender,birth_date,admitted_on\nR1,An,nam,1950,01/01/2020\nR1,Bo,nu,1951,01/01/2020\n"
    result = ingest.import_files(con, plan, [("residents.csv", text.encode())])
    assert not result.ok and not result.written and "Mã trùng" in result.problems[0].message
    assert con.execute("select count(*) from residents").fetchone()[0] == 0


def test_the_parsed_rows_reach_duckdb_as_an_arrow_table():
    """Issue 17: the staging view DuckDB reads is an Arrow table (scanned in place), not the pandas frame, whose
    Arrow-backed text columns DuckDB turned into Python objects on every scan (0.9 s of a 10 s import at
    N = 1,000). The file's row numbers ride along as `__row`."""
    import types

    import pandas as pd
    import pyarrow as pa

    from planboard.ingest import check

    frame = pd.DataFrame(
        {"case_id": pd.array(["C1", "C2"], dtype="string[pyarrow]"), "fee_charged": [0, 5]}, index=[3, 7]
    )
    parsed = types.SimpleNamespace(sheet=types.SimpleNamespace(table="cases"), frame=frame)
    cur = duckdb.connect()
    name = check.register(cur, parsed)
    got = cur.execute(f"select * from {name} order by __row").fetchall()
    assert got == [(3, "C1", 0), (7, "C2", 5)]
    seen = []
    spy = types.SimpleNamespace(register=lambda n, obj: seen.append(obj))
    check.register(spy, parsed)
    assert isinstance(seen[0], pa.Table) and seen[0].column_names == ["__row", "case_id", "fee_charged"]
