"""Indicator values and statuses at one or many as-of dates, from the named measure queries. No Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import duckdb

from . import db
from .plan import Indicator, Plan
from .status import activity_status, levels, status

CSV_HEADER = ("indicator", "activity", "value", "numerator", "denominator", "expected_now", "target_year", "status")


@dataclass(frozen=True)
class Result:
    """One indicator at one as-of date. `value` is exact; rounding happens only when shown."""

    indicator: Indicator
    as_of: dt.date
    department: str | None
    numerator: int
    denominator: int | None
    value: Fraction | None
    expected_now: float | None
    due_quarter: float | None
    target_year: float | None
    status: str
    person_count: int | None = None
    served_person_count: int | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_rate(self) -> bool:
        return self.indicator.kind == "rate"

    @property
    def value_float(self) -> float | None:
        return None if self.value is None else float(self.value)


def measure_params(plan: Plan, ind: Indicator, as_of_dates: list[dt.date], department: str | None) -> dict:
    """The exact parameters the indicator's query file takes."""
    params = {"as_of_dates": as_of_dates, "period_start": plan.start, "department": department}
    if ind.measure in ("event_count", "event_month_count", "event_type_count", "elderly_reached_sum"):
        params["event_types"] = list(ind.event_types)
    if ind.measure == "free_service_rate":
        params["priority_only"] = ind.priority_only
    return params


def compute_series(con: duckdb.DuckDBPyConnection, plan: Plan, ind: Indicator, as_of_dates: list[dt.date],
                   department: str | None = None) -> list[Result]:
    """The indicator at every given as-of date (each clipped into the plan year), in the given order."""
    dates = [plan.clip(d) for d in as_of_dates]
    unique = sorted(set(dates))
    rows = db.query_rows(con, ind.measure, **measure_params(plan, ind, unique, department))
    by_date = {r[0]: r for r in rows}
    target = ind.target_for(department)
    out = []
    for d in dates:
        row = by_date[d]
        numerator, denominator = int(row[1]), (None if row[2] is None else int(row[2]))
        if ind.kind == "rate":
            value = Fraction(100 * numerator, denominator) if denominator else None
        else:
            value = Fraction(numerator)
        expected = due = None
        if target is not None:
            expected, due, _, _ = levels(target, d)
        out.append(Result(
            indicator=ind, as_of=d, department=department, numerator=numerator, denominator=denominator,
            value=value, expected_now=expected, due_quarter=due,
            target_year=None if target is None else target.target_year,
            status=status(value, denominator, ind.kind, target, d, plan.year),
            person_count=int(row[3]) if len(row) > 3 else None,
            served_person_count=int(row[4]) if len(row) > 4 else None,
        ))
    return out


def compute(con: duckdb.DuckDBPyConnection, plan: Plan, as_of: dt.date, department: str | None = None) -> list[Result]:
    """All indicators of the plan at one as-of date, in the plan's order."""
    return [compute_series(con, plan, ind, [as_of], department)[0] for ind in plan.indicators]


def compute_many(con: duckdb.DuckDBPyConnection, plan: Plan, as_of_dates: list[dt.date],
                 department: str | None = None) -> dict[dt.date, list[Result]]:
    """All indicators at many as-of dates with one query per indicator: {clipped date: results in plan order}."""
    series = [compute_series(con, plan, ind, as_of_dates, department) for ind in plan.indicators]
    out: dict[dt.date, list[Result]] = {}
    for results in zip(*series, strict=True):
        out[results[0].as_of] = list(results)
    return out


def activity_statuses(plan: Plan, results: list[Result]) -> dict[str, str]:
    """{activity code: worst status of its indicators}."""
    return {a.code: activity_status([r.status for r in results if r.indicator.activity == a.code])
            for a in plan.activities}


def round_half_away(value: Fraction, places: int = 2) -> Fraction:
    """Round half away from zero, exactly (no binary floating point on the way)."""
    scale = 10 ** places
    scaled = abs(value) * scale
    rounded = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return Fraction(rounded if value >= 0 else -rounded, scale)


def _number(x: float | int | None):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def machine_record(r: Result) -> dict:
    """The row of `kpis` output: numbers as numbers, empty as None (indicators.md, "Machine-readable output")."""
    if r.is_rate:
        value = None if r.value is None else float(round_half_away(r.value))
    else:
        value = r.numerator
    return {
        "indicator": r.code,
        "activity": r.indicator.activity,
        "value": value,
        "numerator": r.numerator,
        "denominator": r.denominator,
        "expected_now": _number(r.expected_now),
        "target_year": _number(r.target_year),
        "status": r.status,
    }


def csv_cell(key: str, value) -> str:
    """Machine text of one cell: '.' decimals, rates with 2 decimals, empty for None."""
    if value is None:
        return ""
    if key == "value" and isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
