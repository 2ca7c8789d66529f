"""One-record entry: save through the importer's own rules (a one-row CSV), delete with reference checks, and the
edit log with values before and after. Also the upload limits from the environment. No Streamlit.

Saving runs `ingest.import_files` on an in-memory one-row CSV, so a form shows exactly the messages an import shows
and writes through the same all-or-nothing transaction; the edit log row follows in its own transaction.

Records are keyed by (center, id): every function takes the `center` it works in (None: the database's only
center). A form writes into that center; `allowed_centers` (None = all) refuses a center outside the user's scope.
Unit staff write only their unit's records: `allowed_departments` (None = every unit) goes to the importer for a
save and is checked against the stored record (a training row: its staff member's unit) before a delete. Every
insert, update and delete also writes an audit row `edit` (planboard.auth.audit)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from dataclasses import dataclass

import duckdb

from . import auth, codes, db, ingest, locks, org
from .i18n import t
from .plan import Plan, PlanSet, load_plans

FORM_TABLES = ("cases", "events", "training")
SOURCE = "form"


@dataclass(frozen=True)
class EditResult:
    problems: list[ingest.Problem]
    action: str | None  # insert, update, unchanged (nothing to write), or None when refused

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class DeleteResult:
    deleted: bool
    message: str  # what happened, in the user's language


def writable_centers(
    con: duckdb.DuckDBPyConnection, scope: org.Scope, year: int, plans: PlanSet | None = None
) -> list[tuple[org.Center, Plan]]:
    """The centers an account may import into and edit (those of its scope), each with its plan of `year`; a center
    without a plan that year is left out (its codes could not be checked). `plans`: default data/plans (and the
    demo's plans for a demo database)."""
    known = org.centers(con)
    if plans is None:
        plans = load_plans(include_demo=any(c.is_demo for c in known))
    return [(c, p) for c in scope.centers(known) if (p := plans.plan_for(c.code, year)) is not None]


def upload_limits() -> ingest.Limits:
    """Limits for uploads: env PLANBOARD_MAX_UPLOAD_MB (default 50, as server.maxUploadSize) and PLANBOARD_MAX_ROWS."""
    base = ingest.Limits()
    mb = _env_number("PLANBOARD_MAX_UPLOAD_MB", base.max_file_bytes / 2**20)
    rows = _env_number("PLANBOARD_MAX_ROWS", base.max_rows)
    return ingest.Limits(max_file_bytes=int(mb * 2**20), max_rows=int(rows), max_problems=base.max_problems)


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def key_of(table: str, values: dict) -> tuple[str, ...]:
    return tuple("" if values.get(k) is None else str(values[k]).strip() for k in ingest.KEYS[table])


def record_label(table: str, key: tuple[str, ...] | str) -> str:
    """The record id as stored in the edit log ('E1 / S1' for a training row)."""
    return key if isinstance(key, str) else " / ".join(key)


def _key_tuple(table: str, record_id) -> tuple[str, ...]:
    if isinstance(record_id, (tuple, list)):
        return tuple(str(v) for v in record_id)
    if len(ingest.KEYS[table]) > 1:
        return tuple(part.strip() for part in str(record_id).split(" / "))
    return (str(record_id),)


def _where(table: str, alias: str = "") -> str:
    """The record's key, center first (ids are unique within a center)."""
    return " and ".join(f"{alias}{k} = ${k}" for k in ("center",) + ingest.KEYS[table])


def _params(table: str, center: str, key: tuple[str, ...]) -> dict:
    return {"center": center, **dict(zip(ingest.KEYS[table], key, strict=True))}


def _one_center(cur: duckdb.DuckDBPyConnection, center: str | None) -> str:
    """The center given, else the database's only one (a single-center install); several and none named is an error."""
    if center is not None:
        return center
    rows = cur.execute(db.sql("centers_list")).fetchall()
    if len(rows) != 1:
        raise ValueError(f"{len(rows)} centers in the database: name one")
    return rows[0][0]


def get_center(con: duckdb.DuckDBPyConnection) -> str:
    """The database's only center (a single-center install); an error when it has several."""
    with db.cursor(con) as cur:
        return _one_center(cur, None)


def _check_table(table: str) -> None:
    if table not in ingest.TABLE_COLUMNS:  # table names go into SQL text below, so only the contract's five
        raise ValueError(f"unknown table {table!r}")


def get_record(con: duckdb.DuckDBPyConnection, table: str, record_id, center: str | None = None) -> dict | None:
    """The stored record of `center` as {column: value}, or None."""
    _check_table(table)
    with db.cursor(con) as cur:
        return _fetch(cur, table, _one_center(cur, center), _key_tuple(table, record_id))


def _fetch(cur: duckdb.DuckDBPyConnection, table: str, center: str, key: tuple[str, ...]) -> dict | None:
    rows = cur.execute(f"select * from {table} where {_where(table)}", _params(table, center, key))
    names = [d[0] for d in rows.description]
    row = rows.fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def record_ids(
    con: duckdb.DuckDBPyConnection, table: str, departments: set[str] | None = None, center: str | None = None
) -> list[tuple[str, ...]]:
    """Every record key of a table in `center`, in key order (the form's record picker); only those of
    `departments` if given (a training row by its staff member's unit)."""
    _check_table(table)
    keys = ", ".join(f"r.{k}" for k in ingest.KEYS[table])
    unit = _unit_sql(table)
    where = " where r.center = $center" + ("" if departments is None else f" and list_contains($units, {unit})")
    params = {} if departments is None else {"units": sorted(departments) or [""]}
    with db.cursor(con) as cur:
        params["center"] = _one_center(cur, center)
        sql = f"select {keys} from {table} r{_unit_join(table)}{where} order by {keys}"
        return [tuple(r) for r in cur.execute(sql, params).fetchall()]


def _unit_sql(table: str) -> str:
    return "st.department" if table == "training" else "r.department"


def _unit_join(table: str) -> str:
    return " left join staff st on st.center = r.center and st.staff_id = r.staff_id" if table == "training" else ""


def record_unit(con: duckdb.DuckDBPyConnection, table: str, record_id, center: str | None = None) -> str | None:
    """The unit a stored record of `center` belongs to (a training row: its staff member's), None when there is
    none."""
    _check_table(table)
    key = _key_tuple(table, record_id)
    with db.cursor(con) as cur:
        row = cur.execute(
            f"select {_unit_sql(table)} from {table} r{_unit_join(table)} where {_where(table, 'r.')}",
            _params(table, _one_center(cur, center), key),
        ).fetchone()
    return None if row is None else row[0]


def event_ids(
    con: duckdb.DuckDBPyConnection, event_types: list[str] | None = None, center: str | None = None
) -> list[str]:
    """Event ids of `center`, optionally of some types (a training row needs a course: Plan.training_types)."""
    with db.cursor(con) as cur:
        centers = [_one_center(cur, center)]
    rows = db.query_rows(
        con,
        "events_ids",
        centers=centers,
        search="",
        event_types=event_types,
        departments=None,
        recent_first=True,
        row_limit=None,
    )
    return [r[0] for r in rows]


def _cell(value) -> str:
    """A form value as the text an import file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return codes.BOOL_TEXT[value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def one_row_csv(table: str, values: dict) -> bytes:
    """A CSV (UTF-8) with the table's columns given in `values` as header and one data row."""
    columns = [c.code for c in ingest.TABLE_COLUMNS[table] if c.code in values]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerow([_cell(values[c]) for c in columns])
    return buf.getvalue().encode("utf-8")


def _json(record: dict | None) -> str | None:
    if record is None:
        return None
    return json.dumps(
        record, ensure_ascii=False, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v)
    )


