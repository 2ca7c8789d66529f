"""Theo bộ phận: without a unit, the units compared quarter by quarter (click a unit to drill in); with a unit, the
activities it leads or coordinates (Center-level status), its own contributions, and its records. Layout only."""

from functools import partial

import pandas as pd
import streamlit as st

from planboard import actions, fmt, kpis, labels, privacy
from planboard.ui import auth, charts, components, data, exporting, filters, meeting_view, records

plan = data.plan()
f = filters.current(plan)
tr = f.tr
UNIT_CODES = [u.code for u in plan.units]


def _choose_unit(unit_code: str | None) -> None:
    """Callback: set the shared unit filter (the sidebar widget reads it on the rerun, the URL follows)."""
    st.session_state["f_unit"] = unit_code or filters.ALL


def _on_unit_click(key: str) -> None:
    value = charts.clicked(st.session_state.get(key))
    if value in UNIT_CODES:
        _choose_unit(value)


def _quarter_label(q: int) -> str:
    return fmt.quarter_label(plan.year, q, f.lang)


if f.view is not None and f.view.is_rollup:  # units belong to one center's plan: ask for a center, never mix them
    st.title(tr("units.title_all", date=fmt.date(f.as_of)))
    st.info(tr("scope.units_rollup", label=data.view_label(f.view)), icon=":material/groups:")
    st.stop()

grid = data.query(
    "events_requests_by_unit_quarter",
    period_start=plan.start,
    period_end=f.as_of,
    departments=[f.unit] if f.unit else UNIT_CODES,
)

if not f.unit:
    # --- all units compared ------------------------------------------------------------------------------------------
    st.title(tr("units.title_all", date=fmt.date(f.as_of)))
    totals = grid.groupby("department", sort=False)[["event_count", "request_count"]].sum()
    c1, c2 = st.columns(2)
    c1.metric(tr("units.events_total"), fmt.number(int(totals["event_count"].sum()), lang=f.lang))
    c2.metric(tr("units.requests_total"), fmt.number(int(totals["request_count"].sum()), lang=f.lang))
    st.caption(tr("units.click_hint"))
    units_shown = UNIT_CODES
    names = [labels.unit_short(plan, u) for u in units_shown]
    quarters = sorted(grid["quarter"].unique())
    left, right = st.columns(2)
    for col, measure, title_key in (
        (left, "event_count", "units.chart_events"),
        (right, "request_count", "units.chart_requests"),
    ):
        series = {}
        for q in quarters:
            part = grid[grid["quarter"] == q].set_index("department")[measure]
            series[_quarter_label(int(q))] = [int(part.get(u, 0)) for u in units_shown]
        fig = charts.grouped_bars(
            names, series, y_title=tr("units.y_count"), customdata=units_shown, title=tr(title_key), height=420
        )
        key = f"units_{measure}"
        with col:
            st.plotly_chart(
                fig,
                key=key,
                on_select=partial(_on_unit_click, key),
                selection_mode=("points",),
                config={"displayModeBar": False},
            )

    st.subheader(tr("units.drill"))
    cols = st.columns(len(units_shown))
    for col, u in zip(cols, units_shown, strict=True):
        col.button(
            labels.unit_short(plan, u),
            key=f"units_pick_{u}",
            on_click=_choose_unit,
            args=(u,),
            width="stretch",
            help=labels.unit_name(plan, u, f.lang),
        )

    st.subheader(tr("units.table"))
    by_unit_quarter = grid.groupby(["department", "quarter"])["event_count"].sum()  # one grouping, not a filter a cell
    table = pd.DataFrame(
        {
            tr("units.col_unit"): [labels.unit_name(plan, u, f.lang) for u in units_shown],
            **{
                f"{tr('units.col_events')} · {_quarter_label(int(q))}": [
                    int(by_unit_quarter.get((u, q), 0)) for u in units_shown
                ]
                for q in quarters
            },
            tr("units.col_events_total"): [int(totals.loc[u, "event_count"]) for u in units_shown],
            tr("units.col_requests_total"): [int(totals.loc[u, "request_count"]) for u in units_shown],
        }
    )
    components.table(table, f.lang)
    st.stop()


# --- one unit -----------------------------------------------------------------------------------------------------------
unit = plan.unit(f.unit)
st.title(tr("units.title_unit", unit=unit.short, date=fmt.date(f.as_of)))
st.markdown(f"**{unit.name(f.lang)}**")
st.button(tr("units.back"), icon=":material/arrow_back:", on_click=_choose_unit, args=(None,), key="units_back")

center = data.indicators(f.as_of, None)
statuses = kpis.activity_statuses(plan, center)
roles = []
for a in plan.activities:
    if unit.code in a.lead:
        roles.append((a, "lead"))
    elif unit.code in a.coordinating:
        roles.append((a, "coordinating"))

st.subheader(tr("units.activities"))
if not roles:
    st.info(tr("units.no_role"), icon=":material/info:")
