"""One test per query file: tiny hand-made rows in, literal rows out (the arithmetic in a comment).

Every measure query takes $as_of_dates date[] and returns one row per as-of date, ordered by as_of:
(as_of, numerator, denominator[, person_count, served_person_count]).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import add_case, add_event, add_resident, add_staff, add_training

from planboard import db, kpis
from planboard.plan import MEASURES

D = dt.date
START = D(2024, 1, 1)
QUERY_FILES = sorted(db.QUERIES.glob("*.sql"))


def run(con, measure, as_of_dates, department=None, **extra):
    """A measure's rows for the one center of the fixtures (BTXH_BL), without the center column, from the statement
    that measures it (kpis.STATEMENTS). A statement that takes $variants gets the measure (with the given event_types
    and priority_only) as its one variant (key "0"), whose column is left out too."""
    name = kpis.STATEMENTS[measure]
    if "variants" in db.params_of(name):
        one = {"measure": measure, "event_types": extra.pop("event_types", []), "priority_only": False}
        one["priority_only"] = extra.pop("priority_only", False)
        extra["variants"] = [{"key": "0", **one}]
    rows = db.query_rows(
        con, name, centers=["BTXH_BL"], as_of_dates=as_of_dates, period_start=START, department=department, **extra
    )
    if "variants" in extra:
        assert {r[0] for r in rows} == {"0"}
        rows = [r[1:] for r in rows]
    assert {r[0] for r in rows} == {"BTXH_BL"}
    return [r[1:] for r in rows]


def test_every_plan_measure_has_its_query_file():
    # Page queries (activity_*, unit_*, ...) live beside the measures; every measure must have its statement's file.
    assert set(kpis.STATEMENTS) == set(MEASURES)
    assert set(kpis.STATEMENTS.values()) <= {p.stem for p in QUERY_FILES}


def _indicator_cases():
    from planboard.plan import load_plan

    plan = load_plan()
    return [(plan, ind) for ind in plan.indicators]


@pytest.mark.parametrize("plan_,ind", _indicator_cases(), ids=lambda x: getattr(x, "code", "plan"))
@pytest.mark.parametrize("department", [None, "CTXH"])
def test_query_parameters_are_exactly_what_measure_params_passes(plan_, ind, department):
    # every parameter the file names can be given from the plan (a KeyError otherwise), and centers always is
    passed = kpis.measure_params(plan_, ind, [D(2024, 6, 30)], department, ["BTXH_BL"])
    assert set(passed) == db.params_of(kpis.STATEMENTS[ind.measure])
    assert passed["centers"] == ["BTXH_BL"] and passed["period_start"] == D(2024, 1, 1)


def test_every_measure_is_used_by_the_default_plan(plan):
    assert {ind.measure for ind in plan.indicators} == set(MEASURES)


# --- event_measures_by_as_of.sql: event_count -------------------------------------------------------------------------


def test_event_count(con, plan):
    add_event(con, "E0", "van_ban", D(2023, 12, 31), plan)  # before the year: never counted
    add_event(con, "E1", "van_ban", D(2024, 1, 1), plan)
    add_event(con, "E2", "van_ban", D(2024, 3, 31), plan, department="HCTH")
    add_event(con, "E3", "van_ban", D(2024, 4, 1), plan)
    add_event(con, "E4", "kiem_tra", D(2024, 2, 1), plan)  # another type
    add_event(con, "E5", "van_ban", D(2025, 1, 1), plan)  # after the year: never counted
    dates = [D(2024, 12, 31), D(2024, 1, 1), D(2024, 3, 30), D(2024, 3, 31)]  # unsorted on purpose
    assert run(con, "event_count", dates, event_types=["van_ban"]) == [
        (D(2024, 1, 1), 1, None),  # E1
        (D(2024, 3, 30), 1, None),  # E1
        (D(2024, 3, 31), 2, None),  # E1 + E2
        (D(2024, 12, 31), 3, None),  # E1 + E2 + E3 (E0, E5 outside 2024)
    ]
    assert run(con, "event_count", dates, "HCTH", event_types=["van_ban"]) == [
        (D(2024, 1, 1), 0, None),
        (D(2024, 3, 30), 0, None),  # E2 not yet
        (D(2024, 3, 31), 1, None),
        (D(2024, 12, 31), 1, None),  # E2 only
    ]
    assert run(con, "event_count", [D(2024, 12, 31)], event_types=["van_ban", "kiem_tra"]) == [
        (D(2024, 12, 31), 4, None),  # E1 + E2 + E3 + E4
    ]


def test_event_measures_several_indicators_in_one_statement(con, plan):
    """Issue 17: every event indicator of a plan in one query, one variant (measure and type set) each."""
    add_event(con, "E1", "van_ban", D(2024, 1, 1), plan, elderly_reached=10)
    add_event(con, "E2", "kiem_tra", D(2024, 2, 1), plan)
    add_event(con, "E3", "van_ban", D(2024, 3, 1), plan, elderly_reached=5)
    both = ["van_ban", "kiem_tra"]
    rows = db.query_rows(
        con,
        "event_measures_by_as_of",
        variants=[
            {"key": "a", "measure": "event_count", "event_types": ["van_ban"], "priority_only": False},
            {"key": "b", "measure": "event_count", "event_types": ["kiem_tra"], "priority_only": False},
            {"key": "c", "measure": "event_count", "event_types": both, "priority_only": False},
            {"key": "d", "measure": "event_count", "event_types": ["bao_cao"], "priority_only": False},
            {"key": "e", "measure": "event_month_count", "event_types": both, "priority_only": False},
            {"key": "f", "measure": "event_type_count", "event_types": both, "priority_only": False},
            {"key": "g", "measure": "elderly_reached_sum", "event_types": both, "priority_only": False},
        ],
        centers=["BTXH_BL"],
        as_of_dates=[D(2024, 2, 15), D(2024, 12, 31)],
        period_start=START,
        department=None,
    )
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("a", D(2024, 2, 15), 1),  # E1
        ("a", D(2024, 12, 31), 2),  # E1 + E3
        ("b", D(2024, 2, 15), 1),  # E2
        ("b", D(2024, 12, 31), 1),  # E2
        ("c", D(2024, 2, 15), 2),  # E1 + E2
        ("c", D(2024, 12, 31), 3),  # E1 + E2 + E3
        ("d", D(2024, 2, 15), 0),  # none: zero, not missing
        ("d", D(2024, 12, 31), 0),
        ("e", D(2024, 2, 15), 2),  # months Jan (E1), Feb (E2)
        ("e", D(2024, 12, 31), 3),  # + Mar (E3)
        ("f", D(2024, 2, 15), 2),  # types van_ban, kiem_tra
        ("f", D(2024, 12, 31), 2),  # E3 is van_ban again
        ("g", D(2024, 2, 15), 10),  # E1's 10 + E2's empty = 0
        ("g", D(2024, 12, 31), 15),  # 10 + 0 + 5
    ]


def test_the_plans_indicators_take_one_statement_per_table(con, plan, monkeypatch):
    """kpis.compute of the 13 indicators: the nine event indicators in one statement, the three request indicators
    in one, training in one: 3 statements, not 13 (the fixed cost of planning each statement dominates at a
    center's size, bench/FINDINGS.md)."""
    ran = []
    real = db.query_rows
    monkeypatch.setattr(db, "query_rows", lambda c, name, **p: ran.append(name) or real(c, name, **p))
    kpis.compute(con, plan, D(2024, 12, 31))
    assert len(plan.indicators) == 13
    assert sorted(ran) == ["event_measures_by_as_of", "request_measures_by_as_of", "training_rate"]


def test_a_pages_roll_up_takes_one_statement_per_table_too(con, plan, monkeypatch):
    """The pages compute through rollup.compute_many: it measured each indicator by itself (13 statements per
    cold view, 27 event statements for one activity page of a unit) until it grouped them as kpis does."""
    from planboard import rollup

    ran = []
    real = db.query_rows
    monkeypatch.setattr(db, "query_rows", lambda c, name, **p: ran.append(name) or real(c, name, **p))
    got = rollup.compute_many(con, {"BTXH_BL": plan}, [D(2024, 6, 30), D(2024, 12, 31)], "CTXH")
    assert sorted(ran) == ["event_measures_by_as_of", "request_measures_by_as_of", "training_rate"]
    assert [len(r.results) for r in got.values()] == [13, 13]


def test_event_count_empty_is_zero_not_null(con):
    assert run(con, "event_count", [D(2024, 6, 30)], event_types=["van_ban"]) == [(D(2024, 6, 30), 0, None)]


# --- event_measures_by_as_of.sql: event_month_count -------------------------------------------------------------------


def test_event_month_count(con, plan):
    types = ["hop_thang", "hop_quy", "hop_nam"]
    add_event(con, "H0", "hop_thang", D(2023, 12, 20), plan)  # before the year
    add_event(con, "H1", "hop_thang", D(2024, 1, 5), plan)
    add_event(con, "H2", "hop_quy", D(2024, 1, 25), plan)  # same month as H1: still one month
    add_event(con, "H3", "hop_thang", D(2024, 2, 29), plan, department="HCTH")
    add_event(con, "H4", "hop_nam", D(2024, 3, 10), plan)
    add_event(con, "P1", "phat_thanh", D(2024, 4, 1), plan)  # not a meeting
    dates = [D(2024, 1, 4), D(2024, 1, 5), D(2024, 2, 28), D(2024, 2, 29), D(2024, 12, 31)]
    assert run(con, "event_month_count", dates, event_types=types) == [
        (D(2024, 1, 4), 0, None),  # nothing yet (H0 is 2023)
        (D(2024, 1, 5), 1, None),  # Jan
        (D(2024, 2, 28), 1, None),  # Jan (H1, H2 = one month)
        (D(2024, 2, 29), 2, None),  # Jan, Feb
        (D(2024, 12, 31), 3, None),  # Jan, Feb, Mar; April's event is a broadcast
    ]
    assert run(con, "event_month_count", [D(2024, 12, 31)], "CTXH", event_types=types) == [
        (D(2024, 12, 31), 2, None),  # Jan (H1, H2), Mar (H4); Feb's H3 is HCTH's
    ]


# --- event_measures_by_as_of.sql: event_type_count --------------------------------------------------------------------


def test_event_type_count(con, plan):
    types = ["ngay_06_6", "thang_10", "ngay_01_10"]
    add_event(con, "K0", "ngay_01_10", D(2023, 10, 1), plan)  # last year's occasion
    add_event(con, "K1", "ngay_06_6", D(2024, 6, 6), plan)
    add_event(con, "K2", "ngay_06_6", D(2024, 6, 10), plan)  # same occasion again
    add_event(con, "K3", "thang_10", D(2024, 10, 15), plan, department="CSKC")
    add_event(con, "K4", "ngay_01_10", D(2025, 10, 1), plan)  # next year's
    dates = [D(2024, 6, 5), D(2024, 6, 6), D(2024, 10, 14), D(2024, 10, 15), D(2024, 12, 31)]
    assert run(con, "event_type_count", dates, event_types=types) == [
        (D(2024, 6, 5), 0, None),
        (D(2024, 6, 6), 1, None),  # 06/6
        (D(2024, 10, 14), 1, None),  # 06/6 (held twice = one occasion)
        (D(2024, 10, 15), 2, None),  # 06/6, tháng 10
        (D(2024, 12, 31), 2, None),  # 01/10 only in 2023 and 2025
    ]
    assert run(con, "event_type_count", [D(2024, 12, 31)], "CSKC", event_types=types) == [(D(2024, 12, 31), 1, None)]


# --- event_measures_by_as_of.sql: elderly_reached_sum -----------------------------------------------------------------


def test_elderly_reached_sum(con, plan):
    types = list(plan.indicator("A4_LUOT_NCT").event_types)
    add_event(con, "R0", "phat_thanh", D(2023, 12, 31), plan, elderly_reached=7)  # before the year
    add_event(con, "R1", "phat_thanh", D(2024, 1, 10), plan, elderly_reached=30)
    add_event(con, "R2", "hop_thang", D(2024, 2, 1), plan)  # elderly_reached empty = 0
    add_event(con, "R3", "ngay_06_6", D(2024, 6, 6), plan, department="CSKC", elderly_reached=50)  # activity 4.2
    add_event(con, "R4", "van_ban", D(2024, 3, 1), plan, elderly_reached=99)  # activity 1: not communication
    dates = [D(2024, 1, 9), D(2024, 1, 10), D(2024, 6, 6), D(2024, 12, 31)]
    assert run(con, "elderly_reached_sum", dates, event_types=types) == [
        (D(2024, 1, 9), 0, None),
        (D(2024, 1, 10), 30, None),  # R1
        (D(2024, 6, 6), 80, None),  # 30 + 0 + 50
        (D(2024, 12, 31), 80, None),  # R0 (2023) and R4 (activity 1) excluded
    ]
    assert run(con, "elderly_reached_sum", [D(2024, 2, 1)], "CTXH", event_types=["hop_thang"]) == [
        (D(2024, 2, 1), 0, None),  # only R2, whose empty elderly_reached is 0 (not null)
    ]
    assert run(con, "elderly_reached_sum", dates[-1:], "CSKC", event_types=types) == [(D(2024, 12, 31), 50, None)]


# --- request_measures_by_as_of.sql: request_count ---------------------------------------------------------------------


def test_request_count(con):
    add_resident(con, "R1")  # eligible (born 1950, hardship)
    add_resident(con, "R2", birth_date=D(1984, 1, 1), has_financial_hardship=False)  # 40 years old: not eligible
    add_case(con, "C0", "R1", D(2023, 12, 31))  # before the year
    add_case(con, "C1", "R1", D(2024, 1, 15))
    add_case(con, "C2", "R1", D(2024, 2, 1), status="tu_choi", closed_on=D(2024, 2, 10))
    add_case(con, "C3", "R1", D(2024, 3, 1), status="rut_yeu_cau", closed_on=D(2024, 3, 5))
    add_case(con, "C4", "R2", D(2024, 3, 10), department="CSKC")
    add_case(con, "C5", "R9", D(2024, 12, 1))  # its resident is missing: still a request
    dates = [D(2024, 1, 14), D(2024, 1, 15), D(2024, 3, 10), D(2024, 12, 31)]
    assert run(con, "request_count", dates) == [
        (D(2024, 1, 14), 0, None, None, None),
        (D(2024, 1, 15), 1, None, None, None),  # C1
        (D(2024, 3, 10), 4, None, None, None),  # C1..C4: refused, withdrawn and non-eligible all count
        (D(2024, 12, 31), 5, None, None, None),  # C0 is 2023; + C5
    ]
    assert run(con, "request_count", dates, "CSKC") == [
        (D(2024, 1, 14), 0, None, None, None),
        (D(2024, 1, 15), 0, None, None, None),
        (D(2024, 3, 10), 1, None, None, None),
        (D(2024, 12, 31), 1, None, None, None),
    ]
    # C5's missing resident is not an eligible one: A3 counts C1 (waiting) and C2 (refused) of R1, serves neither
    assert run(con, "free_service_rate", dates[-1:]) == [(D(2024, 12, 31), 0, 2, 1, 0)]


# --- training_rate.sql ------------------------------------------------------------------------------------------------


def test_trained_is_defined_once_in_the_staff_courses_macro(con, plan):
    # Every reader of "trained" (training_rate, workers_training, staff_training_at) goes through staff_courses;
    # the training event types come from the plan (Plan.training_types): no query names one.
    sql = {f.name: re.sub(r"--.*", "", f.read_text(encoding="utf-8")) for f in db.QUERIES.rglob("*.sql")}
    assert [n for n, text in sql.items() if "'tap_huan'" in text] == []
    assert all("staff_courses(" in sql[n] for n in ("training_rate.sql", "workers_training.sql"))
    assert plan.training_types == ("tap_huan",)
    add_event(con, "T1", "tap_huan", D(2024, 2, 1), plan)
    add_event(con, "T2", "tap_huan", D(2024, 3, 15), plan)
    add_event(con, "T3", "tap_huan", D(2024, 9, 1), plan)  # after the window's end
    add_event(con, "X1", "phat_thanh", D(2024, 3, 1), plan)  # not a course
    add_training(con, "T1", "S1", completed=False)
    add_training(con, "T2", "S1")
    add_training(con, "T3", "S1")
    add_training(con, "T2", "S2", completed=False)
    add_training(con, "X1", "S3")
    rows = con.execute(
        "select staff_id, course_count, has_completed, first_trained_on "
        "from staff_courses(['BTXH_BL'], $types, date '2024-01-01', date '2024-06-30') order by staff_id",
        {"types": list(plan.training_types)},
    ).fetchall()
    # S1: T1 (not completed) and T2 (completed 15/03) in the window, T3 after it -> 2 courses, trained on 15/03;
    # S2: one course, not completed -> not trained; S3: a broadcast is no course -> no row.
    assert rows == [("S1", 2, True, D(2024, 3, 15)), ("S2", 1, False, None)]
    # a plan whose courses are broadcasts (say) counts X1 for S3 instead: the type is the plan's, not the macro's
    rows = con.execute(
        "select staff_id, course_count, has_completed, first_trained_on "
        "from staff_courses(['BTXH_BL'], ['phat_thanh'], date '2024-01-01', date '2024-06-30') order by staff_id"
    ).fetchall()
    assert rows == [("S3", 1, True, D(2024, 3, 1))]


def test_training_rate(con, plan):
    add_event(con, "T0", "tap_huan", D(2023, 11, 20), plan)  # last year's course
    add_event(con, "T1", "tap_huan", D(2024, 5, 10), plan, department="HCTH")
    add_event(con, "T2", "tap_huan", D(2024, 8, 1), plan, department="CTXH")
    add_event(con, "X1", "phat_thanh", D(2024, 3, 1), plan)  # not a course
    add_staff(con, "S1")  # CTXH worker, always active
    add_staff(con, "S2")  # CTXH worker, course not completed
    add_staff(con, "S3", department="HCTH", active_from=D(2024, 7, 1))  # joins mid-year
    add_staff(con, "S4", active_to=D(2024, 6, 30))  # leaves mid-year
    add_staff(con, "S5", is_legal_aid_worker=False)  # not a legal-aid worker
    add_staff(con, "S6", department="HCTH")  # trained only last year / at a non-course event
    add_training(con, "T1", "S1")
    add_training(con, "T1", "S2", completed=False)
    add_training(con, "T2", "S3")
    add_training(con, "T1", "S4")
    add_training(con, "T1", "S5")
    add_training(con, "T0", "S6")
    add_training(con, "X1", "S6")  # inserted directly: a training row on a broadcast never counts
    dates = [D(2024, 5, 9), D(2024, 5, 10), D(2024, 6, 30), D(2024, 7, 1), D(2024, 8, 1), D(2024, 12, 31)]
    courses = list(plan.training_types)  # the A2 indicator's event types: tap_huan
    assert run(con, "training_rate", dates, event_types=courses) == [
        (D(2024, 5, 9), 0, 4),  # workers S1 S2 S4 S6 (S3 not yet, S5 not a worker); T1 not held yet
        (D(2024, 5, 10), 2, 4),  # trained S1, S4
        (D(2024, 6, 30), 2, 4),  # S4's active_to = as_of: still active
        (D(2024, 7, 1), 1, 4),  # S4 gone, S3 in (course on 01/08): workers S1 S2 S3 S6, trained S1
        (D(2024, 8, 1), 2, 4),  # trained S1, S3
        (D(2024, 12, 31), 2, 4),
    ]
    # Unit filter selects staff only; T1 is HCTH's course yet trains CTXH's S1, T2 is CTXH's yet trains HCTH's S3.
    assert run(con, "training_rate", [D(2024, 12, 31)], "CTXH", event_types=courses) == [
        (D(2024, 12, 31), 1, 2)
    ]  # S1 of S1, S2
    assert run(con, "training_rate", [D(2024, 12, 31)], "HCTH", event_types=courses) == [
        (D(2024, 12, 31), 1, 2)
    ]  # S3 of S3, S6
    assert run(con, "training_rate", [D(2024, 12, 31)], "DT", event_types=courses) == [
        (D(2024, 12, 31), 0, 0)
    ]  # no workers


# --- request_measures_by_as_of.sql: free_service_rate -----------------------------------------------------------------


def test_free_service_rate_statuses(con):
    add_resident(con, "R1")  # born 1950, hardship: eligible all year
    add_case(
        con, "C0", "R1", D(2023, 12, 20), accepted_on=D(2023, 12, 21), status="hoan_thanh", closed_on=D(2023, 12, 30)
    )  # last year's request
    add_case(con, "C1", "R1", D(2024, 1, 10), accepted_on=D(2024, 1, 20), status="dang_thuc_hien")  # served from 20/01
    add_case(con, "C2", "R1", D(2024, 2, 1))  # pending (tiep_nhan)
    add_case(
        con, "C3", "R1", D(2024, 3, 1), accepted_on=D(2024, 3, 5), status="tu_choi", closed_on=D(2024, 3, 10)
    )  # refused: never served even though accepted
    add_case(con, "C4", "R1", D(2024, 3, 2), status="rut_yeu_cau", closed_on=D(2024, 4, 10))  # withdrawn on 10/04
    add_case(
        con,
        "C5",
        "R1",
        D(2024, 3, 3),
        accepted_on=D(2024, 3, 4),
        status="hoan_thanh",
        closed_on=D(2024, 3, 20),
        fee_charged=500000,
    )  # a fee: not served free
    dates = [D(2024, 1, 9), D(2024, 1, 19), D(2024, 1, 20), D(2024, 4, 9), D(2024, 4, 10), D(2024, 12, 31)]
    # (as_of, served, eligible not withdrawn, persons, fully served persons)
    assert run(con, "free_service_rate", dates, priority_only=False) == [
        (D(2024, 1, 9), 0, 0, 0, 0),  # no request yet
        (D(2024, 1, 19), 0, 1, 1, 0),  # C1 not accepted yet
        (D(2024, 1, 20), 1, 1, 1, 1),  # C1 accepted
        (D(2024, 4, 9), 1, 5, 1, 0),  # C1..C5; C4 closes after as_of so still counts; served C1 only
        (D(2024, 4, 10), 1, 4, 1, 0),  # C4 withdrawn leaves the denominator
        (D(2024, 12, 31), 1, 4, 1, 0),
    ]


def test_free_service_rate_eligibility_on_request_date(con):
    add_resident(con, "R2", birth_date=D(1964, 7, 15), has_financial_hardship=False, is_poor_household=True)
    add_resident(con, "R3", birth_date=D(1964, 2, 29), has_financial_hardship=False, is_meritorious=True)
    add_resident(con, "R4", has_financial_hardship=False, is_violence_victim=True)  # elderly, no art. 7 group
    add_resident(con, "R6", birth_date=D(1970, 1, 1), is_meritorious=True)  # 54: not elderly
    add_case(con, "C6", "R2", D(2024, 7, 14), accepted_on=D(2024, 7, 14))  # day before 60th birthday: 59
    add_case(con, "C7", "R2", D(2024, 7, 15), accepted_on=D(2024, 7, 20))  # on the 60th birthday: eligible
    add_case(con, "C8", "R3", D(2024, 2, 28), accepted_on=D(2024, 2, 28))  # 29 Feb birthday not reached: 59
    add_case(con, "C9", "R3", D(2024, 2, 29), accepted_on=D(2024, 3, 1))  # 60 on 29/02/2024
    add_case(con, "C10", "R4", D(2024, 1, 5), accepted_on=D(2024, 1, 5))
    add_case(con, "C11", "R6", D(2024, 1, 10), accepted_on=D(2024, 1, 10))
    dates = [D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1), D(2024, 7, 15), D(2024, 7, 20), D(2024, 12, 31)]
    assert run(con, "free_service_rate", dates, priority_only=False) == [
        (D(2024, 2, 28), 0, 0, 0, 0),  # C8, C10, C11 not eligible
        (D(2024, 2, 29), 0, 1, 1, 0),  # C9, not yet accepted
        (D(2024, 3, 1), 1, 1, 1, 1),  # C9 served
        (D(2024, 7, 15), 1, 2, 2, 1),  # + C7 (C6 was the day before the birthday)
        (D(2024, 7, 20), 2, 2, 2, 2),  # C7 served
        (D(2024, 12, 31), 2, 2, 2, 2),
    ]


