"""The report workbook (.xlsx): indicators, each activity's monthly and quarterly series, the period's records.

Numbers are written as numbers and dates as real dates (dd/mm/yyyy), headers in Vietnamese. Text that a
spreadsheet would read as a formula (starting with = + - @, or a tab/carriage return) is neutralised by a
leading apostrophe ' : the cell holds the visible text "'=…", which no spreadsheet evaluates and which shows
the reader the value was altered (OWASP's advice for formula injection). Personal columns go through
planboard.privacy.mask, decided by `personal_allowed`: True (every row shown: admin, leadership), False (viewers:
no sheet of requests at all, one row per request being a row about one person; the events sheet stays, its notes
masked) or a set of unit codes (row by row: a record of those units shows its personal data, any other
record reads ***: unit staff pass their own unit). No Streamlit."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Collection

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import codes, db, fmt, kpis, labels, org, privacy
from ..i18n import t
from ..periods import month_end, quarter_end, quarter_of
from ..plan import Plan
from . import series as series_mod
from .period import ReportPeriod
from .text import value_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="E8EAED")


def safe_text(value):
    """A text that cannot run as a formula: a leading apostrophe before = + - @ (tab, CR). Other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell_value(value):
    """pandas/DuckDB values as plain Python for openpyxl: Timestamp -> date, NaN/NaT -> None, text made safe."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    return safe_text(value)


def _write(
    ws: Worksheet,
    headers: list[str],
    rows: list[list],
    widths: list[int] | None = None,
    formats: dict[int, str] | None = None,
) -> None:
    """Header row 1 (bold, frozen, filter), then rows; dates get dd/mm/yyyy, `formats` {column index: format}."""
    ws.append([safe_text(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for i, cell in enumerate(row):
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif formats and i in formats and isinstance(cell.value, (int, float)):
                cell.number_format = formats[i]
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _indicator_sheet(ws: Worksheet, results: list[kpis.Result], lang: str) -> None:
    tr = lambda key: t(f"reports.xlsx.{key}", lang)  # noqa: E731
    headers = [
        tr(k)
        for k in (
            "col_code",
            "col_activity",
            "col_indicator",
            "col_kind",
            "col_value",
            "col_numerator",
            "col_denominator",
            "col_expected",
            "col_target",
            "col_status",
            "col_text",
            "col_as_of",
            "col_source",
            "col_note",
        )
    ]
    rows = []
    for r in results:
        rec = kpis.machine_record(r)
        note = t("fmt.small_sample", lang) if r.is_rate and fmt.is_small(r.denominator) else None
        source = None if r.indicator.source is None else tr(f"source_{r.indicator.source}")
        rows.append(
            [
                r.code,
                r.indicator.activity,
                r.indicator.name(lang),
                tr(f"kind_{r.indicator.kind}"),
                rec["value"],
                rec["numerator"],
                rec["denominator"],
                rec["expected_now"],
                rec["target_year"],
                labels.status(r.status, lang),
                value_text(r, lang),
                r.as_of,
                source,
                note,
            ]
        )
    _write(
        ws,
        headers,
        rows,
        widths=[16, 7, 60, 9, 10, 9, 9, 12, 11, 16, 24, 12, 22, 12],
        formats={4: "0.00", 5: "#,##0", 6: "#,##0", 7: "0.##", 8: "0.##"},
    )


def _activity_sheet(ws: Worksheet, plan: Plan, activity: str, s: series_mod.Series, lang: str) -> None:
    tr = lambda key, **v: t(f"reports.xlsx.{key}", lang, **v)  # noqa: E731
    inds = [ind for ind in plan.indicators_of(activity) if s.has(ind.code)]  # a roll-up may leave one out
    headers = [tr("col_period_kind"), tr("col_period"), tr("col_as_of")]
    for ind in inds:
        headers += [
            tr("col_series_value", code=ind.code),
            tr("col_series_expected", code=ind.code),
            tr("col_series_status", code=ind.code),
        ]
    rows = []
    for kind, dates in (("month", s.dates), ("quarter", s.quarter_dates)):
        for d in dates:
            label = _period_label(plan, kind, d, lang)
            row = [tr(f"kind_{kind}"), label, d]
            for ind in inds:
                r = next(x for x in s.by_date[d] if x.code == ind.code)
                rec = kpis.machine_record(r)
                row += [rec["value"], rec["expected_now"], labels.status(r.status, lang)]
            rows.append(row)
    formats = {3 + 3 * i: ("0.00" if ind.kind == "rate" else "#,##0") for i, ind in enumerate(inds)}
    _write(ws, headers, rows, widths=[8, 16, 12] + [14, 12, 16] * len(inds), formats=formats)


def _period_label(plan: Plan, kind: str, d: dt.date, lang: str) -> str:
    if kind == "month" and d == month_end(d.year, d.month):
        return fmt.month_label(d.year, d.month, lang)
    if kind == "quarter" and d == quarter_end(d.year, quarter_of(d)):
        return fmt.quarter_label(d.year, quarter_of(d), lang)
    return t("reports.xlsx.until", lang, date=fmt.date(d))


def _labels(mapping: dict, value):
    return (
        mapping.get(value, value)
        if value is not None and not (isinstance(value, float) and math.isnan(value))
        else None
    )


Allowed = bool | Collection[str]  # every row, no row, or the records of these units


def _mask(df: pd.DataFrame, allowed: Allowed) -> pd.DataFrame:
    """Personal columns masked for all rows (False), none (True) or rows outside the given units."""
    if isinstance(allowed, bool):
        return privacy.mask(df, privacy.PERSONAL_COLUMNS, allowed)
    units = {allowed} if isinstance(allowed, str) else set(allowed)
    return privacy.mask(df, privacy.PERSONAL_COLUMNS, df["department"].isin(units).to_numpy(dtype=bool).tolist())


def _by_center_sheet(ws: Worksheet, by_center: dict[str, list[kpis.Result]], names: dict[str, str], lang: str) -> None:
    """A roll-up's centers side by side: one row per (center, indicator) with its own value, counts and status."""
    tr = lambda key: t(f"reports.xlsx.{key}", lang)  # noqa: E731
    headers = [t("scope.report.col_center", lang), t("scope.report.col_center_name", lang)] + [
        tr(k)
        for k in (
            "col_code",
            "col_activity",
            "col_indicator",
            "col_value",
            "col_numerator",
            "col_denominator",
            "col_expected",
            "col_target",
            "col_status",
            "col_text",
        )
    ]
    rows = []
    for center, results in by_center.items():
        for r in results:
            rec = kpis.machine_record(r)
            rows.append(
                [
                    center,
                    names.get(center, center),
                    r.code,
                    r.indicator.activity,
                    r.indicator.name(lang),
                    rec["value"],
                    rec["numerator"],
                    rec["denominator"],
                    rec["expected_now"],
                    rec["target_year"],
                    labels.status(r.status, lang),
                    value_text(r, lang),
                ]
            )
    _write(
        ws,
        headers,
        rows,
        widths=[12, 36, 16, 7, 60, 10, 9, 9, 12, 11, 16, 24],
        formats={5: "0.00", 6: "#,##0", 7: "#,##0", 8: "0.##", 9: "0.##"},
    )


