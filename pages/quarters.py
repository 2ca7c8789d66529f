"""Theo quý: the quarter scorecard — each indicator at each quarter's end against that quarter's level."""

import streamlit as st

from planboard import fmt, labels
from planboard.ui import cards, data, filters

plan = data.plan()
f = filters.current(plan)

date_text = fmt.date(f.as_of, f.lang)
if f.unit:
    unit_name = labels.unit_name(plan, f.unit, f.lang)
    st.title(f.tr("quarters.title_unit", year=plan.year, unit=unit_name, date=date_text))
    st.caption(f.tr("quarters.unit_caption", unit=unit_name))
else:
    st.title(f.tr("quarters.title", year=plan.year, date=date_text))

dates = cards.quarter_dates(plan, f.as_of)
by_date = data.indicators_many(list(dates.values()), f.unit)
cells = cards.quarter_cells(plan, by_date, f.as_of)

st.markdown(f"{f.tr('quarters.legend')} {cards.legend_html(f.lang)}", unsafe_allow_html=True)
cumulative, increment = st.tabs([f.tr("quarters.tab_cumulative"), f.tr("quarters.tab_increment")])
with cumulative:
    st.caption(f.tr("quarters.intro"))
    st.markdown(cards.scorecard_html(plan, cells, "cumulative", f.lang), unsafe_allow_html=True)
with increment:
    st.caption(f.tr("quarters.increment_intro"))
    st.markdown(cards.scorecard_html(plan, cells, "increment", f.lang), unsafe_allow_html=True)
st.caption(f.tr("quarters.assumed_note"))

st.download_button(
    f.tr("quarters.download"),
    cards.scorecard_csv(plan, cells, f.lang),
    file_name=f.tr("quarters.file_name", date=f.as_of.isoformat()),
    mime="text/csv",
    icon=":material/download:",
)
