"""How a code reads to a person: statuses, the data contract's code lists, units, activities and event types, in the
interface language. Every code-to-label rule lives here once; the words come from the plan file and the locale
files. No SQL, no Streamlit."""

from __future__ import annotations

from collections.abc import Iterable

from .i18n import catalog, t
from .plan import Plan


def status(code: str, lang: str = "vi") -> str:
    """An indicator's or an activity's status word: 'Chậm tiến độ'."""
    return t(f"status.{code}", lang)


def code(kind: str, value, lang: str = "vi") -> str:
    """A code of the data contract's lists (locale keys codes.<kind>.<code>): 'dat_dai' -> 'Đất đai'; '' for an empty
    code; an unknown code as it is."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    key = f"codes.{kind}.{value}"
    return catalog(lang).get(key) or catalog("vi").get(key) or str(value)


def yes_no(value, lang: str = "vi") -> str:
    """A table's yes/no cell: 'Có' / 'Không'."""
    return t("common.yes" if value else "common.no", lang)


def unit_short(plan: Plan, unit: str) -> str:
    """A unit's short name ('CTXH'); a code the plan does not know, as it is."""
    known = {u.code: u for u in plan.units}
    return known[unit].short if unit in known else unit


def unit_name(plan: Plan, unit: str, lang: str = "vi") -> str:
    """A unit's full name in the interface language (the plan's English name under `lang=en`)."""
    return plan.unit(unit).name(lang)


def unit_shorts(plan: Plan, units: Iterable[str]) -> str:
    """'CTXH, HCTH'."""
    return ", ".join(unit_short(plan, u) for u in units)


def unit_names(plan: Plan, units: Iterable[str], lang: str = "vi") -> list[str]:
    """The full names of units, in the order given (an activity's lead units in the plan's order)."""
    return [unit_name(plan, u, lang) for u in units]


def activity(plan: Plan, code: str, lang: str = "vi") -> str:
    """An activity with its number: '4.1 – Phát thanh, họp định kỳ'; a code the plan does not know, as it is."""
    known = {a.code: a for a in plan.activities}
    return f"{code} – {known[code].name(lang)}" if code in known else code


def event_type(plan: Plan, code, lang: str = "vi") -> str:
    """An event type's name: the plan file's label in Vietnamese, its English name (locales codes.event_type) in
    English when there is one; an unknown code as it is."""
    if lang != "vi" and (english := catalog(lang).get(f"codes.event_type.{code}")):
        return english
    return next((e.label for e in plan.event_types if e.code == code), str(code))
