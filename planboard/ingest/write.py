"""Writing a checked import, in the transaction its checks ran in: counts of added, updated and unchanged rows,
updates of the present columns then inserts of the new rows (the merge SQL is built from the contract's table and
column names, never from cell values), the data version, and the import log. No Streamlit."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from planboard import db
from planboard.ingest.check import join_on
from planboard.ingest.contract import KEYS, TABLE_ORDER
from planboard.ingest.messages import Problem
from planboard.ingest.parse import Parsed


@dataclass(frozen=True)
class TableCounts:
    added: int
    updated: int
    unchanged: int


@dataclass
class ImportResult:
    problems: list[Problem]
    counts: dict[str, TableCounts]
    files: list[tuple[str, str]]
    written: bool
    centers: list[str] = field(default_factory=list)  # the centers the rows belong to (the import's own if none)

    @property
    def ok(self) -> bool:
        return not self.problems


def _changed(table: str, present: list[str]) -> str:
    cols = [c for c in present if c not in KEYS[table]]
    if not cols:
        return "false"
    return "(" + " or ".join(f"s.{c} is distinct from t.{c}" for c in cols) + ")"


def table_counts(cur: duckdb.DuckDBPyConnection, table: str, present: list[str], staged: str) -> TableCounts:
    first_key = KEYS[table][0]
    changed = _changed(table, present)
    added, updated, unchanged = cur.execute(
        f"select count(*) filter (where t.{first_key} is null), "
        f"count(*) filter (where t.{first_key} is not null and {changed}), "
        f"count(*) filter (where t.{first_key} is not null and not {changed}) "
        f"from ({staged}) s left join {table} t on {join_on(table)}"
    ).fetchone()
    return TableCounts(int(added), int(updated), int(unchanged))


def _write(cur: duckdb.DuckDBPyConnection, table: str, present: list[str], staged: str, counts: TableCounts) -> None:
    """Update the present columns of existing rows that differ, then insert the new rows (defaults for the rest);
    `counts` (from table_counts, same transaction) lets a statement that would change nothing be skipped."""
    sets = [c for c in present if c not in KEYS[table]]
    if sets and counts.updated:
        assignments = ", ".join(f"{c} = s.{c}" for c in sets)
        cur.execute(
            f"update {table} t set {assignments} from ({staged}) s "
            f"where {join_on(table)} and {_changed(table, present)}"
        )
    if not counts.added:
        return
    cols = ", ".join(present)
    # The anti-join stays even when every row is new: measured, the plain insert into the keyed table is slower.
    cur.execute(
        f"insert into {table} ({cols}) select {cols} from ({staged}) s "
        f"where not exists (select 1 from {table} t where {join_on(table)})"
    )


def _log(cur: duckdb.DuckDBPyConnection, user: str | None, source: str, result: ImportResult) -> None:
    """One import_log row; `center` holds the import's center(s), comma-separated when the files named several."""
    counts, files = result.counts, result.files
    totals = [sum(getattr(c, f) for c in counts.values()) for f in ("added", "updated", "unchanged")]
    cur.execute(
        db.sql("import_log_insert"),
        {
            **db.log_ids(cur, "import_log"),
            "user_name": user,
            "source": source,
            "files": json.dumps([n for n, _ in files], ensure_ascii=False),
            "sha256": ",".join(h for _, h in files),
            "added_count": totals[0],
            "updated_count": totals[1],
            "unchanged_count": totals[2],
            "counts_json": json.dumps({t: vars(c) for t, c in counts.items()}),
            "center": ",".join(result.centers),
        },
    )


def ordered(parsed: dict) -> list[str]:
    return [t for t in TABLE_ORDER if t in parsed]


def commit(
    cur: duckdb.DuckDBPyConnection,
    parsed: dict[str, Parsed],
    staged: dict[str, str],
    result: ImportResult,
    user: str | None,
    source: str,
    before_commit: Callable | None = None,
) -> None:
    for t in ordered(parsed):
        c = result.counts[t]
        if c.added or c.updated:
            _write(cur, t, list(parsed[t].frame.columns), staged[t], c)
    if any(c.added or c.updated for c in result.counts.values()):
        db.bump_data_version(cur)
    _log(cur, user, source, result)
    if before_commit is not None:
        before_commit(cur, result)
    cur.commit()
    result.written = True
