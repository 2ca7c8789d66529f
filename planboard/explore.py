"""Ad-hoc questions: group a dataset by one or two whitelisted dimensions and a whitelisted measure. No Streamlit.

Each dataset is a named query (queries/explore_<dataset>.sql) returning one row per record with its dimensions as
codes, of the centers the spec names (the reader's view; `center` is a dimension for a roll-up). The grouping SQL
around it is assembled here ONLY from the dictionaries below (dimension code -> column,
measure code -> aggregate); everything a user chooses is either looked up in them (unknown -> ValueError with a
Vietnamese message) or passed as a bound parameter ($flt_0, …). User text is never put into SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from . import codes, db, fmt, labels
from .i18n import t
from .plan import Plan


@dataclass(frozen=True)
class Dataset:
    code: str
    query: str
    dimensions: dict[str, str]
    measures: dict[str, str]
    dated: bool  # filtered by a period (requests, events) rather than taken at the as-of date


DATASETS: dict[str, Dataset] = {
    "requests": Dataset(
        code="requests",
        query="request_dimensions",
        dated=True,
        dimensions={
            "unit": "unit",
            "quarter": "quarter",
            "month": "month",
            "field": "field",
            "form": "form",
            "status": "status",
            "priority": "priority",
            "gender": "gender",
            "eligibility": "eligibility",
            "provider": "provider",
            "center": "center",
        },
        measures={"count": "count(*)", "persons": "count(distinct (center, resident_id))", "share": "count(*)"},
    ),
    "events": Dataset(
        code="events",
        query="event_dimensions",
        dated=True,
        dimensions={
            "unit": "unit",
            "quarter": "quarter",
            "month": "month",
            "activity": "activity",
            "event_type": "event_type",
            "center": "center",
        },
        measures={
            "count": "count(*)",
            "participants": "sum(participants)",
            "elderly": "sum(elderly_reached)",
            "share": "count(*)",
        },
    ),
    "residents": Dataset(
        code="residents",
        query="resident_dimensions",
        dated=False,
        dimensions={
            "unit": "unit",
            "gender": "gender",
            "eligibility": "eligibility",
            "age_group": "age_group",
            "meritorious": "meritorious",
            "poor_household": "poor_household",
            "hardship": "hardship",
            "center": "center",
        },
        measures={"count": "count(*)", "share": "count(*)"},
    ),
    "staff": Dataset(
        code="staff",
        query="staff_dimensions",
        dated=False,
        dimensions={"unit": "unit", "role": "role", "training": "training", "center": "center"},
        measures={"count": "count(*)", "share": "count(*)"},
    ),
}
YES_NO_DIMENSIONS = ("eligibility", "meritorious", "poor_household", "hardship", "role")
AGE_GROUPS = ("lt60", "60_69", "70_79", "80_plus")
TRAINING_STATUSES = ("trained", "not_completed", "not_trained")


@dataclass(frozen=True)
class Spec:
    """One question: dataset, group-by (one or two dimensions), measure, period and value filters, over the records
    of `centers` only (none given: no record)."""

    dataset: str
    by: str
    measure: str = "count"
    by2: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    as_of: dt.date | None = None
    department: str | None = None
    training_types: tuple[str, ...] = ()  # the plan's training event types (the staff dataset's training status)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    centers: tuple[str, ...] = ()


def dataset(code: str) -> Dataset:
    if code not in DATASETS:
        raise ValueError(t("explore.error_dataset", value=code, allowed=", ".join(DATASETS)))
    return DATASETS[code]


def _dimension(ds: Dataset, code: str) -> str:
    if code not in ds.dimensions:
        raise ValueError(t("explore.error_dimension", value=code, dataset=ds.code, allowed=", ".join(ds.dimensions)))
    return ds.dimensions[code]


def build(spec: Spec) -> tuple[str, dict]:
    """The SQL text and its parameters for a spec; every identifier comes from the whitelists above."""
    ds = dataset(spec.dataset)
    dim1 = _dimension(ds, spec.by)
    dim2 = _dimension(ds, spec.by2) if spec.by2 else None
    if spec.by2 == spec.by:
        raise ValueError(t("explore.error_same_dimension"))
    if spec.measure not in ds.measures:
        raise ValueError(t("explore.error_measure", value=spec.measure, allowed=", ".join(ds.measures)))
    params = {
        "centers": list(spec.centers),
        "period_start": spec.period_start,
        "period_end": spec.period_end,
        "as_of": spec.as_of,
        "department": spec.department,
        "training_types": list(spec.training_types),
    }
    wanted = db.params_of(ds.query)
    params = {k: v for k, v in params.items() if k in wanted}
    conditions = []
    for i, (code, values) in enumerate(sorted(spec.filters.items())):
        column = _dimension(ds, code)
        if not values:
            continue
        params[f"flt_{i}"] = [str(v) for v in values]
        conditions.append(f"list_contains($flt_{i}::varchar[], cast({column} as varchar))")
    where = " and ".join(conditions) or "true"
    base = db.sql(ds.query).strip().rstrip(";")
    groups = f"{dim1} as dim1" + (f", {dim2} as dim2" if dim2 else "")
    order = "dim1" + (", dim2" if dim2 else "")
    text = (
        f"with base as (\n{base}\n),\n"
        f"filtered as (select * from base where {where}),\n"
        f"grouped as (select {groups}, coalesce({ds.measures[spec.measure]}, 0)::bigint as value "
        f"from filtered group by all),\n"
        "final as (select *, 100.0 * value / nullif(sum(value) over (), 0) as share_pct from grouped)\n"
        f"select * from final order by {order}"
    )
    return text, params


def run(con: duckdb.DuckDBPyConnection, spec: Spec) -> pd.DataFrame:
    """Columns dim1[, dim2], value, share_pct; one row per group with at least one record."""
    text, params = build(spec)
    with db.cursor(con) as cur:
        return cur.execute(text, params).df()


def groups(plan: Plan, spec: Spec, dim: str) -> list | None:
    """Every group the question can have along `dim`, in the reader's order (None for free text: only the groups
    present): the plan's units (the chosen unit alone), the quarters and months of the period, every code, narrowed
    to the values the question filters this dimension by."""
    known = options(plan, dim)
    if known is None:
        return None
    if dim in ("quarter", "month") and spec.period_start and spec.period_end:
        first, last = (
            ((spec.period_start.month - 1) // 3 + 1, (spec.period_end.month - 1) // 3 + 1)
            if dim == "quarter"
            else (spec.period_start.month, spec.period_end.month)
        )
        known = [v for v in known if first <= int(v) <= last]
    if dim == "unit" and spec.department:
        known = [spec.department]
    if spec.filters.get(dim):
        known = [v for v in known if v in spec.filters[dim]]
    return [int(v) for v in known] if dim in ("quarter", "month") else known


def with_zero_groups(plan: Plan, spec: Spec, result: pd.DataFrame) -> pd.DataFrame:
    """The result of `run` with every group of the chosen dimension(s), those without a record at 0 (a chart of
    "women, land law, by quarter" shows Q II at 0 instead of leaving it out), in the reader's order."""
    dims = ["dim1"] + (["dim2"] if "dim2" in result.columns else [])
    axes = []
    for column, dim in zip(dims, [spec.by, spec.by2], strict=False):
        known = groups(plan, spec, dim)
        present = [v for v in result[column].tolist() if known is None or v not in known]
        axes.append(list(dict.fromkeys([*(known or []), *present])))
    full = pd.MultiIndex.from_product(axes, names=dims).to_frame(index=False)
    out = full.merge(result, on=dims, how="left")
    out["value"] = out["value"].fillna(0).astype("int64")
    out["share_pct"] = out["share_pct"].fillna(0.0).astype(float)
    return out


