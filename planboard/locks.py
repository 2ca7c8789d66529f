"""Period locks (docs/meetings.md, "khóa số liệu"): after a meeting, leadership locks the months through its as-of
date; a record dated in a locked month (a request's requested_on, an event's held_on, a training row's event date)
may then not be added, changed or deleted, unless by an administrator with a written reason, which is audited with
the change. No Streamlit.

The one rule is enforced where every write passes: the importer (planboard/ingest/run.py `_import`, which entry forms
use too) calls `check_import`, and a delete (planboard/edits.py) calls `check_delete`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from . import auth, db
from .i18n import t
from .meetings import MeetingError
from .org import Center

# The date that places a record in a month: the column of the record itself, or (training) of its event.
DATED = {"cases": "requested_on", "events": "held_on"}
KEYS = {"cases": ("case_id",), "events": ("event_id",), "training": ("event_id", "staff_id")}


class LockError(MeetingError):
    """A lock, unlock or override that cannot be done; `code` names the locale text locks.<code>."""

    PREFIX = "locks"


@dataclass(frozen=True)
class Override:
    """An administrator's written reason to write into locked months anyway."""

    username: str | None
    reason: str

    @classmethod
    def by(cls, user: auth.User, reason: str | None) -> Override:
        """Only `quan_tri`, and only with a reason."""
        if not user.can("unlock_periods"):
            raise LockError("override_not_allowed", role=t(f"auth.roles.{user.role}"))
        if not (reason or "").strip():
            raise LockError("reason_required")
        return cls(user.username, reason.strip())

    @classmethod
    def operator(cls, reason: str | None) -> Override:
        """The command line's operator (who holds the database file, as for backups) with a reason."""
        if not (reason or "").strip():
            raise LockError("reason_required")
        return cls(None, reason.strip())


@dataclass(frozen=True)
class Lock:
    center: str
    month: dt.date
    locked_at: dt.datetime
    locked_by: str | None
    meeting_id: int | None
    meeting_title: str | None

    def describe(self, lang: str = "vi") -> str:
        """'khóa ngày 06/06/2024 bởi giamdoc, sau cuộc họp "Giao ban tháng 6/2024"'."""
        text = t("locks.by", lang, date=self.locked_at.strftime("%d/%m/%Y"), user=self.locked_by or "–")
        if self.meeting_title:
            text += t("locks.after_meeting", lang, title=self.meeting_title)
        return text


def month_label(month: dt.date) -> str:
    return f"{month.month}/{month.year}"


def locks(con: db.Source, centers: list[str]) -> list[Lock]:
    return [Lock(*r) for r in db.query_rows(con, "period_locks_list", centers=list(centers))]


def locked_through(con: db.Source, center: str) -> dt.date | None:
    """The last locked month (its first day) of a center, None when nothing is locked."""
    mine = locks(con, [center])
    return mine[-1].month if mine else None


def _first(month: dt.date) -> dt.date:
    return month.replace(day=1)


def _covered(con: duckdb.DuckDBPyConnection, user: auth.User, centers: list[Center], action: str) -> None:
    if not centers or not all(user.scope.covers(c) for c in centers):
        auth.audit(con, user.username, action, ok=False, reason="scope")
        raise LockError("out_of_scope")


def lock(
    con: duckdb.DuckDBPyConnection,
    user: auth.User,
    centers: list[Center],
    through: dt.date,
    meeting_id: int | None = None,
) -> int:
    """Lock the months of `through`'s year from January through `through`'s month, for each center; returns how
    many months were newly locked. Leadership and administrators only."""
    if not user.can("lock_periods"):
        auth.audit(con, user.username, "period_lock", ok=False, reason="role", role=user.role)
        raise LockError("not_allowed", role=t(f"auth.roles.{user.role}"))
    _covered(con, user, centers, "period_lock")
    month_to = _first(through)
    added = 0
    with db.transaction(con) as cur:
        for c in centers:
            added += cur.execute(
                db.sql("period_lock_add"),
                {
                    "center": c.code,
                    "month_from": month_to.replace(month=1),
                    "month_to": month_to,
                    "locked_by": user.username,
                    "meeting_id": meeting_id,
                },
            ).fetchone()[0]
    auth.audit(
        con,
        user.username,
        "period_lock",
        centers=[c.code for c in centers],
        through=month_label(month_to),
        meeting_id=meeting_id,
        months=added,
    )
    return added


def unlock(
    con: duckdb.DuckDBPyConnection, user: auth.User, centers: list[Center], through: dt.date, reason: str | None
) -> int:
    """Unlock every locked month through `through`'s month; administrators only, with a written reason, audited.
    Returns how many months were unlocked."""
    if not user.can("unlock_periods"):
        auth.audit(con, user.username, "period_unlock", ok=False, reason="role", role=user.role)
        raise LockError("unlock_not_allowed", role=t(f"auth.roles.{user.role}"))
    if not (reason or "").strip():
        raise LockError("reason_required")
    _covered(con, user, centers, "period_unlock")
    removed = 0
    with db.transaction(con) as cur:
        for c in centers:
            removed += len(
                cur.execute(db.sql("period_lock_remove"), {"center": c.code, "month_to": _first(through)}).fetchall()
            )
    auth.audit(
        con,
        user.username,
        "period_unlock",
        centers=[c.code for c in centers],
        through=month_label(_first(through)),
        reason=reason.strip(),
        months=removed,
    )
    return removed


