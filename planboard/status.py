"""Indicator status from plan targets (indicators.md, "Status"); the levels come from pace. No SQL, no Streamlit."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from .pace import due_level, expected_level, meets, year_level
from .periods import quarter_end, quarter_of
from .plan import Target

# Worst first: an activity takes the worst of its indicators' statuses.
ORDER = ("khong_dat", "cham_tien_do", "can_chu_y", "dung_tien_do", "dat")
IGNORED = ("theo_doi", "chua_co_du_lieu")
STATUSES = ORDER + IGNORED
CLOSING_DAYS = 30


def status(
    value: Fraction | None, denominator: int | None, kind: str, target: Target | None, as_of: dt.date, year: int
) -> str:
    """The status code of one indicator at as_of, evaluated in the spec's order."""
    if target is None:
        return "theo_doi"
    if kind == "rate" and not denominator:
        return "chua_co_du_lieu"
    assert value is not None
    if meets(value, year_level(target)):
        return "dat"
    if as_of >= dt.date(year, 12, 31):
        return "khong_dat"
    if not meets(value, expected_level(target, as_of)):
        return "cham_tien_do"
    days_left = (quarter_end(as_of.year, quarter_of(as_of)) - as_of).days
    if not meets(value, due_level(target, as_of)) and days_left < CLOSING_DAYS:
        return "can_chu_y"
    return "dung_tien_do"


def activity_status(statuses: list[str]) -> str:
    """Worst of the indicators' statuses; theo_doi and chua_co_du_lieu ignored unless they are all there is."""
    ranked = [s for s in statuses if s in ORDER]
    if ranked:
        return min(ranked, key=ORDER.index)
    return "chua_co_du_lieu" if "chua_co_du_lieu" in statuses else "theo_doi"
