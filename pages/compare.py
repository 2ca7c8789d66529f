"""So sánh các cơ sở: which center is behind, on what — the view's roll-up, each center beside it, and a link from
each center into its own dashboard at the same as-of date (province -> center -> unit -> records)."""

import streamlit as st

from planboard import fmt
from planboard.ui import cards, centers, components, data, filters

plan = data.plan()
f = filters.current(plan)
tr = f.tr
v = f.view or data.view()
known = {c.code: c for c in data.centers()}
date_text = fmt.date(f.as_of, f.lang)

st.title(tr("compare.title", date=date_text))
if not v.is_rollup:  # one center chosen in the sidebar: offer the roll-ups of the reader's scope
    st.info(tr("compare.single"), icon=":material/info:")
    for choice, label in filters.scope_choices(list(known.values()), data.user_scope(), f.lang).items():
        kind, _, code = choice.partition(":")
        if kind != "center":
            st.page_link(
                "pages/compare.py",
                label=label,
                icon=":material/compare_arrows:",
                query_params={"province": code or "all", "as_of": f.as_of.isoformat()},
            )
    st.stop()

r = data.rollup_at(f.as_of)
scope_label = tr("org.scope_province", name=known[v.centers[0]].province_name) if v.province else tr("org.scope_all")
st.caption(tr("compare.caption", scope=scope_label, n=len(v.centers), year=v.year))

# The few numbers that answer the page: how many centers are behind, and where the roll-up's activities stand.
behind = centers.centers_behind(r)
left, right = st.columns([2, 3], vertical_alignment="center")
left.metric(tr("compare.behind"), tr("compare.behind_value", n=len(behind), total=len(v.centers)))
statuses = r.activity_statuses()
right.markdown(f"**{tr('compare.activities_label', n=len(statuses))}**")
right.markdown(cards.status_counts_html(statuses, f.lang), unsafe_allow_html=True)

if r.missing:
    with st.container(border=True):
        st.markdown(f"**{tr('compare.missing_title')}**")
        for code, lacking in r.missing.items():
            st.markdown(
                "- "
                + tr(
                    "compare.missing_item",
                    indicator=centers.indicator_name(r, code, f.lang),
                    centers=", ".join(lacking),
                )
            )
if r.target_notes:
    with st.container(border=True):
        st.markdown(f"**{tr('compare.notes_title')}**")
        for code, differing in r.target_notes.items():
            st.markdown(
                "- "
                + tr(
                    "compare.note_item", indicator=centers.indicator_name(r, code, f.lang), centers=", ".join(differing)
                )
            )

# The grid: indicators as rows, the roll-up then each center as columns; each center's name opens its dashboard.
st.header(tr("compare.grid_title"), divider="gray")
st.caption(tr("compare.grid_caption"))
rows = centers.grid_indicators(r)
labels = centers.grid_labels_html(rows, f.lang)
rolled = centers.grid_column_html(rows, r.results, f.lang, absent="compare.not_rolled_up")
codes_all = list(r.by_center)
for start in range(0, len(codes_all), centers.GRID_CENTERS):  # many centers: grids of a readable width, stacked
    shown = codes_all[start : start + centers.GRID_CENTERS]
    weights = [3, 2] + [2] * min(len(codes_all), centers.GRID_CENTERS)  # every grid's columns equally wide
    head = st.columns(weights, vertical_alignment="bottom")
    head[0].markdown(f"**{tr('compare.col_indicator')}**")
    head[1].markdown(f"**{tr('compare.col_rollup')}**")
    for col, code in zip(head[2:], shown, strict=False):  # the name in full (it wraps), the link by its code
        name = known[code].name if code in known else code
        col.markdown(f"**{name}**")
        col.page_link(
            "pages/overview.py",
            label=code,
            icon=":material/open_in_new:",
            help=tr("compare.link_help", name=name),
            query_params=centers.center_link(code, r.as_of, f.lang, v.year),
        )
    body = st.columns(weights)
    body[0].markdown(labels, unsafe_allow_html=True)
    body[1].markdown(rolled, unsafe_allow_html=True)
    for col, code in zip(body[2:], shown, strict=False):
        col.markdown(centers.grid_column_html(rows, r.by_center[code], f.lang), unsafe_allow_html=True)

# The sortable breakdown: one row per center, worst first; the chosen indicator's value sorts as a number.
st.header(tr("compare.breakdown_title"), divider="gray")
names = {i.code: f"{i.activity} · {i.name(f.lang)}" for i in rows}
codes = list(names)
default = centers.default_indicator(r)
if st.session_state.get("compare_indicator") not in codes:
    st.session_state["compare_indicator"] = default
code = st.selectbox(tr("compare.breakdown_pick"), codes, key="compare_indicator", format_func=names.get)
frame = centers.breakdown_frame(r, code, known, f.lang)
is_rate = next(i for i in rows if i.code == code).kind == "rate"
components.table(
    centers.breakdown_styled(frame, is_rate, f.lang),
    f.lang,
    max_rows=None,
    plain=[tr("compare.col_value")],
    column_config=centers.breakdown_config(f.lang),
)
st.caption(tr("compare.sort_hint"))

st.header(tr("compare.activities_title"), divider="gray")
activities = centers.activity_frame(r, known, f.lang)
components.table(
    components.styled_status(activities, list(activities.columns[1:]), f.lang),
    f.lang,
    max_rows=None,
    column_config=centers.activity_config(activities),
)

st.header(tr("compare.indicators_title"), divider="gray")
st.caption(tr("compare.rule_caption"))
components.indicator_table(components.indicator_frame(r.results, f.lang), f.lang)
st.caption(tr("indicators_page.caption_assumed").replace("*", "\\*"))
