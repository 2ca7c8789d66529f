"""Theo hoạt động: one activity of the plan — its indicators month by month against the targets, then the records
behind the numbers (events, requests, trainees). Layout only: numbers come from data.* and named queries."""

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from planboard import annotations, fmt, kpis, labels, meetings, pace, privacy
from planboard.periods import month_end, month_ends, quarter_end, quarter_start
from planboard.ui import (
    annotation_view,
    auth,
    cards,
    charts,
    components,
    data,
    exporting,
    filters,
    meeting_view,
    records,
)

plan = data.plan()
f = filters.current(plan)
tr = f.tr
ACTIVITIES = [a.code for a in plan.activities]
YES_NO = {True: labels.yes_no(True, f.lang), False: labels.yes_no(False, f.lang)}
with_center = exporting.center_column(f.lang)  # a roll-up's records name each row's center


# --- the activity and indicator in the URL (?activity=4.1&indicator=A41_PHAT_THANH) ---------------------------------


def _seed_from_url() -> None:
    """Take the activity from the URL on arrival or when the URL changed (a link from the overview)."""
    qp = st.query_params
    current = (qp.get("activity"), qp.get("indicator"))
    if st.session_state.get("_act_url_seen") == current and "act_pick" in st.session_state:
        return
    code = current[0]
    if code not in ACTIVITIES and current[1] in {i.code for i in plan.indicators}:
        code = plan.indicator(current[1]).activity
    st.session_state["act_pick"] = code if code in ACTIVITIES else ACTIVITIES[0]


_seed_from_url()
code = st.selectbox(
    tr("activities.pick"), ACTIVITIES, key="act_pick", format_func=lambda c: labels.activity(plan, c, f.lang)
)
if st.query_params.get("activity") != code:
    st.query_params["activity"] = code
own_codes = [i.code for i in plan.indicators_of(code)]
focus = st.query_params.get("indicator")
if focus is not None and focus not in own_codes:
    del st.query_params["indicator"]
    focus = None
st.session_state["_act_url_seen"] = (st.query_params.get("activity"), st.query_params.get("indicator"))

activity = plan.activity(code)
unit = plan.unit(f.unit) if f.unit else None
components.page_title(
    tr("activities.title", code=code, short=activity.name(f.lang), date=fmt.date(f.as_of)), plan, f.unit
)


# --- what the plan says, and the activity's status ----------------------------------------------------------------


def _units(codes_: tuple[str, ...]) -> str:
    return ", ".join(labels.unit_names(plan, codes_, f.lang)) or "–"


center = data.indicators(f.as_of, None)
center_status = kpis.activity_statuses(plan, center)[code]
st.markdown(
    f"{tr('activities.status_center')}: {components.status_pill(center_status, f.lang)}",
    unsafe_allow_html=True,
)
with st.container(border=True):
    st.markdown(f"**{activity.full_title(f.lang)}**")
    left, right = st.columns(2)
    left.markdown(
        f":material/person: **{tr('activities.lead')}:** {_units(activity.lead)}  \n"
        f":material/group: **{tr('activities.coordinating')}:** {_units(activity.coordinating)}"
    )
    right.markdown(
        f":material/event: **{tr('activities.time_frame')}:** {activity.when(f.lang) or '–'}  \n"
        f":material/flag: **{tr('activities.output')}:** {activity.expected_output(f.lang) or '–'}"
    )
if unit:
    st.caption(tr("activities.unit_caption", unit=labels.unit_name(plan, unit.code, f.lang)))


# --- key numbers: each indicator now --------------------------------------------------------------------------------

dates = month_ends(plan.year, f.as_of)
series = data.indicators_many(dates, f.unit)
# Annotations of the activity (and of its indicators): markers on the charts, listed with the records of their date.
notes = annotations.list_for(data.connection(), list((f.view or data.view()).centers), activity=code)
now = {r.code: r for r in series[f.as_of] if r.indicator.activity == code}
indicators = sorted(plan.indicators_of(code), key=lambda i: i.code != focus)


