"""Truy vấn SQL (admin): one SELECT at a time on a locked sandbox copy of the data (planboard.sqlconsole).
Shown only to administrators (role quan_tri), and only where the server sets PLANBOARD_SQL_CONSOLE=1."""

import os

import streamlit as st

from planboard import fmt, privacy, sqlconsole
from planboard.ui import auth as auth_ui
from planboard.ui import components, data, exporting, filters

plan = data.plan()
f = filters.current(plan)
tr = f.tr

st.title(tr("sql.title"))
auth_ui.require(data.connection(), "sql_console")
if os.environ.get("PLANBOARD_SQL_CONSOLE") != "1":
    st.info(tr("sql.disabled"), icon=":material/lock:")
    st.stop()

# The copy holds the reader's scope only (their center, province or every center), whatever the sidebar shows.
scope_centers = [c.code for c in data.user_scope().centers(data.centers())]
st.caption(
    tr(
        "sql.intro",
        rows=fmt.number(sqlconsole.ROW_CAP, lang=f.lang),
        seconds=fmt.number(sqlconsole.TIME_LIMIT, lang=f.lang),
    )
)
with st.expander(tr("sql.tables"), icon=":material/table_chart:"):
    st.markdown(
        "\n".join(
            f"- **{table}**: {', '.join(columns)}" for table, columns in sqlconsole.columns(data.connection()).items()
        )
    )

with st.form("sql_form"):
    text = st.text_area(tr("sql.query"), key="sql_text", height=160, value=sqlconsole.EXAMPLE)
    submitted = st.form_submit_button(tr("sql.run"), icon=":material/play_arrow:", type="primary")

if submitted or "sql_result" in st.session_state:
    if submitted:
        try:
            st.session_state["sql_result"] = sqlconsole.run(data.connection(), text, scope_centers)
            st.session_state.pop("sql_error", None)
        except sqlconsole.ConsoleError as e:
            st.session_state.pop("sql_result", None)
            st.session_state["sql_error"] = tr(f"sql.error_{e.code}", detail=components.md(e.detail))
    if "sql_error" in st.session_state:
        st.error(st.session_state["sql_error"], icon=":material/block:")
    result = st.session_state.get("sql_result")
    if result is not None:
        st.subheader(
            tr(
                "sql.result",
                n=fmt.number(len(result.frame), lang=f.lang),
                seconds=fmt.number(round(result.seconds, 2), 2, f.lang),
            )
        )
        if result.size_cut:
            st.warning(
                tr(
                    "sql.truncated_size",
                    rows=fmt.number(len(result.frame), lang=f.lang),
                    mb=fmt.number(sqlconsole.BYTE_CAP / 2**20, lang=f.lang),
                ),
                icon=":material/cut:",
            )
        elif result.truncated:
            st.warning(tr("sql.truncated", rows=fmt.number(sqlconsole.ROW_CAP, lang=f.lang)), icon=":material/cut:")
        frame = privacy.mask(result.frame, ("full_name", "birth_date", "notes", "is_violence_victim"), allowed=True)
        components.table(frame, f.lang, plain=[c for c in frame.columns if str(c).endswith(("_id", "year"))])
        exporting.download_buttons(frame, "truy-van", f.lang, key="sql_export")
