"""How results read wherever they are shown — pages, reports, exports: the status palette (ui.md) and the texts
of a value, a target level and a year target. No SQL, no Streamlit."""

from __future__ import annotations

from . import fmt
from .i18n import t
from .kpis import Result

STATUS_COLORS = {
    "dat": "#1a7f37",
    "dung_tien_do": "#0969da",
    "can_chu_y": "#9a6700",
    "cham_tien_do": "#cf222e",
    "khong_dat": "#82071e",
    "theo_doi": "#6e7781",
    "chua_co_du_lieu": "#afb8c1",
}
ACTUAL_COLOR = "#24292f"
TARGET_COLOR = "#6e7781"


def value_text(r: Result, lang: str = "vi") -> str:
    """'9/12 (75,0%)', '7/9 (77,8%) · mẫu nhỏ' for a rate; '1.699' for a count (of a Result, or a meeting's frozen
    Number)."""
    if r.is_rate:
        text = fmt.rate(r.numerator, r.denominator, lang)
        if fmt.is_small(r.denominator):
            text += f" · {t('fmt.small_sample', lang)}"
        return text
    return fmt.number(r.numerator, lang=lang)


def level_text(r: Result, level: float | None, lang: str = "vi") -> str:
    """A target level: '18', '100,0%', '> 80,0%' (the year level under a strict '>' target)."""
    if level is None:
        return "–"
    text = fmt.percent(level, 1, lang) if r.is_rate else fmt.number(level, lang=lang)
    if r.indicator.target is not None and level == r.target_year and r.indicator.target.op == ">":
        text = "> " + text
    return text


def is_assumed(r: Result) -> bool:
    """A reference target the Center set itself (the plan gives none)."""
    return r.indicator.source == "assumed" and r.target_year is not None


def target_text(r: Result, lang: str = "vi") -> str:
    """The year target in a table cell, with '*' when it is a reference target (the table's note explains it)."""
    return level_text(r, r.target_year, lang) + (" *" if is_assumed(r) else "")


def target_words(r: Result, lang: str = "vi") -> str:
    """The year target in a sentence: '24 (mục tiêu tham chiếu, Trung tâm tự đặt)' instead of a bare '*'."""
    text = level_text(r, r.target_year, lang)
    return f"{text} ({t('fmt.assumed_target', lang)})" if is_assumed(r) else text