else:
    role_frame = pd.DataFrame(
        {
            tr("units.col_activity"): [a.code for a, _ in roles],
            tr("units.col_title"): [a.name(f.lang) for a, _ in roles],
            tr("units.col_role"): [tr(f"units.role_{r}") for _, r in roles],
            tr("units.col_status"): [labels.status(statuses[a.code], f.lang) for a, _ in roles],
        }
    )
    components.table(components.styled_status(role_frame, tr("units.col_status"), f.lang), f.lang)
    st.caption(tr("units.status_caption"))
    for a, _ in roles:
        st.page_link(
            "pages/activities.py",
            label=tr("units.open_activity", code=a.code),
            icon=":material/arrow_forward:",
            query_params={"activity": a.code, "as_of": f.as_of.isoformat(), "unit": unit.code},
        )

# Actions decided at meetings that this unit owns, overdue marked; its staff (and leadership) update progress here.
st.subheader(tr("units.actions"))
owned = actions.list_actions(data.connection(), list(data.view().centers), owner_unit=unit.code)
meeting_view.show_actions(
    owned,
    plan,
    f.lang,
    "units.actions_none",
    download=f"nhiem-vu-{unit.code}",
    title=tr("units.actions_title", unit=unit.short),
)
meeting_view.update_form(data.connection(), auth.signed_in_user(), owned, data.centers(), f.lang)

st.subheader(tr("units.contributions"))
own = data.indicators(f.as_of, unit.code)
frame = components.indicator_frame(own, f.lang)
components.indicator_table(frame, f.lang)
if not any(ind.unit_targets.get(unit.code) for ind in plan.indicators):
    st.caption(tr("units.no_unit_targets"))

st.subheader(tr("units.by_quarter"))
q_labels = [_quarter_label(int(q)) for q in grid["quarter"]]
left, right = st.columns([3, 2])
with left:
    fig = charts.grouped_bars(
        q_labels,
        {
            tr("units.col_events"): grid["event_count"].astype(int).tolist(),
            tr("units.col_requests"): grid["request_count"].astype(int).tolist(),
        },
        y_title=tr("units.y_count"),
        colors=[components.ACTUAL_COLOR, charts.SERIES_COLORS[1]],
    )
    st.plotly_chart(fig, key="units_unit_quarters", config={"displayModeBar": False})
with right:
    components.table(
        pd.DataFrame(
            {
                tr("units.col_quarter"): q_labels,
                tr("units.col_events"): grid["event_count"].astype(int),
                tr("units.col_requests"): grid["request_count"].astype(int),
            }
        ),
        f.lang,
    )

st.subheader(tr("units.records", unit=unit.short))
type_labels = {e.code: labels.event_type(plan, e.code, f.lang) for e in plan.event_types}
# The first rows are shown; the tab counts and the downloads cover every row of the unit.
event_params = dict(
    period_start=plan.start, period_end=f.as_of, department=unit.code, event_types=[e.code for e in plan.event_types]
)
request_params = dict(
    period_start=plan.start, period_end=f.as_of, department=unit.code, shown_from=plan.start, shown_to=f.as_of
)
events = records.Register.read("events_of_types", **event_params)
requests = records.Register.read("requests_with_flags", **request_params)
yes_no = {True: labels.yes_no(True, f.lang), False: labels.yes_no(False, f.lang)}


def event_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("units.col_date"): pd.to_datetime(rows["held_on"]),
            tr("units.col_activity"): rows["activity"],
            tr("units.col_title"): rows["title"],
            tr("units.col_type"): rows["event_type"].map(lambda t: type_labels.get(t, t)),
            tr("units.col_participants"): rows["participants"].astype("Int64"),
            tr("units.col_elderly"): rows["elderly_reached"].astype("Int64"),
            tr("units.col_doc"): rows["document_number"],
        }
    )


def request_table(rows: pd.DataFrame) -> pd.DataFrame:
    # Eligibility says who the person is (meritorious, poor, in hardship): another unit's requests read ***.
    rows = privacy.mask(rows, privacy.PERSONAL_COLUMNS, privacy.allowed_rows(auth.signed_in_user(), rows["department"]))
    return pd.DataFrame(
        {
            tr("units.col_case"): rows["case_id"],
            tr("units.col_requested"): pd.to_datetime(rows["requested_on"]),
            tr("units.col_field"): rows["legal_field"].map(lambda v: labels.code("legal_field", v, f.lang)),
            tr("units.col_status"): rows["status"].map(lambda v: labels.code("case_status", v, f.lang)),
            tr("units.col_eligible"): privacy.shown(rows["is_eligible"], yes_no.get),
            tr("units.col_served"): rows["is_served"].map(yes_no),
        }
    )


tab_e, tab_r = st.tabs(
    [
        tr("units.tab_events", n=fmt.number(events.total, lang=f.lang)),
        tr("units.tab_requests", n=fmt.number(requests.total, lang=f.lang)),
    ]
)


with tab_e:
    records.show(
        events,
        event_table,
        file_name=f"hoat-dong-{unit.code}_{f.as_of.isoformat()}",
        key="units_dl_events",
        lang=f.lang,
        empty=tr("units.empty_events"),
    )
with tab_r:
    if not exporting.records_hidden(f.lang):  # one row per request is about one person: not for viewers
        records.show(
            requests,
            request_table,
            file_name=f"yeu-cau-tgpl-{unit.code}_{f.as_of.isoformat()}",
            key="units_dl_requests",
            lang=f.lang,
            personal=privacy.PERSONAL_COLUMNS,
            empty=tr("units.empty_requests"),
        )
