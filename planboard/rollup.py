"""Indicators of several centers for one year, rolled up as docs/centers.md says: sums of counts, numerators and
denominators, never averages of rates; with each center's own results beside them. No Streamlit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from . import db, kpis
from .plan import Plan, Target
from .status import activity_status


@dataclass(frozen=True)
class Rollup:
    """The roll-up of `centers` at one as-of date."""

    as_of: dt.date
    year: int
    plan: Plan  # names, activities and order: the first center's plan
    centers: tuple[str, ...]
    results: list[kpis.Result]  # rolled up, one per indicator every center's plan defines (center = None)
    by_center: dict[str, list[kpis.Result]]  # each center's own results, in its plan's order
    missing: dict[str, tuple[str, ...]]  # indicator code -> the centers whose plan lacks it (not rolled up)
    target_notes: dict[str, tuple[str, ...]]  # code -> centers whose target differs or is absent (monitor only)

    def activity_statuses(self) -> dict[str, str]:
        """{activity: worst status of its rolled-up indicators}, as for one center."""
        return {
            a.code: activity_status([r.status for r in self.results if r.indicator.activity == a.code])
            for a in self.plan.activities
        }

    def result(self, code: str) -> kpis.Result | None:
        return next((r for r in self.results if r.code == code), None)


def combined_target(kind: str, targets: dict[str, Target | None]) -> tuple[Target | None, tuple[str, ...]]:
    """The roll-up's target and the centers that make it monitor-only (empty when there is a target).
    Counts: the sums of the year and quarter targets when every center has one (and the same op). Rates: the
    centers' common target when all are equal."""
    absent = tuple(c for c, t in targets.items() if t is None)
    present = [t for t in targets.values() if t is not None]
    if not present:  # monitor-only in every plan: nothing differs
        return None, ()
    if kind == "count":
        if absent:
            return None, absent
        if len({t.op for t in present}) > 1:
            return None, tuple(targets)
        continuous = all(t.continuous for t in present)
        year = sum(t.target_year for t in present)
        quarters = (
            (year,) * 4
            if continuous
            else tuple(sum(q) for q in zip(*(t.quarter_targets for t in present), strict=True))
        )
        return Target(target_year=year, quarter_targets=quarters, op=present[0].op, continuous=continuous), ()
    if not absent and len(set(present)) == 1:
        return present[0], ()
    common = Counter(present).most_common(1)[0][0]
    return None, tuple(c for c, t in targets.items() if t is None or t != common)


def compute_many(
    con: db.Source, plans: dict[str, Plan], as_of_dates: list[dt.date], department: str | None = None
) -> dict[dt.date, Rollup]:
    """The roll-up of {center: its plan of one year} at each as-of date, from one snapshot. A unit filter
    (`department`) applies to a single center only."""
    if not plans:
        raise ValueError("no center to roll up")
    if len({p.year for p in plans.values()}) != 1:
        raise ValueError("a roll-up is of one year")
    if department is not None and len(plans) > 1:
        raise ValueError("a unit filter applies to one center only")
    centers = tuple(plans)
    first = plans[centers[0]]
    dates = sorted({first.clip(d) for d in as_of_dates})
    codes = list(dict.fromkeys(i.code for p in plans.values() for i in p.indicators))
    # the codes grouped by the centers whose plans have them: one measure_rows_many per group, so every indicator
    # measured by one statement is one query (not one query per indicator)
    by_holders: dict[tuple[str, ...], list[str]] = {}
    for code in codes:
        by_holders.setdefault(tuple(c for c, p in plans.items() if _has(p, code)), []).append(code)
    rows: dict[str, dict[tuple[str, dt.date], tuple]] = {code: {} for code in codes}
    with db.snapshot(con) as snap:
        for holders, group in by_holders.items():
            found = kpis.measure_rows_many(snap, {c: plans[c] for c in holders}, group, dates, department)
            for (code, c, d), row in found.items():
                rows[code][(c, d)] = row
    out = {}
    for d in dates:
        by_center = {
            c: [
                kpis.evaluate(p, ind, d, department, rows[ind.code][(c, d)], ind.target_for(department), c)
                for ind in p.indicators
            ]
            for c, p in plans.items()
        }
        missing = {
            code: tuple(c for c, p in plans.items() if not _has(p, code))
            for code in codes
            if not all(_has(p, code) for p in plans.values())
        }
        results, notes = [], {}
        for ind in first.indicators:
            if ind.code in missing:
                continue
            own = {c: next(r for r in by_center[c] if r.code == ind.code) for c in centers}
            target, note = combined_target(
                ind.kind, {c: plans[c].indicator(ind.code).target_for(department) for c in centers}
            )
            if note:
                notes[ind.code] = note
            row = (
                sum(r.numerator for r in own.values()),
                None if ind.kind != "rate" else sum(r.denominator or 0 for r in own.values()),
                _sum_or_none(r.person_count for r in own.values()),
                _sum_or_none(r.served_person_count for r in own.values()),
            )
            shown = replace(ind, target=target, unit_targets={}) if len(centers) > 1 else ind
            results.append(
                kpis.evaluate(first, shown, d, department, row, target, centers[0] if len(centers) == 1 else None)
            )
        out[d] = Rollup(
            as_of=d,
            year=first.year,
            plan=first,
            centers=centers,
            results=results,
            by_center=by_center,
            missing=missing,
            target_notes=notes,
        )
    return out


def compute(con: db.Source, plans: dict[str, Plan], as_of: dt.date, department: str | None = None) -> Rollup:
    """The roll-up at one as-of date."""
    first = next(iter(plans.values()))
    return compute_many(con, plans, [as_of], department)[first.clip(as_of)]


def _has(plan: Plan, code: str) -> bool:
    return any(i.code == code for i in plan.indicators)


def _sum_or_none(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)
