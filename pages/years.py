"""Qua các năm: is the center (or the roll-up) doing better than last year? One indicator at the same day of each
plan year side by side, and each year's monthly series on one chart."""

import streamlit as st

from planboard import labels, yoy
from planboard.ui import centers, components, data, filters

plan = data.plan()
f = filters.current(plan)
tr = f.tr
v = f.view or data.view()

by_code = yoy.indicator_years(data.planset(), v.centers)
compared = {code: years for code, years in by_code.items() if len(years) > 1}
if not compared:
    years = data.planset().years(list(v.centers))
    st.title(tr("page.years"))
    st.info(tr("years.one_year", year=v.year) if len(years) < 2 else tr("years.no_indicator"), icon=":material/info:")
    st.stop()

names = {i.code: f"{i.activity} · {i.name(f.lang)}" for i in plan.indicators if i.code in compared}
names.update({code: code for code in compared if code not in names})
codes = list(names)
wanted = st.query_params.get("indicator")
if wanted in codes and wanted != st.session_state.get("_years_url"):  # a link naming an indicator wins once
    st.session_state["years_indicator"] = st.session_state["_years_url"] = wanted
if st.session_state.get("years_indicator") not in codes:
    st.session_state["years_indicator"] = codes[0]
day = f.as_of.strftime("%d/%m")
st.title(tr("years.title", day=day))
code = st.selectbox(tr("years.pick"), codes, key="years_indicator", format_func=names.get)
filters.set_url({"indicator": code})  # a shared link opens the same indicator
st.session_state["_years_url"] = code
unit = None if v.is_rollup else f.unit
if unit:
    st.caption(tr("years.unit_caption", unit=labels.unit_name(plan, unit, f.lang)))

c = data.year_over_year(code, f.as_of, unit)
for year, lacking in c.left_out.items():
    st.caption(tr("years.left_out", year=year, centers=", ".join(lacking)))

st.subheader(tr("years.table_title", day=day))
frame = centers.years_frame(c, f.lang)
components.table(
    components.styled_status(frame, tr("years.col_status"), f.lang), f.lang, max_rows=None, plain=[tr("years.col_year")]
)
st.caption(tr("indicators_page.caption_assumed").replace("*", "\\*"))

st.subheader(tr("years.chart_title"))
st.plotly_chart(centers.years_chart(c, f.lang), config={"displayModeBar": False})