def _target_line(r: kpis.Result) -> str:
    if r.target_year is None:
        return tr("activities.no_target")
    text = tr(
        "activities.target_line",
        year=components.level_text(r, r.target_year, f.lang),
        now=components.level_text(r, r.expected_now, f.lang),
    )
    if r.indicator.source == "assumed":
        text += f" ({tr('fmt.assumed_target')})"
    return text


def _label(ind) -> str:
    return ind.name(f.lang)


# "Since …": the last meeting's frozen numbers of this level, else the previous month end (meetings.baseline).
since = meetings.baseline(
    data.connection(),
    meeting_view.scope_of(f.view or data.view(), data.centers()),
    f.as_of,
    plan.start,
    lambda d: data.indicators(d, f.unit),
    f.unit,
)
cols = st.columns(len(indicators))
for col, ind in zip(cols, indicators, strict=True):
    r = now[ind.code]
    marker = f":material/my_location: {tr('activities.focus')} · " if ind.code == focus else ""
    with col.container(border=True):
        st.markdown(f"{marker}**{_label(ind)}**")  # the indicator's name: its code is for machines
        st.markdown(
            f'<div style="font-size:2.1em;font-weight:700;line-height:1.2">{components.value_text(r, f.lang)}</div>',
            unsafe_allow_html=True,
        )
        st.markdown(components.status_pill(r.status, f.lang), unsafe_allow_html=True)
        st.caption(_target_line(r))
        if change := cards.change_text(r, since, f.lang):
            st.caption(change)


# --- charts: cumulative by month against the targets, and each quarter's own part -------------------------------------

context = (code, f.as_of.isoformat(), f.unit)
st.session_state.setdefault("act_gen", 0)


def _on_pick(key: str) -> None:
    """A click on a point or bar filters the records to that month or quarter; clearing the click clears it."""
    value = charts.clicked(st.session_state.get(key))
    if isinstance(value, list | tuple) and len(value) == 3:
        st.session_state["act_period"] = {
            "context": context,
            "start": value[0],
            "end": value[1],
            "label": value[2],
            "source": key,
        }
    elif st.session_state.get("act_period", {}).get("source") == key:
        st.session_state.pop("act_period", None)


def _clear_period() -> None:
    st.session_state.pop("act_period", None)
    st.session_state["act_gen"] += 1  # new chart keys: the charts forget their selection


# The clicked month or quarter goes into the URL (?records=2024-04-01~2024-06-30) so "the records behind Q II" can be
# shared and reopened; a link that brings one (or changes it) sets the selection.
RECORDS_KEY = "records"


