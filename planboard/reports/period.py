"""Report periods (month, quarter, six months, year) and their as-of dates. No SQL, no Streamlit.

Figures are always cumulative from 1 January of the plan year to the report's as_of (indicators.md,
"Reports and periods"); the period only decides the default as_of and the report's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import fmt
from ..i18n import t
from ..periods import ROMAN, half_year_end, month_end, previous_month_end, quarter_end, quarter_of, today_vn
from ..plan import Plan

KINDS = ("month", "quarter", "half", "year")


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    year: int
    as_of: dt.date
    start: dt.date
    previous: dt.date | None  # the previous month end, for "change since last month"; None in January

    def label(self, lang: str = "vi") -> str:
        """'Tháng 6/2024', 'Quý II/2024', '6 tháng đầu năm 2024', 'Năm 2024'."""
        if self.kind == "month":
            return fmt.month_label(self.year, self.as_of.month, lang)
        if self.kind == "quarter":
            return fmt.quarter_label(self.year, quarter_of(self.as_of), lang)
        return t(f"reports.period.{self.kind}_label", lang, year=self.year, roman=ROMAN[quarter_of(self.as_of) - 1])

    def slug(self) -> str:
        """A file-name part: 'thang-06-2024', 'quy-2-2024', '6-thang-2024', 'nam-2024'."""
        if self.kind == "month":
            return f"thang-{self.as_of.month:02d}-{self.year}"
        if self.kind == "quarter":
            return f"quy-{quarter_of(self.as_of)}-{self.year}"
        if self.kind == "half":
            return f"6-thang-{self.year}"
        return f"nam-{self.year}"


def default_as_of(plan: Plan, kind: str, today: dt.date | None = None) -> dt.date:
    """The as_of a report of this kind takes when none is given (clipped into the plan year).

    month/quarter: the end of today's month/quarter; half: the plan's half_year_cutoff (e.g. 14/06);
    year: 31 December."""
    today = plan.clip(today or today_vn())
    if kind == "month":
        return plan.clip(month_end(today.year, today.month))
    if kind == "quarter":
        return plan.clip(quarter_end(today.year, quarter_of(today)))
    if kind == "half":
        return half_year_end(plan.year, plan.half_year_cutoff)
    if kind == "year":
        return plan.end
    raise ValueError(f"unknown report period: {kind}")


def report_period(plan: Plan, kind: str, as_of: dt.date | None = None, today: dt.date | None = None) -> ReportPeriod:
    """The report period of `kind` at `as_of` (given, or the kind's default), clipped into the plan year."""
    if kind not in KINDS:
        raise ValueError(f"unknown report period: {kind}")
    d = plan.clip(as_of) if as_of is not None else default_as_of(plan, kind, today)
    prev = previous_month_end(d)
    return ReportPeriod(
        kind=kind, year=plan.year, as_of=d, start=plan.start, previous=prev if prev >= plan.start else None
    )