def test_free_service_rate_priority(con):
    add_resident(con, "R1")  # hardship only
    add_resident(con, "RM", has_financial_hardship=False, is_meritorious=True)  # meritorious: priority
    add_resident(con, "RV", is_violence_victim=True)  # hardship + violence victim: priority
    add_resident(con, "R4", has_financial_hardship=False, is_violence_victim=True)  # victim but not eligible
    add_case(con, "CP", "R1", D(2024, 5, 1), priority="nguoi_co_cong", accepted_on=D(2024, 5, 2))  # priority column
    add_case(con, "CN", "R1", D(2024, 5, 3), accepted_on=D(2024, 5, 3))  # not priority
    add_case(con, "CE", "R1", D(2024, 5, 3), priority="", accepted_on=D(2024, 5, 3))  # empty priority = not set
    add_case(con, "CM", "RM", D(2024, 5, 4))  # priority (meritorious), pending
    add_case(con, "CV", "RV", D(2024, 5, 5), accepted_on=D(2024, 5, 6), department="CSKC")  # priority (victim)
    add_case(con, "CX", "R4", D(2024, 5, 7), priority="bao_luc", accepted_on=D(2024, 5, 7))  # not eligible
    end = [D(2024, 12, 31)]
    assert run(con, "free_service_rate", end, priority_only=True) == [
        (D(2024, 12, 31), 2, 3, 3, 2),  # CP, CM, CV; served CP, CV; persons R1 RM RV, fully served R1 RV
    ]
    assert run(con, "free_service_rate", end, priority_only=False) == [
        (D(2024, 12, 31), 4, 5, 3, 2),  # CP CN CE CM CV; served all but CM; persons R1 (3/3) RM (0/1) RV (1/1)
    ]
    assert run(con, "free_service_rate", end, "CSKC", priority_only=True) == [(D(2024, 12, 31), 1, 1, 1, 1)]  # CV