def _period_from_url(text: str | None) -> dict | None:
    try:
        start_text, end_text = (text or "").split("~")
        start_, end_ = dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text)
    except ValueError:
        return None
    if not plan.start <= start_ <= end_ <= f.as_of:
        return None
    if start_ == quarter_start(plan.year, (start_.month - 1) // 3 + 1) and end_ > month_end(start_.year, start_.month):
        label = fmt.quarter_label(plan.year, (start_.month - 1) // 3 + 1, f.lang)
    elif end_ == month_end(end_.year, end_.month):
        label = fmt.month_label(end_.year, end_.month, f.lang)
    else:
        label = tr("activities.until", date=fmt.date(end_))
    return {"context": context, "start": start_.isoformat(), "end": end_.isoformat(), "label": label, "source": "url"}


def _seed_period_from_url() -> None:
    wanted = st.query_params.get(RECORDS_KEY)
    if wanted == st.session_state.get("_act_records_seen"):
        return  # the URL is the one this page wrote: the session's selection stands
    period_ = _period_from_url(wanted)
    if period_:
        st.session_state["act_period"] = period_
    else:
        st.session_state.pop("act_period", None)
    st.session_state["act_gen"] += 1  # the charts start without a stale click


_seed_period_from_url()


def _is_month_end(d: dt.date) -> bool:
    return d == month_end(d.year, d.month)


def _point_label(d: dt.date) -> str:
    return tr("activities.month_short", month=d.month) if _is_month_end(d) else d.strftime("%d/%m")


def _hover(r: kpis.Result, when: str) -> str:
    text = f"{when}: {components.value_text(r, f.lang)}"
    if r.expected_now is not None:
        text += f"<br>{tr('activities.expected_hover', level=components.level_text(r, r.expected_now, f.lang))}"
    return text


def _bar_text(value: float | None, kind: str) -> str:
    """A bar's printed value: '75,0%' for a rate, '12' for a count, nothing for a quarter without data."""
    if value is None:
        return ""
    return fmt.percent(value, 1, f.lang) if kind == "rate" else fmt.number(value, lang=f.lang)


def _y(r: kpis.Result) -> float | None:
    return r.value_float if r.is_rate else float(r.numerator)


quarters = list(range(1, (f.as_of.month - 1) // 3 + 2))
quarter_dates = [min(quarter_end(plan.year, q), f.as_of) for q in quarters]
st.subheader(tr("activities.charts"))
st.caption(tr("activities.click_hint"))
gen = st.session_state["act_gen"]
for ind in indicators:
    rs = [next(r for r in series[d] if r.code == ind.code) for d in dates]
    last = rs[-1]
    target = ind.target_for(f.unit)
    with st.container(border=True):
        head = f"**{_label(ind)}**"
        if ind.code == focus:
            head = f":material/my_location: {head}"
        st.markdown(head)
        st.markdown(
            f"{components.status_pill(last.status, f.lang)} &nbsp; "
            f"**{components.value_text(last, f.lang)}** &nbsp; · &nbsp; {_target_line(last)}",
            unsafe_allow_html=True,
        )
        y_title = tr("activities.y_rate") if ind.kind == "rate" else tr("activities.y_count")
        x = [_point_label(d) for d in dates]
        month_labels = [
            fmt.month_label(d.year, d.month, f.lang) if _is_month_end(d) else tr("activities.until", date=fmt.date(d))
            for d in dates
        ]
        cum = charts.cumulative_chart(
            x,
            [_y(r) for r in rs],
            names={
                "actual": tr("activities.actual"),
                "target": tr("activities.target_quarter"),
                "year": tr("activities.target_year_line"),
            },
            y_title=y_title,
            target_levels=([r.expected_now for r in rs] if target is not None and not target.continuous else None),
            target_year=target.target_year if target is not None else None,
            hover=[_hover(r, m) for r, m in zip(rs, month_labels, strict=True)],
            customdata=[
                [d.replace(day=1).isoformat(), d.isoformat(), m] for d, m in zip(dates, month_labels, strict=True)
            ],
            status=last.status,
            status_word=labels.status(last.status, f.lang),
            percent=ind.kind == "rate",
            title=tr("activities.cum_title") if target is not None else tr("activities.cum_title_monitor"),
        )
        annotation_view.mark(cum, x, dates, notes, ind.code, code, f.lang)
        q_results = [next(r for r in series[d] if r.code == ind.code) for d in quarter_dates]
        q_labels = [fmt.quarter_label(plan.year, q, f.lang) for q in quarters]
        if quarter_dates and quarter_dates[-1] != quarter_end(plan.year, quarters[-1]):
            q_labels[-1] += f" ({tr('activities.until_short', date=quarter_dates[-1].strftime('%d/%m'))})"
        if ind.kind == "rate":
            q_actual = [r.value_float for r in q_results]
            q_target = [pace.quarter_level(target, q).value for q in quarters] if target is not None else None
            q_hover = [f"{lbl}: {components.value_text(r, f.lang)}" for lbl, r in zip(q_labels, q_results, strict=True)]
            bar_names = {"actual": tr("activities.quarter_rate"), "target": tr("activities.quarter_level")}
            bar_title = tr("activities.quarter_rate_title")
        else:
            q_actual = pace.increments([float(r.numerator) for r in q_results])
            q_target = pace.increment_targets(target)
            q_target = None if q_target is None else q_target[: len(quarters)]
            q_hover = [
                tr("activities.quarter_hover", quarter=lbl, value=fmt.number(v, lang=f.lang))
                for lbl, v in zip(q_labels, q_actual, strict=True)
            ]
            bar_names = {"actual": tr("activities.quarter_actual"), "target": tr("activities.quarter_target")}
            bar_title = tr("activities.quarter_title" if q_target is not None else "activities.quarter_title_monitor")
        bars = charts.quarter_bars(
            q_labels,
            q_actual,
            names=bar_names,
            y_title=y_title if ind.kind == "rate" else tr("activities.y_quarter"),
            target=q_target,
            hover=q_hover,
            labels=[_bar_text(v, ind.kind) for v in q_actual],
            target_labels=None if q_target is None else [_bar_text(v, ind.kind) for v in q_target],
            customdata=[
                [quarter_start(plan.year, q).isoformat(), d.isoformat(), fmt.quarter_label(plan.year, q, f.lang)]
                for q, d in zip(quarters, quarter_dates, strict=True)
            ],
            percent=ind.kind == "rate",
            title=bar_title,
        )
        annotation_view.mark(bars, q_labels, quarter_dates, notes, ind.code, code, f.lang)
        # One plot for both charts: the page's cost in the browser grows with the number of plots (item 8).
        key = f"act_chart_{ind.code}_{gen}"
        st.plotly_chart(
            charts.side_by_side(cum, bars),
            key=key,
            on_select=partial(_on_pick, key),
            selection_mode=("points",),
            config={"displayModeBar": False},
        )
        if last.is_rate and last.person_count is not None:
            st.caption(
                tr(
                    "activities.persons",
                    served=fmt.number(last.served_person_count, lang=f.lang),
                    persons=fmt.number(last.person_count, lang=f.lang),
                )
            )


# --- records behind the numbers ---------------------------------------------------------------------------------------

st.subheader(tr("activities.records"))
period = st.session_state.get("act_period")
if period and period.get("context") != context:
    st.session_state.pop("act_period", None)
    period = None
start, end = plan.start, f.as_of
filters.set_url({RECORDS_KEY: f"{period['start']}~{period['end']}" if period else None})
st.session_state["_act_records_seen"] = st.query_params.get(RECORDS_KEY)
if period:
    start, end = dt.date.fromisoformat(period["start"]), min(dt.date.fromisoformat(period["end"]), f.as_of)
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.markdown(
        f":material/filter_alt: **{tr('activities.filtering', period=period['label'])}** "
        f"({fmt.date(start)} – {fmt.date(end)})"
    )
    c2.button(tr("activities.clear_filter"), icon=":material/close:", on_click=_clear_period, key="act_clear")
else:
    st.caption(tr("activities.records_caption", start=fmt.date(plan.start), end=fmt.date(f.as_of)))


type_labels = {e.code: labels.event_type(plan, e.code, f.lang) for e in plan.event_types}


def show_events() -> None:
    # The chosen period (a clicked month or quarter, else the year to date) filters in the query; the first
    # REGISTER_ROWS rows are shown, the count and the download cover them all.
    params = dict(period_start=start, period_end=end, department=f.unit, event_types=list(plan.event_types_of([code])))
    register = records.Register.read("events_of_types", **params)
    c = {k: tr(f"activities.col_{k}") for k in ("title", "type", "date", "unit", "participants", "elderly", "doc")}

    def table(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                **with_center(rows),
                c["title"]: rows["title"],
                c["type"]: rows["event_type"].map(lambda t: type_labels.get(t, t)),
                c["date"]: pd.to_datetime(rows["held_on"]),
                c["unit"]: rows["department"].map(lambda u: labels.unit_short(plan, u)),
                c["participants"]: rows["participants"].astype("Int64"),
                c["elderly"]: rows["elderly_reached"].astype("Int64"),
                c["doc"]: rows["document_number"],
            }
        )

    records.show(
        register,
        table,
        file_name=f"hoat-dong-{code}_{f.as_of.isoformat()}",
        key="act_dl_events",
        lang=f.lang,
        empty=tr("activities.empty_events"),
        heading=lambda first: tr("activities.n_events", n=fmt.number(int(first.row_count), lang=f.lang)),
    )


def show_requests() -> None:
    # Flags at the as-of date; rows received in the chosen period; counts of them all, the first rows shown.
    if exporting.records_hidden(f.lang):  # one row per request is about one person: not for viewers
        return
    params = dict(period_start=plan.start, period_end=f.as_of, department=f.unit, shown_from=start, shown_to=end)
    register = records.Register.read("requests_with_flags", **params)
    c = {
        k: tr(f"activities.col_{k}")
        for k in (
            "case",
            "requested",
            "unit",
            "field",
            "form",
            "priority",
            "status",
            "accepted",
            "closed",
            "eligible",
            "served",
        )
    }

    def table(rows: pd.DataFrame) -> pd.DataFrame:
        # Priority and eligibility say who the person is (victim, meritorious, poor): another unit's read ***.
        rows = privacy.mask(
            rows, privacy.PERSONAL_COLUMNS, privacy.allowed_rows(auth.signed_in_user(), rows["department"])
        )
        return pd.DataFrame(
            {
                **with_center(rows),
                c["case"]: rows["case_id"],
                c["requested"]: pd.to_datetime(rows["requested_on"]),
                c["unit"]: rows["department"].map(lambda u: labels.unit_short(plan, u)),
                c["field"]: rows["legal_field"].map(lambda v: labels.code("legal_field", v, f.lang)),
                c["form"]: rows["aid_form"].map(lambda v: labels.code("aid_form", v, f.lang)),
                c["priority"]: privacy.shown(rows["is_priority"], YES_NO.get),
                c["eligible"]: privacy.shown(rows["is_eligible"], YES_NO.get),
                c["status"]: rows["status"].map(lambda v: labels.code("case_status", v, f.lang)),
                c["accepted"]: pd.to_datetime(rows["accepted_on"]),
                c["closed"]: pd.to_datetime(rows["closed_on"]),
                c["served"]: rows["is_served"].map(YES_NO),
            }
        )

    records.show(
        register,
        table,
        file_name=f"yeu-cau-tgpl_{f.as_of.isoformat()}",
        key="act_dl_requests",
        lang=f.lang,
        personal=privacy.PERSONAL_COLUMNS,
        empty=tr("activities.empty_requests"),
        heading=lambda first: tr(
            "activities.n_requests",
            n=fmt.number(int(first.row_count), lang=f.lang),
            counted=fmt.number(int(first.counted_count), lang=f.lang),
            served=fmt.number(int(first.served_count), lang=f.lang),
        ),
    )


def show_trainees() -> None:
    # With a chosen period: only those first trained in it (the query filters); counts of them all.
    if exporting.records_hidden(f.lang):  # one row per staff member: not for viewers
        return
    params = dict(
        period_start=plan.start,
        period_end=f.as_of,
        department=f.unit,
        shown_from=start if period else None,
        shown_to=end if period else None,
        training_types=list(plan.training_types),
    )
    register = records.Register.read("workers_training", **params)
    c = {k: tr(f"activities.col_{k}") for k in ("staff", "unit", "trained", "trained_on")}

    def table(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                **with_center(rows),
                c["staff"]: rows["staff_id"],
                c["unit"]: rows["department"].map(lambda u: labels.unit_short(plan, u)),
                c["trained"]: rows["is_trained"].map(YES_NO),
                c["trained_on"]: pd.to_datetime(rows["first_trained_on"]),
            }
        )

    records.show(
        register,
        table,
        file_name=f"nguoi-lam-tgpl_{f.as_of.isoformat()}",
        key="act_dl_trainees",
        lang=f.lang,
        empty=tr("activities.empty_trainees"),
        heading=lambda first: tr(
            "activities.n_trainees",
            n=fmt.number(int(first.row_count), lang=f.lang),
            trained=fmt.number(int(first.trained_count), lang=f.lang),
        ),
    )


measures = {i.measure for i in plan.indicators_of(code)}
if measures & {"free_service_rate", "request_count"}:
    tab_a, tab_b = st.tabs([tr("activities.tab_requests"), tr("activities.tab_events")])
    with tab_a:
        show_requests()
    with tab_b:
        show_events()
elif "training_rate" in measures:
    tab_a, tab_b = st.tabs([tr("activities.tab_trainees"), tr("activities.tab_courses")])
    with tab_a:
        show_trainees()
    with tab_b:
        show_events()
else:
    show_events()

annotation_view.show([n for n in notes if start <= n.noted_on <= end], plan, f.lang)
annotation_view.add_form(
    data.connection(),
    auth.signed_in_user(),
    plan,
    data.centers(),
    (f.view or data.view()).center,
    code,
    f.lang,
)
