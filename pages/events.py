"""Hoạt động: the events register — events by activity, type, unit and month, as a table and as a timeline with the
campaign occasions marked. Layout only: numbers come from queries/events_*.sql."""

import datetime as dt

import pandas as pd
import streamlit as st

from planboard import explore, fmt, labels, privacy
from planboard.ui import auth, charts, components, data, exporting, filters, records

plan = data.plan()
f = filters.current(plan)
tr = f.tr
user = auth.current_user(data.connection())
with_center = exporting.center_column(f.lang)  # a roll-up's registers name each row's center

components.page_title(tr("events_page.title", date=fmt.date(f.as_of)), plan, f.unit)

# Every filter is in the URL (?activities=4.1&types=phat_thanh…): a link reproduces the register as seen.
URL_FIELDS = [
    filters.UrlField("ev_from", "from", "date", low=plan.start, high=f.as_of),
    filters.UrlField("ev_to", "to", "date", low=plan.start, high=f.as_of),
    filters.UrlField("ev_act", "activities", options=tuple(a.code for a in plan.activities)),
    filters.UrlField("ev_types", "types", options=tuple(e.code for e in plan.event_types)),
]
DEFAULTS = {"ev_from": plan.start, "ev_to": f.as_of}
for key, value in DEFAULTS.items():
    st.session_state.setdefault(key, value)
filters.seed_fields_from_url(URL_FIELDS, "_ev_url_seen")
for key in ("ev_from", "ev_to"):  # a later sidebar date may end the year earlier
    st.session_state[key] = min(max(st.session_state[key], plan.start), f.as_of)

with st.container(border=True):
    c1, c2, c3, c4 = st.columns([1, 1, 2, 2])
    start = c1.date_input(
        tr("events_page.period_from"), min_value=plan.start, max_value=f.as_of, format="DD/MM/YYYY", key="ev_from"
    )
    end = c2.date_input(
        tr("events_page.period_to"), min_value=plan.start, max_value=f.as_of, format="DD/MM/YYYY", key="ev_to"
    )
    activities = c3.multiselect(
        tr("events_page.activities"),
        [a.code for a in plan.activities],
        key="ev_act",
        format_func=lambda c: explore.label(plan, "activity", c, f.lang),
        placeholder=tr("events_page.all"),
    )
    type_options = list(plan.event_types_of(activities)) if activities else [e.code for e in plan.event_types]
    st.session_state["ev_types"] = [t for t in st.session_state.get("ev_types", []) if t in type_options]
    event_types = c4.multiselect(
        tr("events_page.event_types"),
        type_options,
        key="ev_types",
        format_func=lambda c: labels.event_type(plan, c, f.lang),
        placeholder=tr("events_page.all"),
    )

filters.write_fields_to_url(URL_FIELDS, "_ev_url_seen", DEFAULTS)
if start > end:
    st.warning(tr("events_page.bad_period"), icon=":material/event_busy:")
    st.stop()

params = dict(period_start=start, period_end=end, department=f.unit, activities=activities, event_types=event_types)
summary = data.query("events_summary", **params).iloc[0]
total = int(summary.event_count)
if total == 0:
    st.info(tr("events_page.empty"), icon=":material/inbox:")
    st.stop()

k = st.columns(4)
k[0].metric(tr("events_page.k_events"), fmt.number(total, lang=f.lang))
k[1].metric(tr("events_page.k_participants"), fmt.number(int(summary.participant_count), lang=f.lang))
k[2].metric(tr("events_page.k_elderly"), fmt.number(int(summary.elderly_reached_count), lang=f.lang))
k[3].metric(tr("events_page.k_months"), fmt.number(int(summary.month_count), lang=f.lang))

# --- timeline ---------------------------------------------------------------------------------------------------------

st.subheader(tr("events_page.timeline"))
# One point per day, activity, unit and type (a single event keeps its title): bounded however many events there are.
timeline = data.query("events_timeline", **params)
activity_order = [a.code for a in plan.activities if a.code in set(timeline["activity"])]
y_labels = {c: explore.label(plan, "activity", c, f.lang) for c in activity_order}
year = plan.year


