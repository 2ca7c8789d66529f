"""case_facts (queries/schema/050_case_facts.sql): the stored eligibility/priority of each request must never outlive
the data it came from. Every write path (importer, entry form, delete, demo, restore, a tool writing behind the app's
back and the next start) leaves it equal to its one definition, case_facts_live(), and A3 follows the change."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import duckdb
from conftest import add_case, add_event, add_resident, add_staff, add_training, requests_params

from planboard import backup, db, demo, edits, ingest, kpis

DEC31 = dt.date(2024, 12, 31)


def _stale_rows(con) -> int:
    """Rows in one of (stored, live) but not the other; 0 when the stored copy is exact."""
    return con.execute(
        "select (select count(*) from (from case_facts except all from case_facts_live())) + "
        "(select count(*) from (from case_facts_live() except all from case_facts))"
    ).fetchone()[0]


def _facts(con) -> list[tuple]:
    return con.execute("select case_id, is_eligible, is_priority from case_facts order by case_id").fetchall()


def _a3(con, plan, code: str = "A3_MIEN_PHI") -> tuple[int, int | None]:
    r = next(r for r in kpis.compute(con, plan, DEC31) if r.code == code)
    return r.numerator, r.denominator


def _turning_sixty(con) -> None:
    """R1 (poor household) turns 60 on 15/07/2024. C1 is asked on 10/07 (aged 59: not eligible), C2 on 20/07
    (aged 60: eligible) and served free on 25/07."""
    add_resident(con, "R1", birth_date=dt.date(1964, 7, 15), is_poor_household=True, has_financial_hardship=False)
    add_case(con, "C1", "R1", dt.date(2024, 7, 10))
    add_case(
        con,
        "C2",
        "R1",
        dt.date(2024, 7, 20),
        accepted_on=dt.date(2024, 7, 25),
        status="hoan_thanh",
        closed_on=dt.date(2024, 8, 1),
    )


def test_eligibility_is_decided_on_the_request_date(con, plan):
    _turning_sixty(con)
    assert _facts(con) == [("C1", False, False), ("C2", True, False)]
    assert _stale_rows(con) == 0
    # A3_MIEN_PHI: only C2 counts (C1 was asked at 59) and it is served: 1/1.
    assert _a3(con, plan) == (1, 1)


def test_an_entry_form_changing_only_the_resident_updates_the_facts(con, plan):
    _turning_sixty(con)
    # Born 01/07/1964 instead: on 10/07/2024 R1 is 60 too, so C1 (not accepted, tiep_nhan) joins the denominator.
    r = edits.save_record(
        con,
        plan,
        "residents",
        {
            "resident_id": "R1",
            "full_name": "Nguyễn Văn A",
            "gender": "nam",
            "birth_date": dt.date(1964, 7, 1),
            "admitted_on": dt.date(2020, 1, 1),
            "department": "CSKC",
            "is_poor_household": True,
        },
        user="Lan",
    )
    assert r.problems == [] and r.action == "update"
    assert _facts(con) == [("C1", True, False), ("C2", True, False)]
    assert _stale_rows(con) == 0
    assert _a3(con, plan) == (1, 2)  # C2 served, C1 waiting: 1 of 2 = 50 %


def test_a_priority_flag_set_on_the_resident_reaches_a3_uu_tien(con, plan):
    _turning_sixty(con)
    assert _a3(con, plan, "A3_UU_TIEN") == (0, 0)  # no priority request yet
    con.execute("update residents set is_violence_victim = true")
    db.bump_data_version(con)  # what every writer does in its transaction
    assert _facts(con) == [("C1", False, True), ("C2", True, True)]
    assert _a3(con, plan, "A3_UU_TIEN") == (1, 1)  # C2 only: C1 is not eligible, priority or not


def test_deleting_a_request_removes_its_facts(con, plan):
    _turning_sixty(con)
    r = edits.delete_record(con, "cases", "C2", user="Lan", plan=plan)
    assert r.deleted, r.message
    assert _facts(con) == [("C1", False, False)]
    assert _a3(con, plan) == (0, 0)


def test_an_import_writes_the_facts_in_its_transaction(con, plan):
    residents = (
        "resident_id,full_name,gender,birth_date,admitted_on,is_meritorious\n"
        "R9,Lê Văn C,nam,1940-03-01,2020-01-01,true\n"
    ).encode()
    cases = (
        b"case_id,resident_id,requested_on,department,legal_field,status,accepted_on,fee_charged\n"
        b"C9,R9,2024-05-02,CTXH,dan_su,dang_thuc_hien,2024-05-03,0\n"
    )
    result = ingest.import_files(con, plan, [("residents.csv", residents), ("cases.csv", cases)])
    assert result.ok, result.problems
    assert _facts(con) == [("C9", True, True)]  # 84 and meritorious: eligible and priority
    assert _a3(con, plan) == (1, 1) and _a3(con, plan, "A3_UU_TIEN") == (1, 1)
    # A dry run writes nothing, facts included.
    more = cases.replace(b"C9,", b"C10,").replace(b"dang_thuc_hien,2024-05-03", b"tiep_nhan,")
    assert ingest.import_files(con, plan, [("cases.csv", more)], dry_run=True).ok
    assert _facts(con) == [("C9", True, True)]


def test_the_demo_and_a_restore_leave_no_stale_fact(tmp_path, plan):
    path = tmp_path / "demo.duckdb"
    con = db.connect(path)
    demo.fill(con)
    assert _stale_rows(con) == 0
    assert con.execute("select count(*) from case_facts").fetchone() == (40,)  # the demo's 40 requests
    copy = backup.make_backup(con, path)
    con.execute("delete from cases where case_id in (select case_id from cases order by case_id limit 10)")
    db.bump_data_version(con)
    assert con.execute("select count(*) from case_facts").fetchone() == (30,)
    db.close(path)
    backup.restore(copy, path)
    con = db.connect(path)
    try:
        assert con.execute("select count(*) from case_facts").fetchone() == (40,)
        assert _stale_rows(con) == 0
    finally:
        db.close(path)


def test_rows_written_by_another_tool_are_picked_up_at_the_next_start(db_file, plan):
    con = db.connect(db_file)
    _turning_sixty(con)
    db.close(db_file)
    # Another program (the DuckDB shell, a script) adds a request without going through the app.
    with duckdb.connect(str(db_file)) as other:
        other.execute(
            "insert into cases (center, case_id, resident_id, requested_on, department, legal_field, "
            "status) values ('BTXH_BL', 'C3', 'R1', date '2024-09-01', 'CTXH', 'dan_su', 'tiep_nhan')"
        )
    con = db.connect(db_file)
    assert _facts(con) == [("C1", False, False), ("C2", True, False), ("C3", True, False)]
    assert _a3(con, plan) == (1, 2)  # C2 served, C3 waiting


def _builds(con) -> int:
    """How many times case_facts has been made (meta `derived_builds`, counted by db.refresh_derived)."""
    return int(con.execute("select value from meta where key = 'derived_builds'").fetchone()[0])


def _kpis_command(db_file) -> None:
    """`python -m planboard kpis` on the file, in a process of its own (as a person runs it)."""
    subprocess.run(
        [sys.executable, "-m", "planboard", "kpis", "--db", str(db_file), "--as-of", "2024-12-31"],
        cwd=db.ROOT,
        check=True,
        capture_output=True,
    )


def test_opening_again_without_a_write_does_not_make_the_facts_again(db_file, plan):
    """Issue 17 item 2: a server start or a command-line call on an unchanged database does not redo the join."""
    con = db.connect(db_file)
    _turning_sixty(con)  # 3 writes, each making the facts again: 1 (first open) + 3 = 4 builds
    assert _builds(con) == 4
    db.close(db_file)
    con = db.connect(db_file)
    assert _builds(con) == 4  # opened again, nothing written in between: not made again
    db.close(db_file)
    _kpis_command(db_file)
    con = db.connect(db_file)
    assert _builds(con) == 4  # nor by the `kpis` command
    assert _stale_rows(con) == 0 and _a3(con, plan) == (1, 1)
    add_case(con, "C3", "R1", dt.date(2024, 9, 1))  # a write: made again once, in its transaction
    assert _builds(con) == 5
    db.close(db_file)
    assert _builds(db.connect(db_file)) == 5


def test_a_correction_made_by_another_tool_is_picked_up_at_the_next_start(db_file, plan):
    """Only an update (no row added or removed, the data version unchanged): the fingerprint of what the facts
    read still sees it. R1 born a year later is 59 when C2 is asked on 20/07/2024: no longer eligible."""
    con = db.connect(db_file)
    _turning_sixty(con)
    assert _a3(con, plan) == (1, 1)
    db.close(db_file)
    with duckdb.connect(str(db_file)) as other:
        other.execute("update residents set birth_date = date '1965-07-15' where resident_id = 'R1'")
    con = db.connect(db_file)
    assert _facts(con) == [("C1", False, False), ("C2", False, False)]
    assert _a3(con, plan) == (0, 0)
    assert _stale_rows(con) == 0


def test_a_file_as_the_app_closed_it_opens_without_scanning_its_rows(db_file, plan):
    """Issue 17 item 2: the stamp's fingerprint scans every row of cases and residents (0.13-0.3 s at N = 10,000);
    a file found exactly as the app closed it (its note beside it) takes the noted fingerprint instead."""
    con = db.connect(db_file)
    _turning_sixty(con)  # 1 (first open) + 3 writes = 4 builds
    db.close(db_file)
    note = db_file.with_name(db_file.name + ".closed")
    assert note.exists()
    scans = db.COUNTS["fingerprints"]
    con = db.connect(db_file)
    assert db.COUNTS["fingerprints"] == scans  # not scanned
    assert not note.exists()  # the note is taken at open: it never outlives the process that trusted it
    assert _builds(con) == 4 and _stale_rows(con) == 0 and _a3(con, plan) == (1, 1)
    db.close(db_file)
    _kpis_command(db_file)
    assert note.exists()  # the command line closes the file at its exit and notes it too
    scans = db.COUNTS["fingerprints"]
    con = db.connect(db_file)
    assert db.COUNTS["fingerprints"] == scans and _builds(con) == 4


def test_a_correction_left_in_another_tools_write_ahead_log_is_picked_up(db_file, plan):
    """Another tool's write not yet checkpointed into the file (its .wal left beside it) leaves the file's own bytes
    as the app closed them: the log alone sends the open to the full check. R1 born a year later: C2 not eligible."""
    con = db.connect(db_file)
    _turning_sixty(con)
    db.close(db_file)
    with duckdb.connect(str(db_file)) as other:
        other.execute("pragma disable_checkpoint_on_shutdown")
        other.execute("update residents set birth_date = date '1965-07-15' where resident_id = 'R1'")
    assert db_file.with_name(db_file.name + ".wal").exists()
    scans = db.COUNTS["fingerprints"]
    con = db.connect(db_file)
    assert db.COUNTS["fingerprints"] > scans
    assert _facts(con) == [("C1", False, False), ("C2", False, False)]
    assert _a3(con, plan) == (0, 0) and _stale_rows(con) == 0


def _request_days(con, department=None, priority_only=False) -> list[tuple]:
    return con.execute(
        "select day, requested, counted, served, persons, served_persons from request_days "
        "where department is not distinct from ? and priority_only = ? order by day",
        [department, priority_only],
    ).fetchall()


def test_request_days_hold_each_days_changes_and_follow_every_write(con, plan):
    """request_days (schema/050) holds the day's change of each request measure, so A3 at D is the sum up to D.
    R1 (eligible) asks C1 on 10/01 (served free from 20/01) and C2 on 01/02, withdrawn on 10/04."""
    add_resident(con, "R1")
    add_case(con, "C1", "R1", dt.date(2024, 1, 10), accepted_on=dt.date(2024, 1, 20), status="dang_thuc_hien")
    add_case(con, "C2", "R1", dt.date(2024, 2, 1), status="rut_yeu_cau", closed_on=dt.date(2024, 4, 10))
    # (day, requested, counted, served, persons, fully served persons)
    want = [
        (dt.date(2024, 1, 10), 1, 1, 0, 1, 0),  # C1 counts: R1 a person, not fully served
        (dt.date(2024, 1, 20), 0, 0, 1, 0, 1),  # C1 served: 1 of 1 served, R1 fully served
        (dt.date(2024, 2, 1), 1, 1, 0, 0, -1),  # C2 counts: 1 of 2 served, R1 no longer fully served
        (dt.date(2024, 4, 10), 0, -1, 0, 0, 1),  # C2 withdrawn: 1 of 1 served again
    ]
    assert _request_days(con) == want
    assert _request_days(con, "CTXH") == want  # both asked at CTXH (the default unit)
    assert _request_days(con, priority_only=True) == []  # R1 is neither meritorious nor a victim, no priority set
    # the levels on 31/03: 2 requests, 2 counted, 1 served, 1 person, 0 fully served = A3 at that date
    r = next(r for r in kpis.compute(con, plan, dt.date(2024, 3, 31)) if r.code == "A3_MIEN_PHI")
    assert (r.numerator, r.denominator, r.person_count, r.served_person_count) == (1, 2, 1, 0)
    # a write through the app (its transaction bumps the version, as the entry form does) moves C2 to CSKC
    con.execute("update cases set department = 'CSKC' where case_id = 'C2'")
    db.bump_data_version(con)
    assert _request_days(con) == want
    assert _request_days(con, "CTXH") == [want[0], want[1]]  # C1 alone: a person, fully served from 20/01
    assert _request_days(con, "CSKC") == [
        (dt.date(2024, 2, 1), 1, 1, 0, 1, 0),  # C2 alone: R1 a person at CSKC, not served
        (dt.date(2024, 4, 10), 0, -1, 0, -1, 0),  # withdrawn: no longer a person there
    ]


def test_training_courses_follow_writes_and_another_tools_correction(db_file, plan):
    """training_courses (schema/050: each training row with its event) is what "trained" (staff_courses) reads: made
    again by every write, and at the next start after another tool moved a course (the fingerprint reads events)."""
    con = db.connect(db_file)
    add_staff(con, "S1")
    add_event(con, "T1", "tap_huan", dt.date(2024, 3, 1), plan)
    add_training(con, "T1", "S1")

    def trained_on(con) -> list[tuple]:
        return con.execute(
            "select staff_id, first_trained_on from staff_courses(['BTXH_BL'], ['tap_huan'], date '2024-01-01', "
            "date '2024-12-31')"
        ).fetchall()

    assert trained_on(con) == [("S1", dt.date(2024, 3, 1))]
    db.close(db_file)
    with duckdb.connect(str(db_file)) as other:  # the course was held in 2023 after all: not this year's
        other.execute("update events set held_on = date '2023-12-01' where event_id = 'T1'")
    con = db.connect(db_file)
    assert trained_on(con) == []
    add_event(con, "T2", "tap_huan", dt.date(2024, 5, 2), plan)
    add_training(con, "T2", "S1")  # a write: S1 trained on 02/05
    assert trained_on(con) == [("S1", dt.date(2024, 5, 2))]


def test_event_days_follow_writes_and_another_tools_correction(db_file, plan):
    """event_days (schema/050: events per center, unit, type and day) is what the event measures read: made again by
    every write, and at the next start after another tool moved an event to another unit (the fingerprint reads
    events' department and elderly_reached)."""
    con = db.connect(db_file)
    add_event(con, "E1", "phat_thanh", dt.date(2024, 3, 1), plan, elderly_reached=40)
    add_event(con, "E2", "phat_thanh", dt.date(2024, 3, 1), plan, elderly_reached=None)

    def days(con) -> list[tuple]:
        return con.execute(
            "select department, event_type, held_on, event_count, elderly_reached from event_days "
            "order by department nulls first"
        ).fetchall()

    # both at CTXH (the default unit) on 01/03: 2 events, 40 + 0 (empty) elderly, under every unit and CTXH
    day = ("phat_thanh", dt.date(2024, 3, 1))
    assert days(con) == [(None, *day, 2, 40), ("CTXH", *day, 2, 40)]
    db.close(db_file)
    with duckdb.connect(str(db_file)) as other:  # E1 was held by CSKC
        other.execute("update events set department = 'CSKC' where event_id = 'E1'")
    con = db.connect(db_file)
    assert days(con) == [(None, *day, 2, 40), ("CSKC", *day, 1, 40), ("CTXH", *day, 1, 0)]
    add_event(con, "E3", "phat_thanh", dt.date(2024, 3, 1), plan, elderly_reached=5)  # a write: CTXH 2 events, 5
    assert days(con) == [(None, *day, 3, 45), ("CSKC", *day, 1, 40), ("CTXH", *day, 2, 5)]


def _requests_params(**kw) -> dict:
    return requests_params(DEC31, **kw)


def test_the_requests_page_reads_its_residents_facts_from_case_facts(con, plan):
    """Issue 17: the requests page's numbers, the flow, the explore and activity-3 datasets take sex, age and
    eligibility from case_facts instead of joining every request with every resident (1.8 s of a 3.1 s cold page at
    N = 10,000); only the register's shown rows are joined with residents, for the names."""
    _turning_sixty(con)
    flow = {k: v for k, v in _requests_params().items() if k not in ("statuses", "overdue_days")}
    explore = {k: flow[k] for k in ("centers", "period_start", "period_end", "as_of", "department")}
    activity = dict(
        centers=["BTXH_BL"],
        period_start=dt.date(2024, 1, 1),
        period_end=DEC31,
        department=None,
        shown_from=dt.date(2024, 1, 1),
        shown_to=DEC31,
        row_limit=None,
    )
    for name, params in [
        ("requests_summary", _requests_params()),
        ("requests_breakdown", _requests_params()),
        ("requests_flow_by_provider", flow),
        ("request_dimensions", explore),
        ("requests_with_flags", activity),
    ]:
        plan_text = "\n".join(r[1] for r in con.execute("explain " + db.sql(name), params).fetchall())
        assert "case_facts" in plan_text and "residents" not in plan_text, name
    # a change made only to the resident (sex) reaches the breakdown by sex through the facts
    by_sex = db.query(con, "requests_breakdown", **_requests_params())
    assert by_sex[by_sex.dimension == "gender"][["group_code", "request_count"]].values.tolist() == [["nam", 2]]
    con.execute("update residents set gender = 'nu' where resident_id = 'R1'")
    db.bump_data_version(con)
    by_sex = db.query(con, "requests_breakdown", **_requests_params())
    assert by_sex[by_sex.dimension == "gender"][["group_code", "request_count"]].values.tolist() == [["nu", 2]]
    assert _stale_rows(con) == 0
    # the register still names the resident, eligibility on the request date: C1 at 59, C2 at 60
    register = db.query(con, "requests_register", **_requests_params(), row_limit=None)
    assert register[["case_id", "full_name", "age_at_request", "is_eligible"]].values.tolist() == [
        ["C1", "Nguyễn Văn A", 59, False],
        ["C2", "Nguyễn Văn A", 60, True],
    ]


def test_a_database_with_the_previous_case_facts_opens(db_file, plan):
    """DuckDB binds a table macro when it is made: the requests filter (schema/051) reads case_facts, so a database
    whose case_facts has the previous version's columns must get them before that macro is made, at open."""
    con = db.connect(db_file)
    _turning_sixty(con)
    db.close(db_file)
    with duckdb.connect(str(db_file)) as other:  # as the previous version left it
        other.execute("create or replace table case_facts as select center, case_id, resident_id from cases")
        other.execute("delete from meta where key = 'derived_stamp'")
    con = db.connect(db_file)
    assert _stale_rows(con) == 0
    assert len(db.query(con, "requests_register", **_requests_params(), row_limit=None)) == 2
