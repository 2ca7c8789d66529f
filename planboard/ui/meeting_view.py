"""What the "Giao ban" page and the overview show of meetings: tables of frozen numbers, changes, corrections and
actions in the reader's language, and the open actions block of "Cần xử lý". Numbers come from planboard/meetings.py
and planboard/actions.py; this module only lays them out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import actions, auth, fmt, labels, meetings, org
from ..i18n import t
from ..plan import Plan
from . import components, exporting


def scope_of(view: org.View, known: list[org.Center]) -> org.Scope | None:
    """The meeting scope of the view: its center, or its province (None for a roll-up of several provinces)."""
    if view.center is not None:
        return org.Scope("center", view.center)
    if view.province is not None:
        return org.Scope("province", view.province)
    return None


def value_text(n: meetings.Number, lang: str) -> str:
    """'7' for a count, '3/4 (75,0%)' for a rate, as everywhere else."""
    if n.denominator is not None:
        return fmt.rate(n.numerator, n.denominator, lang)
    return fmt.number(n.value, lang=lang)


def _indicator(plan: Plan, code: str, lang: str) -> str:
    found = next((i for i in plan.indicators if i.code == code), None)
    return code if found is None else found.name(lang)


def level_text(n: meetings.Number, plan: Plan, known: list[org.Center], lang: str) -> str:
    """'Toàn Trung tâm', a unit's short name, a center's name, or the roll-up."""
    if n.center is None:
        return t("meetings_page.level_rollup", lang)
    if n.department is not None:
        return next((u.short for u in plan.units if u.code == n.department), n.department)
    return next((c.name for c in known if c.code == n.center), n.center)


def numbers_frame(numbers: list[meetings.Number], plan: Plan, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("meetings_page.col_code", lang): [n.indicator for n in numbers],
            t("meetings_page.col_indicator", lang): [_indicator(plan, n.indicator, lang) for n in numbers],
            t("meetings_page.col_value", lang): [value_text(n, lang) for n in numbers],
            t("meetings_page.col_expected", lang): [fmt.number(n.expected_now, lang=lang) for n in numbers],
            t("meetings_page.col_target", lang): [fmt.number(n.target_year, lang=lang) for n in numbers],
            t("meetings_page.col_status", lang): [labels.status(n.status, lang) for n in numbers],
        }
    )


def show_numbers(numbers: list[meetings.Number], plan: Plan, lang: str) -> None:
    frame = numbers_frame(numbers, plan, lang)
    # the long label at a fixed width (hover shows it whole), so the status word stays in view on a laptop
    wide = {t("meetings_page.col_indicator", lang): st.column_config.Column(width=360)}
    components.table(
        components.styled_status(frame, t("meetings_page.col_status", lang), lang),
        lang,
        max_rows=None,
        column_config=wide,
    )


def delta_text(change: meetings.Change, lang: str) -> str:
    d = change.delta
    if d is None:
        return "–"
    sign = "+" if d > 0 else ""
    text = sign + fmt.number(d, lang=lang)
    return text + (t("meetings_page.points", lang) if change.now.denominator is not None else "")


def changes_frame(changes: list[meetings.Change], plan: Plan, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("meetings_page.col_indicator", lang): [_indicator(plan, c.indicator, lang) for c in changes],
            t("meetings_page.col_before", lang): [value_text(c.before, lang) for c in changes],
            t("meetings_page.col_now", lang): [value_text(c.now, lang) for c in changes],
            t("meetings_page.col_change", lang): [delta_text(c, lang) for c in changes],
            t("meetings_page.col_status_change", lang): [
                labels.status(c.now.status, lang)
                if not c.status_changed
                else f"{labels.status(c.before.status, lang)} → {labels.status(c.now.status, lang)}"
                for c in changes
            ],
        }
    )


def corrections_frame(changes: list[meetings.Change], plan: Plan, known: list[org.Center], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("meetings_page.col_level", lang): [level_text(c.before, plan, known, lang) for c in changes],
            t("meetings_page.col_indicator", lang): [_indicator(plan, c.indicator, lang) for c in changes],
            t("meetings_page.col_frozen", lang): [value_text(c.before, lang) for c in changes],
            t("meetings_page.col_now", lang): [value_text(c.now, lang) for c in changes],
            t("meetings_page.col_status_change", lang): [
                f"{labels.status(c.before.status, lang)} → {labels.status(c.now.status, lang)}"
                if c.status_changed
                else labels.status(c.now.status, lang)
                for c in changes
            ],
        }
    )


def action_status_text(a: actions.Action, lang: str) -> str:
    text = actions.status_label(a.status, lang)
    return f"{text} · {t('actions.overdue', lang)}" if a.is_overdue else text


def actions_frame(found: list[actions.Action], plan: Plan, lang: str, with_center=None) -> pd.DataFrame:
    """The list of actions as shown and downloaded; `with_center` (exporting.center_column) puts each action's center
    first on a roll-up view."""
    return pd.DataFrame(
        {
            **(with_center({"center": [a.center for a in found]}) if with_center else {}),
            t("meetings_page.col_action_id", lang): [a.action_id for a in found],
            t("meetings_page.col_action", lang): [a.text for a in found],
            t("meetings_page.col_indicator", lang): [
                _indicator(plan, a.indicator, lang) if a.indicator else "–" for a in found
            ],
            t("meetings_page.col_owner", lang): [
                next((u.short for u in plan.units if u.code == a.owner_unit), a.owner_unit)
                + (f" ({a.owner_person})" if a.owner_person else "")
                for a in found
            ],
            t("meetings_page.col_due", lang): pd.Series([a.due_on for a in found], dtype=object),  # real dates
            t("meetings_page.col_action_status", lang): [action_status_text(a, lang) for a in found],
            t("meetings_page.col_last_note", lang): [a.last_note or "" for a in found],
            t("meetings_page.col_meeting", lang): [a.meeting_title for a in found],
        }
    )


def show_actions(
    found: list[actions.Action],
    plan: Plan,
    lang: str,
    empty_key: str,
    *,
    download: str | None = None,
    title: str | None = None,
    key: str | None = None,
) -> None:
    """A list of actions, overdue marked; with `download` (a file name) the CSV and XLSX of exactly that list under it
    (dates as dates), offered as every register's download is (roles with export_records: an action may name a
    person)."""
    if not found:
        st.caption(t(empty_key, lang))
        return
    frame = actions_frame(found, plan, lang, exporting.center_column(lang))
    column = t("meetings_page.col_action_status", lang)
    styled = components.mark_word(frame, column, t("actions.overdue", lang))
    components.table(styled, lang, max_rows=None, plain=[t("meetings_page.col_action_id", lang)])
    if download:
        exporting.download_buttons(frame, download, lang, title=title, key=key or download, records=True)


def update_form(con, user: auth.User | None, found: list[actions.Action], known: list[org.Center], lang: str) -> None:
    """The form of a progress note and/or a new status, for the actions among `found` this user may update (the owner
    unit's staff: in progress or done; leadership and administrators: any status). Nothing when there is none."""
    mine = [a for a in found if user is not None and actions.may_update(user, a, known)]
    if not mine:
        return
    with st.form("update_action", clear_on_submit=True):
        st.markdown(f"**{t('meetings_page.update_action', lang)}**")
        picked = st.selectbox(
            t("meetings_page.which_action", lang),
            [a.action_id for a in mine],
            format_func=lambda i: next(f"{a.action_id}. {a.text}" for a in mine if a.action_id == i),
        )
        allowed = actions.STATUSES if user.can("manage_actions") else actions.STAFF_MOVES
        status = st.selectbox(
            t("meetings_page.new_status", lang),
            allowed,
            index=None,
            placeholder=t("meetings_page.choose", lang),
            format_func=lambda s: actions.status_label(s, lang),
        )
        note = st.text_area(t("meetings_page.progress_note", lang), height=68)
        if st.form_submit_button(t("meetings_page.save_update", lang), icon=":material/save:"):
            try:
                actions.update(con, user, picked, known, status=status, note=note)
            except meetings.MeetingError as e:
                components.error_box(e.message(lang))
            else:
                st.rerun()


def open_actions_section(con, plan: Plan, centers: list[str], lang: str, department: str | None = None) -> None:
    """The overview's block under "Cần xử lý": the open actions decided at meetings, by indicator, overdue marked."""
    found = [a for a in actions.list_actions(con, centers, owner_unit=department) if a.is_open]
    if not found:
        return
    title = t("meetings_page.open_actions_title", lang, n=len(found))
    st.subheader(title)
    show_actions(
        sorted(found, key=lambda a: (a.indicator or "~", a.due_on)),
        plan,
        lang,
        "meetings_page.actions_none",
        download="nhiem-vu-dang-mo" + (f"-{department}" if department else ""),
        title=title,
    )