def test_free_service_rate_persons(con):
    add_resident(con, "R1")
    add_resident(con, "R2")
    add_case(con, "A", "R1", D(2024, 4, 1), accepted_on=D(2024, 4, 2))
    add_case(con, "B", "R1", D(2024, 4, 3))  # R1 has one unserved request of two: not fully served
    add_case(con, "C", "R2", D(2024, 4, 4), accepted_on=D(2024, 4, 4))
    assert run(con, "free_service_rate", [D(2024, 4, 30)], priority_only=False) == [
        (D(2024, 4, 30), 2, 3, 2, 1),  # A, C served of A, B, C; persons R1, R2; fully served R2
    ]


# --- schema macros (003_macros.sql): age and eligibility of the data contract -----------------------------------------


@pytest.mark.parametrize(
    "born,on,age",
    [
        (D(1964, 7, 15), D(2024, 7, 14), 59),  # day before the birthday
        (D(1964, 7, 15), D(2024, 7, 15), 60),  # on the birthday
        (D(1964, 2, 29), D(2024, 2, 28), 59),
        (D(1964, 2, 29), D(2024, 2, 29), 60),  # leap year: reached on 29/02
        (D(1964, 2, 29), D(2025, 2, 28), 60),  # 2025 - 1964 = 61, birthday not yet reached -> 60
        (D(1964, 2, 29), D(2025, 3, 1), 61),  # other years: reached on 1 March
        (D(1963, 12, 31), D(2024, 1, 1), 60),
        (D(1964, 1, 1), D(2023, 12, 31), 59),
    ],
)
def test_age_on(con, born, on, age):
    assert con.execute("select age_on($b, $d)", {"b": born, "d": on}).fetchone()[0] == age


@pytest.mark.parametrize(
    "born,merit,poor,hardship,eligible",
    [
        (D(1950, 1, 1), False, False, False, False),  # elderly, no art. 7 group
        (D(1950, 1, 1), True, False, False, True),
        (D(1950, 1, 1), False, True, False, True),
        (D(1950, 1, 1), False, False, True, True),
        (D(1970, 1, 1), True, True, True, False),  # 54: not elderly
    ],
)
def test_is_eligible_on(con, born, merit, poor, hardship, eligible):
    row = con.execute(
        "select is_eligible_on($b, $d, $m, $p, $h)",
        {"b": born, "d": D(2024, 6, 1), "m": merit, "p": poor, "h": hardship},
    ).fetchone()
    assert row[0] is eligible