def _point_text(day, event_type: str, title: str, n: int) -> str:
    """A point's hover: the day and type, then the event's title (or how many events share the point)."""
    what = components.plot_text(title) if n == 1 else tr("events_page.timeline_many", n=fmt.number(int(n), lang=f.lang))
    return f"{pd.Timestamp(day).strftime('%d/%m/%Y')} · {labels.event_type(plan, event_type, f.lang)}<br>{what}"


def _unit_points(unit_code: str) -> tuple:
    part = timeline[timeline["department"] == unit_code]
    columns = ("held_on", "event_type", "title", "event_count")
    hover = [_point_text(*p) for p in zip(*(part[c] for c in columns), strict=True)]
    return part["held_on"], [y_labels[a] for a in part["activity"]], hover


unit_codes = [u.code for u in plan.units]
fig = charts.timeline(
    {plan.unit(c).short: _unit_points(c) for c in unit_codes if c in set(timeline["department"])},
    rows=[y_labels[c] for c in activity_order],
    year=year,
    x_title=tr("events_page.x_title"),
    y_title=tr("events_page.y_title"),
    days=[
        (dt.date(year, 6, 6), tr("events_page.occasion_06_6")),
        (dt.date(year, 10, 1), tr("events_page.occasion_01_10")),
    ],
    band=(dt.date(year, 10, 1), dt.date(year, 10, 31), tr("events_page.occasion_month_10")),
)
st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})
st.caption(tr("events_page.timeline_caption"))

# --- by activity, type, unit and month --------------------------------------------------------------------------------

st.subheader(tr("events_page.by_month"))
by_month = data.query("events_by_month", **params)
months = sorted(by_month["month"].unique())
month_names = {m: tr("events_page.month_col", month=int(m)) for m in months}
pivot = by_month.pivot_table(
    index=["activity", "event_type", "department"], columns="month", values="event_count", aggfunc="sum", fill_value=0
)
pivot = pivot.reindex(columns=months, fill_value=0)
order = {c: i for i, c in enumerate(a.code for a in plan.activities)}
rows = sorted(
    pivot.index, key=lambda k: (order.get(k[0], 99), k[1], unit_codes.index(k[2]) if k[2] in unit_codes else 99)
)
ordered = pivot.loc[rows] if rows else pivot.iloc[:0]  # one selection, not a lookup per cell (0.1 s a run)
table = pd.DataFrame(
    {
        tr("events_page.col_activity"): [r[0] for r in rows],
        tr("events_page.col_type"): [labels.event_type(plan, r[1], f.lang) for r in rows],
        tr("events_page.col_unit"): [explore.label(plan, "unit", r[2], f.lang) for r in rows],
        **{month_names[m]: [int(v) for v in ordered[m]] for m in months},
        tr("events_page.col_total"): [int(v) for v in ordered.sum(axis=1)],
    }
)
components.table(table, f.lang)
exporting.download_buttons(
    table, f"hoat-dong-theo-thang-{end.isoformat()}", f.lang, key="ev_month_export", title=tr("events_page.by_month")
)

# --- the register -----------------------------------------------------------------------------------------------------

st.subheader(tr("events_page.register", n=fmt.number(total, lang=f.lang)))


def _frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The register as shown and exported. An event's notes may name people: shown by the event's unit for unit
    staff, to nobody for viewers."""
    masked = privacy.mask(rows, ("notes",), privacy.allowed_rows(user, rows["department"]))
    return pd.DataFrame(
        {
            **with_center(masked),
            tr("events_page.col_date"): pd.to_datetime(masked["held_on"]),
            tr("events_page.col_id"): masked["event_id"],
            tr("events_page.col_activity"): masked["activity"],
            tr("events_page.col_type"): [labels.event_type(plan, x, f.lang) for x in masked["event_type"]],
            tr("events_page.col_unit"): [explore.label(plan, "unit", x, f.lang) for x in masked["department"]],
            tr("events_page.col_title"): masked["title"],
            tr("events_page.col_document"): masked["document_number"],
            tr("events_page.col_participants"): masked["participants"].astype("Int64"),
            tr("events_page.col_elderly"): masked["elderly_reached"].astype("Int64"),
            tr("events_page.col_notes"): masked["notes"],
        }
    )


records.show(
    records.Register.read("events_register", total=total, **params),
    _frame,
    file_name=f"hoat-dong-{end.isoformat()}",
    key="ev_export",
    lang=f.lang,
    title=tr("events_page.title", date=fmt.date(f.as_of)),
    personal=("notes",),
)
