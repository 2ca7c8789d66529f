"""Báo cáo: the meeting brief, the official report (.docx) and the workbook (.xlsx) for a chosen period."""

import datetime as dt
import logging
from dataclasses import astuple

import streamlit as st

from planboard import fmt, labels, meetings, privacy, reports
from planboard.periods import today_vn
from planboard.reports import brief as brief_mod
from planboard.reports import settings as report_settings
from planboard.ui import auth, data, exporting, filters, meeting_view

plan = data.plan()
f = filters.current(plan)
con = data.connection()
user = auth.current_user(con)
# The workbook's record sheets by role: admin and leadership see personal data, viewers none, unit staff only on the
# records of their own unit (row by row; the other rows read ***). The brief and the .docx hold aggregates only.
personal = privacy.report_allowed(user)
# The view's centers: one center's report, or a roll-up's (the brief and the workbook of the province or of every
# center of the reader's scope, with each center beside the sums; the official .docx is made per center).
view = data.view()
rollup_label = data.view_label(view) if view.is_rollup else None


title = st.empty()
c1, c2 = st.columns([2, 1])
kind = (
    c1.segmented_control(
        f.tr("reports.page.period"),
        reports.KINDS,
        default="month",
        key="rp_kind",
        format_func=lambda k: f.tr(f"reports.period.{k}"),
    )
    or "month"
)
base = reports.report_period(plan, kind, None if kind == "half" else f.as_of)
month_end_half = dt.date(plan.year, 6, 30)
if kind == "half" and base.as_of != month_end_half:
    # Six months: the plan's reporting cut-off (e.g. 14/06) or the month end (30/06), offered side by side.
    choices = {"cutoff": base.as_of, "month_end": month_end_half}
    pick = c1.radio(
        f.tr("reports.page.half_pick"),
        list(choices),
        horizontal=True,
        key="rp_half_pick",
        format_func=lambda k: f.tr(f"reports.page.half_{k}", date=fmt.date(choices[k])),
    )
    base = reports.report_period(plan, kind, choices[pick])
as_of = c2.date_input(
    f.tr("reports.page.as_of"),
    value=base.as_of,
    min_value=plan.start,
    max_value=plan.end,
    format="DD/MM/YYYY",
    key=f"rp_as_of_{kind}_{base.as_of.isoformat()}",
    help=f.tr("reports.page.as_of_help"),
)
period = reports.report_period(plan, kind, as_of or base.as_of)
title.title(f.tr("reports.page.title", period=period.label(f.lang), date=fmt.date(period.as_of)))
# The report's own data date, where nobody misses it; and why it is not the dashboard's when they differ.
as_of_line = f.tr("reports.page.as_of_line", date=fmt.date(period.as_of), start=fmt.date(plan.start))
if period.as_of != f.as_of:
    st.warning(
        as_of_line + " " + f.tr("reports.page.as_of_differs", dashboard=fmt.date(f.as_of)), icon=":material/event:"
    )
else:
    st.info(as_of_line, icon=":material/event:")
if kind == "half" and period.as_of != month_end_half:
    st.caption(
        f.tr(
            "reports.page.half_why",
            cutoff=fmt.date(dt.date(plan.year, *plan.half_year_cutoff)),
            month_end=fmt.date(month_end_half),
        )
    )
if f.unit:
    st.caption(f.tr("reports.page.unit_caption", unit=labels.unit_name(plan, f.unit, f.lang)))

version = data.version()
scope_key = (tuple(view.centers), view.year, rollup_label)
meeting_scope = meeting_view.scope_of(view, data.centers())  # the brief compares with this scope's last meeting
since = meetings.baseline_meeting(con, meeting_scope, period.as_of, period.start)
brief = data.brief(version, *scope_key, kind, period.as_of, f.unit, f.lang, meeting_scope, since and since.meeting_id)
if rollup_label:
    st.caption(f.tr("scope.reports_rollup", label=rollup_label))

behind_activities = sum(1 for s in brief.activity_statuses.values() if s in brief_mod.BEHIND)
on_track = sum(1 for r in brief.results if r.status in ("dat", "dung_tien_do"))
m1, m2, m3 = st.columns(3)
m1.metric(f.tr("reports.page.metric_activities"), f"{behind_activities}/{len(plan.activities)}")
m2.metric(f.tr("reports.page.metric_behind"), len(brief.behind))
m3.metric(f.tr("reports.page.metric_on_track"), on_track)

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(f.tr("reports.page.brief_header"))
    with st.container(border=True):
        st.markdown(brief.markdown)
    with st.expander(f.tr("reports.page.copy_header"), icon=":material/content_copy:"):
        st.caption(f.tr("reports.page.copy_help"))
        st.code(brief.markdown, language="markdown", wrap_lines=True)

