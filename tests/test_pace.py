"""The pace rules of planboard/pace.py: the level an indicator must reach, the gap to it and each quarter's own
part. Every expected number is computed by hand in a comment."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

import pytest

from planboard import pace
from planboard.kpis import Result
from planboard.pace import Level
from planboard.periods import month_ends
from planboard.plan import Target

D = dt.date
QUARTERLY = Target(target_year=24, quarter_targets=(6, 12, 18, 24), op=">=", continuous=False)
STRICT = Target(target_year=80, quarter_targets=(0, 0, 0, 80), op=">", continuous=False)
CONTINUOUS = Target(target_year=100, quarter_targets=(100, 100, 100, 100), op=">=", continuous=True)


def result(ind, as_of, numerator, denominator=None, status="cham_tien_do") -> Result:
    value = Fraction(100 * numerator, denominator) if denominator else Fraction(numerator)
    return Result(ind, as_of, None, numerator, denominator, value, None, None, None, status)


# --- levels -------------------------------------------------------------------------------------------------------


def test_expected_level_holds_from_the_quarter_end():
    # A quarter's level holds from its last day; before 31/03 the level is T0 = 0.
    steps = [pace.expected_level(QUARTERLY, d).value for d in month_ends(2024)]
    assert steps == [0, 0, 6, 6, 6, 12, 12, 12, 18, 18, 18, 24]
    # an as-of inside a quarter keeps the last ended quarter's level: 15/08 -> T2 = 12; due is Q3's T3 = 18
    assert pace.expected_level(QUARTERLY, D(2024, 8, 15)) == Level("expected", 12, ">=")
    assert pace.due_level(QUARTERLY, D(2024, 8, 15)) == Level("due", 18, ">=")


def test_only_the_year_level_carries_a_strict_op():
    # > 80 % at the year: T4 = 80 is compared with '>', the quarter levels before it (0) with '>='.
    assert pace.due_level(STRICT, D(2024, 9, 30)) == Level("due", 0, ">=")
    assert pace.due_level(STRICT, D(2024, 10, 1)) == Level("due", 80, ">")
    assert pace.expected_level(STRICT, D(2024, 12, 31)) == Level("expected", 80, ">")
    assert pace.year_level(STRICT) == Level("year", 80, ">")
    # 80 does not meet > 80; 80,001 does
    assert not pace.meets(Fraction(80), pace.year_level(STRICT))
    assert pace.meets(Fraction(80001, 1000), pace.year_level(STRICT))


def test_a_continuous_target_is_its_year_level_in_every_quarter():
    for d in (D(2024, 1, 1), D(2024, 6, 30), D(2024, 12, 31)):
        assert pace.expected_level(CONTINUOUS, d) == Level("expected", 100, ">=")
        assert pace.due_level(CONTINUOUS, d) == Level("due", 100, ">=")


def test_the_level_to_reach_follows_the_status(plan):
    ind = replace(plan.indicator("A41_PHAT_THANH"), target=QUARTERLY, unit_targets={})
    at = D(2024, 9, 15)  # c = 2 (T2 = 12), q = 3 (T3 = 18)
    assert pace.level_to_reach(result(ind, at, 10, status="cham_tien_do")) == Level("expected", 12, ">=")
    assert pace.level_to_reach(result(ind, at, 14, status="can_chu_y")) == Level("due", 18, ">=")
    assert pace.level_to_reach(result(ind, D(2024, 12, 31), 20, status="khong_dat")) == Level("year", 24, ">=")
    assert pace.level_to_reach(result(ind, at, 14, status="dung_tien_do")) is None
    monitor = replace(ind, target=None)
    assert pace.level_to_reach(result(monitor, at, 14, status="cham_tien_do")) is None


# --- gaps ---------------------------------------------------------------------------------------------------------


def test_rate_needed():
    # ≥ 100 % of 12 with 9 served: 12 − 9 = 3.
    assert pace.rate_needed(9, 12, Level("year", 100, ">=")) == 3
    # > 80 % of 9 = 7,2 -> at least 8 trained; 7 trained -> 1 more.
    assert pace.rate_needed(7, 9, Level("year", 80, ">")) == 1
    # > 80 % of 10 = 8 exactly -> 9 needed (8/10 = 80 % does not meet "> 80").
    assert pace.rate_needed(8, 10, Level("year", 80, ">")) == 1
    assert pace.rate_needed(9, 10, Level("year", 80, ">")) == 0


@pytest.mark.parametrize(
    "numerator,level,needed",
    [
        (16, Level("expected", 18, ">="), 2),  # 18 − 16
        (18, Level("expected", 18, ">="), 0),
        (5, Level("year", 5, ">"), 1),  # > 5 needs 6: 6 − 5
        (4, Level("year", 5, ">"), 2),  # 6 − 4
        (0, Level("due", 2.5, ">="), 3),  # ≥ 2,5 needs 3 whole events
        (7, Level("year", 5, ">"), 0),
    ],
)
def test_count_needed(numerator, level, needed):
    assert pace.count_needed(numerator, level) == needed


def test_gap_of_a_count_and_of_a_rate(plan):
    broadcasts = replace(plan.indicator("A41_PHAT_THANH"), target=QUARTERLY, unit_targets={})
    # 30/09: c = 3, T3 = 18; 16 held -> 2 more, no points for a count
    assert pace.gap(result(broadcasts, D(2024, 9, 30), 16)) == pace.Gap(Level("expected", 18, ">="), 2, None)
    trained = replace(plan.indicator("A2_TAP_HUAN"), target=STRICT, unit_targets={})
    # 31/12, 7/9 = 77,78 % against > 80 %: 8 needed (7,2 rounded up), 1 more; 80 − 77,78 = 2,22 points
    g = pace.gap(result(trained, D(2024, 12, 31), 7, 9, status="khong_dat"))
    assert (g.level, g.count, round(g.points, 2)) == (Level("year", 80, ">"), 1, 2.22)
    assert pace.gap(result(trained, D(2024, 12, 31), 9, 9, status="dat")) is None


# --- increments ---------------------------------------------------------------------------------------------------


def test_increments():
    # cumulative 6, 12, 16 -> 6, 12-6, 16-12; a missing value stays missing and does not reset the base
    assert pace.increments([6, 12, 16]) == [6, 6, 4]
    assert pace.increments([0, 1, 1, 2]) == [0, 1, 0, 1]
    assert pace.increments([None, 3]) == [None, 3]
    # counts stay whole numbers (a scorecard cell reads '4', not '4,0')
    assert all(isinstance(x, int) for x in pace.increments([6, 12, 16]))


def test_increment_targets():
    # [6, 12, 18, 24] -> 6, 12 − 6, 18 − 12, 24 − 18
    assert pace.increment_targets(QUARTERLY) == [6, 6, 6, 6]
    # [0, 1, 1, 1] -> 0, 1, 0, 0
    assert pace.increment_targets(replace(QUARTERLY, quarter_targets=(0, 1, 1, 1))) == [0, 1, 0, 0]
    assert pace.increment_targets(CONTINUOUS) is None
    assert pace.increment_targets(None) is None
