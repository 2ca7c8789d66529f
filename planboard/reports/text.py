"""How one indicator result reads in a report (value with counts, levels, lead units). No SQL, no Streamlit.

The same texts as the pages (planboard/ui/components.py), kept here because the core must not import
the Streamlit-aware helpers."""

from __future__ import annotations

from .. import fmt
from ..i18n import t
from ..kpis import Result
from ..plan import Plan


def value_text(r: Result, lang: str = "vi") -> str:
    """'9/12 (75,0%)', '7/9 (77,8%) · mẫu nhỏ' for a rate; '1.699' for a count."""
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


def target_text(r: Result, lang: str = "vi") -> str:
    """The year target, with '*' when it is a reference target the Center set itself."""
    assumed = r.indicator.source == "assumed" and r.target_year is not None
    return level_text(r, r.target_year, lang) + (" *" if assumed else "")


def indicator_label(r: Result, lang: str = "vi") -> str:
    return r.indicator.label if lang == "vi" else r.indicator.label_en


def status_word(code: str, lang: str = "vi") -> str:
    return t(f"status.{code}", lang)


def lead_labels(plan: Plan, activity: str, lang: str = "vi") -> list[str]:
    """The full labels of an activity's lead units (chủ trì), in the plan's order."""
    units = [plan.unit(c) for c in plan.activity(activity).lead]
    return [u.label if lang == "vi" else u.label_en for u in units]


def activity_title(plan: Plan, activity: str, lang: str = "vi") -> str:
    a = plan.activity(activity)
    return a.short_title if lang == "vi" else a.title_en
