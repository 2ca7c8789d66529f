"""Giao ban: open the monthly meeting, walk its agenda, freeze its numbers, decide actions; past meetings show exactly
their frozen numbers, what changed since the meeting before, and what was corrected afterwards."""

import streamlit as st

from planboard import actions, fmt, meetings
from planboard.periods import today_vn
from planboard.reports import MIME, minutes
from planboard.reports import settings as report_settings
from planboard.ui import components, data, filters
from planboard.ui import meeting_view as mv
from planboard.ui.auth import current_user

plan = data.plan()
f = filters.current(plan)
con = data.connection()
user = current_user(con)
view = f.view or data.view()
known = data.centers()
scope = mv.scope_of(view, known)

st.title(f.tr("meetings_page.title"))
if scope is None:
    st.info(f.tr("meetings_page.choose_scope"), icon=":material/info:")
    st.stop()
st.caption(f.tr("meetings_page.scope", scope=scope.label(known)))

mine = [m for m in meetings.list_for(con, [c for c in known if c.code in view.centers]) if m.scope == scope]

if user.can("hold_meeting"):
    with st.expander(f.tr("meetings_page.new"), icon=":material/add:", expanded=not mine):
        with st.form("new_meeting"):
            held_on = st.date_input(f.tr("meetings_page.held_on"), value=today_vn(), format="DD/MM/YYYY")
            as_of = st.date_input(
                f.tr("meetings_page.as_of"), value=None, format="DD/MM/YYYY", help=f.tr("meetings_page.as_of_help")
            )
            title = st.text_input(f.tr("meetings_page.meeting_title"), placeholder=f.tr("meetings_page.title_help"))
            chair = st.text_input(f.tr("meetings_page.chair"))
            attendees = st.text_area(f.tr("meetings_page.attendees"), height=68)
            notes = st.text_area(f.tr("meetings_page.notes"), height=68)
            if st.form_submit_button(f.tr("meetings_page.open"), type="primary", icon=":material/event:"):
                try:
                    made = meetings.create(
                        con,
                        user,
                        scope,
                        held_on,
                        known,
                        title=title,
                        chair=chair,
                        attendees=attendees,
                        as_of=as_of,
                        notes=notes,
                        lang=f.lang,
                    )
                except meetings.MeetingError as e:
                    components.error_box(e.message(f.lang))
                else:
                    st.session_state["meeting_pick"] = made.meeting_id
                    st.rerun()

if not mine:
    st.info(f.tr("meetings_page.none"), icon=":material/event_busy:")
    st.stop()

labels = {
    m.meeting_id: f"{m.title} · {fmt.date(m.held_on, f.lang)}"
    + ("" if m.is_frozen else f" · {f.tr('meetings_page.not_frozen_short')}")
    for m in mine
}
ids = list(labels)
if st.session_state.get("meeting_pick") not in ids:  # first visit, a deep link (meeting=ID), or another scope
    wanted = st.query_params.get("meeting", "")
    st.session_state["meeting_pick"] = int(wanted) if wanted.isdigit() and int(wanted) in ids else ids[0]
chosen = st.selectbox(f.tr("meetings_page.pick"), ids, key="meeting_pick", format_func=labels.get)
filters.set_url({"meeting": str(chosen)})
m = meetings.get(con, chosen)
center_plans = data.planset().for_centers(m.centers(known), data.planset().year_for(m.centers(known), None, m.as_of))
plan = center_plans[m.centers(known)[0]]  # the meeting's plan year, whichever year the sidebar shows

st.header(m.title, divider="gray")
st.markdown(
    f.tr(
        "meetings_page.facts",
        held_on=fmt.date(m.held_on, f.lang),
        as_of=fmt.date(m.as_of, f.lang),
        chair=m.chair or "–",
        attendees=m.attendees or "–",
    )
)
if m.notes:
    st.caption(m.notes)
before = meetings.previous(con, scope, m.as_of, exclude=m.meeting_id)

