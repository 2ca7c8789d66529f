"""Chỉ tiêu: the 13 indicators of the plan at the chosen date — value with counts, target, status."""

import streamlit as st

from planboard import fmt, labels
from planboard.ui import components, data, filters

plan = data.plan()
f = filters.current(plan)

st.title(f.tr("indicators_page.title", date=fmt.date(f.as_of)))
results = data.indicators(f.as_of, f.unit)
if f.unit:
    st.caption(f.tr("indicators_page.caption_unit", unit=labels.unit_name(plan, f.unit, f.lang)))
frame = components.indicator_frame(results, f.lang)
components.indicator_table(frame, f.lang)
# The '*' that marks reference targets is literal text, not Markdown (a leading "* " became a bullet in English).
st.caption(f.tr("indicators_page.caption_assumed").replace("*", "\\*"))