def label(plan: Plan, dim: str, value, lang: str = "vi") -> str:
    """The reader's label of a dimension value: 'Quý II/2024', 'Đất đai', 'CTXH', '(không ghi)'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return t("explore.not_given", lang)
    v = str(value)
    if v == "":
        return t("explore.not_given", lang)
    if dim == "unit":
        return labels.unit_short(plan, v)
    if dim == "quarter":
        return fmt.quarter_label(plan.year, int(value), lang)
    if dim == "month":
        return fmt.month_label(plan.year, int(value), lang)
    if dim == "activity":
        return labels.activity(plan, v, lang)
    if dim == "event_type":
        return labels.event_type(plan, v, lang)
    kinds = {
        "field": "legal_field",
        "form": "aid_form",
        "status": "case_status",
        "priority": "priority",
        "gender": "gender",
    }
    if dim in kinds and v:
        return labels.code(kinds[dim], v, lang)
    if dim in YES_NO_DIMENSIONS:
        return labels.yes_no(v == "yes", lang) if v in ("yes", "no") else v
    if dim == "age_group" and v in AGE_GROUPS:
        return t(f"explore.age_{v}", lang)
    if dim == "training" and v in TRAINING_STATUSES:
        return t(f"explore.training_{v}", lang)
    return v


def options(plan: Plan, dim: str) -> list[str] | None:
    """The known values of a code dimension (None for free text such as provider: take them from the data)."""
    lists = {
        "unit": [u.code for u in plan.units],
        "quarter": ["1", "2", "3", "4"],
        "month": [str(m) for m in range(1, 13)],
        "field": list(codes.LEGAL_FIELDS),
        "form": [*codes.AID_FORMS, ""],
        "status": list(codes.CASE_STATUSES),
        "priority": [*codes.PRIORITIES, ""],
        "gender": list(codes.GENDERS),
        "activity": [a.code for a in plan.activities],
        "event_type": [e.code for e in plan.event_types],
        "age_group": list(AGE_GROUPS),
        "training": list(TRAINING_STATUSES),
    }
    if dim in YES_NO_DIMENSIONS:
        return ["yes", "no"]
    return lists.get(dim)
