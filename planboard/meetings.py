"""The monthly meeting (docs/meetings.md): meetings of a center or a province, the numbers frozen when one is held,
the change since the last meeting, and the numbers corrected after a meeting. No Streamlit.

Frozen rows are only ever inserted; nothing here updates or deletes them. The numbers of a freeze all come from one
snapshot (db.snapshot), computed by planboard/kpis.py (a center and each of its units) or planboard/rollup.py (a
province: the roll-up and each center)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from . import auth, db, kpis, rollup
from .i18n import Said, t
from .org import Center, Scope
from .periods import previous_month_end
from .plan import Plan

MEETING_SCOPES = ("center", "province")


class MeetingError(Said, ValueError):
    """Something a user asked of a meeting that cannot be done; `code` names the locale text <PREFIX>.<code>."""

    PREFIX = "meetings"

    def message(self, lang: str = "vi") -> str:
        return self.text(lang)


@dataclass(frozen=True)
class Meeting:
    meeting_id: int
    scope: Scope
    held_on: dt.date
    title: str
    chair: str | None
    attendees: str | None
    as_of: dt.date
    notes: str | None
    created_by: str | None
    created_at: dt.datetime
    frozen_at: dt.datetime | None
    frozen_by: str | None
    data_version: int | None

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def centers(self, known: list[Center]) -> list[str]:
        """The codes of the centers whose numbers the meeting reviews."""
        return [c.code for c in self.scope.centers(known)]


@dataclass(frozen=True)
class Number:
    """One indicator of one level (a center's, one of its units', or a province's roll-up: center None) at the
    meeting's as-of date, as the `kpis` command prints it (value: the rate rounded to 2 places, or the count)."""

    center: str | None
    department: str | None
    indicator: str
    activity: str
    value: float | None
    numerator: int
    denominator: int | None
    expected_now: float | None
    target_year: float | None
    status: str
    data_version: int | None = None
    frozen_at: dt.datetime | None = None

    @property
    def key(self) -> tuple[str | None, str | None, str]:
        return (self.center, self.department, self.indicator)

    @property
    def is_rate(self) -> bool:
        """A rate has a denominator (possibly 0); a count has none (display.value_text reads both kinds)."""
        return self.denominator is not None

    def same_numbers(self, other: Number) -> bool:
        return (self.value, self.numerator, self.denominator, self.status) == (
            other.value,
            other.numerator,
            other.denominator,
            other.status,
        )

    def record(self) -> dict:
        """The machine row of `meeting show`: the `kpis` header plus center and unit."""
        return {
            "center": self.center,
            "unit": self.department,
            "indicator": self.indicator,
            "activity": self.activity,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "expected_now": _number(self.expected_now),
            "target_year": _number(self.target_year),
            "status": self.status,
        }


MACHINE_HEADER = ("center", "unit") + kpis.CSV_HEADER


@dataclass(frozen=True)
class Change:
    """An indicator now against its frozen number at a meeting (value and status)."""

    before: Number
    now: Number

    @property
    def indicator(self) -> str:
        return self.now.indicator

    @property
    def delta(self) -> float | None:
        """now - before (a count's difference, a rate's in percentage points); None when either has no value."""
        if self.before.value is None or self.now.value is None:
            return None
        return _number(round(self.now.value - self.before.value, 2))

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.now.status

    @property
    def changed(self) -> bool:
        return not self.before.same_numbers(self.now)


@dataclass(frozen=True)
class Corrections:
    """What changed a frozen meeting's numbers afterwards: every number that differs when its as-of date is
    recomputed today, and the imports and edits made after the freeze."""

    meeting: Meeting
    changes: list[Change]
    imports: list[dict]
    edits: list[dict]


def _number(x):
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def default_as_of(held_on: dt.date) -> dt.date:
    """A meeting reviews the numbers at the end of the month before it."""
    return previous_month_end(held_on)


def default_title(held_on: dt.date, lang: str = "vi") -> str:
    return t("meetings.default_title", lang, month=held_on.month, year=held_on.year)


# --- Reading meetings ---------------------------------------------------------------------------------------------
def _meeting(row: tuple) -> Meeting:
    (
        meeting_id,
        kind,
        code,
        held_on,
        title,
        chair,
        attendees,
        as_of,
        notes,
        created_by,
        created_at,
        frozen_at,
        frozen_by,
        version,
    ) = row
    return Meeting(
        int(meeting_id),
        Scope(kind, code),
        held_on,
        title,
        chair,
        attendees,
        as_of,
        notes,
        created_by,
        created_at,
        frozen_at,
        frozen_by,
        None if version is None else int(version),
    )


def get(con: db.Source, meeting_id: int) -> Meeting:
    rows = db.query_rows(con, "meeting_get", meeting_id=meeting_id)
    if not rows:
        raise MeetingError("no_meeting", id=meeting_id)
    return _meeting(rows[0])


def list_for(con: db.Source, centers: list[Center]) -> list[Meeting]:
    """The meetings of these centers and of their provinces, newest first."""
    return [
        _meeting(r)
        for r in db.query_rows(
            con,
            "meetings_list",
            centers=[c.code for c in centers],
            provinces=sorted({c.province_code for c in centers}),
        )
    ]


def frozen_numbers(con: db.Source, meeting_id: int) -> list[Number]:
    """Exactly the rows frozen at the meeting, never a recomputation (empty when it is not frozen)."""
    return [_stored(*r[2:]) for r in db.query_rows(con, "meeting_numbers", meeting_id=meeting_id)]


def _stored(center, department, indicator, activity, value, *rest) -> Number:
    """A frozen row as it was frozen: a count's value (no denominator) an integer again, a rate's a float."""
    denominator = rest[1]
    if value is not None:
        value = int(value) if denominator is None else float(value)
    return Number(center, department, indicator, activity, value, *rest)


def previous(con: db.Source, scope: Scope, as_of: dt.date, exclude: int | None = None) -> Meeting | None:
    """The latest frozen meeting of the scope whose numbers are at or before `as_of` (other than `exclude`)."""
    rows = db.query_rows(
        con, "meeting_previous", scope_kind=scope.kind, scope_code=scope.code, as_of=as_of, exclude_id=exclude
    )
    return get(con, rows[0][0]) if rows else None


# --- Holding and freezing -----------------------------------------------------------------------------------------
def _require(con: duckdb.DuckDBPyConnection, user: auth.User, right: str, action: str, **detail) -> None:
    """A role that may not do `action` is refused, and the attempt audited."""
    if not user.can(right):
        auth.audit(con, user.username, action, ok=False, reason="role", role=user.role, **detail)
        raise MeetingError("not_allowed", role=t(f"auth.roles.{user.role}"))


def _covered(
    con: duckdb.DuckDBPyConnection, user: auth.User, scope: Scope, known: list[Center], action: str, **detail
) -> list[Center]:
    """The scope's centers, all inside the user's scope (else refused and audited)."""
    mine = scope.centers(known)
    if not mine:
        raise MeetingError("bad_scope", code=scope.code or "")
    if not all(user.scope.covers(c) for c in mine):
        auth.audit(
            con, user.username, action, ok=False, reason="scope", scope=scope.kind, scope_code=scope.code, **detail
        )
        raise MeetingError("out_of_scope", code=scope.code or "")
    return mine


def create(
    con: duckdb.DuckDBPyConnection,
    user: auth.User,
    scope: Scope,
    held_on: dt.date,
    known: list[Center],
    *,
    title: str | None = None,
    chair: str | None = None,
    attendees: str | None = None,
    as_of: dt.date | None = None,
    notes: str | None = None,
    lang: str = "vi",
) -> Meeting:
    """Open a meeting of one center or one province (not frozen yet). Title and as-of default from the date."""
    _require(con, user, "hold_meeting", "meeting_add")
    if scope.kind not in MEETING_SCOPES:
        raise MeetingError("bad_scope", code=scope.code or "")
    _covered(con, user, scope, known, "meeting_add")
    as_of = as_of or default_as_of(held_on)
    if as_of > held_on:
        raise MeetingError(
            "as_of_after_meeting", as_of=as_of.strftime("%d/%m/%Y"), held_on=held_on.strftime("%d/%m/%Y")
        )
    title = (title or "").strip() or default_title(held_on, lang)
    with db.transaction(con) as cur:
        meeting_id = cur.execute(
            db.sql("meeting_insert"),
            {
                "scope_kind": scope.kind,
                "scope_code": scope.code,
                "held_on": held_on,
                "title": title,
                "chair": _text(chair),
                "attendees": _text(attendees),
                "as_of": as_of,
                "notes": _text(notes),
                "created_by": user.username,
            },
        ).fetchone()[0]
    auth.audit(
        con, user.username, "meeting_add", meeting_id=meeting_id, scope=scope.kind, scope_code=scope.code, as_of=as_of
    )
    return get(con, meeting_id)


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def numbers_at(con: db.Source, scope: Scope, plans: dict[str, Plan], as_of: dt.date) -> tuple[list[Number], int]:
    """Every indicator of the scope at `as_of` from one snapshot, and the data version it saw. A center: the center
    level, then each unit of its plan. A province: the roll-up (center None), then each center's own level."""
    out: list[Number] = []
    with db.snapshot(con) as snap:
        if scope.kind == "center":
            center = scope.code
            plan = plans[center]
            for department in (None, *(u.code for u in plan.units)):
                out += [
                    _from_result(r, center, department) for r in kpis.compute(snap, plan, as_of, department, center)
                ]
        else:
            result = rollup.compute(snap, plans, as_of)
            out += [_from_result(r, None, None) for r in result.results]
            for center in result.centers:
                out += [_from_result(r, center, None) for r in result.by_center[center]]
        return out, snap.version


def _from_result(r: kpis.Result, center: str | None, department: str | None) -> Number:
    rec = kpis.machine_record(r)
    return Number(
        center,
        department,
        r.code,
        r.indicator.activity,
        rec["value"],
        rec["numerator"],
        rec["denominator"],
        rec["expected_now"],
        rec["target_year"],
        rec["status"],
    )


def freeze(
    con: duckdb.DuckDBPyConnection, meeting_id: int, plans: dict[str, Plan], user: auth.User, known: list[Center]
) -> Meeting:
    """Store every indicator of the meeting's scope at its as-of date, once. `plans`: {center: its plan of the
    as-of's year} for the meeting's centers. A second freeze is refused; so is a role or scope that may not."""
    _require(con, user, "hold_meeting", "meeting_freeze", meeting_id=meeting_id)
    meeting = get(con, meeting_id)
    _covered(con, user, meeting.scope, known, "meeting_freeze", meeting_id=meeting_id)
    if meeting.is_frozen:
        auth.audit(con, user.username, "meeting_freeze", ok=False, reason="already_frozen", meeting_id=meeting_id)
        raise MeetingError(
            "already_frozen", title=meeting.title, frozen_at=meeting.frozen_at.strftime("%d/%m/%Y %H:%M")
        )
    missing = [c for c in meeting.centers(known) if c not in plans]
    if missing:
        raise MeetingError("no_plan", centers=", ".join(missing), year=meeting.as_of.year)
    numbers, version = numbers_at(con, meeting.scope, {c: plans[c] for c in meeting.centers(known)}, meeting.as_of)
    with db.transaction(con) as cur:
        done = cur.execute(
            db.sql("meeting_freeze"), {"meeting_id": meeting_id, "frozen_by": user.username, "data_version": version}
        ).fetchone()
        if done is None:  # frozen meanwhile by someone else: theirs stands
            raise MeetingError("already_frozen", title=meeting.title, frozen_at="")
        cur.executemany(
            "insert into meeting_numbers values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    meeting_id,
                    i,
                    n.center,
                    n.department,
                    n.indicator,
                    n.activity,
                    n.value,
                    n.numerator,
                    n.denominator,
                    n.expected_now,
                    n.target_year,
                    n.status,
                    version,
                    done[0],
                )
                for i, n in enumerate(numbers)
            ],
        )
    auth.audit(con, user.username, "meeting_freeze", meeting_id=meeting_id, rows=len(numbers), data_version=version)
    return get(con, meeting_id)


