"""The toy page (issue 17's reference for a page): a title, a metric, a 1,000-row table and a Plotly chart, no
database, no cache, no sign-in. `make bench` renders it beside the real pages, server side (AppTest) and in the
browser (`streamlit run bench/toy_page.py`), and reports every page as a multiple of it."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

ROWS = 1_000  # what a register page shows at most (planboard.ui.exporting.REGISTER_ROWS)

st.title("Toy page")
st.metric("Requests", f"{ROWS:,}", delta="+12")
table = pd.DataFrame(
    {
        "id": [f"YC-{i:05d}" for i in range(ROWS)],
        "unit": [("CTXH", "CSKC", "HCTH", "BGD")[i % 4] for i in range(ROWS)],
        "requested_on": pd.date_range("2024-01-01", periods=ROWS, freq="8h"),
        "status": [("dang_xu_ly", "da_xong", "tu_choi")[i % 3] for i in range(ROWS)],
        "fee_charged": [(i * 37) % 5 * 10_000 for i in range(ROWS)],
    }
)
st.dataframe(table, hide_index=True)
monthly = table.groupby(table["requested_on"].dt.month).size()
st.plotly_chart(go.Figure(go.Bar(x=list(monthly.index), y=list(monthly.values))), config={"displayModeBar": False})