# --- The hook every write passes through --------------------------------------------------------------------------
def _touched_sql(table: str, staged: dict[str, str], present: dict[str, list[str]]) -> str:
    """Each imported row that adds or changes a record, with its center, its month after the import (new_month)
    and, for a stored record, before it (old_month)."""
    cols = present[table]
    join = " and ".join(f"s.{k} = t.{k}" for k in ("center",) + KEYS[table])
    changed = " or ".join(f"s.{c} is distinct from t.{c}" for c in cols if c not in KEYS[table] + ("center",))
    touched = f"t.{KEYS[table][0]} is null" + (f" or {changed}" if changed else "")
    if table in DATED:
        col = DATED[table]
        new = f"s.{col}" if col in cols else f"t.{col}"
        return (
            f"select s.__row, s.center, date_trunc('month', {new})::date as new_month, "
            f"date_trunc('month', t.{col})::date as old_month "
            f"from ({staged[table]}) s left join {table} t on {join} where {touched}"
        )
    events = "select center, event_id, held_on from events"
    if "events" in staged and "held_on" in present.get("events", ()):
        ev = f"select center, event_id, held_on from ({staged['events']})"
        events = (
            f"select center, event_id, held_on from events e where not exists (select 1 from ({ev}) n "
            f"where n.center = e.center and n.event_id = e.event_id) union all {ev}"
        )
    return (
        f"select s.__row, s.center, date_trunc('month', e.held_on)::date as new_month, null::date as old_month "
        f"from ({staged[table]}) s left join {table} t on {join} "
        f"left join ({events}) e on e.center = s.center and e.event_id = s.event_id where {touched}"
    )


def check_import(
    cur: duckdb.DuckDBPyConnection,
    staged: dict[str, str],
    parsed: dict,
    problems,
    override: Override | None,
    write: bool,
) -> None:
    """Inside the importer's transaction, before it writes: every row that adds or changes a record of a locked
    month of its center becomes a problem naming the lock (the whole import is refused), unless `override` is
    given; then, when the import is about to be written (`write`), the override is audited in the same
    transaction."""
    if not cur.execute("select count(*) from period_locks").fetchone()[0]:
        return
    locked = {
        (x.center, x.month): x
        for x in locks(cur, [r[0] for r in cur.execute("select distinct center from period_locks").fetchall()])
    }
    present = {name: list(p.frame.columns) for name, p in parsed.items()}
    hits: dict[str, dict[str, int]] = {}
    for table in (x for x in KEYS if x in staged):
        rows = cur.execute(
            f"select __row, center, new_month, old_month from ({_touched_sql(table, staged, present)}) s "
            f"where exists (select 1 from period_locks p where p.center = s.center "
            f"and p.month in (s.new_month, s.old_month)) order by __row"
        ).fetchall()
        for row, center, new, old in rows:
            hits.setdefault(center, {}).setdefault(table, 0)
            hits[center][table] += 1
            if override is not None:
                continue
            month = new if (center, new) in locked else old
            problems.add_rows(
                parsed[table].sheet,
                DATED.get(table, "event_id"),
                [row],
                "locked_month",
                month=month_label(month),
                lock=locked[(center, month)],  # said in each reader's language (messages.message)
            )
    if hits and override is not None and write and not problems:
        for center, counts in hits.items():
            _audit_override(cur, override, center, counts)


def _audit_override(cur: duckdb.DuckDBPyConnection, override: Override, center: str, hits: dict) -> None:
    """The override's audit row, in the writing transaction: it exists exactly when the change does."""
    auth.audit_in(cur, override.username, "lock_override", center=center, reason=override.reason, rows=hits)


def check_delete(
    cur: duckdb.DuckDBPyConnection, table: str, before: dict, override: Override | None, lang: str = "vi"
) -> str | None:
    """Inside a delete's transaction: the message refusing to delete a record of a locked month (None: allowed;
    an override is audited in the same transaction)."""
    if table not in KEYS:
        return None
    if table in DATED:
        on = before.get(DATED[table])
    else:
        found = cur.execute(
            "select held_on from events where center = $c and event_id = $e",
            {"c": before["center"], "e": before["event_id"]},
        ).fetchone()
        on = found[0] if found else None
    if on is None:
        return None
    held = next((x for x in locks(cur, [before["center"]]) if x.month == _first(on)), None)
    if held is None:
        return None
    if override is not None:
        _audit_override(cur, override, before["center"], {table: 1})
        return None
    return t("locks.delete_refused", lang, month=month_label(held.month), lock=held.describe(lang))