numbers_tab, actions_tab, corrections_tab = st.tabs(
    [f.tr("meetings_page.tab_numbers"), f.tr("meetings_page.tab_actions"), f.tr("meetings_page.tab_corrections")]
)
with numbers_tab:
    if m.is_frozen:
        st.success(
            f.tr(
                "meetings_page.frozen",
                at=m.frozen_at.strftime("%d/%m/%Y %H:%M"),
                by=m.frozen_by or "–",
                version=m.data_version,
            ),
            icon=":material/lock:",
        )
        frozen = meetings.frozen_numbers(con, m.meeting_id)
        headline = meetings.headline_of(scope, frozen)
        st.download_button(
            f.tr("meetings_page.minutes"),
            icon=":material/download:",
            data=minutes.build_minutes(
                con, m, plan, known, report_settings.load(con, plan, center=m.centers(known)[0])
            ),
            file_name=minutes.file_name(m),
            mime=MIME["docx"],
        )
    else:
        st.warning(f.tr("meetings_page.agenda_note", date=fmt.date(m.as_of, f.lang)), icon=":material/pending:")
        headline = meetings.headline(scope, data.rollup_at(m.as_of, plans=center_plans).results)
        frozen = []
    mv.show_numbers(headline, plan, f.lang)
    if before is not None:
        st.subheader(f.tr("meetings_page.since_title", title=before.title, date=fmt.date(before.held_on, f.lang)))
        changes = meetings.compare(
            meetings.headline_of(scope, meetings.frozen_numbers(con, before.meeting_id)), headline
        )
        components.table(mv.changes_frame(changes, plan, f.lang), f.lang, max_rows=None)
    behind = [n for n in headline if n.status in ("cham_tien_do", "can_chu_y", "khong_dat")]
    st.subheader(f.tr("meetings_page.behind_title", n=len(behind)))
    if behind:
        mv.show_numbers(behind, plan, f.lang)
    else:
        st.caption(f.tr("meetings_page.behind_none"))
    if frozen and scope.kind == "center":
        with st.expander(f.tr("meetings_page.units_frozen")):
            components.table(
                mv.corrections_frame([meetings.Change(n, n) for n in frozen if n.department], plan, known, f.lang).iloc[
                    :, :3
                ],
                f.lang,
            )
    if not m.is_frozen and user.can("hold_meeting"):
        if st.button(f.tr("meetings_page.freeze"), type="primary", icon=":material/lock:"):
            try:
                meetings.freeze(con, m.meeting_id, center_plans, user, known)
            except meetings.MeetingError as e:
                components.error_box(e.message(f.lang))
            else:
                st.rerun()

with actions_tab:
    centers = m.centers(known)
    st.subheader(f.tr("meetings_page.due_title", date=fmt.date(m.held_on, f.lang)))
    earlier = [
        a for a in actions.list_actions(con, centers) if a.meeting_id != m.meeting_id and a.meeting_held_on <= m.held_on
    ]
    mv.show_actions(
        actions.open_due(earlier, m.held_on) or [a for a in earlier if a.is_open],
        plan,
        f.lang,
        "meetings_page.due_none",
    )
    st.subheader(f.tr("meetings_page.decided_title"))
    decided = actions.list_actions(con, centers, meeting_id=m.meeting_id)
    mv.show_actions(
        decided,
        plan,
        f.lang,
        "meetings_page.actions_none",
        download=f"nhiem-vu-giao-ban-{m.meeting_id}",
        title=f"{f.tr('meetings_page.decided_title')} — {m.title}",
    )
    if user.can("manage_actions"):
        with st.form("new_action", clear_on_submit=True):
            st.markdown(f"**{f.tr('meetings_page.new_action')}**")
            text = st.text_area(f.tr("meetings_page.action_text"), height=68)
            left, right = st.columns(2)
            unit = left.selectbox(
                f.tr("meetings_page.owner"),
                [u.code for u in plan.units],
                index=None,
                placeholder=f.tr("meetings_page.choose"),
                format_func=lambda c: plan.unit(c).short,
            )
            person = right.text_input(f.tr("meetings_page.person"))
            indicator = left.selectbox(
                f.tr("meetings_page.indicator"),
                [i.code for i in plan.indicators],
                index=None,
                placeholder=f.tr("meetings_page.choose"),
                format_func=lambda c: f"{c} – {plan.indicator(c).name(f.lang)}",
            )
            due = right.date_input(f.tr("meetings_page.due"), value=None, format="DD/MM/YYYY")
            center = st.selectbox(f.tr("meetings_page.center"), centers) if len(centers) > 1 else centers[0]
            if st.form_submit_button(f.tr("meetings_page.add_action"), type="primary", icon=":material/add_task:"):
                try:
                    actions.add(
                        con,
                        user,
                        m,
                        known,
                        center_plans[center],
                        text=text,
                        owner_unit=unit,
                        due_on=due,
                        center=center,
                        indicator=indicator,
                        person=person,
                    )
                except meetings.MeetingError as e:
                    components.error_box(e.message(f.lang))
                else:
                    st.rerun()
    mv.update_form(con, user, decided + earlier, known, f.lang)

with corrections_tab:
    if not m.is_frozen:
        st.caption(f.tr("meetings_page.corrections_not_frozen"))
    else:
        fixed = meetings.corrections(con, m, center_plans, known)
        if not fixed.changes:
            st.success(f.tr("meetings_page.corrections_none"), icon=":material/check_circle:")
        else:
            st.warning(f.tr("meetings_page.corrections_some", n=len(fixed.changes)), icon=":material/edit_note:")
            components.table(mv.corrections_frame(fixed.changes, plan, known, f.lang), f.lang, max_rows=None)
        for row in fixed.imports:
            st.markdown(
                f.tr(
                    "meetings_page.import_line",
                    at=row["imported_at"].strftime("%d/%m/%Y %H:%M"),
                    user=row["user_name"] or "–",
                    files=row["files"],
                    added=row["added_count"],
                    updated=row["updated_count"],
                )
            )
        for row in fixed.edits:
            st.markdown(
                f.tr(
                    "meetings_page.edit_line",
                    at=row["edited_at"].strftime("%d/%m/%Y %H:%M"),
                    user=row["user_name"] or "–",
                    table=row["table_name"],
                    id=row["record_id"],
                    action=row["action"],
                )
            )
