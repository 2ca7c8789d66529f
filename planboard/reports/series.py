"""Monthly and quarterly series of every indicator up to a report's as_of, one query per indicator. No Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from .. import kpis
from ..kpis import Result
from ..periods import month_ends, quarter_end
from ..plan import Plan


@dataclass(frozen=True)
class Series:
    dates: tuple[dt.date, ...]  # month ends up to as_of, with as_of last
    quarter_dates: tuple[dt.date, ...]  # quarter ends up to as_of, with as_of last when it is not one
    by_date: dict[dt.date, list[Result]]

    def of(self, code: str, dates: tuple[dt.date, ...] | None = None) -> list[Result]:
        """One indicator's results at the month ends (or the given dates), in date order."""
        return [next(r for r in self.by_date[d] if r.code == code) for d in (dates or self.dates)]


def build(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: dt.date, department: str | None = None,
          center: str | None = None) -> Series:
    """The series of one center (None: the plan's only one)."""
    as_of = plan.clip(as_of)
    dates = tuple(month_ends(plan.year, as_of))
    quarters = [quarter_end(plan.year, q) for q in range(1, 5) if quarter_end(plan.year, q) <= as_of]
    if not quarters or quarters[-1] != as_of:
        quarters.append(as_of)
    return Series(dates=dates, quarter_dates=tuple(quarters),
                  by_date=kpis.compute_many(con, plan, list(dates), department, center))