def _with_center(cols: tuple[str, ...], df: pd.DataFrame, names: dict[str, str] | None) -> tuple[str, ...]:
    """A roll-up's record sheets start with each row's center (its name)."""
    if names is None:
        return cols
    df["center"] = [names.get(c, c) for c in df["center"]]
    return ("center", *cols)


def _events_sheet(
    ws: Worksheet, plan: Plan, df: pd.DataFrame, allowed: Allowed, lang: str, names: dict[str, str] | None = None
) -> None:
    df = _mask(df, allowed)
    types = {e.code: e.label for e in plan.event_types}
    units = {u.code: u.label for u in plan.units}
    cols = (
        "event_id",
        "held_on",
        "activity",
        "event_type",
        "department",
        "title",
        "document_number",
        "participants",
        "elderly_reached",
        "notes",
    )
    cols = _with_center(cols, df, names)
    headers = [t(f"reports.xlsx.events.{c}", lang) if c != "center" else t("scope.col_center", lang) for c in cols]
    rows = []
    for rec in df.to_dict("records"):
        rec["event_type"] = _labels(types, rec["event_type"])
        rec["department"] = _labels(units, rec["department"])
        rows.append([rec[c] for c in cols])
    shift = len(cols) - 10
    _write(
        ws,
        headers,
        rows,
        widths=[36] * shift + [12, 12, 8, 40, 30, 50, 16, 10, 12, 30],
        formats={7 + shift: "#,##0", 8 + shift: "#,##0"},
    )