# --- Comparing --------------------------------------------------------------------------------------------------
def top_level(meeting_scope: Scope) -> tuple[str | None, None]:
    """The (center, department) of the scope's headline numbers: the center level, or the province's roll-up."""
    return (meeting_scope.code if meeting_scope.kind == "center" else None, None)


def compare(frozen: list[Number], now: list[Number]) -> list[Change]:
    """Each number of `now` beside the frozen number of the same (center, unit, indicator), in `now`'s order; a
    number the meeting did not freeze is left out."""
    by_key = {n.key: n for n in frozen}
    return [Change(by_key[n.key], n) for n in now if n.key in by_key]


def headline(scope: Scope | None, results: list[kpis.Result], department: str | None = None) -> list[Number]:
    """Results of the scope's headline level (the center's, or the province's roll-up; or a unit's) as meeting
    numbers."""
    center = None if scope is None else top_level(scope)[0]
    return [_from_result(r, center, department) for r in results]


def headline_of(scope: Scope, numbers: list[Number]) -> list[Number]:
    """The headline rows among a meeting's numbers."""
    return [n for n in numbers if (n.center, n.department) == top_level(scope)]


def since(con: db.Source, meeting: Meeting, results: list[kpis.Result]) -> list[Change]:
    """Today's headline results (the center level of a center meeting, or the province's roll-up) against the
    meeting's frozen numbers."""
    return compare(frozen_numbers(con, meeting.meeting_id), headline(meeting.scope, results))


