"""Status and pace rules (indicators.md, "Status"), parametrized over boundaries, and the indicator core end to end.

Every expected value is computed by hand in the comment beside it.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from fractions import Fraction as F

import pytest
from conftest import BOTH_MODES, add_case, add_event, add_resident, add_staff, add_training

from planboard import kpis
from planboard.pace import due_level, expected_level
from planboard.periods import quarter_of, quarters_ended
from planboard.plan import DEFAULT_PLAN, parse_plan
from planboard.status import activity_status, status

D = dt.date
Y = 2024


def by_code(results):
    return {r.code: r for r in results}


def one(con, plan, code, as_of, department=None):
    return kpis.compute_series(con, plan, plan.indicator(code), [as_of], department)[0]


# --- calendar: c, q, expected_now, due_quarter --------------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of,c,q",
    [
        (D(2024, 1, 1), 0, 1),
        (D(2024, 3, 30), 0, 1),
        (D(2024, 3, 31), 1, 1),  # Q1 ends on 31/03
        (D(2024, 4, 1), 1, 2),
        (D(2024, 6, 29), 1, 2),
        (D(2024, 6, 30), 2, 2),  # "c = 2 on 30/06"
        (D(2024, 9, 30), 3, 3),
        (D(2024, 12, 30), 3, 4),
        (D(2024, 12, 31), 4, 4),
    ],
)
def test_quarters_ended_and_current_quarter(as_of, c, q):
    assert (quarters_ended(as_of), quarter_of(as_of)) == (c, q)


@pytest.mark.parametrize(
    "as_of,expected_now,due",
    [
        (D(2024, 1, 1), 0, 6),  # c = 0 -> T0 = 0; q = 1 -> T1 = 6
        (D(2024, 3, 30), 0, 6),
        (D(2024, 3, 31), 6, 6),  # c = 1 -> T1
        (D(2024, 6, 29), 6, 12),
        (D(2024, 6, 30), 12, 12),  # c = 2 -> T2
        (D(2024, 7, 1), 12, 18),
        (D(2024, 9, 30), 18, 18),
        (D(2024, 12, 31), 24, 24),
    ],
)
def test_levels_of_quarterly_target(plan, as_of, expected_now, due):
    # A41_PHAT_THANH: quarter_targets 6, 12, 18, 24
    target = plan.indicator("A41_PHAT_THANH").target
    assert (expected_level(target, as_of).value, due_level(target, as_of).value) == (expected_now, due)


@pytest.mark.parametrize("as_of", [D(2024, 1, 1), D(2024, 6, 30), D(2024, 12, 31)])
def test_levels_of_continuous_target_are_always_target_year(plan, as_of):
    target = plan.indicator("A3_MIEN_PHI").target
    assert (expected_level(target, as_of).value, due_level(target, as_of).value) == (100, 100)


# --- status of one indicator -------------------------------------------------------------------------------------

# A41_PHAT_THANH: count, >= ; T = 0 | 6, 12, 18, 24. days_left = quarter's last day - as_of.
PHAT_THANH = [
    (0, D(2024, 1, 1), "dung_tien_do"),  # c=0: 0 >= T0=0; due 6 but 90 days left
    (5, D(2024, 3, 1), "dung_tien_do"),  # 31/03 - 01/03 = 30 days, not < 30
    (5, D(2024, 3, 2), "can_chu_y"),  # 29 days < 30 and 5 < T1=6
    (6, D(2024, 3, 2), "dung_tien_do"),  # 6 >= due 6
    (5, D(2024, 3, 31), "cham_tien_do"),  # c=1: 5 < T1=6
    (6, D(2024, 3, 31), "dung_tien_do"),
    (6, D(2024, 4, 1), "dung_tien_do"),  # c=1 met; due T2=12 but 90 days left
    (11, D(2024, 5, 31), "dung_tien_do"),  # 30/06 - 31/05 = 30 days
    (11, D(2024, 6, 1), "can_chu_y"),  # 29 days
    (11, D(2024, 6, 29), "can_chu_y"),  # c=1 (6 met), due 12, 1 day
    (11, D(2024, 6, 30), "cham_tien_do"),  # c=2: 11 < T2=12
    (12, D(2024, 6, 30), "dung_tien_do"),
    (5, D(2024, 5, 31), "cham_tien_do"),  # behind expected_now wins over the 30-day window
    (17, D(2024, 8, 31), "dung_tien_do"),  # 30/09 - 31/08 = 30 days
    (17, D(2024, 9, 1), "can_chu_y"),  # 29 days, 17 < T3=18
    (17, D(2024, 9, 30), "cham_tien_do"),  # c=3: 17 < 18
    (23, D(2024, 12, 1), "dung_tien_do"),  # 31/12 - 01/12 = 30 days
    (23, D(2024, 12, 2), "can_chu_y"),  # 29 days, 23 < 24
    (23, D(2024, 12, 30), "can_chu_y"),  # 1 day
    (23, D(2024, 12, 31), "khong_dat"),  # year over, 23 < 24
    (24, D(2024, 12, 31), "dat"),  # 24 >= 24
    (24, D(2024, 1, 1), "dat"),  # meets target_year whenever it is reached
    (30, D(2024, 12, 31), "dat"),
]


@pytest.mark.parametrize("value,as_of,expected", PHAT_THANH)
def test_status_quarterly_count(plan, value, as_of, expected):
    assert status(F(value), None, "count", plan.indicator("A41_PHAT_THANH").target, as_of, Y) == expected


# A2_TAP_HUAN: rate, > 80 ; T = 0 | 0, 0, 0, 80 (no quarterly pace). "80,0 % does not meet".
TAP_HUAN = [
    (F(400, 5), 5, D(2024, 12, 31), "khong_dat"),  # 4/5 = 80 %, not > 80, year over
    (F(400, 5), 5, D(2024, 12, 15), "can_chu_y"),  # due T4 = 80 with '>', 31 - 15 = 16 days < 30
    (F(400, 5), 5, D(2024, 12, 2), "can_chu_y"),  # 29 days
    (F(400, 5), 5, D(2024, 12, 1), "dung_tien_do"),  # 30 days
    (F(400, 5), 5, D(2024, 11, 30), "dung_tien_do"),  # 31 days
    (F(0), 5, D(2024, 9, 30), "dung_tien_do"),  # c=3: T3 = 0; due T3 = 0: no pace before Q4
    (F(0), 5, D(2024, 9, 15), "dung_tien_do"),  # 15 days left in Q3 but due T3 = 0 is met
    (F(0), 5, D(2024, 12, 15), "can_chu_y"),  # 0 not > 80, 16 days
    (F(0), 5, D(2024, 12, 31), "khong_dat"),
    (F(500, 6), 6, D(2024, 6, 30), "dat"),  # 5/6 = 83.33 > 80
    (F(500, 6), 6, D(2024, 12, 31), "dat"),
    (F(80001, 1000), 10000, D(2024, 12, 31), "dat"),  # 80.001 > 80 exactly, though it shows as 80.00
    (None, 0, D(2024, 6, 30), "chua_co_du_lieu"),  # no legal-aid worker
    (None, 0, D(2024, 12, 31), "chua_co_du_lieu"),  # denominator 0 comes before khong_dat
]


@pytest.mark.parametrize("value,denominator,as_of,expected", TAP_HUAN)
def test_status_strict_rate(plan, value, denominator, as_of, expected):
    assert status(value, denominator, "rate", plan.indicator("A2_TAP_HUAN").target, as_of, Y) == expected


# A3_MIEN_PHI: rate, >= 100, continuous: expected_now = due = 100 at every date.
MIEN_PHI = [
    (F(100), 3, D(2024, 1, 15), "dat"),
    (F(300, 4), 4, D(2024, 1, 15), "cham_tien_do"),  # 3/4 = 75 < 100
    (F(19999, 200), 20000, D(2024, 6, 15), "cham_tien_do"),  # 99.995 shows as 100.00 but the exact value is < 100
    (F(19999, 200), 20000, D(2024, 12, 31), "khong_dat"),
    (F(300, 4), 4, D(2024, 12, 31), "khong_dat"),
    (None, 0, D(2024, 3, 1), "chua_co_du_lieu"),
]


@pytest.mark.parametrize("value,denominator,as_of,expected", MIEN_PHI)
def test_status_continuous_rate(plan, value, denominator, as_of, expected):
    assert status(value, denominator, "rate", plan.indicator("A3_MIEN_PHI").target, as_of, Y) == expected


@pytest.mark.parametrize("value,denominator,kind", [(F(5), None, "count"), (None, 0, "rate"), (F(50), 2, "rate")])
def test_status_without_target_is_theo_doi(value, denominator, kind):
    # theo_doi is checked first, even before a 0 denominator
    assert status(value, denominator, kind, None, D(2024, 12, 31), Y) == "theo_doi"


@pytest.mark.parametrize(
    "value,as_of,expected",
    [
        (0, D(2024, 3, 31), "dung_tien_do"),  # c=1: T1 = 0 met; due T1 = 0 met
        (0, D(2024, 6, 1), "can_chu_y"),  # c=1 T1 = 0 met; due T2 = 1, 29 days left
        (0, D(2024, 6, 30), "cham_tien_do"),  # c=2: 0 < T2 = 1
        (0, D(2024, 12, 31), "khong_dat"),
        (1, D(2024, 2, 1), "dat"),
    ],
)
def test_status_a1(plan, value, as_of, expected):
    # A1_VAN_BAN: >= 1 ; T = 0 | 0, 1, 1, 1
    assert status(F(value), None, "count", plan.indicator("A1_VAN_BAN").target, as_of, Y) == expected


# --- activity status ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses,expected",
    [
        (["dat", "dung_tien_do"], "dung_tien_do"),
        (["dat", "can_chu_y", "dung_tien_do"], "can_chu_y"),
        (["can_chu_y", "cham_tien_do"], "cham_tien_do"),
        (["cham_tien_do", "khong_dat", "dat"], "khong_dat"),
        (["dat", "theo_doi", "chua_co_du_lieu"], "dat"),  # ignored ones do not lower it
        (["khong_dat", "chua_co_du_lieu"], "khong_dat"),
        (["chua_co_du_lieu", "theo_doi"], "chua_co_du_lieu"),  # all ignored, one without data
        (["chua_co_du_lieu"], "chua_co_du_lieu"),
        (["theo_doi", "theo_doi"], "theo_doi"),
        (["theo_doi"], "theo_doi"),
        (["dat"], "dat"),
    ],
)
def test_activity_status_is_worst_ignoring_theo_doi_and_no_data(statuses, expected):
    assert activity_status(statuses) == expected


# --- rounding and machine output ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,rounded",
    [
        (F(200, 3), F(6667, 100)),  # 100 x 2/3 = 66.666.. -> 66.67
        (F(100, 3), F(3333, 100)),  # 100 x 1/3 = 33.333.. -> 33.33
        (F(100, 8), F(125, 10)),  # 100 x 1/8 = 12.5 exact
        (F(100, 16), F(625, 100)),  # 100 x 1/16 = 6.25 exact
        (F(100, 800), F(13, 100)),  # 100 x 1/800 = 0.125 -> 0.13 (half away; round-half-even would give 0.12)
        (F(100, 32), F(313, 100)),  # 100 x 1/32 = 3.125 -> 3.13 (float round(3.125, 2) gives 3.12)
        (F(300, 32), F(938, 100)),  # 100 x 3/32 = 9.375 -> 9.38
        (F(2675, 1000), F(268, 100)),  # 2.675 -> 2.68 (the float 2.675 is below it and rounds to 2.67)
        (F(1, 200), F(1, 100)),  # 0.005 -> 0.01
        (F(1, 201), F(0)),  # 0.004975.. -> 0.00
        (F(19999, 200), F(100)),  # 99.995 -> 100.00
        (F(-1, 8), F(-13, 100)),  # -0.125 -> -0.13 (away from zero)
        (F(80), F(80)),
    ],
)
def test_round_half_away(value, rounded):
    assert kpis.round_half_away(value) == rounded


@pytest.mark.parametrize(
    "key,value,text",
    [
        ("value", None, ""),
        ("value", 80.0, "80.00"),
        ("value", 66.67, "66.67"),
        ("value", 3.13, "3.13"),
        ("value", 5, "5"),  # a count
        ("denominator", None, ""),
        ("expected_now", 6, "6"),
        ("status", "dat", "dat"),
    ],
)
def test_csv_cell(key, value, text):
    assert kpis.csv_cell(key, value) == text


def test_csv_header_is_the_spec_header():
    assert ",".join(kpis.CSV_HEADER) == "indicator,activity,value,numerator,denominator,expected_now,target_year,status"


# --- the core end to end against a real database -----------------------------------------------------------------


@BOTH_MODES
def test_empty_database_at_year_end(con, plan):
    results = kpis.compute(con, plan, D(2024, 12, 31))
    records = [kpis.machine_record(r) for r in results]
    assert [r["indicator"] for r in records] == [i.code for i in plan.indicators]  # plan order
    got = {
        r["indicator"]: (r["value"], r["numerator"], r["denominator"], r["expected_now"], r["target_year"], r["status"])
        for r in records
    }
    assert got == {
        # counts are never empty: 0, denominator empty; c = 4 -> expected_now = T4 = target_year
        "A1_VAN_BAN": (0, 0, None, 1, 1, "khong_dat"),
        # rates with a 0 denominator: value empty, chua_co_du_lieu (not khong_dat)
        "A2_TAP_HUAN": (None, 0, 0, 80, 80, "chua_co_du_lieu"),
        "A3_MIEN_PHI": (None, 0, 0, 100, 100, "chua_co_du_lieu"),
        "A3_UU_TIEN": (None, 0, 0, 100, 100, "chua_co_du_lieu"),
        "A3_YEU_CAU": (0, 0, None, None, None, "theo_doi"),
        "A41_PHAT_THANH": (0, 0, None, 24, 24, "khong_dat"),
        "A41_HOP": (0, 0, None, 12, 12, "khong_dat"),
        "A41_BAO_CAO": (0, 0, None, 2, 2, "khong_dat"),
        "A4_LUOT_NCT": (0, 0, None, None, None, "theo_doi"),
        "A42_CAO_DIEM": (0, 0, None, 3, 3, "khong_dat"),
        "A5_KIEM_TRA": (0, 0, None, 2, 2, "khong_dat"),
        "A5_HUONG_DAN": (0, 0, None, None, None, "theo_doi"),
        "A5_BAO_CAO": (0, 0, None, 2, 2, "khong_dat"),
    }
    assert kpis.activity_statuses(plan, results) == {
        "1": "khong_dat",
        "2": "chua_co_du_lieu",  # only A2, no data
        "3": "chua_co_du_lieu",  # A3_MIEN_PHI, A3_UU_TIEN no data; A3_YEU_CAU theo_doi
        "4.1": "khong_dat",
        "4.2": "khong_dat",
        "5": "khong_dat",  # A5_HUONG_DAN theo_doi ignored
    }


@BOTH_MODES
def test_empty_database_on_first_day(con, plan):
    got = {r.code: (r.expected_now, r.due_quarter, r.status) for r in kpis.compute(con, plan, D(2024, 1, 1))}
    assert got["A41_PHAT_THANH"] == (0, 6, "dung_tien_do")  # before Q1 ends expected_now = T0 = 0; 90 days left
    assert got["A41_HOP"] == (0, 3, "dung_tien_do")
    assert got["A1_VAN_BAN"] == (0, 0, "dung_tien_do")  # 0 >= T1 = 0
    assert got["A3_MIEN_PHI"] == (100, 100, "chua_co_du_lieu")


@BOTH_MODES
def test_thirty_june_counts_two_quarters_ended(con, plan):
    for i in range(11):  # 11 broadcasts in the first half
        add_event(con, f"P{i}", "phat_thanh", D(2024, 1, 10) + dt.timedelta(days=10 * i), plan)
    before, on = kpis.compute_series(con, plan, plan.indicator("A41_PHAT_THANH"), [D(2024, 6, 29), D(2024, 6, 30)])
    assert (before.numerator, before.expected_now, before.due_quarter, before.status) == (11, 6, 12, "can_chu_y")
    # 30/06: c = 2, expected_now = T2 = 12; 11 < 12
    assert (on.numerator, on.expected_now, on.due_quarter, on.status) == (11, 12, 12, "cham_tien_do")
    add_event(con, "P11", "phat_thanh", D(2024, 6, 30), plan)
    assert one(con, plan, "A41_PHAT_THANH", D(2024, 6, 30)).status == "dung_tien_do"  # 12 >= 12


@BOTH_MODES
def test_year_end_dat_and_khong_dat(con, plan):
    assert one(con, plan, "A1_VAN_BAN", D(2024, 12, 31)).status == "khong_dat"  # 0 < 1
    add_event(con, "V1", "van_ban", D(2024, 12, 31), plan)
    r = one(con, plan, "A1_VAN_BAN", D(2024, 12, 31))
    assert (r.value, r.status) == (1, "dat")  # 1 >= 1


@BOTH_MODES
def test_broadcast_thirty_day_window(con, plan):
    for i in range(5):
        add_event(con, f"P{i}", "phat_thanh", D(2024, 1, 15 + i), plan)  # 5 broadcasts, 15-19 January
    r1, r2 = kpis.compute_series(con, plan, plan.indicator("A41_PHAT_THANH"), [D(2024, 3, 1), D(2024, 3, 2)])
    assert (r1.value, r1.expected_now, r1.due_quarter, r1.status) == (5, 0, 6, "dung_tien_do")  # 30 days left
    assert (r2.value, r2.expected_now, r2.due_quarter, r2.status) == (5, 0, 6, "can_chu_y")  # 29 days left


@BOTH_MODES
def test_training_four_of_five_is_not_above_eighty(con, plan):
    add_event(con, "T1", "tap_huan", D(2024, 3, 1), plan)
    for i in range(5):
        add_staff(con, f"S{i}")
    for i in range(4):
        add_training(con, "T1", f"S{i}")
    mid_dec, year_end = kpis.compute_series(
        con, plan, plan.indicator("A2_TAP_HUAN"), [D(2024, 12, 15), D(2024, 12, 31)]
    )
    # 100 x 4/5 = 80 exactly, op '>'
    assert (mid_dec.numerator, mid_dec.denominator, mid_dec.value) == (4, 5, F(80))
    assert (mid_dec.expected_now, mid_dec.due_quarter, mid_dec.status) == (0, 80, "can_chu_y")  # 16 days < 30
    assert year_end.status == "khong_dat"
    assert kpis.machine_record(year_end)["value"] == 80.0
    add_training(con, "T1", "S4")
    assert one(con, plan, "A2_TAP_HUAN", D(2024, 12, 31)).status == "dat"  # 5/5 = 100 > 80


def test_training_rate_one_of_32_rounds_half_away(con, plan):
    add_event(con, "T1", "tap_huan", D(2024, 3, 1), plan)
    for i in range(32):
        add_staff(con, f"S{i:02d}")
    add_training(con, "T1", "S00")
    r = one(con, plan, "A2_TAP_HUAN", D(2024, 6, 30))
    rec = kpis.machine_record(r)
    assert r.value == F(25, 8)  # 100 x 1/32 = 3.125
    assert (rec["value"], rec["numerator"], rec["denominator"]) == (3.13, 1, 32)  # half away: 3.13, not 3.12
    assert kpis.csv_cell("value", rec["value"]) == "3.13"
    assert r.status == "dung_tien_do"  # c = 2: T2 = 0 met; due T2 = 0 met


@BOTH_MODES
def test_training_staff_and_course_rules(con, plan):
    add_event(con, "T0", "tap_huan", D(2023, 12, 15), plan)  # held before 1 January: does not count
    add_event(con, "T1", "tap_huan", D(2024, 4, 10), plan, department="HCTH")
    add_event(con, "X1", "hop_thang", D(2024, 4, 11), plan)  # not a course
    add_staff(con, "A", active_from=D(2024, 6, 1))  # joins 01/06
    add_staff(con, "B", active_to=D(2024, 5, 31))  # leaves 31/05
    add_staff(con, "C")  # course not completed
    add_staff(con, "E")  # trained only last year
    add_staff(con, "G")  # training row on a meeting
    add_staff(con, "H", department="HCTH")
    for s in ("A", "B", "H"):
        add_training(con, "T1", s)
    add_training(con, "T1", "C", completed=False)
    add_training(con, "T0", "E")
    add_training(con, "X1", "G")
    may, june = kpis.compute_series(con, plan, plan.indicator("A2_TAP_HUAN"), [D(2024, 5, 31), D(2024, 6, 1)])
    assert (may.numerator, may.denominator) == (2, 5)  # workers B C E G H; trained B H
    assert may.value == F(40)  # 100 x 2/5
    assert (june.numerator, june.denominator) == (2, 5)  # workers A C E G H; trained A H
    # unit filter: CTXH's workers A C E G (B gone), trained A (via HCTH's course) -> 1/4 = 25 %
    ctxh = one(con, plan, "A2_TAP_HUAN", D(2024, 6, 1), "CTXH")
    assert (ctxh.numerator, ctxh.denominator, ctxh.value, ctxh.status) == (1, 4, F(25), "theo_doi")
    assert (ctxh.expected_now, ctxh.target_year) == (None, None)


def _eligible_requests(con):
    add_resident(con, "R1")  # hardship, born 1950
    add_resident(con, "R2")
    add_resident(con, "RM", has_financial_hardship=False, is_meritorious=True)
    add_case(con, "A", "R1", D(2024, 2, 1), accepted_on=D(2024, 2, 2), status="dang_thuc_hien")
    add_case(con, "B", "R1", D(2024, 2, 3))  # pending
    add_case(con, "C", "R2", D(2024, 2, 4), accepted_on=D(2024, 2, 4), status="hoan_thanh", closed_on=D(2024, 3, 1))
    add_case(
        con, "M", "RM", D(2024, 2, 5), accepted_on=D(2024, 2, 6), status="tu_choi", closed_on=D(2024, 2, 7)
    )  # refused priority request


@BOTH_MODES
def test_free_service_rates_and_persons(con, plan):
    _eligible_requests(con)
    got = by_code(kpis.compute(con, plan, D(2024, 3, 31)))
    mp, ut = got["A3_MIEN_PHI"], got["A3_UU_TIEN"]
    # A, C served of A, B, C, M -> 100 x 2/4 = 50; persons R1 (1 of 2 served) R2 (1/1) RM (0/1)
    assert (mp.numerator, mp.denominator, mp.value, mp.person_count, mp.served_person_count) == (2, 4, F(50), 3, 1)
    assert (mp.expected_now, mp.target_year, mp.status) == (100, 100, "cham_tien_do")
    # priority: M only (RM meritorious), refused -> 0/1
    assert (ut.numerator, ut.denominator, ut.value, ut.person_count, ut.served_person_count) == (0, 1, F(0), 1, 0)
    assert got["A3_YEU_CAU"].value == 4  # every request whatever the status
    assert kpis.activity_statuses(plan, list(got.values()))["3"] == "cham_tien_do"


@BOTH_MODES
def test_free_service_rate_two_thirds(con, plan):
    add_resident(con, "R1")
    for cid, acc in (("A", D(2024, 5, 2)), ("B", D(2024, 5, 3)), ("C", None)):
        add_case(con, cid, "R1", D(2024, 5, 1), accepted_on=acc)
    r = one(con, plan, "A3_MIEN_PHI", D(2024, 6, 30))
    assert kpis.machine_record(r) == {
        "indicator": "A3_MIEN_PHI",
        "activity": "3",
        "value": 66.67,  # 100 x 2/3 = 66.666.. -> 66.67
        "numerator": 2,
        "denominator": 3,
        "expected_now": 100,
        "target_year": 100,
        "status": "cham_tien_do",
    }


@BOTH_MODES
def test_requests_count_whatever_the_residents_stay(con, plan):
    add_resident(con, "L", admitted_on=D(2020, 1, 1), left_on=D(2024, 3, 1))  # left the Center on 01/03
    add_case(con, "A", "L", D(2024, 2, 1), accepted_on=D(2024, 2, 2))
    r = one(con, plan, "A3_MIEN_PHI", D(2024, 12, 31))
    assert (r.numerator, r.denominator, r.status) == (1, 1, "dat")  # left_on does not remove past requests: 1/1
    assert one(con, plan, "A3_YEU_CAU", D(2024, 12, 31)).person_count is None  # persons only for A3 rates


@BOTH_MODES
def test_fee_refusal_withdrawal_at_compute_level(con, plan):
    add_resident(con, "R1")
    add_case(
        con,
        "F",
        "R1",
        D(2024, 3, 1),
        accepted_on=D(2024, 3, 1),
        status="hoan_thanh",
        closed_on=D(2024, 3, 2),
        fee_charged=1,
    )  # 1 đồng is a fee: not served
    add_case(con, "W", "R1", D(2024, 3, 3), accepted_on=D(2024, 3, 3), status="rut_yeu_cau", closed_on=D(2024, 4, 1))
    add_case(con, "S", "R1", D(2024, 3, 4), accepted_on=D(2024, 3, 4), status="dang_thuc_hien")
    mar, apr = kpis.compute_series(con, plan, plan.indicator("A3_MIEN_PHI"), [D(2024, 3, 31), D(2024, 4, 1)])
    # 31/03: W accepted and not yet withdrawn -> served W, S of F, W, S = 2/3
    assert (mar.numerator, mar.denominator) == (2, 3)
    # 01/04: W withdrawn (closed_on <= as_of) leaves -> served S of F, S = 1/2 = 50
    assert (apr.numerator, apr.denominator, apr.value) == (1, 2, F(50))


@BOTH_MODES
def test_communication_counts(con, plan):
    add_event(con, "M1", "hop_thang", D(2024, 1, 10), plan, elderly_reached=20)
    add_event(con, "M2", "hop_quy", D(2024, 1, 30), plan)  # same month, empty reached = 0
    add_event(con, "M3", "hop_nam", D(2024, 12, 20), plan, elderly_reached=40)
    add_event(con, "O1", "ngay_06_6", D(2024, 6, 6), plan, elderly_reached=15)
    add_event(con, "O2", "ngay_06_6", D(2024, 6, 7), plan, elderly_reached=5)
    add_event(con, "O3", "ngay_01_10", D(2024, 10, 1), plan)
    add_event(con, "B1", "bao_cao_tiep_can", D(2024, 7, 1), plan, elderly_reached=1)
    add_event(con, "Z1", "phat_thanh", D(2023, 12, 31), plan, elderly_reached=100)  # 2023: never counted
    add_event(con, "Z2", "phat_thanh", D(2025, 1, 1), plan, elderly_reached=100)  # 2025: never counted
    got = by_code(kpis.compute(con, plan, D(2024, 12, 31)))
    assert got["A41_HOP"].value == 2  # January (M1, M2 = one month), December
    assert got["A42_CAO_DIEM"].value == 2  # 06/6 (twice = one occasion), 01/10
    assert got["A4_LUOT_NCT"].value == 81  # 20 + 0 + 40 + 15 + 5 + 0 + 1
    assert got["A41_BAO_CAO"].value == 1
    assert got["A41_PHAT_THANH"].value == 0  # Z1, Z2 outside 2024
    assert (got["A41_HOP"].status, got["A42_CAO_DIEM"].status) == ("khong_dat", "khong_dat")  # 2 < 12, 2 < 3


@BOTH_MODES
def test_request_count_every_status_and_eligibility(con, plan):
    add_resident(con, "R1")
    add_resident(con, "Y", birth_date=D(1990, 1, 1))  # 34 years old: not eligible
    add_case(con, "A", "R1", D(2024, 1, 2), status="tu_choi", closed_on=D(2024, 1, 3))
    add_case(con, "B", "R1", D(2024, 1, 4), status="rut_yeu_cau", closed_on=D(2024, 1, 5))
    add_case(con, "C", "Y", D(2024, 1, 6))
    add_case(con, "Z", "R1", D(2023, 12, 31))  # last year
    got = by_code(kpis.compute(con, plan, D(2024, 1, 31)))
    assert got["A3_YEU_CAU"].value == 3  # A, B, C
    assert got["A3_MIEN_PHI"].denominator == 1  # A only: B withdrawn, C not eligible
    assert got["A3_MIEN_PHI"].numerator == 0  # A refused


@pytest.mark.parametrize("given,clipped", [(D(2025, 2, 1), D(2024, 12, 31)), (D(2023, 5, 1), D(2024, 1, 1))])
@BOTH_MODES
def test_as_of_is_clipped_into_the_plan_year(con, plan, given, clipped):
    add_event(con, "K0", "kiem_tra", D(2023, 12, 31), plan)
    add_event(con, "K1", "kiem_tra", D(2024, 1, 1), plan)
    add_event(con, "K2", "kiem_tra", D(2024, 12, 31), plan)
    add_event(con, "K3", "kiem_tra", D(2025, 1, 1), plan)
    r = one(con, plan, "A5_KIEM_TRA", given)
    assert r.as_of == clipped
    if clipped == D(2024, 12, 31):
        assert (r.value, r.status) == (2, "dat")  # K1, K2; 2 >= 2
    else:
        # K1 only (K0 is 2023); 1 < 2 but c = 0 -> T0 = 0 met, due T1 = 0 met
        assert (r.value, r.expected_now, r.status) == (1, 0, "dung_tien_do")


@BOTH_MODES
def test_unit_filter_default_plan_is_monitor_only(con, plan):
    add_event(con, "P1", "phat_thanh", D(2024, 2, 1), plan, department="CTXH")
    add_event(con, "P2", "phat_thanh", D(2024, 2, 2), plan, department="HCTH")
    add_resident(con, "R1")
    add_case(con, "A", "R1", D(2024, 2, 3), department="CSKC", accepted_on=D(2024, 2, 3))
    add_case(con, "B", "R1", D(2024, 2, 4), department="CTXH")
    results = kpis.compute(con, plan, D(2024, 12, 31), "CTXH")
    for r in results:
        assert (r.status, r.expected_now, r.target_year) == ("theo_doi", None, None), r.code
        rec = kpis.machine_record(r)
        assert (rec["expected_now"], rec["target_year"]) == (None, None)
    got = by_code(results)
    assert got["A41_PHAT_THANH"].value == 1  # P1 only
    assert (got["A3_MIEN_PHI"].numerator, got["A3_MIEN_PHI"].denominator) == (0, 1)  # B only, pending
    assert got["A3_YEU_CAU"].value == 1
    assert set(kpis.activity_statuses(plan, results).values()) == {"theo_doi"}


@BOTH_MODES
def test_unit_targets_apply_when_the_plan_has_them(con):
    with open(DEFAULT_PLAN, "rb") as f:
        data = tomllib.load(f)
    data = copy.deepcopy(data)
    ind = next(d for d in data["indicators"] if d["code"] == "A41_PHAT_THANH")
    ind["unit_targets"] = {"CTXH": {"target_year": 12, "quarter_targets": [3, 6, 9, 12]}}
    variant = parse_plan(data)
    for i in range(3):
        add_event(con, f"C{i}", "phat_thanh", D(2024, 2, 1 + i), variant, department="CTXH")
    for i in range(2):
        add_event(con, f"H{i}", "phat_thanh", D(2024, 2, 10 + i), variant, department="HCTH")
    ctxh = one(con, variant, "A41_PHAT_THANH", D(2024, 3, 31), "CTXH")
    assert (ctxh.value, ctxh.expected_now, ctxh.target_year, ctxh.status) == (3, 3, 12, "dung_tien_do")  # 3 >= T1=3
    hcth = one(con, variant, "A41_PHAT_THANH", D(2024, 3, 31), "HCTH")
    assert (hcth.value, hcth.expected_now, hcth.status) == (2, None, "theo_doi")  # no target for HCTH
    center = one(con, variant, "A41_PHAT_THANH", D(2024, 3, 31))
    assert (center.value, center.expected_now, center.status) == (5, 6, "cham_tien_do")  # 3 + 2 = 5 < T1 = 6
    assert one(con, variant, "A41_PHAT_THANH", D(2024, 6, 30), "CTXH").status == "cham_tien_do"  # 3 < T2 = 6


@BOTH_MODES
def test_compute_many_equals_compute(con, plan):
    _eligible_requests(con)
    add_event(con, "P1", "phat_thanh", D(2024, 2, 1), plan)
    add_event(con, "T1", "tap_huan", D(2024, 5, 1), plan)
    add_staff(con, "S1")
    add_staff(con, "S2", active_from=D(2024, 7, 1))
    add_training(con, "T1", "S1")
    dates = [D(2024, 6, 30), D(2024, 3, 31), D(2025, 2, 1), D(2024, 12, 15)]
    many = kpis.compute_many(con, plan, dates)
    assert list(many) == [D(2024, 6, 30), D(2024, 3, 31), D(2024, 12, 31), D(2024, 12, 15)]  # clipped, given order
    for d in dates:
        assert many[plan.clip(d)] == kpis.compute(con, plan, d)
    assert many[D(2024, 6, 30)][1].value == F(100)  # A2: 1/1
    assert many[D(2024, 12, 15)][1].value == F(50)  # A2: S2 joined -> 1/2
    many_unit = kpis.compute_many(con, plan, dates, "CTXH")
    for d in dates:
        assert many_unit[plan.clip(d)] == kpis.compute(con, plan, d, "CTXH")
