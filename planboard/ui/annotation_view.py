"""Annotations on the activity page: the markers of an indicator's charts, the list beside the records of the period
shown, and the form to add one (planboard/annotations.py decides who may). Layout only."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import annotations, auth, org
from ..i18n import t
from ..plan import Plan
from . import charts, components


def mark(fig, x_labels, dates, notes: list[annotations.Annotation], indicator: str, activity: str, lang: str):
    """Draw the notes of this indicator (its own and its whole activity's) on one of its charts."""
    return charts.mark_notes(
        fig,
        x_labels,
        dates,
        [(n.noted_on, n.note) for n in annotations.of_indicator(notes, indicator, activity)],
        one=t("annotations_ui.marker", lang),
        many=t("annotations_ui.markers", lang),
    )


def subject(n: annotations.Annotation, plan: Plan, lang: str) -> str:
    if n.indicator is None:
        return t("annotations_ui.whole_activity", lang, code=n.activity)
    found = next((i for i in plan.indicators if i.code == n.indicator), None)
    return n.indicator if found is None else found.name(lang)


def frame(notes: list[annotations.Annotation], plan: Plan, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("annotations_ui.col_date", lang): pd.Series([n.noted_on for n in notes], dtype=object),
            t("annotations_ui.col_subject", lang): [subject(n, plan, lang) for n in notes],
            t("annotations_ui.col_note", lang): [n.note for n in notes],
            t("annotations_ui.col_author", lang): [n.author or "–" for n in notes],
        }
    )


def show(notes: list[annotations.Annotation], plan: Plan, lang: str) -> None:
    """The notes of the period shown with its records, by date."""
    st.markdown(f"**{t('annotations_ui.title', lang, n=len(notes))}**")
    if not notes:
        st.caption(t("annotations_ui.none", lang))
        return
    components.table(frame(notes, plan, lang), lang)


def add_form(
    con,
    user: auth.User | None,
    plan: Plan,
    known: list[org.Center],
    center: str | None,
    activity: str,
    lang: str,
    default: dt.date | None = None,
) -> None:
    """The form of a new note on the activity or one of its indicators, for those who may (one center's view)."""
    if user is None or center is None or not annotations.may_add(user, plan, activity):
        return
    if done := st.session_state.pop("ann_saved", None):
        st.success(done, icon=":material/task_alt:")
    with st.expander(t("annotations_ui.add", lang), icon=":material/edit_note:"):
        st.caption(t("annotations_ui.caption", lang))
        with st.form("add_annotation", clear_on_submit=True):
            subjects = [None, *(i.code for i in plan.indicators_of(activity))]
            chosen = st.selectbox(
                t("annotations_ui.subject", lang),
                subjects,
                format_func=lambda c: (
                    t("annotations_ui.whole_activity", lang, code=activity)
                    if c is None
                    else plan.indicator(c).name(lang)
                ),
            )
            on = st.date_input(t("annotations_ui.date", lang), value=default, format="DD/MM/YYYY")
            text = st.text_area(t("annotations_ui.text", lang), height=68)
            if st.form_submit_button(t("annotations_ui.save", lang), type="primary", icon=":material/save:"):
                try:
                    annotations.add(con, user, plan, known, center, on, text, activity=activity, indicator=chosen)
                except annotations.AnnotationError as e:
                    components.error_box(e.message(lang))
                else:
                    st.session_state["ann_saved"] = t("annotations_ui.saved", lang)
                    st.rerun()