with right:
    settings = report_settings.load(con, plan, center=view.center or view.centers[0])  # a roll-up: its first center
    st.subheader(f.tr("reports.page.download_header"))
    # The day the report is signed, whatever period it covers: today unless the signer dates it otherwise.
    issued_on = (
        st.date_input(
            f.tr("reports.page.issued_on"),
            value=today_vn(),
            format="DD/MM/YYYY",
            key="rp_issued_on",
            help=f.tr("reports.page.issued_on_help"),
        )
        or today_vn()
    )
    missing = report_settings.missing(settings)
    if missing:  # the .docx would carry dotted lines where the signer's text belongs
        st.warning(
            f.tr("reports.page.fill_first", sections=", ".join(f.tr(f"reports.page.{k}") for k in missing)),
            icon=":material/edit_note:",
        )
    scope_slug = None if rollup_label is None else f"tinh-{view.province.lower()}" if view.province else "tat-ca"
    name = {k: reports.file_name(plan, period, k, scope_slug) for k in reports.FORMATS}
    st.download_button(
        f.tr("reports.page.download_md"),
        lambda: brief.markdown.encode("utf-8"),
        file_name=name["md"],
        mime=reports.MIME["md"],
        icon=":material/notes:",
        width="stretch",
        on_click="ignore",
    )
    log = logging.getLogger(__name__)

    def _build(fmt_: str, allowed: bool | tuple[str, ...], args=(version, *scope_key, kind, period.as_of, f.unit)):
        """The file's bytes, built when its button is clicked (on Streamlit's download thread, not in the render:
        the workbook holds every request of the period). A failure is logged; the user sees its reason only."""

        def build() -> bytes:
            try:
                return data.report_file(*args, fmt_, astuple(settings), issued_on, allowed)
            except Exception as e:
                log.exception("report build failed")
                raise RuntimeError(f.tr("reports.page.build_failed", reason=type(e).__name__)) from None

        return build

    if rollup_label is None:  # the official report is one center's (its number, signer and recipients)
        st.download_button(
            f.tr("reports.page.download_docx"),
            _build("docx", False),
            file_name=name["docx"],
            mime=reports.MIME["docx"],
            icon=":material/description:",
            width="stretch",
            type="primary",
            on_click="ignore",
        )
    # A workbook whose record sheets may show personal data: each download is audited (export_personal).
    st.download_button(
        f.tr("reports.page.download_xlsx"),
        _build("xlsx", personal),
        file_name=name["xlsx"],
        mime=reports.MIME["xlsx"],
        icon=":material/table_view:",
        width="stretch",
        on_click=(lambda: exporting.audit_export(name["xlsx"], None, what="report_xlsx")) if personal else "ignore",
        key="rp_xlsx",
    )
    st.caption(f.tr("reports.page.built_on_click"))
    if personal is not True:
        exporting.masked_note(True, f.lang)

    if rollup_label is not None:  # the settings below are the official report's, made per center
        st.stop()
    st.subheader(f.tr("reports.page.settings_header"))
    if st.session_state.pop("rp_saved", False):
        st.success(f.tr("reports.page.saved"), icon=":material/check_circle:")
    with st.form("rp_settings", border=True):
        number = st.text_input(
            f.tr("reports.page.number"),
            value=settings.number,
            help=f.tr("reports.page.number_help", short=plan.issuer_short),
        )
        signer = st.text_input(f.tr("reports.page.signer"), value=settings.signer)
        signer_title = st.text_input(f.tr("reports.page.signer_title"), value=settings.signer_title)
        recipients = st.text_area(f.tr("reports.page.recipients"), value=settings.recipients, height=120)
        difficulties = st.text_area(
            f.tr("reports.page.difficulties"),
            height=120,
            value=report_settings.written(settings.difficulties),
            placeholder=report_settings.prompt("difficulties", f.lang),
        )
        proposals = st.text_area(
            f.tr("reports.page.proposals"),
            height=120,
            value=report_settings.written(settings.proposals),
            placeholder=report_settings.prompt("proposals", f.lang),
        )
        may_edit = user.can("edit")  # viewers read the settings but do not change what others sign
        if (
            st.form_submit_button(
                f.tr("reports.page.save"),
                icon=":material/save:",
                disabled=not may_edit,
                help=None if may_edit else f.tr("auth.not_allowed"),
            )
            and may_edit
        ):
            new = report_settings.ReportSettings(
                number=number,
                signer=signer,
                signer_title=signer_title,
                recipients=recipients,
                difficulties=difficulties,
                proposals=proposals,
            )
            try:
                report_settings.save(con, new, view.center or view.centers[0])
            except Exception as e:  # e.g. the database is read-only; the user sees what failed, not a traceback
                logging.getLogger(__name__).exception("saving report settings failed")
                st.error(f.tr("reports.page.save_failed", reason=type(e).__name__))
            else:
                st.session_state["rp_saved"] = True
                st.rerun()
