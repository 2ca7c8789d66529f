"""The two download buttons (CSV, XLSX) under a table view; the files come from planboard.export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import export
from ..i18n import t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(df: pd.DataFrame, name: str, lang: str = "vi", title: str | None = None,
                     key: str | None = None) -> None:
    """CSV (UTF-8 with BOM) and XLSX of exactly the table shown (its translated headers), side by side."""
    key = key or name
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("export.csv", lang), export.to_csv(df), file_name=f"{name}.csv", mime="text/csv",
                         icon=":material/download:", key=f"{key}_csv", on_click="ignore", width="stretch")
    right.download_button(t("export.xlsx", lang), export.to_xlsx(df, title=title), file_name=f"{name}.xlsx",
                          mime=XLSX_MIME, icon=":material/table_view:", key=f"{key}_xlsx", on_click="ignore",
                          width="stretch")
