"""Indicator values and statuses at one or many as-of dates, from the named measure queries. No Streamlit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from . import db
from .pace import due_level, expected_level
from .plan import Indicator, Plan, Target
from .status import activity_status, status

CSV_HEADER = ("indicator", "activity", "value", "numerator", "denominator", "expected_now", "target_year", "status")


@dataclass(frozen=True)
class Result:
    """One indicator at one as-of date, for one center or a roll-up of centers. `value` is exact; rounding happens
    only when shown."""

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
    center: str | None = None  # None for a roll-up of several centers

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def is_rate(self) -> bool:
        return self.indicator.kind == "rate"

    @property
    def value_float(self) -> float | None:
        return None if self.value is None else float(self.value)


# the plan's measure -> the query file measuring it: measures of one table share a statement, each indicator a
# variant of it (the fixed cost of planning a statement dominates at a center's size: bench/FINDINGS.md)
STATEMENTS = {
    "event_count": "event_measures_by_as_of",
    "event_month_count": "event_measures_by_as_of",
    "event_type_count": "event_measures_by_as_of",
    "elderly_reached_sum": "event_measures_by_as_of",
    "request_count": "request_measures_by_as_of",
    "free_service_rate": "request_measures_by_as_of",
    "training_rate": "training_rate",
}


def variant(ind: Indicator) -> dict:
    """What tells one indicator from another measured by the same statement (the $variants entry, less its key)."""
    return {"measure": ind.measure, "event_types": list(ind.event_types), "priority_only": ind.priority_only}


def measure_params(
    plan: Plan,
    ind: Indicator,
    as_of_dates: list[dt.date],
    department: str | None,
    centers: list[str],
    variants: list[dict] | None = None,
) -> dict:
    """The exact parameters the indicator's statement (STATEMENTS) takes (the ones it names, from the plan). A
    statement that takes $variants measures several indicators at once: `variants` (default: this indicator's alone,
    key "0")."""
    available = {
        "centers": list(centers),
        "as_of_dates": as_of_dates,
        "period_start": plan.start,
        "department": department,
        "event_types": list(ind.event_types),
        "priority_only": ind.priority_only,
        "variants": variants if variants is not None else [{"key": "0", **variant(ind)}],
    }
    return {k: available[k] for k in db.params_of(STATEMENTS[ind.measure])}


def evaluate(
    plan: Plan,
    ind: Indicator,
    as_of: dt.date,
    department: str | None,
    row: tuple,
    target: Target | None,
    center: str | None,
) -> Result:
    """A Result from a measure row (numerator, denominator[, person_count, served_person_count]) and the target."""
    numerator, denominator = int(row[0]), (None if row[1] is None else int(row[1]))
    if ind.kind == "rate":
        value = Fraction(100 * numerator, denominator) if denominator else None
    else:
        value = Fraction(numerator)
    expected = due = None
    if target is not None:
        expected, due = expected_level(target, as_of).value, due_level(target, as_of).value
    return Result(
        indicator=ind,
        as_of=as_of,
        department=department,
        numerator=numerator,
        denominator=denominator,
        value=value,
        expected_now=expected,
        due_quarter=due,
        target_year=None if target is None else target.target_year,
        status=status(value, denominator, ind.kind, target, as_of, plan.year),
        person_count=None if len(row) < 3 or row[2] is None else int(row[2]),
        served_person_count=None if len(row) < 4 or row[3] is None else int(row[3]),
        center=center,
    )


def measure_rows_many(
    con: db.Source,
    plans: dict[str, Plan],
    codes: list[str],
    as_of_dates: list[dt.date],
    department: str | None = None,
) -> dict[tuple[str, str, dt.date], tuple]:
    """{(code, center, clipped date): (numerator, denominator, …)} of the indicators `codes` for every center of
    `plans` ({center: its plan}; each code must be in each). One query per statement and plan year when the
    statement takes $variants (every indicator it measures at once: the fixed cost of a statement is paid once, not
    per indicator), else one per distinct way of measuring."""
    groups: dict[tuple, list[tuple[str, str]]] = {}
    for center, plan in plans.items():
        for code in codes:
            ind = plan.indicator(code)
            statement = STATEMENTS[ind.measure]
            if "variants" in db.params_of(statement):
                key = (statement, plan.year)
            else:
                key = (statement, ind.event_types, ind.priority_only, plan.year)
            groups.setdefault(key, []).append((center, code))
    out: dict[tuple[str, str, dt.date], tuple] = {}
    for (statement, *_), members in groups.items():
        plan = plans[members[0][0]]
        ind = plan.indicator(members[0][1])
        centers = list(dict.fromkeys(c for c, _ in members))
        dates = sorted({plan.clip(d) for d in as_of_dates})
        keys: dict[tuple, str] = {}
        for c, code in members:
            other = plans[c].indicator(code)
            keys.setdefault((other.measure, other.event_types, other.priority_only), str(len(keys)))
        variants = [
            {"key": k, "measure": m, "event_types": list(types), "priority_only": p}
            for (m, types, p), k in keys.items()
        ]
        params = measure_params(plan, ind, dates, department, centers, variants)
        rows = db.query_rows(con, statement, **params)
        if "variants" in params:
            found = {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows}
            for c, code in members:
                other = plans[c].indicator(code)
                key = keys[(other.measure, other.event_types, other.priority_only)]
                out.update({(code, c, d): found[(key, c, d)] for d in dates})
        else:
            found = {(r[0], r[1]): tuple(r[2:]) for r in rows}
            for c, code in members:
                out.update({(code, c, d): found[(c, d)] for d in dates})
    return out


def _series(
    plan: Plan, ind: Indicator, dates: list[dt.date], department: str | None, center: str, rows: dict
) -> list[Result]:
    target = ind.target_for(department)
    return [evaluate(plan, ind, d, department, rows[(ind.code, center, d)], target, center) for d in dates]


def compute_series(
    con: db.Source,
    plan: Plan,
    ind: Indicator,
    as_of_dates: list[dt.date],
    department: str | None = None,
    center: str | None = None,
) -> list[Result]:
    """The indicator of one center at every given as-of date (each clipped into the plan year), in the given order."""
    center = plan.only_center(center)
    dates = [plan.clip(d) for d in as_of_dates]
    rows = measure_rows_many(con, {center: plan}, [ind.code], dates, department)
    return _series(plan, ind, dates, department, center, rows)


def compute(
    con: db.Source, plan: Plan, as_of: dt.date, department: str | None = None, center: str | None = None
) -> list[Result]:
    """All indicators of one center's plan at one as-of date, in the plan's order, from one snapshot."""
    return compute_many(con, plan, [as_of], department, center)[plan.clip(as_of)]


def compute_many(
    con: db.Source, plan: Plan, as_of_dates: list[dt.date], department: str | None = None, center: str | None = None
) -> dict[dt.date, list[Result]]:
    """All indicators of one center at many as-of dates from one snapshot, one query per measure (or per indicator
    for a measure without $variants): {clipped date: results in plan order}."""
    center = plan.only_center(center)
    dates = [plan.clip(d) for d in as_of_dates]
    with db.snapshot(con) as snap:
        rows = measure_rows_many(snap, {center: plan}, [ind.code for ind in plan.indicators], dates, department)
    series = [_series(plan, ind, dates, department, center, rows) for ind in plan.indicators]
    out: dict[dt.date, list[Result]] = {}
    for results in zip(*series, strict=True):
        out[results[0].as_of] = list(results)
    return out


def activity_statuses(plan: Plan, results: list[Result]) -> dict[str, str]:
    """{activity code: worst status of its indicators}."""
    return {
        a.code: activity_status([r.status for r in results if r.indicator.activity == a.code]) for a in plan.activities
    }


def round_half_away(value: Fraction, places: int = 2) -> Fraction:
    """Round half away from zero, exactly (no binary floating point on the way)."""
    scale = 10**places
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
