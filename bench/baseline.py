"""The 13 indicators the pandas way: what a user would otherwise build from the same CSV files.

A faithful, idiomatic reading of docs/indicators.md: read each CSV once into a DataFrame, then for each
indicator filter, merge and group in pandas. It shares nothing with the SQL side except the plan (which indicator
uses which measure and event types), so agreement with `planboard.kpis` is an independent check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planboard.plan import Indicator, Plan

DATES = {
    "residents": ["birth_date", "admitted_on", "left_on"],
    "cases": ["requested_on", "referred_on", "accepted_on", "closed_on"],
    "events": ["held_on"],
    "staff": ["active_from", "active_to"],
    "training": [],
}
TEXT = {
    "residents": ["resident_id"],
    "cases": ["case_id", "resident_id", "priority"],
    "events": ["event_id", "activity"],
    "staff": ["staff_id"],
    "training": ["event_id", "staff_id"],
}


@dataclass(frozen=True)
class Value:
    code: str
    numerator: int
    denominator: int | None
    person_count: int | None = None
    served_person_count: int | None = None


def load(folder: Path) -> dict[str, pd.DataFrame]:
    """The five CSV files as DataFrames (dates parsed, ids as text, true/false as booleans)."""
    out = {}
    for name, dates in DATES.items():
        df = pd.read_csv(folder / f"{name}.csv", dtype={c: "str" for c in TEXT[name]}, low_memory=False)
        for c in dates:
            df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
        out[name] = df
    return out


def _in_period(s: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return (s >= start) & (s <= end)


def _unit(df: pd.DataFrame, department: str | None) -> pd.Series:
    return df["department"] == department if department else pd.Series(True, index=df.index)


def _events(t: dict[str, pd.DataFrame], ind: Indicator, start, end, department) -> pd.DataFrame:
    ev = t["events"]
    mask = ev["event_type"].isin(ind.event_types) & _in_period(ev["held_on"], start, end) & _unit(ev, department)
    return ev[mask]


def _age(birth: pd.Series, on: pd.Series) -> pd.Series:
    """Completed years: year difference, minus one before the birthday (29 February reached on 1 March)."""
    before = on.dt.month * 100 + on.dt.day < birth.dt.month * 100 + birth.dt.day
    return on.dt.year - birth.dt.year - before.astype(int)


def _training_rate(t, ind, start, end, department) -> Value:
    staff = t["staff"]
    workers = staff[
        staff["is_legal_aid_worker"]
        & _unit(staff, department)
        & (staff["active_from"].isna() | (staff["active_from"] <= end))
        & (staff["active_to"].isna() | (staff["active_to"] >= end))
    ]
    ev = t["events"]
    courses = ev.loc[ev["event_type"].isin(ind.event_types) & _in_period(ev["held_on"], start, end), ["event_id"]]
    tr = t["training"]
    # merges, not Series.isin: isin against a long list of pyarrow strings runs a Python loop in pandas 3
    trained = tr[tr["completed"].fillna(True).astype(bool)].merge(courses, on="event_id")[["staff_id"]]
    numerator = len(workers[["staff_id"]].merge(trained.drop_duplicates(), on="staff_id"))
    return Value(ind.code, numerator, len(workers))


def _free_service_rate(t, ind, start, end, department) -> Value:
    cases = t["cases"]
    cases = cases[_in_period(cases["requested_on"], start, end) & _unit(cases, department)]
    residents = t["residents"][
        [
            "resident_id",
            "birth_date",
            "is_meritorious",
            "is_poor_household",
            "has_financial_hardship",
            "is_violence_victim",
        ]
    ]
    m = cases.merge(residents, on="resident_id", how="inner")
    eligible = (_age(m["birth_date"], m["requested_on"]) >= 60) & (
        m["is_meritorious"] | m["is_poor_household"] | m["has_financial_hardship"]
    )
    withdrawn = (m["status"] == "rut_yeu_cau") & (m["closed_on"] <= end)
    keep = eligible & ~withdrawn
    if ind.priority_only:
        keep &= m["priority"].fillna("").ne("") | m["is_meritorious"] | m["is_violence_victim"]
    m = m[keep]
    served = (m["accepted_on"] <= end) & (m["fee_charged"] == 0) & (m["status"] != "tu_choi")
    persons = served.groupby(m["resident_id"]).all()
    return Value(ind.code, int(served.sum()), len(m), len(persons), int(persons.sum()))


def indicator(
    t: dict[str, pd.DataFrame], plan: Plan, ind: Indicator, as_of: dt.date, department: str | None = None
) -> Value:
    """One indicator at one as-of date (clipped into the plan year), counted from 1 January."""
    start, end = pd.Timestamp(plan.start), pd.Timestamp(plan.clip(as_of))
    if ind.measure == "event_count":
        return Value(ind.code, len(_events(t, ind, start, end, department)), None)
    if ind.measure == "event_month_count":
        return Value(ind.code, int(_events(t, ind, start, end, department)["held_on"].dt.month.nunique()), None)
    if ind.measure == "event_type_count":
        return Value(ind.code, int(_events(t, ind, start, end, department)["event_type"].nunique()), None)
    if ind.measure == "elderly_reached_sum":
        return Value(ind.code, int(_events(t, ind, start, end, department)["elderly_reached"].fillna(0).sum()), None)
    if ind.measure == "request_count":
        cases = t["cases"]
        return Value(
            ind.code, int((_in_period(cases["requested_on"], start, end) & _unit(cases, department)).sum()), None
        )
    if ind.measure == "training_rate":
        return _training_rate(t, ind, start, end, department)
    if ind.measure == "free_service_rate":
        return _free_service_rate(t, ind, start, end, department)
    raise ValueError(f"unknown measure {ind.measure}")


def compute(t: dict[str, pd.DataFrame], plan: Plan, as_of: dt.date, department: str | None = None) -> list[Value]:
    """All indicators of the plan at one as-of date, in the plan's order."""
    return [indicator(t, plan, ind, as_of, department) for ind in plan.indicators]


def mismatches(duck: list, panda: list[Value]) -> list[str]:
    """Differences between kpis.compute results and the baseline: numerator, denominator, person counts."""
    out = []
    for r, v in zip(duck, panda, strict=True):
        got = (v.numerator, v.denominator, v.person_count, v.served_person_count)
        want = (r.numerator, r.denominator, r.person_count, r.served_person_count)
        if r.code != v.code or got != want:
            out.append(f"{r.code} at {r.as_of}: duckdb {want} != pandas {got}")
    return out
