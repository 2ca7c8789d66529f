"""Annotations (docs/meetings.md): a dated note on an activity or one of its indicators ("đợt cao điểm 06/6",
"thiếu cán bộ tháng 7"), of one center, with its author. Drawn as a marker on the charts of the indicators it concerns
(planboard/ui/charts.py `mark_notes`) and listed with the records of its date. No Streamlit.

Who writes them: leadership and administrators on any activity of their scope; a unit's staff (`can_bo`) on the
activities their unit leads or coordinates; viewers read. Every addition and every refusal that concerns rights is
audited (planboard.auth.audit). Rows are only inserted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from . import auth, db
from .i18n import t
from .meetings import MeetingError
from .org import Center
from .plan import Plan


class AnnotationError(MeetingError):
    """An annotation that cannot be added; `code` names the locale text annotations.<code>."""

    PREFIX = "annotations"


@dataclass(frozen=True)
class Annotation:
    annotation_id: int
    center: str
    noted_on: dt.date
    activity: str
    indicator: str | None  # None: the whole activity
    note: str
    author: str | None
    created_at: dt.datetime

    def concerns(self, indicator: str, activity: str) -> bool:
        """Whether it belongs on this indicator's charts: its own note, or a note on its whole activity."""
        return self.indicator == indicator or (self.indicator is None and self.activity == activity)


def list_for(
    con: db.Source,
    centers: list[str],
    *,
    activity: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Annotation]:
    """The annotations of these centers (optionally of one activity, between two dates), by date."""
    rows = db.query_rows(
        con, "annotations_list", centers=list(centers), activity=activity, date_from=date_from, date_to=date_to
    )
    return [Annotation(int(r[0]), *r[1:]) for r in rows]


def of_indicator(notes: list[Annotation], indicator: str, activity: str) -> list[Annotation]:
    return [n for n in notes if n.concerns(indicator, activity)]


def may_add(user: auth.User, plan: Plan, activity: str) -> bool:
    """Leadership and administrators on any activity; a unit's staff on the activities their unit leads or
    coordinates."""
    if user.can("manage_actions"):
        return True
    if user.role != "can_bo" or not user.department:
        return False
    found = next((a for a in plan.activities if a.code == activity), None)
    return found is not None and user.department in (*found.lead, *found.coordinating)


def add(
    con: duckdb.DuckDBPyConnection,
    user: auth.User,
    plan: Plan,
    known: list[Center],
    center: str,
    noted_on: dt.date | None,
    note: str | None,
    *,
    activity: str | None = None,
    indicator: str | None = None,
) -> Annotation:
    """A dated note on an indicator (its activity follows) or on a whole activity of one center. Refused with a clear
    message without text, date or subject, with an unknown code or a date outside the plan year, and for a role or
    scope that may not (audited)."""
    note = (note or "").strip()
    if indicator:
        if indicator not in {i.code for i in plan.indicators}:
            raise AnnotationError("bad_indicator", value=indicator)
        activity = plan.indicator(indicator).activity
    if not activity:
        raise AnnotationError("no_subject")
    if activity not in {a.code for a in plan.activities}:
        raise AnnotationError("bad_activity", value=activity)
    found = next((c for c in known if c.code == center), None)
    if found is None:
        raise AnnotationError("bad_center", value=center)
    if not may_add(user, plan, activity) or not user.scope.covers(found):
        auth.audit(
            con,
            user.username,
            "annotation_add",
            ok=False,
            reason="role" if not may_add(user, plan, activity) else "scope",
            role=user.role,
            center=center,
            activity=activity,
        )
        raise AnnotationError("not_allowed", role=t(f"auth.roles.{user.role}"))
    if not note:
        raise AnnotationError("no_text")
    if noted_on is None:
        raise AnnotationError("no_date")
    if not plan.start <= noted_on <= plan.end:
        raise AnnotationError(
            "date_outside",
            date=noted_on.strftime("%d/%m/%Y"),
            start=plan.start.strftime("%d/%m/%Y"),
            end=plan.end.strftime("%d/%m/%Y"),
        )
    with db.transaction(con) as cur:
        annotation_id = cur.execute(
            db.sql("annotation_insert"),
            {
                "center": center,
                "noted_on": noted_on,
                "activity": activity,
                "indicator": indicator or None,
                "note": note,
                "author": user.username,
            },
        ).fetchone()[0]
    auth.audit(
        con,
        user.username,
        "annotation_add",
        annotation_id=annotation_id,
        center=center,
        noted_on=noted_on,
        activity=activity,
        indicator=indicator or None,
    )
    return next(a for a in list_for(con, [center], activity=activity) if a.annotation_id == annotation_id)
