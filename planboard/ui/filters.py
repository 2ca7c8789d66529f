"""The shared sidebar filters (as-of date, unit, language), kept in the URL so a link reproduces the view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from .. import fmt
from ..i18n import LANGS, t
from ..periods import month_end, quarter_end, today_vn
from ..plan import Plan

URL_KEYS = ("as_of", "unit", "lang", "plan")
ALL = ""  # the unit filter's "whole Center" choice


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    unit: str | None
    lang: str

    def tr(self, key: str, **values) -> str:
        return t(key, self.lang, **values)


def _parse_date(text: str | None, plan: Plan) -> dt.date | None:
    try:
        return plan.clip(dt.date.fromisoformat(text)) if text else None
    except ValueError:
        return None


def default_as_of(plan: Plan) -> dt.date:
    """Today in Vietnam, clipped into the plan year."""
    return plan.clip(today_vn())


def _seed_from_url(plan: Plan) -> None:
    """On a session's first run (or when the URL changes the view), take filter values from the query string."""
    qp = st.query_params
    seen = st.session_state.get("_url_seen")
    current = tuple(qp.get(k) for k in URL_KEYS)
    if seen == current:
        return
    as_of = _parse_date(qp.get("as_of"), plan)
    if as_of is not None or "f_as_of" not in st.session_state:
        st.session_state["f_as_of"] = as_of or default_as_of(plan)
    unit = qp.get("unit")
    if unit in {u.code for u in plan.units}:
        st.session_state["f_unit"] = unit
    elif "f_unit" not in st.session_state or unit is not None:
        st.session_state["f_unit"] = ALL
    lang = qp.get("lang")
    if lang in LANGS:
        st.session_state["f_lang"] = lang
    elif "f_lang" not in st.session_state:
        st.session_state["f_lang"] = "vi"


def seed_plan_from_url(stems: list[str]) -> None:
    """Before the plan is loaded: take `plan` (a plan file's name without .toml) from the URL once."""
    wanted = st.query_params.get("plan")
    if "f_plan" not in st.session_state and wanted in stems:
        st.session_state["f_plan"] = wanted


def language_before_plan() -> str:
    """The language when no plan could be loaded (URL or session; Vietnamese by default)."""
    lang = st.session_state.get("f_lang") or st.query_params.get("lang")
    return lang if lang in LANGS else "vi"


def language(plan: Plan) -> str:
    """The interface language for this run (from the URL or the session), before the sidebar is drawn."""
    _seed_from_url(plan)
    return st.session_state.get("f_lang") or "vi"


def set_url(wanted: dict[str, str | None]) -> None:
    """Put these keys in the URL (None = remove the key), touching only those that differ."""
    for key, value in wanted.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _write_url(f: Filters, plan: Plan) -> None:
    chosen = st.session_state.get("f_plan")
    set_url({"as_of": f.as_of.isoformat(), "unit": f.unit, "lang": None if f.lang == "vi" else f.lang,
             "plan": chosen if chosen and chosen != "plan" else None})
    st.session_state["_url_seen"] = tuple(st.query_params.get(k) for k in URL_KEYS)


def quick_picks(plan: Plan, lang: str) -> dict[str, dt.date]:
    """Month ends and quarter ends of the plan year, labelled 'Tháng 6/2024', 'Quý II/2024'."""
    picks = {fmt.month_label(plan.year, m, lang): month_end(plan.year, m) for m in range(1, 13)}
    picks.update({fmt.quarter_label(plan.year, q, lang): quarter_end(plan.year, q) for q in range(1, 5)})
    return picks


def _apply_quick_pick() -> None:
    label = st.session_state.get("f_quick")
    picks = st.session_state.get("_quick_map", {})
    if label in picks:
        st.session_state["f_as_of"] = picks[label]
    st.session_state["f_quick"] = None


def sidebar(plan: Plan, plans: dict[str, str] | None = None) -> Filters:
    """Render the shared filters in the sidebar and return their values. `plans` ({file stem: label}) offers a
    choice of plan files when there are several (kept in the URL as `plan`)."""
    _seed_from_url(plan)
    lang = st.session_state.get("f_lang") or "vi"  # the segmented control can be deselected (None)
    sb = st.sidebar
    if plans and len(plans) > 1:
        if st.session_state.get("f_plan") not in plans:
            st.session_state["f_plan"] = "plan" if "plan" in plans else next(iter(plans))
        sb.selectbox(t("app.plan", lang), list(plans), key="f_plan", format_func=plans.get)
    sb.markdown(f"**{plan.short_title if lang == 'vi' else plan.title_en}**  \n{t('app.plan', lang)} {plan.number}")
    sb.date_input(t("app.as_of", lang), key="f_as_of", min_value=plan.start, max_value=plan.end, format="DD/MM/YYYY")
    picks = quick_picks(plan, lang)
    st.session_state["_quick_map"] = picks
    sb.selectbox(t("app.quick_pick", lang), list(picks), index=None, key="f_quick", on_change=_apply_quick_pick,
                 placeholder=t("app.quick_pick_hint", lang, month=fmt.month_label(plan.year, 6, lang),
                               quarter=fmt.quarter_label(plan.year, 2, lang)))
    units = [ALL] + [u.code for u in plan.units]
    labels = {ALL: t("app.all_units", lang), **{u.code: u.name(lang) for u in plan.units}}
    sb.selectbox(t("app.unit", lang), units, key="f_unit", format_func=lambda c: labels[c])
    sb.segmented_control(t("app.language", lang), list(LANGS), key="f_lang", format_func=lambda c: c.upper(),
                         selection_mode="single")
    f = Filters(as_of=plan.clip(st.session_state["f_as_of"] or default_as_of(plan)),
                unit=st.session_state["f_unit"] or None, lang=st.session_state.get("f_lang") or "vi")
    _write_url(f, plan)
    return f


def current(plan: Plan) -> Filters:
    """The filters app.py rendered in this run; a page run on its own (tests) renders them itself."""
    f = st.session_state.get("_filters")
    return f if isinstance(f, Filters) else sidebar(plan)
