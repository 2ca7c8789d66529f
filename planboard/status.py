"""Indicator status from plan targets (indicators.md, "Status"). No SQL, no Streamlit."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from .periods import quarter_end, quarter_of, quarters_ended
from .plan import Target

# Worst first: an activity takes the worst of its indicators' statuses.
ORDER = ("khong_dat", "cham_tien_do", "can_chu_y", "dung_tien_do", "dat")
IGNORED = ("theo_doi", "chua_co_du_lieu")
STATUSES = ORDER + IGNORED
CLOSING_DAYS = 30


def exact(x: float | int) -> Fraction:
    """A target as an exact fraction (80 -> 80, 66.5 -> 133/2)."""
    return Fraction(str(x))


def meets(value: Fraction, level: float, op: str = ">=") -> bool:
    return value > exact(level) if op == ">" else value >= exact(level)


def levels(target: Target, as_of: dt.date) -> tuple[float, float, bool, bool]:
    """(expected_now, due_quarter, expected_now_is_year_level, due_is_year_level).

    expected_now = T_c (T_0 = 0), due_quarter = T_q; a continuous target's level is always target_year.
    The year level (T_4, or any continuous level) is compared with the year's op, the others with >=."""
    if target.continuous:
        return target.target_year, target.target_year, True, True
    c = quarters_ended(as_of)
    q = quarter_of(as_of)
    expected = 0 if c == 0 else target.quarter_targets[c - 1]
    due = target.quarter_targets[q - 1]
    return expected, due, c == 4, q == 4


def status(
    value: Fraction | None, denominator: int | None, kind: str, target: Target | None, as_of: dt.date, year: int
) -> str:
    """The status code of one indicator at as_of, evaluated in the spec's order."""
    if target is None:
        return "theo_doi"
    if kind == "rate" and not denominator:
        return "chua_co_du_lieu"
    assert value is not None
    if meets(value, target.target_year, target.op):
        return "dat"
    if as_of >= dt.date(year, 12, 31):
        return "khong_dat"
    expected, due, expected_is_year, due_is_year = levels(target, as_of)
    if not meets(value, expected, target.op if expected_is_year else ">="):
        return "cham_tien_do"
    days_left = (quarter_end(as_of.year, quarter_of(as_of)) - as_of).days
    if not meets(value, due, target.op if due_is_year else ">=") and days_left < CLOSING_DAYS:
        return "can_chu_y"
    return "dung_tien_do"


def activity_status(statuses: list[str]) -> str:
    """Worst of the indicators' statuses; theo_doi and chua_co_du_lieu ignored unless they are all there is."""
    ranked = [s for s in statuses if s in ORDER]
    if ranked:
        return min(ranked, key=ORDER.index)
    return "chua_co_du_lieu" if "chua_co_du_lieu" in statuses else "theo_doi"
