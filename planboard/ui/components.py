"""Small display pieces shared by pages: status pills, indicator value text, the indicator table."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from ..display import ACTUAL_COLOR, STATUS_COLORS, TARGET_COLOR, level_text, target_text, value_text  # noqa: F401
from ..i18n import t
from ..kpis import Result

STATUS_ICONS = {
    "dat": "check_circle",
    "dung_tien_do": "trending_up",
    "can_chu_y": "schedule",
    "cham_tien_do": "warning",
    "khong_dat": "cancel",
    "theo_doi": "visibility",
    "chua_co_du_lieu": "help",
}


def status_label(code: str, lang: str = "vi") -> str:
    return t(f"status.{code}", lang)


def status_pill(code: str, lang: str = "vi") -> str:
    """HTML pill: colour and the status word (colour never alone)."""
    text_color = "#24292f" if code == "chua_co_du_lieu" else "#ffffff"
    return (f'<span style="background:{STATUS_COLORS[code]};color:{text_color};padding:2px 10px;'
            f'border-radius:999px;font-weight:600;font-size:0.9em;white-space:nowrap">'
            f"{html.escape(status_label(code, lang))}</span>")


def indicator_frame(results: list[Result], lang: str = "vi") -> pd.DataFrame:
    """The indicator table as laid out on pages: code, item, label, result, expected now, year target, status."""
    rows = []
    for r in results:
        label = r.indicator.label if lang == "vi" else r.indicator.label_en
        rows.append({
            t("indicators_page.col_code", lang): r.code,
            t("indicators_page.col_activity", lang): r.indicator.activity,
            t("indicators_page.col_indicator", lang): label,
            t("indicators_page.col_value", lang): value_text(r, lang),
            t("indicators_page.col_expected", lang): level_text(r, r.expected_now, lang),
            t("indicators_page.col_target", lang): target_text(r, lang),
            t("indicators_page.col_status", lang): status_label(r.status, lang),
        })
    return pd.DataFrame(rows)


def styled_status(df: pd.DataFrame, column: str, lang: str = "vi"):
    """Colour the status column's cells with the palette (the word stays)."""
    by_label = {status_label(c, lang): c for c in STATUS_COLORS}

    def paint(value):
        code = by_label.get(value)
        if code is None:
            return ""
        fg = "#24292f" if code == "chua_co_du_lieu" else "#ffffff"
        return f"background-color: {STATUS_COLORS[code]}; color: {fg}; font-weight: 600"

    return df.style.map(paint, subset=[column])


def error_box(message: str) -> None:
    st.error(message, icon=":material/error:")
