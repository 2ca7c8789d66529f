"""Monthly and quarterly series of every indicator up to a report's as_of, one query per indicator. No Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from .. import kpis, rollup
from ..kpis import Result
from ..periods import month_ends, quarter_end
from ..plan import Plan


@dataclass(frozen=True)
class Series:
    dates: tuple[dt.date, ...]  # month ends up to as_of, with as_of last
    quarter_dates: tuple[dt.date, ...]  # quarter ends up to as_of, with as_of last when it is not one
    by_date: dict[dt.date, list[Result]]
    by_center: dict[dt.date, dict[str, list[Result]]] | None = None  # a roll-up's own results of each center

    def of(self, code: str, dates: tuple[dt.date, ...] | None = None) -> list[Result]:
        """One indicator's results at the month ends (or the given dates), in date order."""
        return [next(r for r in self.by_date[d] if r.code == code) for d in (dates or self.dates)]

    def has(self, code: str) -> bool:
        """Whether the indicator is in the results (a roll-up leaves out one that some center's plan lacks)."""
        return any(r.code == code for r in self.by_date[self.dates[-1]])


def build(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    as_of: dt.date,
    department: str | None = None,
    center: str | None = None,
    plans: dict[str, Plan] | None = None,
) -> Series:
    """The series of one center (None: the plan's only one), or with `plans` ({center: its plan of the year}, several)
    the roll-up of those centers (rollup.compute_many: sums, never averages of rates) with each center's own."""
    as_of = plan.clip(as_of)
    dates = tuple(month_ends(plan.year, as_of))
    quarters = [quarter_end(plan.year, q) for q in range(1, 5) if quarter_end(plan.year, q) <= as_of]
    if not quarters or quarters[-1] != as_of:
        quarters.append(as_of)
    if plans is not None and len(plans) > 1:
        rolled = rollup.compute_many(con, plans, list(dates))  # quarter ends and as_of are among the month ends
        return Series(
            dates=dates,
            quarter_dates=tuple(quarters),
            by_date={d: r.results for d, r in rolled.items()},
            by_center={d: r.by_center for d, r in rolled.items()},
        )
    return Series(
        dates=dates,
        quarter_dates=tuple(quarters),
        by_date=kpis.compute_many(con, plan, list(dates), department, center),
    )
