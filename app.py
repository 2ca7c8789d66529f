"""Entry: page config, shared filters, navigation over pages/ — nothing else."""

import os

import streamlit as st

from planboard.ui import data, filters

st.set_page_config(page_title="Kế hoạch TGPL – TTBTXH Bạc Liêu", page_icon=":material/balance:", layout="wide")

plan = data.plan()
f = filters.sidebar(plan)
pages = {
    f.tr("nav.leadership"): [
        st.Page("pages/overview.py", title=f.tr("page.overview"), icon=":material/dashboard:", default=True),
        st.Page("pages/activities.py", title=f.tr("page.activities"), icon=":material/checklist:",
                url_path="theo-hoat-dong"),
        st.Page("pages/units.py", title=f.tr("page.units"), icon=":material/groups:", url_path="theo-bo-phan"),
        st.Page("pages/quarters.py", title=f.tr("page.quarters"), icon=":material/calendar_month:",
                url_path="theo-quy"),
        st.Page("pages/indicators.py", title=f.tr("page.indicators"), icon=":material/table_chart:",
                url_path="chi-tieu"),
    ],
    f.tr("nav.reports"): [
        st.Page("pages/reports.py", title=f.tr("page.reports"), icon=":material/description:", url_path="bao-cao"),
    ],
    f.tr("nav.data"): [
        st.Page("pages/import.py", title=f.tr("page.import"), icon=":material/upload_file:", url_path="nhap-du-lieu"),
    ],
}
registers = [
    st.Page("pages/requests.py", title=f.tr("page.requests"), icon=":material/gavel:", url_path="yeu-cau"),
    st.Page("pages/events.py", title=f.tr("page.events"), icon=":material/event_note:", url_path="hoat-dong"),
    st.Page("pages/people.py", title=f.tr("page.people"), icon=":material/elderly:", url_path="nguoi-cao-tuoi-nhan-su"),
    st.Page("pages/explore.py", title=f.tr("page.explore"), icon=":material/query_stats:", url_path="kham-pha"),
]
if os.environ.get("PLANBOARD_SQL_CONSOLE") == "1":  # off by default until access control gates it by role
    registers.append(st.Page("pages/sql.py", title=f.tr("page.sql"), icon=":material/terminal:", url_path="sql"))
pages[f.tr("nav.registers")] = registers
nav = st.navigation(pages)
st.session_state["_filters"] = f
try:
    nav.run()
finally:
    st.session_state.pop("_filters", None)