def _log(
    cur: duckdb.DuckDBPyConnection,
    user: str | None,
    center: str,
    table: str,
    record_id: str,
    action: str,
    before: dict | None,
    after: dict | None,
) -> None:
    cur.execute(
        db.sql("edit_log_insert"),
        {
            **db.log_ids(cur, "edit_log"),
            "user_name": user,
            "center": center,
            "table_name": table,
            "record_id": record_id,
            "action": action,
            "before_json": _json(before),
            "after_json": _json(after),
        },
    )


def save_record(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    table: str,
    values: dict,
    user: str | None = None,
    allowed_departments: set[str] | None = None,
    center: str | None = None,
    allowed_centers: set[str] | None = None,
    lock_override: locks.Override | None = None,
) -> EditResult:
    """Insert or update one record of `center` (None: the plan's only center; `plan` is that center's) with the
    importer's rules; log it with its values before and after.

    allowed_departments: the units this user may write (None = all): another unit's record, or moving a record to
    or from another unit, is refused with the importer's message. allowed_centers: likewise for the center."""
    _check_table(table)
    unknown = set(values) - {c.code for c in ingest.TABLE_COLUMNS[table]}
    if unknown:  # `center` too: a form writes into the current center, never another one
        raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
    center = plan.only_center(center)
    key = key_of(table, values)
    before = get_record(con, table, key, center) if all(key) else None

    def log_edit(cur: duckdb.DuckDBPyConnection, result: ingest.ImportResult) -> None:
        """The edit log row, in the save's own transaction: a save is never without its log, nor a log without it."""
        action = _action(result.counts[table])
        if action != "unchanged":
            _log(cur, user, center, table, record_label(table, key), action, before, _fetch(cur, table, center, key))

    result = ingest.import_files(
        con,
        plan,
        [(f"{table}.csv", one_row_csv(table, values))],
        user=user,
        source=SOURCE,
        allowed_departments=allowed_departments,
        before_commit=log_edit,
        center=center,
        allowed_centers=allowed_centers,
        lock_override=lock_override,
    )
    if not result.ok:
        return EditResult(result.problems, None)
    action = _action(result.counts[table])
    if action != "unchanged":
        auth.audit(con, user, "edit", center=center, table=table, id=record_label(table, key), change=action)
    return EditResult([], action)


