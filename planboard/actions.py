"""Decisions and actions of the monthly meeting (docs/meetings.md): who must do what by when, their status and the
history of dated progress notes. No Streamlit.

Leadership (`lanh_dao`) and administrators create actions and may set any status (close: done or cancelled); the
owner unit's `can_bo` adds notes and moves its actions to in progress or done; viewers read. Every change and every
refusal that concerns rights is audited (planboard.auth.audit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from . import auth, db
from .i18n import t
from .meetings import Meeting, MeetingError
from .org import Center
from .periods import today_vn
from .plan import Plan

STATUSES = ("chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "huy")
OPEN = ("chua_thuc_hien", "dang_thuc_hien")
STAFF_MOVES = ("dang_thuc_hien", "hoan_thanh")  # the statuses the owner unit's staff may set


@dataclass(frozen=True)
class Action:
    action_id: int
    meeting_id: int
    meeting_title: str
    meeting_held_on: dt.date
    center: str
    text: str
    activity: str | None
    indicator: str | None
    owner_unit: str
    owner_person: str | None
    due_on: dt.date
    status: str
    is_overdue: bool
    last_note: str | None
    last_noted_on: dt.date | None
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class Note:
    noted_on: dt.date
    noted_at: dt.datetime
    author: str | None
    note: str | None
    status_before: str | None
    status_after: str | None


def status_label(status: str, lang: str = "vi") -> str:
    return t(f"actions.status.{status}", lang)


def list_actions(
    con: db.Source,
    centers: list[str] | None,
    *,
    meeting_id: int | None = None,
    owner_unit: str | None = None,
    today: dt.date | None = None,
    action_id: int | None = None,
) -> list[Action]:
    """Actions of the centers (None: every center; optionally of one meeting or one owner unit), by due date; overdue judged on
    `today` (default: today in Vietnam)."""
    rows = db.query_rows(
        con,
        "actions_list",
        centers=None if centers is None else list(centers),
        meeting_id=meeting_id,
        owner_unit=owner_unit,
        action_id=action_id,
        today=today or today_vn(),
    )
    return [Action(int(r[0]), int(r[1]), *r[2:]) for r in rows]


def get(con: db.Source, action_id: int, today: dt.date | None = None) -> Action:
    found = list_actions(con, None, action_id=action_id, today=today)
    if not found:
        raise MeetingError("no_action", id=action_id)
    return found[0]


def history(con: db.Source, action_id: int) -> list[Note]:
    return [Note(*r[2:]) for r in db.query_rows(con, "action_notes", action_id=action_id)]


def open_due(actions: list[Action], by: dt.date) -> list[Action]:
    """The open actions due on or before `by` (the next meeting's agenda: what should be done by now)."""
    return [a for a in actions if a.is_open and a.due_on <= by]


def add(
    con: duckdb.DuckDBPyConnection,
    user: auth.User,
    meeting: Meeting,
    known: list[Center],
    plan: Plan,
    *,
    text: str,
    owner_unit: str | None,
    due_on: dt.date | None,
    center: str | None = None,
    activity: str | None = None,
    indicator: str | None = None,
    person: str | None = None,
    today: dt.date | None = None,
) -> Action:
    """A decision of `meeting` for one unit of one of its centers (`center`: needed for a province meeting). Refused
    with a clear message without text, owner or due date, with a due date before the meeting, or for a role that may
    not decide (audited)."""
    if not user.can("manage_actions"):
        auth.audit(
            con, user.username, "action_add", ok=False, reason="role", role=user.role, meeting_id=meeting.meeting_id
        )
        raise MeetingError("not_allowed", role=t(f"auth.roles.{user.role}"))
    centers = meeting.centers(known)
    center = center or (centers[0] if len(centers) == 1 else None)
    if center not in centers:
        raise MeetingError("action_center", centers=", ".join(centers))
    if not user.scope.covers(next(c for c in known if c.code == center)):
        auth.audit(con, user.username, "action_add", ok=False, reason="scope", meeting_id=meeting.meeting_id)
        raise MeetingError("out_of_scope", code=center)
    text = (text or "").strip()
    if not text:
        raise MeetingError("action_text")
    if not owner_unit:
        raise MeetingError("action_owner")
    if owner_unit not in {u.code for u in plan.units}:
        raise MeetingError("action_bad_unit", value=owner_unit, codes=", ".join(u.code for u in plan.units))
    if due_on is None:
        raise MeetingError("action_due")
    if due_on < meeting.held_on:
        raise MeetingError(
            "action_due_before", due=due_on.strftime("%d/%m/%Y"), held_on=meeting.held_on.strftime("%d/%m/%Y")
        )
    if activity and activity not in {a.code for a in plan.activities}:
        raise MeetingError("action_bad_activity", value=activity)
    if indicator:
        if indicator not in {i.code for i in plan.indicators}:
            raise MeetingError("action_bad_indicator", value=indicator)
        activity = activity or plan.indicator(indicator).activity
    with db.transaction(con) as cur:
        action_id = cur.execute(
            db.sql("action_insert"),
            {
                "meeting_id": meeting.meeting_id,
                "center": center,
                "action_text": text,
                "activity": activity or None,
                "indicator": indicator or None,
                "owner_unit": owner_unit,
                "owner_person": (person or "").strip() or None,
                "due_on": due_on,
                "created_by": user.username,
            },
        ).fetchone()[0]
        cur.execute(
            db.sql("action_note_insert"),
            {
                "action_id": action_id,
                "noted_on": today or today_vn(),
                "author": user.username,
                "note": None,
                "status_before": None,
                "status_after": "chua_thuc_hien",
            },
        )
    auth.audit(
        con,
        user.username,
        "action_add",
        action_id=action_id,
        meeting_id=meeting.meeting_id,
        center=center,
        owner_unit=owner_unit,
        due_on=due_on,
    )
    return get(con, action_id, today)


def may_update(user: auth.User, action: Action, known: list[Center], status: str | None = None) -> bool:
    """Leadership and admins any change inside their scope; the owner unit's staff a note and in progress / done."""
    center = next((c for c in known if c.code == action.center), None)
    if center is None or not user.scope.covers(center):
        return False
    if user.can("manage_actions"):
        return True
    if user.role != "can_bo" or user.department != action.owner_unit:
        return False
    return status is None or status in STAFF_MOVES


def update(
    con: duckdb.DuckDBPyConnection,
    user: auth.User,
    action_id: int,
    known: list[Center],
    *,
    status: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> Action:
    """A progress note and/or a new status, written to the action's history with its author and date."""
    action = get(con, action_id, today)
    note = (note or "").strip() or None
    if status is not None and status not in STATUSES:
        raise MeetingError("action_bad_status", value=status, codes=", ".join(STATUSES))
    if status == action.status:
        status = None
    if status is None and note is None:
        raise MeetingError("action_nothing")
    if not may_update(user, action, known, status):
        auth.audit(
            con,
            user.username,
            "action_update",
            ok=False,
            reason="role",
            role=user.role,
            action_id=action_id,
            status=status,
        )
        raise MeetingError("action_not_allowed", role=t(f"auth.roles.{user.role}"))
    with db.transaction(con) as cur:
        if status is not None:
            cur.execute(db.sql("action_set_status"), {"action_id": action_id, "status": status})
        cur.execute(
            db.sql("action_note_insert"),
            {
                "action_id": action_id,
                "noted_on": today or today_vn(),
                "author": user.username,
                "note": note,
                "status_before": action.status if status else None,
                "status_after": status,
            },
        )
    auth.audit(
        con,
        user.username,
        "action_update",
        action_id=action_id,
        status_before=action.status,
        status=status,
        note=note is not None,
    )
    return get(con, action_id, today)
