"""Tổng quan: where each of the six activities stands at the chosen date, and what needs action, by whom."""

import streamlit as st

from planboard import fmt, kpis, labels, meetings
from planboard.ui import cards, components, data, filters, meeting_view

plan = data.plan()
f = filters.current(plan)

date_text = fmt.date(f.as_of, f.lang)
if f.unit:
    st.title(f.tr("overview.title_unit", date=date_text, unit=labels.unit_name(plan, f.unit, f.lang)))
else:
    st.title(f.tr("overview.title", date=date_text))

# Cards and actions are the Center's; a unit filter adds that unit's contributions and its roles.
results = data.indicators(f.as_of, None)
by_code = {r.code: r for r in results}
# "Since …": the last meeting's frozen numbers of the view's scope, else the previous month end (meetings.baseline).
previous = meetings.baseline(
    data.connection(),
    meeting_view.scope_of(f.view or data.view(), data.centers()),
    f.as_of,
    plan.start,
    lambda d: data.indicators(d, None),
)
unit_results = {r.code: r for r in data.indicators(f.as_of, f.unit)} if f.unit else None
statuses = kpis.activity_statuses(plan, results)

if all(r.numerator == 0 and not r.denominator for r in results):
    st.info(f.tr("overview.empty", year=plan.year, date=date_text), icon=":material/inbox:")

st.markdown(f"**{f.tr('overview.counts_label', n=len(plan.activities))}**")
st.markdown(cards.status_counts_html(statuses, f.lang), unsafe_allow_html=True)

activities = list(plan.activities)
has_role = False
if f.unit:
    unit_name = plan.unit(f.unit).short
    with_role = [a for a in activities if cards.role_of(a, f.unit)]
    if with_role:
        activities, has_role = with_role, True
        st.caption(f.tr("overview.unit_caption", unit=unit_name))
    else:
        st.info(f.tr("overview.unit_no_role", unit=labels.unit_name(plan, f.unit, f.lang)), icon=":material/info:")

link_params = {"as_of": f.as_of.isoformat()}
if f.unit:
    link_params["unit"] = f.unit
if f.lang != "vi":
    link_params["lang"] = f.lang

for start in range(0, len(activities), 3):
    columns = st.columns(3, gap="medium")
    for col, a in zip(columns, activities[start : start + 3], strict=False):
        # Every card of a row fills the row's height (activities have one to four indicators): an even grid.
        with col, st.container(border=True, height="stretch"):
            st.markdown(
                cards.activity_card_html(plan, a, statuses[a.code], by_code, previous, f.lang, f.unit, unit_results),
                unsafe_allow_html=True,
            )
            st.space("stretch")  # the link sits at the bottom of every card
            st.page_link(
                "pages/activities.py",
                label=f.tr("overview.link_card", code=a.code),
                icon=":material/arrow_forward:",
                query_params={"activity": a.code, **link_params},
            )
st.caption(f.tr("overview.tick_legend"))

st.header(f.tr("overview.actions_title"), divider="gray")
scope = [r for r in results if r.indicator.activity in {a.code for a in activities}]
items = cards.action_items(scope)
st.caption(
    f.tr("overview.actions_caption_unit", unit=plan.unit(f.unit).short)
    if has_role
    else f.tr("overview.actions_caption")
)
if not items:
    st.success(f.tr("overview.actions_none", date=date_text), icon=":material/check_circle:")
for item in items:
    with st.container(border=True):
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.markdown(cards.action_row_html(item, plan, f.lang), unsafe_allow_html=True)
        right.page_link(
            "pages/activities.py",
            label=f.tr("overview.link_detail"),
            icon=":material/open_in_new:",
            query_params={"activity": item.result.indicator.activity, "indicator": item.code, **link_params},
        )
meeting_view.open_actions_section(data.connection(), plan, list(data.view().centers), f.lang, f.unit)  # giao ban

if f.unit and unit_results is not None:
    st.header(f.tr("overview.contributions_title", unit=plan.unit(f.unit).short, date=date_text), divider="gray")
    frame = components.indicator_frame(list(unit_results.values()), f.lang)
    if all(r.target_year is None for r in unit_results.values()):  # no unit targets: level columns are all '–'
        frame = frame.drop(columns=[f.tr("indicators_page.col_expected"), f.tr("indicators_page.col_target")])
    components.indicator_table(frame, f.lang)
