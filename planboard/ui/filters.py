"""The shared sidebar filters (as-of date, unit, language), kept in the URL so a link reproduces the view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from .. import fmt, org
from ..i18n import LANGS, t
from ..periods import month_end, quarter_end, today_vn
from ..plan import Plan

URL_KEYS = ("as_of", "unit", "lang", "center", "province", "year")
ALL = ""  # the unit filter's "whole Center" choice


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    unit: str | None
    lang: str
    view: org.View | None = None  # the center or roll-up shown (None only in a page run on its own)

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


def seed_scope_from_url() -> None:
    """Before the view is resolved: take `center=`, `province=` (or `province=all`) and `year=` from the URL when
    it changes (the view resolves them inside the reader's scope; unknown values fall back to the default)."""
    qp = st.query_params
    current = (qp.get("center"), qp.get("province"), qp.get("year"))
    if st.session_state.get("_scope_url_seen") == current:
        return
    st.session_state["_scope_url_seen"] = current
    center, province, year = current
    if not year and qp.get("as_of"):  # the year of a view: year=, else the as-of's (docs/centers.md)
        year = qp.get("as_of")[:4]
    if center:
        st.session_state["f_scope"] = f"center:{center}"
    elif province:
        st.session_state["f_scope"] = "all:" if province == "all" else f"province:{province}"
    if year and year.isdigit():
        st.session_state["f_year"] = int(year)


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


@dataclass(frozen=True)
class UrlField:
    """A page's filter widget kept in the URL: its session key, its URL key, and how its value reads there —
    "list" (codes joined by ',', '_' for the empty code), "text", "int", "date" (ISO), "bool" ('1')."""

    key: str
    url: str
    kind: str = "list"
    options: tuple | None = None  # the values a list or text may take (others in a link are dropped)
    low: object = None  # a date's or a number's bounds
    high: object = None


def _from_url(field: UrlField, text: str):
    try:
        if field.kind == "list":
            values = ["" if v == "_" else v for v in text.split(",") if v]
            return [v for v in values if field.options is None or v in field.options]
        if field.kind == "bool":
            return text == "1"
        value = {"int": int, "date": dt.date.fromisoformat, "text": str}[field.kind](text)
    except ValueError:
        return None
    if field.options is not None and value not in field.options:
        return None
    if (field.low is not None and value < field.low) or (field.high is not None and value > field.high):
        return None
    return value


def _to_url(field: UrlField, value) -> str | None:
    if value is None or value == [] or value is False:
        return None
    if field.kind == "list":
        return ",".join("_" if v == "" else str(v) for v in value)
    if field.kind == "bool":
        return "1"
    return value.isoformat() if field.kind == "date" else str(value)


def seed_fields_from_url(fields: list[UrlField], seen_key: str) -> None:
    """Before a page draws its filters: when the URL's values for them are not the ones this page last wrote (a
    shared link, or the first run), the widgets take them; a key missing from the URL leaves its widget alone."""
    current = tuple(st.query_params.get(x.url) for x in fields)
    if st.session_state.get(seen_key) == current:
        return
    for x, text in zip(fields, current, strict=True):
        if text is None:
            continue
        value = _from_url(x, text)
        if value is not None:
            st.session_state[x.key] = value


def write_fields_to_url(fields: list[UrlField], seen_key: str, defaults: dict | None = None) -> None:
    """After a page drew its filters: their values into the URL (a value equal to its default is left out)."""
    defaults = defaults or {}
    set_url(
        {
            x.url: None
            if st.session_state.get(x.key) == defaults.get(x.key, None)
            else _to_url(x, st.session_state.get(x.key))
            for x in fields
        }
    )
    st.session_state[seen_key] = tuple(st.query_params.get(x.url) for x in fields)


def _write_url(f: Filters, plan: Plan, several: bool, years: list[int]) -> None:
    v = f.view
    scope = {"center": None, "province": None, "year": None}
    if v is not None and several:  # a single-center install keeps its short links
        if v.center is not None:
            scope["center"] = v.center
        else:
            scope["province"] = v.province or "all"
    if v is not None and len(years) > 1:
        scope["year"] = str(v.year)
    set_url({"as_of": f.as_of.isoformat(), "unit": f.unit, "lang": None if f.lang == "vi" else f.lang, **scope})
    st.session_state["_url_seen"] = tuple(st.query_params.get(k) for k in URL_KEYS)
    st.session_state["_scope_url_seen"] = (scope["center"], scope["province"], scope["year"])


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


def scope_choices(known: list[org.Center], scope: org.Scope, lang: str) -> dict[str, str]:
    """{choice: label} of the views a reader may pick: each province with several centers (its roll-up), every
    center ('all:') when there are several provinces, then each center."""
    mine = scope.centers(known)
    out: dict[str, str] = {}
    provinces = list(dict.fromkeys(c.province_code for c in mine))
    if len(provinces) > 1:
        out["all:"] = t("app.scope_all", lang, n=len(mine))
    for code in provinces:
        inside = [c for c in mine if c.province_code == code]
        if len(inside) > 1:
            out[f"province:{code}"] = t("app.scope_province", lang, name=inside[0].province_name, n=len(inside))
    out.update({f"center:{c.code}": c.name for c in mine})
    return out


def _choice_of(v: org.View) -> str:
    if v.center is not None:
        return f"center:{v.center}"
    return f"province:{v.province}" if v.province else "all:"


def _move_year() -> None:
    """A new plan year keeps the day and month of the as-of date (30/06/2024 -> 30/06/2025)."""
    year, as_of = st.session_state.get("f_year"), st.session_state.get("f_as_of")
    if year and as_of and as_of.year != year:
        day = min(as_of.day, 28) if as_of.month == 2 else as_of.day
        st.session_state["f_as_of"] = dt.date(year, as_of.month, day)


def _scope_picker(sb, v: org.View, known: list[org.Center], scope: org.Scope, years: list[int], lang: str) -> bool:
    """The center / roll-up and year choices for readers above one center; returns whether there are several."""
    choices = scope_choices(known, scope, lang)
    if len(choices) > 1:
        st.session_state["f_scope"] = _choice_of(v)
        sb.selectbox(t("app.scope", lang), list(choices), key="f_scope", format_func=lambda c: choices.get(c, c))
    if len(years) > 1:
        st.session_state["f_year"] = v.year
        sb.selectbox(t("app.year", lang), years, key="f_year", on_change=_move_year)
    return len(choices) > 1


def sidebar(
    plan: Plan,
    v: org.View | None = None,
    known: list[org.Center] | None = None,
    scope: org.Scope | None = None,
    years: list[int] | None = None,
) -> Filters:
    """Render the shared filters in the sidebar and return their values. With `v` (the view resolved from the
    reader's scope), readers above one center choose a center or a roll-up, and the plan year when there are
    several; all of it is kept in the URL."""
    _seed_from_url(plan)
    lang = st.session_state.get("f_lang") or "vi"  # the segmented control can be deselected (None)
    sb = st.sidebar
    several = v is not None and _scope_picker(sb, v, known or [], scope or org.Scope(), years or [], lang)
    if v is not None and v.is_rollup:  # several centers' plans: say whose numbers these are, not one plan's number
        sb.markdown(
            f"**{scope_choices(known or [], scope or org.Scope(), lang).get(_choice_of(v), '')}**  \n"
            f"{t('app.rollup_year', lang, year=v.year)}"
        )
    else:
        sb.markdown(f"**{plan.short_title if lang == 'vi' else plan.title_en}**  \n{t('app.plan', lang)} {plan.number}")
    sb.date_input(t("app.as_of", lang), key="f_as_of", min_value=plan.start, max_value=plan.end, format="DD/MM/YYYY")
    picks = quick_picks(plan, lang)
    st.session_state["_quick_map"] = picks
    sb.selectbox(
        t("app.quick_pick", lang),
        list(picks),
        index=None,
        key="f_quick",
        on_change=_apply_quick_pick,
        placeholder=t(
            "app.quick_pick_hint",
            lang,
            month=fmt.month_label(plan.year, 6, lang),
            quarter=fmt.quarter_label(plan.year, 2, lang),
        ),
    )
    rollup = v is not None and v.is_rollup
    if rollup:  # units belong to one center's plan: a roll-up has no unit filter
        st.session_state["f_unit"] = ALL
    else:
        units = [ALL] + [u.code for u in plan.units]
        labels = {ALL: t("app.all_units", lang), **{u.code: u.name(lang) for u in plan.units}}
        if st.session_state.get("f_unit") not in units:
            st.session_state["f_unit"] = ALL
        sb.selectbox(t("app.unit", lang), units, key="f_unit", format_func=lambda c: labels[c])
    sb.segmented_control(
        t("app.language", lang), list(LANGS), key="f_lang", format_func=lambda c: c.upper(), selection_mode="single"
    )
    f = Filters(
        as_of=plan.clip(st.session_state["f_as_of"] or default_as_of(plan)),
        unit=st.session_state["f_unit"] or None,
        lang=st.session_state.get("f_lang") or "vi",
        view=v,
    )
    _write_url(f, plan, several, years or [])
    return f


def _clear_unit() -> None:
    st.session_state["f_unit"] = ALL


def active_chips(f: Filters, plan: Plan) -> None:
    """The shared filters that narrow the page, as chips one click removes: a unit chosen in the sidebar or by a
    drill-down on the units page applies to every later page, so every page it applies to says so."""
    if not f.unit:
        return
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="active_filters"):
        st.markdown(f":material/filter_alt: {t('app.filtering', f.lang)}", width="content")
        st.button(
            t("app.chip_unit", f.lang, unit=plan.unit(f.unit).name(f.lang)),
            icon=":material/close:",
            on_click=_clear_unit,
            key="chip_unit",
            help=t("app.chip_remove", f.lang),
        )


def current(plan: Plan) -> Filters:
    """The filters app.py rendered in this run; a page run on its own (tests) renders them itself."""
    f = st.session_state.get("_filters")
    if isinstance(f, Filters):
        return f
    from . import data  # a page run on its own: the view as app.py would resolve it

    v = data.view()
    return sidebar(v.plan, v, data.centers(), data.user_scope(), data.planset().years(list(v.centers)))