def _requests_sheet(
    ws: Worksheet, plan: Plan, df: pd.DataFrame, allowed: Allowed, lang: str, names: dict[str, str] | None = None
) -> None:
    df = _mask(df, allowed)
    units = {u.code: u.label for u in plan.units}
    yes_no = {True: labels.yes_no(True, lang), False: labels.yes_no(False, lang)}
    cols = (
        "case_id",
        "resident_id",
        "full_name",
        "requested_on",
        "department",
        "legal_field",
        "aid_form",
        "priority",
        "is_meritorious",
        "is_violence_victim",
        "provider",
        "referred_on",
        "accepted_on",
        "closed_on",
        "status",
        "fee_charged",
        "notes",
    )
    cols = _with_center(cols, df, names)
    headers = [t(f"reports.xlsx.requests.{c}", lang) if c != "center" else t("scope.col_center", lang) for c in cols]
    rows = []
    for rec in df.to_dict("records"):
        rec["department"] = _labels(units, rec["department"])
        rec["legal_field"] = _labels(codes.LEGAL_FIELDS, rec["legal_field"])
        rec["aid_form"] = _labels(codes.AID_FORMS, rec["aid_form"])
        rec["priority"] = _labels(codes.PRIORITIES, rec["priority"])  # '***' (masked) has no label, stays
        rec["status"] = _labels(codes.CASE_STATUSES, rec["status"])
        for flag in ("is_meritorious", "is_violence_victim"):
            if isinstance(rec[flag], bool):
                rec[flag] = yes_no[rec[flag]]
        rows.append([rec[c] for c in cols])
    shift = len(cols) - 17
    _write(
        ws,
        headers,
        rows,
        widths=[36] * shift + [10, 10, 24, 12, 30, 22, 20, 22, 10, 12, 28, 12, 12, 12, 16, 10, 30],
        formats={15 + shift: "#,##0"},
    )


def _info_sheet(
    ws: Worksheet, plan: Plan, period: ReportPeriod, department: str | None, lang: str, scope_label: str | None = None
) -> None:
    tr = lambda key: t(f"reports.xlsx.info.{key}", lang)  # noqa: E731
    unit = plan.unit(department).label if department else scope_label or t("app.all_units", lang)
    rows = [
        [tr("plan"), f"{plan.number} — {plan.title}"],
        [tr("issuer"), plan.issuer],
        [tr("period"), period.label(lang)],
        [tr("start"), period.start],
        [tr("as_of"), period.as_of],
        [tr("unit"), unit],
        [tr("note"), tr("note_text")],
    ]
    _write(ws, [tr("key"), tr("value")], rows, widths=[24, 100])


def build_xlsx(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    period: ReportPeriod,
    department: str | None = None,
    lang: str = "vi",
    personal_allowed: Allowed = True,
    center: str | None = None,
    plans: dict[str, Plan] | None = None,
    scope_label: str | None = None,
) -> bytes:
    """The workbook of one center (None: the plan's only one) as bytes: 'Chỉ tiêu', one sheet per activity, events
    and requests of the period (that center's only), info. With `plans` ({center: its plan of the year}, several
    centers) the workbook of their roll-up: rolled-up indicators and series, a sheet of each center's own results,
    and the records of those centers (each row naming its center).

    personal_allowed: True, False, or the unit codes whose records show personal data (see the module doc)."""
    several = plans is not None and len(plans) > 1
    centers = list(plans) if several else [plan.only_center(center)]
    s = series_mod.build(con, plan, period.as_of, department, centers[0], plans if several else None)
    results = s.by_date[period.as_of]
    names = {c.code: c.name for c in org.centers(con)} if several else None
    wb = Workbook()
    ws = wb.active
    ws.title = t("reports.xlsx.indicator_sheet", lang)
    _indicator_sheet(ws, results, lang)
    if several:
        _by_center_sheet(
            wb.create_sheet(t("scope.report.by_center_sheet", lang)), s.by_center[period.as_of], names, lang
        )
    for a in plan.activities:
        _activity_sheet(wb.create_sheet(t("reports.xlsx.activity_sheet", lang, code=a.code)), plan, a.code, s, lang)
    params = {"centers": centers, "period_start": period.start, "period_end": period.as_of, "department": department}
    _events_sheet(
        wb.create_sheet(t("reports.xlsx.events_sheet", lang)),
        plan,
        db.query(
            con,
            "events_register",
            **params,
            activities=[],
            event_types=[],
            row_limit=None,
        ),
        personal_allowed,
        lang,
        names,
    )
    if personal_allowed is not False:  # viewers: aggregates only (planboard.privacy.sees_records)
        _requests_sheet(
            wb.create_sheet(t("reports.xlsx.requests_sheet", lang)),
            plan,
            db.query(con, "requests_list", **params),
            personal_allowed,
            lang,
            names,
        )
    _info_sheet(wb.create_sheet(t("reports.xlsx.info_sheet", lang)), plan, period, department, lang, scope_label)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