def _action(counts: ingest.TableCounts) -> str:
    return "insert" if counts.added else "update" if counts.updated else "unchanged"


def references(con: duckdb.DuckDBPyConnection, table: str, record_id, center: str | None = None) -> dict[str, int]:
    """How many rows of other tables (of the same center) point at this record ({table: count}, only non-zero)."""
    _check_table(table)
    with db.cursor(con) as cur:
        return _references(cur, table, _one_center(cur, center), _key_tuple(table, record_id))


def _references(cur: duckdb.DuckDBPyConnection, table: str, center: str, key: tuple[str, ...]) -> dict[str, int]:
    """{referring table: rows pointing at the record}, only non-zero (a training row is referred to by none)."""
    rows = cur.execute(db.sql("record_references"), {"table_name": table, "center": center, "record_id": key[0]})
    return {other: int(n) for other, n in rows.fetchall()}


def delete_record(
    con: duckdb.DuckDBPyConnection,
    table: str,
    record_id,
    user: str | None = None,
    lang: str = "vi",
    allowed_departments: set[str] | None = None,
    plan: Plan | None = None,
    center: str | None = None,
    allowed_centers: set[str] | None = None,
    lock_override: locks.Override | None = None,
) -> DeleteResult:
    """Delete one record of `center` unless others (of that center) refer to it, or it belongs to a center outside
    `allowed_centers` or a unit outside `allowed_departments` (None = all); the deletion is logged with the values
    before, and audited."""
    _check_table(table)
    key = _key_tuple(table, record_id)
    label = record_label(table, key)
    if center is None:
        center = plan.only_center() if plan is not None else get_center(con)
    params = _params(table, center, key)
    if allowed_centers is not None and center not in allowed_centers:
        return DeleteResult(
            False,
            t(
                "import_page.delete_center_not_allowed",
                lang,
                center=center,
                id=label,
                centers=", ".join(sorted(allowed_centers)),
            ),
        )
    if allowed_departments is not None:
        unit = record_unit(con, table, key, center)
        if unit is not None and unit not in allowed_departments:
            short = {u.code: u.short for u in plan.units} if plan is not None else {}
            mine = ", ".join(short.get(u, u) for u in sorted(allowed_departments))
            return DeleteResult(
                False, t("import_page.delete_unit_not_allowed", lang, unit=mine, other=short.get(unit, unit), id=label)
            )

    def attempt() -> DeleteResult | None:
        with db.transaction(con) as cur:  # a refusal below ends it with nothing written
            refs = _references(cur, table, center, key)
            before = _fetch(cur, table, center, key)
            if before is None:
                return DeleteResult(False, t("import_page.delete_missing", lang, id=label))
            if refs:
                where = ", ".join(
                    t("import_page.delete_ref_item", lang, n=n, table=t(f"codes.table.{o}", lang))
                    for o, n in refs.items()
                )
                return DeleteResult(False, t("import_page.delete_refused", lang, id=label, refs=where))
            locked = locks.check_delete(cur, table, before, lock_override, lang)  # period lock (planboard/locks.py)
            if locked:
                return DeleteResult(False, locked)
            cur.execute(f"delete from {table} where {_where(table)}", params)
            _log(cur, user, center, table, label, "delete", before, None)
            db.bump_data_version(cur)
        return None

    refused = db.retrying(attempt)  # the shared lake: run again, checks too, when another writer committed first
    if refused is not None:
        return refused
    auth.audit(con, user, "edit", center=center, table=table, id=label, change="delete")
    return DeleteResult(True, t("import_page.delete_done", lang, id=label))


def changes(before_json: str | None, after_json: str | None) -> str:
    """'status: tiep_nhan → hoan_thanh; closed_on: – → 2024-06-01' from an edit log row (all values for insert/delete)."""
    before = json.loads(before_json) if before_json else {}
    after = json.loads(after_json) if after_json else {}
    parts = []
    for k in list(after) or list(before):
        old, new = before.get(k), after.get(k)
        if before and after and old == new:
            continue
        parts.append(
            f"{k}: {'–' if old is None else old} → {'–' if new is None else new}"
            if before and after
            else f"{k}: {'–' if (new if after else old) is None else (new if after else old)}"
        )
    return "; ".join(parts)