def corrections(
    con: duckdb.DuckDBPyConnection, meeting: Meeting, plans: dict[str, Plan], known: list[Center]
) -> Corrections:
    """The meeting's as-of recomputed with today's data against its frozen rows: every number that changed, with
    the imports and entry-form edits made after the freeze."""
    if not meeting.is_frozen:
        raise MeetingError("not_frozen", title=meeting.title)
    centers = meeting.centers(known)
    now, _ = numbers_at(con, meeting.scope, {c: plans[c] for c in centers}, meeting.as_of)
    changed = [c for c in compare(frozen_numbers(con, meeting.meeting_id), now) if c.changed]
    if not changed:  # nothing written since changed these numbers: no import or edit to name
        return Corrections(meeting, [], [], [])
    imports = [
        dict(r)
        for r in db.query(con, "meeting_imports_after", after=meeting.frozen_at, centers=centers).to_dict("records")
    ]
    for row in imports:
        row["files"] = ", ".join(json.loads(row["files"]))
    edits = db.query(con, "meeting_edits_after", after=meeting.frozen_at, centers=centers).to_dict("records")
    return Corrections(meeting, changed, imports, edits)


# --- Since the last meeting (or the previous month end) -----------------------------------------------------------
@dataclass(frozen=True)
class Baseline:
    """What "since …" compares today's numbers with: the frozen numbers of the latest meeting of the view's scope
    (`meeting`), or, without one, the numbers recomputed at the previous month end (`meeting` None). `numbers`: the
    level's numbers by indicator code."""

    as_of: dt.date
    meeting: Meeting | None
    numbers: dict[str, Number]

    @classmethod
    def recomputed(
        cls, results: list[kpis.Result], scope: Scope | None = None, department: str | None = None
    ) -> Baseline | None:
        """The baseline of numbers recomputed at one date (the previous month end); None without results."""
        if not results:
            return None
        return cls(results[0].as_of, None, {n.indicator: n for n in headline(scope, results, department)})

    def change(self, r: kpis.Result) -> Change | None:
        """The result against its baseline number (value and status); None when the baseline has none."""
        before = self.numbers.get(r.code)
        return None if before is None else Change(before, _from_result(r, before.center, before.department))


