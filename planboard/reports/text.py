"""How one indicator result reads in a report (value with counts, levels, lead units). No SQL, no Streamlit.

Value, level and target texts come from planboard.display, shared with the pages."""

from __future__ import annotations

from ..display import level_text, target_text, target_words, value_text  # noqa: F401  (re-exported for reports)
from ..i18n import t
from ..kpis import Result
from ..plan import Plan


def indicator_label(r: Result, lang: str = "vi") -> str:
    return r.indicator.name(lang)


def status_word(code: str, lang: str = "vi") -> str:
    return t(f"status.{code}", lang)


def lead_labels(plan: Plan, activity: str, lang: str = "vi") -> list[str]:
    """The full labels of an activity's lead units (chủ trì), in the plan's order."""
    units = [plan.unit(c) for c in plan.activity(activity).lead]
    return [u.name(lang) for u in units]


def activity_title(plan: Plan, activity: str, lang: str = "vi") -> str:
    a = plan.activity(activity)
    return a.name(lang)
