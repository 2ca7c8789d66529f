"""Reports out: the meeting brief (Markdown), the official report (.docx) and the workbook (.xlsx). No Streamlit.

All three read `planboard.kpis`, the same numbers the dashboard shows; `render` is what the command line and
the Báo cáo page call."""

from __future__ import annotations

import datetime as dt

import duckdb

from .. import org
from ..i18n import t
from ..plan import Plan
from .period import KINDS, ReportPeriod, report_period
from .settings import ReportSettings

FORMATS = ("md", "docx", "xlsx")
MIME = {
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class RollupError(ValueError):
    """A report that is made per center only (the official .docx) was asked of a roll-up."""


__all__ = [
    "RollupError",
    "FORMATS",
    "KINDS",
    "MIME",
    "ReportPeriod",
    "ReportSettings",
    "file_name",
    "render",
    "report_period",
]


def file_name(plan: Plan, period: ReportPeriod, fmt: str, scope: str | None = None) -> str:
    """'bao-cao-tgpl-thang-06-2024.docx'; a roll-up's names its scope: 'bao-cao-tgpl-tinh-bl-thang-06-2024.xlsx'."""
    return f"bao-cao-tgpl-{scope + '-' if scope else ''}{period.slug()}.{fmt}"


def render(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    period: ReportPeriod,
    fmt: str,
    settings: ReportSettings | None = None,
    department: str | None = None,
    lang: str = "vi",
    issued_on: dt.date | None = None,
    personal_allowed: bool = True,
    center: str | None = None,
    plans: dict[str, Plan] | None = None,
    scope_label: str | None = None,
    scope: org.Scope | None = None,
) -> bytes:
    """The report file of format `fmt` (md, docx, xlsx) as bytes, of one center (None: the plan's only center): its
    numbers and records only. With `plans` ({center: its plan of the year}, several centers): the roll-up's brief or
    workbook (`scope_label` names it, e.g. 'Tỉnh Bạc Liêu'; `scope`, a province, says whose meetings the brief compares
    with: meetings.baseline); the official .docx is made per center (RollupError)."""
    from . import brief, docx_report, xlsx_report
    from . import settings as settings_mod

    several = plans is not None and len(plans) > 1
    if fmt == "md":
        return brief.build(
            con, plan, period, department, lang, center=center, plans=plans, scope_label=scope_label, scope=scope
        ).markdown.encode("utf-8")
    if fmt == "docx" and several:
        raise RollupError(t("scope.report.docx_rollup", lang))
    if fmt == "docx":
        settings = settings or settings_mod.load(con, plan, center=center)
        return docx_report.build_docx(con, plan, period, settings, department, issued_on, center=center)
    if fmt == "xlsx":
        return xlsx_report.build_xlsx(
            con, plan, period, department, "vi", personal_allowed, center=center, plans=plans, scope_label=scope_label
        )
    raise ValueError(f"unknown report format: {fmt}")
