"""Small display pieces shared by pages: status pills, indicator value text, the indicator table."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from .. import fmt
from ..i18n import t
from ..kpis import Result

STATUS_COLORS = {
    "dat": "#1a7f37",
    "dung_tien_do": "#0969da",
    "can_chu_y": "#9a6700",
    "cham_tien_do": "#cf222e",
    "khong_dat": "#82071e",
    "theo_doi": "#6e7781",
    "chua_co_du_lieu": "#afb8c1",
}
STATUS_ICONS = {
    "dat": "check_circle",
    "dung_tien_do": "trending_up",
    "can_chu_y": "schedule",
    "cham_tien_do": "warning",
    "khong_dat": "cancel",
    "theo_doi": "visibility",
    "chua_co_du_lieu": "help",
}
ACTUAL_COLOR = "#24292f"
TARGET_COLOR = "#6e7781"


def status_label(code: str, lang: str = "vi") -> str:
    return t(f"status.{code}", lang)


def status_pill(code: str, lang: str = "vi") -> str:
    """HTML pill: colour and the status word (colour never alone)."""
    text_color = "#24292f" if code == "chua_co_du_lieu" else "#ffffff"
    return (f'<span style="background:{STATUS_COLORS[code]};color:{text_color};padding:2px 10px;'
            f'border-radius:999px;font-weight:600;font-size:0.9em;white-space:nowrap">'
            f"{html.escape(status_label(code, lang))}</span>")


def value_text(r: Result, lang: str = "vi") -> str:
    """'3/4 (75,0%)' for a rate (with 'mẫu nhỏ' under 10), '1.234' for a count."""
    if r.is_rate:
        text = fmt.rate(r.numerator, r.denominator, lang)
        if fmt.is_small(r.denominator):
            text += f" · {t('fmt.small_sample', lang)}"
        return text
    return fmt.number(r.numerator, lang=lang)


def level_text(r: Result, level: float | None, lang: str = "vi") -> str:
    if level is None:
        return "–"
    text = fmt.percent(level, 1, lang) if r.is_rate else fmt.number(level, lang=lang)
    if r.indicator.target is not None and level == r.target_year and r.indicator.target.op == ">":
        text = "> " + text
    return text


def indicator_frame(results: list[Result], lang: str = "vi") -> pd.DataFrame:
    """The indicator table as laid out on pages: code, item, label, result, expected now, year target, status."""
    rows = []
    for r in results:
        label = r.indicator.label if lang == "vi" else r.indicator.label_en
        assumed = r.indicator.source == "assumed" and r.target_year is not None
        rows.append({
            t("indicators_page.col_code", lang): r.code,
            t("indicators_page.col_activity", lang): r.indicator.activity,
            t("indicators_page.col_indicator", lang): label,
            t("indicators_page.col_value", lang): value_text(r, lang),
            t("indicators_page.col_expected", lang): level_text(r, r.expected_now, lang),
            t("indicators_page.col_target", lang): level_text(r, r.target_year, lang) + (" *" if assumed else ""),
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
