"""The one gateway to the DuckDB file: path resolution, one connection per process, schema, named queries. No Streamlit."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SCHEMA = QUERIES / "schema"
DERIVED = "050_case_facts.sql"  # the schema file of tables derived from the data, made again by every write
DEFAULT_DB = ROOT / "data" / "planboard.duckdb"

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


class DatabaseBusy(RuntimeError):
    """The database file is held by another process (usually the running app)."""


# What a full disk (or a file-size quota) looks like from Python and from DuckDB's messages.
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_FULL_WORDS = ("no space left on device", "file too large", "disk quota exceeded", "not enough space")


def is_disk_full(error: BaseException) -> bool:
    """True when `error` (or what caused it) says the disk or the file-size limit is full: a problem the operator
    fixes by freeing space, said in words, not a traceback."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in _FULL_ERRNOS:
            return True
        if any(w in str(error).lower() for w in _FULL_WORDS):
            return True
        error = error.__cause__ or error.__context__
    return False


def rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back the cursor's transaction if one is still open. A failed COMMIT (a full disk) has already ended it,
    and DuckDB's "no transaction is active" must not hide the error that matters."""
    try:
        cur.rollback()
    except duckdb.TransactionException as e:
        if "no transaction is active" not in str(e):
            raise


def db_path(cli_value: str | None = None) -> Path:
    """--db, else env PLANBOARD_DB, else data/planboard.duckdb."""
    return Path(cli_value or os.environ.get("PLANBOARD_DB") or DEFAULT_DB)


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process's connection to `path` (opened once, schema applied). Threads use .cursor() of it."""
    key = str(Path(path)) if path not in (None, ":memory:") else ":memory:"
    with _lock:
        con = _connections.get(key)
        if con is None:
            if key != ":memory:":
                Path(key).parent.mkdir(parents=True, exist_ok=True)
            try:
                con = duckdb.connect(key)
            except duckdb.IOException as e:
                if "lock" in str(e).lower():
                    raise DatabaseBusy(key) from e
                raise
            apply_schema(con)
            _connections[key] = con
        return con


def close(path: str | Path | None = None) -> None:
    """Close the process's connection to `path` (tests, backup/restore)."""
    key = str(Path(path)) if path not in (None, ":memory:") else ":memory:"
    with _lock:
        con = _connections.pop(key, None)
    if con is not None:
        con.close()


CONTRACT_TABLES = ("residents", "cases", "events", "staff", "training")
FIRST_CENTER = "BTXH_BL"  # the center of a fresh install, and of the rows of a database made before centers


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Run every numbered file of queries/schema in order; each is idempotent. A database made before centers
    existed is upgraded first (upgrade_to_centers). The derived tables (DERIVED) are made again only when what
    they were made from has changed (ensure_derived)."""
    upgrade_to_centers(con)
    for f in sorted(SCHEMA.glob("*.sql")):
        if f.name != DERIVED:
            con.execute(f.read_text(encoding="utf-8"))
    ensure_derived(con)


def upgrade_to_centers(con: duckdb.DuckDBPyConnection) -> bool:
    """A single-center database of the previous version (contract tables without `center`) is upgraded in place,
    in one transaction: every row kept, under the center FIRST_CENTER, with the keys now starting with `center`.
    Returns whether it upgraded."""
    old = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.columns where table_schema = 'main' and column_name in "
            "('resident_id', 'case_id', 'event_id', 'staff_id') group by table_name"
        ).fetchall()
    }
    has_center = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.columns where table_schema = 'main' and column_name = 'center'"
        ).fetchall()
    }
    legacy = [t for t in CONTRACT_TABLES if t in old and t not in has_center]
    if not legacy:
        return False
    with transaction(con) as cur:
        for t in legacy:
            cur.execute(f"alter table {t} rename to {t}__before_centers")
        cur.execute((SCHEMA / "001_tables.sql").read_text(encoding="utf-8"))
        for t in legacy:
            cur.execute(f"insert into {t} by name select ? as center, * from {t}__before_centers", [FIRST_CENTER])
            cur.execute(f"drop table {t}__before_centers")
    return True


@cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def params_of(name: str) -> set[str]:
    """The $parameters a query file uses (comments excluded)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql(name).splitlines())
    return set(_PARAM.findall(body))


@dataclass(frozen=True)
class Snapshot:
    """A read transaction: every query run through it sees the same committed data, whose version is `version`."""

    cur: duckdb.DuckDBPyConnection
    version: int


