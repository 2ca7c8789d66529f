"""Year over year (docs/centers.md): one indicator of a center or a roll-up at the same day of each plan year
(30/06/2024 beside 30/06/2025), and each year's monthly series. Each year is computed with that year's plans through
rollup.compute_many, so a roll-up follows the same rules in every year. No Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from . import db, kpis, rollup
from .periods import month_end
from .plan import PlanSet


def same_day(as_of: dt.date, year: int) -> dt.date:
    """The same day of the year in `year`: 30/06/2024 -> 30/06/2025; 29/02 -> 28/02 in a year without it."""
    day = min(as_of.day, month_end(year, as_of.month).day)
    return dt.date(year, as_of.month, day)


@dataclass(frozen=True)
class YearValue:
    """The indicator in one plan year: at the same day of the year, and at each month end (up to `until`)."""

    year: int
    at: kpis.Result
    months: dict[int, kpis.Result]  # month (1..12) -> the result at that month's end
    change: Fraction | None  # value minus the previous year's (percentage points for a rate); None for the first


@dataclass(frozen=True)
class Comparison:
    code: str
    centers: tuple[str, ...]
    years: list[YearValue]  # ascending
    left_out: dict[int, tuple[str, ...]]  # a plan year not compared -> the centers lacking a plan or the indicator


def indicator_years(plans: PlanSet, centers: list[str] | tuple[str, ...]) -> dict[str, list[int]]:
    """{indicator code: the plan years in which every one of `centers` has a plan defining it}, in the order of
    the latest year's plan (then older codes)."""
    out: dict[str, list[int]] = {}
    for year in sorted(plans.years(list(centers)), reverse=True):
        own = [plans.plan_for(c, year) for c in centers]
        if any(p is None for p in own):
            continue
        for ind in own[0].indicators:
            if all(_defines(p, ind.code) for p in own):
                out.setdefault(ind.code, []).append(year)
    return {code: sorted(years) for code, years in out.items()}


def _defines(plan, code: str) -> bool:
    return any(i.code == code for i in plan.indicators)


def _left_out(plans: PlanSet, centers: tuple[str, ...], code: str, year: int) -> tuple[str, ...]:
    lacking = []
    for c in centers:
        p = plans.plan_for(c, year)
        if p is None or not _defines(p, code):
            lacking.append(c)
    return tuple(lacking)


def compare(
    con: db.Source,
    plans: PlanSet,
    centers: list[str] | tuple[str, ...],
    code: str,
    as_of: dt.date,
    department: str | None = None,
    until: dt.date | None = None,
) -> Comparison:
    """The indicator `code` of `centers` (one center, or their roll-up) at the same day as `as_of` in every plan
    year where each center's plan defines it, with the month ends of each year up to `until` (None: all twelve;
    pass today so months not yet lived are left out). All years from one snapshot."""
    centers = tuple(centers)
    left_out: dict[int, tuple[str, ...]] = {}
    values: list[YearValue] = []
    previous: kpis.Result | None = None
    with db.snapshot(con) as snap:
        for year in plans.years(list(centers)):
            lacking = _left_out(plans, centers, code, year)
            if lacking:
                left_out[year] = lacking
                continue
            year_plans = plans.for_centers(list(centers), year)
            day = same_day(as_of, year)
            ends = [month_end(year, m) for m in range(1, 13) if until is None or month_end(year, m) <= until]
            rolled = rollup.compute_many(snap, year_plans, [day, *ends], department)
            first = year_plans[centers[0]]
            at = rolled[first.clip(day)].result(code)
            months = {d.month: rolled[first.clip(d)].result(code) for d in ends}
            change = None
            if previous is not None and previous.value is not None and at.value is not None:
                change = at.value - previous.value
            values.append(YearValue(year=year, at=at, months=months, change=change))
            previous = at
    return Comparison(code=code, centers=centers, years=values, left_out=left_out)