def baseline_meeting(con: db.Source, scope: Scope | None, as_of: dt.date, year_start: dt.date) -> Meeting | None:
    """The meeting `baseline` compares with (None: the previous month end); a cache can key on its id."""
    if scope is None:
        return None
    rows = db.query_rows(
        con, "meeting_baseline", scope_kind=scope.kind, scope_code=scope.code, as_of=as_of, year_start=year_start
    )
    return get(con, rows[0][0]) if rows else None


def baseline(
    con: db.Source,
    scope: Scope | None,
    as_of: dt.date,
    year_start: dt.date,
    month_end: Callable[[dt.date], list[kpis.Result]],
    department: str | None = None,
) -> Baseline | None:
    """The one rule of "since the last meeting" (docs/meetings.md) for a view of `scope` at `as_of`: the latest
    frozen meeting of the scope held by `as_of` whose numbers are from before it, in the same plan year, gives its
    frozen numbers of the level shown (the center's or a unit's, the province's roll-up); otherwise the previous month
    end, recomputed by `month_end(date)`; None in the plan year's first month without a meeting. `scope` None (a
    roll-up of several provinces) has no meetings."""
    meeting = baseline_meeting(con, scope, as_of, year_start)
    if meeting is not None:
        level = (top_level(scope)[0], department if scope.kind == "center" else None)
        frozen = [n for n in frozen_numbers(con, meeting.meeting_id) if (n.center, n.department) == level]
        if frozen:
            return Baseline(meeting.as_of, meeting, {n.indicator: n for n in frozen})
    previous = previous_month_end(as_of)
    if previous < year_start:
        return None
    return Baseline.recomputed(month_end(previous), scope, department)
