"""Entry: page config, shared filters, navigation over pages/ — nothing else."""

import streamlit as st

from planboard.ui import data, filters

st.set_page_config(page_title="Kế hoạch TGPL – TTBTXH Bạc Liêu", page_icon=":material/balance:", layout="wide")

plan = data.plan()
f = filters.sidebar(plan)
pages = [
    st.Page("pages/indicators.py", title=f.tr("page.indicators"), icon=":material/table_chart:", default=True),
]
nav = st.navigation(pages)
st.session_state["_filters"] = f
try:
    nav.run()
finally:
    st.session_state.pop("_filters", None)