Source = duckdb.DuckDBPyConnection | Snapshot


@contextmanager
def snapshot(con: Source):
    """One consistent view of the data for a set of numbers (a page's indicators, a report, a `kpis` call): a read
    transaction and the data version of what it sees. Inside an open snapshot, that snapshot is reused."""
    if isinstance(con, Snapshot):
        yield con
        return
    cur = con.cursor()
    try:
        cur.execute("begin transaction")
        version = int(cur.execute("select value from meta where key = 'data_version'").fetchone()[0])
        yield Snapshot(cur, version)
    finally:
        try:
            cur.execute("rollback")
        except duckdb.Error:
            pass  # the transaction is already gone (the connection failed); nothing was written in it
        cur.close()


@contextmanager
def cursor(con: Source):
    """A cursor of the connection, closed when the block ends (a snapshot's own cursor stays open for it)."""
    if isinstance(con, Snapshot):
        yield con.cur
        return
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()


def query(con: Source, name: str, **params):
    """Run the named query with bound parameters; return a DuckDB relation result as a pandas DataFrame."""
    with cursor(con) as cur:
        return cur.execute(sql(name), params).df()


def query_rows(con: Source, name: str, **params) -> list[tuple]:
    """Run the named query; return its rows as tuples (small results)."""
    with cursor(con) as cur:
        return cur.execute(sql(name), params).fetchall()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """A cursor in one transaction: committed when the block ends, rolled back if it raises."""
    cur = con.cursor()
    cur.execute("begin transaction")
    try:
        yield cur
        cur.execute("commit")
    except BaseException:
        rollback(cur)
        raise
    finally:
        cur.close()


def data_version(con: Source) -> int:
    """A number every write increments; caches key on it so an import shows at once."""
    if isinstance(con, Snapshot):
        return con.version
    with cursor(con) as cur:
        return int(cur.execute("select value from meta where key = 'data_version'").fetchone()[0])


def bump_data_version(cur: duckdb.DuckDBPyConnection) -> None:
    """Called inside the writing transaction: the new version, and the facts derived from the data made again, so
    nothing derived can outlive the data it came from."""
    cur.execute("update meta set value = cast(cast(value as bigint) + 1 as varchar) where key = 'data_version'")
    refresh_derived(cur)


def refresh_derived(cur: duckdb.DuckDBPyConnection) -> None:
    """Make the tables derived from the data again from their definitions (the schema file DERIVED), and note
    what they were made from (derived_stamp) and that they were made (meta `derived_builds` + 1)."""
    cur.execute((SCHEMA / DERIVED).read_text(encoding="utf-8"))
    cur.execute(
        "insert into meta (key, value) values ('derived_stamp', $s), ('derived_builds', '1') on conflict (key) do "
        "update set value = case when key = 'derived_builds' then cast(cast(meta.value as bigint) + 1 as varchar) "
        "else excluded.value end",
        {"s": derived_stamp(cur)},
    )


def derived_stamp(cur: duckdb.DuckDBPyConnection) -> str:
    """What the derived tables are made from: the data version, the schema's text (their definition and the
    macros it calls), and a fingerprint of the rows they read (queries/derived_inputs_fingerprint.sql: one hash
    scan, no join), so rows written by another tool without the data version are seen too."""
    definition = _schema_digest()
    version = cur.execute("select value from meta where key = 'data_version'").fetchone()[0]
    fingerprint = cur.execute(sql("derived_inputs_fingerprint")).fetchone()
    return f"{version}:{definition}:{fingerprint[0]}:{fingerprint[1]}"


@cache
def _schema_digest() -> str:
    digest = hashlib.sha256()
    for f in sorted(SCHEMA.glob("*.sql")):
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def ensure_derived(con: duckdb.DuckDBPyConnection) -> bool:
    """On open: make the derived tables again only when their stamp (derived_stamp) differs from the one noted
    when they were last made — a database opened again without any write does not pay the join (1.5–1.9 s at
    10,000 centres' worth of data). Returns whether they were made again."""
    with transaction(con) as cur:
        made = cur.execute(
            "select count(*) from information_schema.tables where table_schema = 'main' and table_name = 'case_facts'"
        ).fetchone()[0]
        noted = cur.execute("select value from meta where key = 'derived_stamp'").fetchone()
        if made and noted and noted[0] == derived_stamp(cur):
            return False
        refresh_derived(cur)
        return True
