"""The one gateway to the database: path resolution, one connection per process, schema, named queries. No Streamlit.

Two modes, and this module is the only one that knows which (docs: README, "Hai chế độ"):
- embedded (default): one DuckDB file (`PLANBOARD_DB=path`, else data/planboard.duckdb);
- shared: `PLANBOARD_DB=ducklake:postgres:<libpq connection string>` plus `PLANBOARD_DATA_PATH` (the Parquet folder).
  The records (contract tables, centers, the derived case_facts) are in a DuckLake whose catalog is that PostgreSQL
  database; accounts, sessions, audit, import/edit logs, settings, meetings, actions and locks are plain PostgreSQL
  tables with their keys in its schema `planboard` (PG_TABLES), reached through the same connection by name. The
  data version is the lake's snapshot id."""

from __future__ import annotations

import atexit
import datetime as dt
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

from .i18n import Said, t

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SCHEMA = QUERIES / "schema"
DERIVED = "050_case_facts.sql"  # the schema file of tables derived from the data, made again by every write
DEFAULT_DB = ROOT / "data" / "planboard.duckdb"

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_connections: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()
# What this process did, counted (read by ui/data.py and the tests, never reset): `shared_statements`, the statements
# sent through a shared-mode connection (each one at least one PostgreSQL round trip: the lake reads its catalog
# there); `fingerprints`, the scans of what the derived tables read (derived_stamp); `writes`, the data writes committed or being committed here (bump_data_version), so a version remembered
# for a run is read again after this process wrote.
COUNTS = {"shared_statements": 0, "writes": 0, "fingerprints": 0}


class DatabaseBusy(RuntimeError):
    """The database file is held by another process (usually the running app)."""


class DatabaseUnavailable(Said, RuntimeError):
    """The database cannot be opened for a reason the operator fixes (a file written by a newer DuckDB, PostgreSQL
    unreachable, a missing extension or data folder): text(lang) says what to do."""


class TryAgain(Said, RuntimeError):
    """A write to the shared lake kept colliding with other writers' commits: text(lang) says to try again."""


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


LAKE_PREFIX = "ducklake:postgres:"
LAKE = "lake"  # the names the lake and its PostgreSQL database are attached under in a shared-mode connection
PG = "pg"
PG_SCHEMA = "planboard"
# The tables that live in PostgreSQL (keys, sequences, no versions) in the shared mode; every other table is in the
# lake. The import and edit logs are in the lake: a log row commits with the rows it tells of, and DuckDB cannot
# commit two attached databases atomically (measured: a PostgreSQL row written in a transaction whose lake commit
# then failed stayed). Their ids come from PostgreSQL sequences (LOG_IDS), so they stay unique.
PG_TABLES = frozenset(
    {
        "meta",
        "report_settings",
        "users",
        "audit_log",
        "sessions",
        "meetings",
        "meeting_numbers",
        "actions",
        "action_notes",
        "period_locks",
        "annotations",
        "sign_in_failures",
    }
)


def is_shared(path: str | Path | None) -> bool:
    """True when `path` names a shared lake (ducklake:postgres:...), not a DuckDB file."""
    return str(path or "").startswith(LAKE_PREFIX)


def db_path(cli_value: str | None = None) -> Path | str:
    """--db, else env PLANBOARD_DB, else data/planboard.duckdb. A shared lake's name is returned as given (a str)."""
    value = cli_value or os.environ.get("PLANBOARD_DB") or DEFAULT_DB
    return str(value) if is_shared(value) else Path(value)


def exists(path: str | Path) -> bool:
    """Whether the database is there already (a shared lake is made by `planboard lake init`: always there)."""
    return is_shared(path) or Path(path).exists()


def _key(path: str | Path | None) -> str:
    if path in (None, ":memory:"):
        return ":memory:"
    return str(path) if is_shared(path) else str(Path(path))


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process's connection to `path` (opened once, schema applied). Threads use .cursor() of it."""
    key = _key(path)
    with _lock:
        con = _connections.get(key)
        if con is None:
            if is_shared(key):
                con = _connect_shared(key)
            else:
                con = _connect_file(key)
            _connections[key] = con
        return con


def _connect_file(key: str) -> duckdb.DuckDBPyConnection:
    unchanged = False
    if key != ":memory:":
        Path(key).parent.mkdir(parents=True, exist_ok=True)
        unchanged = _left_as_closed(Path(key))
    try:
        con = duckdb.connect(key)
    except duckdb.IOException as e:
        if "newer version of duckdb" in str(e).lower():  # (its text also says "lock"... in "blocks")
            raise DatabaseUnavailable("db.newer_file", path=key, version=duckdb.__version__) from None
        if "lock" in str(e).lower():
            raise DatabaseBusy(key) from e
        raise
    apply_schema(con, unchanged=unchanged)
    return con


def close(path: str | Path | None = None) -> None:
    """Close the process's connection to `path` (tests, backup/restore, and every open file at the process's exit:
    _close_all), noting the file as this process left it (_note_closed)."""
    key = _key(path)
    with _lock:
        con = _connections.pop(key, None)
    if con is not None:
        con.close()
        if key != ":memory:" and not is_shared(key):
            _note_closed(Path(key))


@atexit.register
def _close_all() -> None:
    for key in [k for k in _connections if k != ":memory:" and not is_shared(k)]:
        try:
            close(key)
        except Exception:  # noqa: BLE001 - the process is ending: the next open checks the file in full instead
            pass


# --- Knowing at open that nobody changed the file since this app closed it (issue 17 item 2) ----------------------
# The derived tables' stamp (derived_stamp) hashes every row they read, so a change made with another tool is picked
# up at the next start: one scan of cases and residents (0.13-0.3 s at 10,000 centres' worth of data), paid by every
# server start and command-line call. When the app closes the file it notes the file's signature beside it
# (`<file>.closed`: its size, modification time, inode and the bytes of its headers, which DuckDB rewrites at every
# checkpoint); an open that finds the file still so, with no write-ahead log, knows no other tool wrote to it since,
# and takes the stamp's fingerprint as noted. Anything else (the note missing, another signature, a .wal: another
# process wrote, or this one ended without closing) is the full check as before. The note is removed at open, so it
# never outlives the process that trusted it.
_HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two alternating database headers


def _signature(path: Path) -> str | None:
    """The file as it stands (None while a write-ahead log holds writes not yet in it, or without the file)."""
    if Path(f"{path}.wal").exists() or not path.exists():
        return None
    st = path.stat()
    with path.open("rb") as f:
        head = f.read(_HEADER_BYTES)
    return hashlib.sha256(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:".encode() + head).hexdigest()


def _closed_note(path: Path) -> Path:
    return Path(f"{path}.closed")


def _note_closed(path: Path) -> None:
    """After this process closed the file (its writes checkpointed into it): its signature, for the next open."""
    try:
        if (signature := _signature(path)) is not None:
            _closed_note(path).write_text(signature, encoding="utf-8")
    except OSError:
        pass  # no note: the next open checks in full


def _left_as_closed(path: Path) -> bool:
    """Before opening: whether the file is exactly as the app left it when it last closed it. Takes the note away."""
    note = _closed_note(path)
    try:
        noted = note.read_text(encoding="utf-8")
        note.unlink()
    except OSError:
        return False
    return noted == _signature(path)


# --- The shared mode: DuckLake with its catalog in PostgreSQL ------------------------------------------------------
EXTENSIONS = {  # the file each extension wheel (requirements.txt) ships -> the name DuckDB must load it under
    "duckdb_extension_postgres": ("postgres.duckdb_extension", "postgres_scanner.duckdb_extension"),
    "duckdb_extension_ducklake": ("ducklake.duckdb_extension", "ducklake.duckdb_extension"),
}
# No extension from the network. Every session (_SESSION) also turns the progress bar off: catalog round trips make
# queries slow enough to draw one, on the standard output that `kpis` writes its CSV to.
_SHARED_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


@cache
def _extension_dir() -> Path:
    """A private folder holding the two pinned extensions under the names DuckDB loads them by (linked from the
    installed wheels; never downloaded: INSTALL needs the network, and the version must be the pinned one)."""
    import importlib.util
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="planboard-ext-"))
    for package, (shipped, loaded) in EXTENSIONS.items():
        spec = importlib.util.find_spec(package)
        source = None
        if spec is not None and spec.origin:
            source = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}" / shipped
        if source is None or not source.exists():
            raise DatabaseUnavailable("db.lake_extension_missing", package=package, version=duckdb.__version__)
        (folder / loaded).symlink_to(source)
    return folder


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def data_folder() -> str:
    """The shared mode's Parquet folder ($PLANBOARD_DATA_PATH), ending with '/'."""
    folder = os.environ.get("PLANBOARD_DATA_PATH", "").strip()
    if not folder:
        raise DatabaseUnavailable("db.lake_no_data_path")
    if "://" not in folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
    return folder.rstrip("/") + "/"


class SharedConnection:
    """A shared-mode connection. DuckDB keeps the default catalog and the search path per cursor, and every cursor
    is a new session: the ones handed out here are set up like the connection (the lake first, then the keyed
    PostgreSQL tables, then this process's macros). Setting a session up costs catalog round trips (~30-50 ms
    measured), so closed cursors are kept (POOL of them) and handed out again, their transaction ended and their
    registered frames dropped. Everything else is the DuckDB connection's."""

    POOL = 16

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con
        self._pool: list[duckdb.DuckDBPyConnection] = []
        self._pool_lock = threading.Lock()

    def cursor(self) -> SharedCursor:
        with self._pool_lock:
            raw = self._pool.pop() if self._pool else None
        if raw is None:
            raw = self._con.cursor()
            COUNTS["shared_statements"] += 1
            raw.execute(_SESSION)
        return SharedCursor(raw, self)

    def _give_back(self, raw: duckdb.DuckDBPyConnection) -> None:
        try:
            raw.execute("rollback")  # a transaction left open ends here, as closing a cursor would end it
        except duckdb.Error:
            pass  # none was open
        with self._pool_lock:
            if len(self._pool) < self.POOL:
                self._pool.append(raw)
                return
        raw.close()

    def execute(self, query, parameters=None):
        return _execute(self._con, query, parameters)

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, []
        for raw in pool:
            raw.close()
        self._con.close()


class SharedCursor:
    """A cursor of a SharedConnection: DuckDB's, except for the statements on the keyed PostgreSQL tables that
    DuckDB cannot send there (RETURNING, ON CONFLICT): those run in PostgreSQL itself (_execute). Closing it gives
    it back to its connection's pool."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, owner: SharedConnection):
        self._cur = cur
        self._owner = owner
        self._registered: set[str] = set()
        self._in_transaction = False  # begun here and not yet ended (postgres_query's writes need an explicit one)
        self._after_commit: list[tuple[str, str]] = []  # (table, statement) of _AFTER_COMMIT held for the commit

    def execute(self, query, parameters=None):
        if isinstance(query, str):
            word = query.lstrip().split(None, 1)[0].lower() if query.strip() else ""
            if word in ("begin", "start"):
                self._in_transaction = True
                self._after_commit = []
            elif word in ("commit", "end"):
                return self._ended(lambda: _execute(self._cur, query, parameters))
            elif word in ("rollback", "abort"):
                self._in_transaction, self._after_commit = False, []
            elif self._in_transaction and (held := _held_write(query, parameters)) is not None:
                self._after_commit.append(held)
                return self._cur.execute("select 1::bigint as count")  # as DuckDB answers an insert of one row
        return _execute(self._cur, query, parameters, autocommit=not self._in_transaction)

    def begin(self):
        self._in_transaction = True
        self._after_commit = []
        return self._cur.begin()

    def commit(self):
        return self._ended(self._cur.commit)

    def rollback(self):
        self._in_transaction, self._after_commit = False, []
        return self._cur.rollback()

    def _ended(self, commit):
        """Commit the lake transaction; once it went in, write the rows held for it (_AFTER_COMMIT) in PostgreSQL,
        in one PostgreSQL transaction. A failed commit drops them with the rest of the transaction."""
        held, self._after_commit, self._in_transaction = self._after_commit, [], False
        result = commit()
        if held:
            self._cur.execute("begin transaction")
            try:
                for table, statement in held:
                    _in_postgres(self._cur, table, statement).fetchall()
                self._cur.execute("commit")
            except BaseException:
                rollback(self._cur)
                raise
        return result

    def register(self, name: str, frame):
        self._registered.add(name)
        return self._cur.register(name, frame)

    def unregister(self, name: str):
        self._registered.discard(name)
        return self._cur.unregister(name)

    def cursor(self) -> SharedCursor:
        return self._owner.cursor()

    def close(self) -> None:
        if self._cur is None:
            return
        raw, self._cur = self._cur, None
        for name in self._registered:
            raw.unregister(name)
        self._owner._give_back(raw)

    def __getattr__(self, name):
        if self._cur is None:
            raise duckdb.ConnectionException("Connection already closed!")
        return getattr(self._cur, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_SESSION = f"use {LAKE}; set search_path = '{LAKE}.main,{PG}.{PG_SCHEMA},memory.main'; set enable_progress_bar = false"
_PG_WRITE = re.compile(r"^\s*(?:insert\s+into|update|delete\s+from)\s+(\w+)", re.I)
_PG_ONLY = re.compile(r"\breturning\b|\bon\s+conflict\b", re.I)
# Written inside a lake transaction too (an audited lock override during an import): DuckDB lets a transaction
# write one attached database, so these rows go through postgres_query.
_IN_PG = frozenset({"audit_log"})
# Of those, the rows that tell of the lake transaction they are written in: held by the cursor and written in
# PostgreSQL once the lake commit went in (SharedCursor._ended). Measured before: written at once, an override's
# audit row stayed when the lake commit then conflicted - once per attempt (2 rows for a retried import, 5 for one
# that never went in). A crash between the two commits loses the audit row, never claims a change that is not there.
_AFTER_COMMIT = frozenset({"audit_log"})


def _held_write(query: str, parameters) -> tuple[str, str] | None:
    """(table, statement with its literals) when `query` writes a table of _AFTER_COMMIT, else None."""
    text = "\n".join(line.split("--", 1)[0] for line in query.splitlines()).strip().rstrip(";")
    m = _PG_WRITE.match(text)
    if m and m.group(1).lower() in _AFTER_COMMIT and not _PG_ONLY.search(text):
        return m.group(1).lower(), _inline(text, parameters)
    return None


def _execute(cur: duckdb.DuckDBPyConnection, query, parameters=None, autocommit: bool = True):
    """Run a statement on a shared-mode cursor. A write to a PG_TABLES table that needs PostgreSQL's own features
    (RETURNING, ON CONFLICT: DuckDB's postgres extension cannot send them) runs in PostgreSQL through postgres_query,
    in the cursor's transaction, its parameters written as literals; its rows come back as the result."""
    COUNTS["shared_statements"] += 1
    if isinstance(query, str):
        text = "\n".join(line.split("--", 1)[0] for line in query.splitlines()).strip().rstrip(";")
        m = _PG_WRITE.match(text)
        if m and m.group(1).lower() in PG_TABLES and (_PG_ONLY.search(text) or m.group(1).lower() in _IN_PG):
            if not autocommit:
                return _in_postgres(cur, m.group(1).lower(), _inline(text, parameters))
            # measured: postgres_query's writes outside an explicit transaction are not committed
            cur.execute("begin transaction")
            try:
                result = _in_postgres(cur, m.group(1).lower(), _inline(text, parameters))
                rows = result.to_arrow_table()
                cur.execute("commit")
            except BaseException:
                rollback(cur)
                raise
            cur.register("_pg_returned", rows)
            return cur.execute("select * from _pg_returned")
    if parameters is None:
        return cur.execute(query)
    return cur.execute(query, parameters)


_RETURNING = re.compile(r"\breturning\s+(.+)$", re.I | re.S)
# PostgreSQL refuses a data-modifying statement inside the subquery postgres_query wraps its query in; a function
# running it (as the top-level statement of a CTE) and returning its rows as JSON is allowed there.
_RUN_RETURNING = (
    f"create or replace function {PG_SCHEMA}.run_returning(q text) returns setof jsonb language plpgsql as "
    "$f$ begin return query execute 'with w as (' || q || ') select to_jsonb(w) from w'; end $f$"
)


def _in_postgres(cur: duckdb.DuckDBPyConnection, table: str, statement: str):
    """Run `statement` (literals inlined) in PostgreSQL within the cursor's transaction; with RETURNING, its rows
    come back typed as the table's columns (a literal such as `returning 1`: a bigint)."""
    ret = _RETURNING.search(statement)
    if ret is None:  # as DuckDB does: one row, the number of rows written
        run = f"select * from {PG_SCHEMA}.run_returning($pbq${statement} returning 1$pbq$)"
        # fetched here: a result nobody fetches is never run (measured: the audit row of auth.audit was lost)
        written = cur.execute(f"select count(*) from postgres_query('{PG}', {_sql_text(run)})").fetchone()[0]
        return cur.execute("select ?::bigint as count", [written])
    types = dict(
        cur.execute(
            "select column_name, data_type from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ?",
            [PG, PG_SCHEMA, table],
        ).fetchall()
    )
    columns = []
    for i, item in enumerate(c.strip() for c in ret.group(1).split(",")):
        if item.lower() in types:
            columns.append(f"cast(j ->> '{item.lower()}' as {types[item.lower()]}) as {item.lower()}")
        else:
            columns.append(f"cast(j ->> '?column?' as bigint) as c{i}")
    run = f"select * from {PG_SCHEMA}.run_returning($pbq${statement}$pbq$)"
    returned = cur.execute(
        f"select {', '.join(columns)} from (select r.j::json as j from postgres_query('{PG}', {_sql_text(run)}) as r(j))"
    ).to_arrow_table()  # fetched here: a result nobody fetches is never run
    cur.register("_pg_returned", returned)
    return cur.execute("select * from _pg_returned")


def _inline(text: str, parameters) -> str:
    """`text` with its $name (dict) or ? (list) parameters replaced by PostgreSQL literals (outside quotes)."""
    values = parameters or {}
    out, quoted, i, n = [], False, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            quoted = not quoted
        if not quoted and ch == "$" and isinstance(values, dict):
            m = _PARAM.match(text, i)
            if m:
                out.append(_pg_literal(values[m.group(1)]))
                i = m.end()
                continue
        if not quoted and ch == "?" and not isinstance(values, dict):
            out.append(_pg_literal(values[n]))
            n += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _connect_shared(key: str) -> SharedConnection:
    """An in-memory DuckDB with the lake (`lake`, the default catalog) and its PostgreSQL database (`pg`, for the
    keyed tables of PG_TABLES in its schema `planboard`) attached; unqualified names find either (search_path)."""
    conninfo = key[len(LAKE_PREFIX) :]
    folder = _extension_dir()
    data = data_folder()
    con = duckdb.connect(config=_SHARED_CONFIG)
    try:
        for _, loaded in EXTENSIONS.values():
            con.execute(f"load {_sql_text(str(folder / loaded))}")
        try:
            con.execute(f"attach {_sql_text(key)} as {LAKE} (data_path {_sql_text(data)})")
            # its sessions find the keyed tables by name (statements run in PostgreSQL itself: _execute)
            pg_conninfo = f"{conninfo} options='-c search_path={PG_SCHEMA},public'"
            con.execute(f"attach {_sql_text(pg_conninfo)} as {PG} (type postgres)")
            applied = _shared_schema_stamp(con) == _schema_digest()
        except duckdb.Error as e:
            raise DatabaseUnavailable(
                "db.lake_unreachable", conninfo=safe_conninfo(conninfo), error=_first_line(e)
            ) from None
        if not applied:  # else there already; made again at every open, two servers opening at once collided
            # (measured: PostgreSQL's "tuple concurrently updated" on the function, said as "cannot connect")
            _pg_execute(con, f"create schema if not exists {PG_SCHEMA}")
            _pg_execute(con, _RUN_RETURNING)
        con.execute(_SESSION)
        shared_con = SharedConnection(con)
        apply_schema(shared_con)
    except BaseException:
        con.close()
        raise
    return shared_con


def safe_conninfo(conninfo: str) -> str:
    """The connection string without its password, for messages."""
    return re.sub(r"password\s*=\s*('[^']*'|\S+)", "password=***", conninfo)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def shared(con: Source) -> bool:
    """Whether `con` (a connection, cursor or snapshot) is a shared-mode one."""
    if isinstance(con, Snapshot):
        return con.shared
    return isinstance(con, (SharedConnection, SharedCursor))


def _pg_execute(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """Run `statement` in the PostgreSQL database itself, in its schema (DDL with keys, identity, ON CONFLICT)."""
    con.execute(f"call postgres_execute('{PG}', {_sql_text(f'set search_path to {PG_SCHEMA}; {statement}')})")


def _pg_literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return f"'{value.isoformat(sep=' ') if isinstance(value, dt.datetime) else value.isoformat()}'"
    return "E'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


# The log tables of the lake: their id column, the PostgreSQL sequence it is drawn from, their time column.
LOG_IDS = {
    "import_log": ("import_id", "import_log_seq", "imported_at"),
    "edit_log": ("edit_id", "edit_log_seq", "edited_at"),
}


def log_ids(cur: duckdb.DuckDBPyConnection, table: str) -> dict:
    """The id and time of a new row of a log table of LOG_IDS, for its insert to give (the values the embedded
    file's defaults would give): the next value of its sequence (PostgreSQL's in the shared mode), the transaction's
    time."""
    id_col, sequence, time_col = LOG_IDS[table]
    if shared(cur):
        query = f"select * from postgres_query('{PG}', 'select nextval(''{sequence}'')')"
    else:
        query = f"select nextval('{sequence}')"
    next_id = cur.execute(query).fetchone()[0]
    return {id_col: next_id, time_col: cur.execute("select current_timestamp::timestamp").fetchone()[0]}


def is_duplicate_key(error: BaseException) -> bool:
    """A row refused because its key is taken: DuckDB's constraint error (file) or PostgreSQL's unique violation
    (the keyed tables of the shared mode)."""
    text = str(error).lower()
    return isinstance(error, duckdb.ConstraintException) or "duplicate key value violates unique constraint" in text


def is_conflict(error: BaseException) -> bool:
    """A commit refused because another writer committed a conflicting change first (the lake's optimistic
    concurrency): the write is safe to run again."""
    text = str(error).lower()
    return isinstance(error, duckdb.Error) and ("conflict" in text or "concurrent" in text) and "ducklake" in text


# What a lost PostgreSQL looks like in DuckDB's messages (the catalog's round trips): stopped, restarted, cut off.
_UNREACHABLE_WORDS = (
    "unable to connect to postgres",
    "connection refused",
    "could not connect to server",
    "server closed the connection",
    "terminating connection",
    "no connection to the server",
)


def is_unreachable(error: BaseException) -> bool:
    """A statement failed because the shared mode's PostgreSQL cannot be reached (stopped, restarted, network)."""
    text = str(error).lower()
    return isinstance(error, duckdb.Error) and any(w in text for w in _UNREACHABLE_WORDS)


def unavailable(error: BaseException) -> DatabaseUnavailable | None:
    """The problem an operator fixes behind a statement that failed in the shared mode, said in Vietnamese (a
    DatabaseUnavailable), else None: PostgreSQL not reachable (the next statement reconnects by itself once it is
    back: measured), or a write refused by the data folder (read-only, not writable, a file where a folder should
    be: DuckDB's IO error names a path in it; a full disk is said by is_disk_full's message instead)."""
    if is_unreachable(error):
        conninfo = str(db_path())[len(LAKE_PREFIX) :] if is_shared(db_path()) else ""
        return DatabaseUnavailable("db.lake_unreachable", conninfo=safe_conninfo(conninfo), error=_first_line(error))
    folder = os.environ.get("PLANBOARD_DATA_PATH", "").strip().rstrip("/")
    if isinstance(error, duckdb.IOException) and folder and folder in str(error) and not is_disk_full(error):
        return DatabaseUnavailable("db.lake_write_failed", folder=folder, error=_first_line(error))
    return None


RETRIES = 5  # attempts of a write whose lake commit conflicts


def retrying(write, attempts: int = RETRIES, pause: float = 0.2):
    """Run write() (one whole transaction) again when its commit conflicts with another writer's, at most
    `attempts` times with a growing pause; then TryAgain with a Vietnamese "thử lại" message."""
    import random
    import time

    for attempt in range(attempts):
        try:
            return write()
        except duckdb.Error as e:
            if (problem := unavailable(e)) is not None:
                raise problem from e  # rolled back: nothing of the write is in the lake
            if not is_conflict(e):
                raise
            if attempt == attempts - 1:
                raise TryAgain("db.lake_try_again", n=attempts) from e
            time.sleep(pause * (attempt + 1) * (1 + random.random()))


CONTRACT_TABLES = ("residents", "cases", "events", "staff", "training")
FIRST_CENTER = "BTXH_BL"  # the center of a fresh install, and of the rows of a database made before centers


def apply_schema(con: duckdb.DuckDBPyConnection, unchanged: bool = False) -> None:
    """Run every numbered file of queries/schema in order; each is idempotent. A database made before centers
    existed is upgraded first (upgrade_to_centers). The derived tables (DERIVED) are made again only when what
    they were made from has changed (ensure_derived). In the shared mode each statement goes where its table lives
    (shared_statement), and the derived tables are only made when missing or of another shape than their definition
    (the writers make them again). Files after DERIVED come after the derived tables are made: DuckDB binds a table
    macro when it is created, so a macro reading case_facts needs its columns there (schema/051). `unchanged`: the
    file is as the app closed it (_left_as_closed), passed on to ensure_derived."""
    if isinstance(con, SharedConnection):
        applied = _shared_schema_stamp(con) == _schema_digest()
        for f in sorted(SCHEMA.glob("*.sql")):
            for statement in statements(f.read_text(encoding="utf-8")):
                target, text = shared_statement(statement, derived=f.name == DERIVED)
                if applied and not text.startswith("create or replace macro memory."):
                    continue  # in the lake and PostgreSQL already, as these files say (the stamp)
                if target == PG:
                    _pg_execute(con, text)
                    con.execute("call pg_clear_cache()")
                elif text:
                    con.execute(text)
            if not applied and f.name == DERIVED and _derived_shape_differs(con):
                retrying(lambda: _refresh_in_transaction(con))
        if not applied:
            _pg_execute(
                con,
                f"insert into meta (key, value) values ('{SCHEMA_STAMP}', '{_schema_digest()}') "
                "on conflict (key) do update set value = excluded.value",
            )
            con.execute("call pg_clear_cache()")
        return
    upgrade_to_centers(con)
    for f in sorted(SCHEMA.glob("*.sql")):
        if f.name == DERIVED:
            ensure_derived(con, unchanged)
        else:
            con.execute(f.read_text(encoding="utf-8"))


def _derived_shape_differs(con) -> bool:
    """Whether the stored case_facts has other columns than its definition (a lake made by an earlier version)."""
    stored = [r[0] for r in con.execute("describe select * from case_facts").fetchall()]
    return stored != [r[0] for r in con.execute("describe select * from case_facts_live()").fetchall()]


def _refresh_in_transaction(con) -> None:
    with transaction(con) as cur:
        refresh_derived(cur)


SCHEMA_STAMP = "schema_digest"  # the meta key (shared mode) naming the schema files last applied to the lake


def _shared_schema_stamp(con: SharedConnection) -> str | None:
    """The digest of the schema files last applied to this lake (meta, in PostgreSQL), None on a new one. Opening
    a lake whose stamp is the files' own applies only this process's macros (every server start and command paid
    the ~60 statements' catalog round trips: an open measured 2.7 s -> 1.1 s, load 12)."""
    try:
        row = con.execute(
            f"select * from postgres_query('{PG}', 'select value from {PG_SCHEMA}.meta where key = ''{SCHEMA_STAMP}''')"
        ).fetchone()
    except duckdb.Error:
        return None  # no meta table yet: a new lake
    return row[0] if row else None


def statements(text: str) -> list[str]:
    """The statements of a schema file: comments dropped (outside quotes), split at the semicolons."""
    out, buf, quoted, i = [], [], False, 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            quoted = not quoted
        if not quoted and text.startswith("--", i):
            i = text.find("\n", i)
            i = len(text) if i < 0 else i
            continue
        if not quoted and ch == ";":
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
        i += 1
    out.append("".join(buf).strip())
    return [s for s in out if s]


_TARGET = re.compile(
    r"^(?:create\s+(?:sequence|table)\s+if\s+not\s+exists|alter\s+table|insert\s+into|update|create\s+or\s+replace\s+table)"
    r"\s+(\w+)",
    re.I,
)
_CONSTRAINTS = (
    re.compile(r",\s*primary\s+key\s*\([^)]*\)", re.I),  # a table's key line
    re.compile(r"\s+primary\s+key\b", re.I),  # a column's key
    re.compile(r"\s+unique\b", re.I),
    re.compile(r"\s+default\s+nextval\('[^']*'\)", re.I),
)
_CHECK = re.compile(r"\s+check\s*\(", re.I)


def _without_checks(text: str) -> str:
    while m := _CHECK.search(text):
        depth, j = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            j += 1
        text = text[: m.start()] + text[j:]
    return text


def shared_statement(statement: str, derived: bool = False) -> tuple[str, str]:
    """Where a schema statement runs in the shared mode, and as what: (PG, text) for the keyed tables of PG_TABLES
    and their sequences (run by PostgreSQL itself, with keys, checks and sequences as written; DuckDB's `double` is
    PostgreSQL's `double precision`); (LAKE, text) for the lake, whose tables take no key, unique, check or
    sequence (the importer enforces the keys: it refuses duplicate ids and updates by key), whose macros are
    this process's (in its in-memory catalog), and whose derived tables are made when missing here and again by every write
    (refresh_derived), not at every open."""
    head = statement.lstrip()
    lower = head.lower()
    if lower.startswith("create or replace macro"):
        return LAKE, "create or replace macro memory.main." + head[len("create or replace macro") :].lstrip()
    m = _TARGET.match(head)
    name = m.group(1).lower() if m else ""
    if lower.startswith("create sequence"):
        return PG, head
    if name in PG_TABLES and (lower.startswith(("create", "alter")) or " on conflict " in f" {lower} "):
        return PG, re.sub(r"\bdouble\b(?!\s+precision)", "double precision", head, flags=re.I)
    if lower.startswith("create table"):
        text = head
        for c in _CONSTRAINTS:
            text = c.sub("", text)
        return LAKE, _without_checks(text)
    if derived and lower.startswith("create or replace table"):
        return LAKE, "create table if not exists" + head[len("create or replace table") :]
    return LAKE, head


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
def sql(name: str | Path) -> str:
    """The text of queries/<name>.sql, or of the .sql file at a path (the bench's own statements live in bench/)."""
    path = name if isinstance(name, Path) else QUERIES / f"{name}.sql"
    return path.read_text(encoding="utf-8")


@cache
def params_of(name: str | Path) -> frozenset[str]:
    """The $parameters a query file uses (comments excluded)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql(name).splitlines())
    return frozenset(_PARAM.findall(body))


@dataclass(frozen=True)
class Snapshot:
    """A read transaction: every query run through it sees the same committed data, whose version is `version`."""

    cur: duckdb.DuckDBPyConnection
    version: int
    shared: bool = False


Source = duckdb.DuckDBPyConnection | Snapshot


def _version(cur: duckdb.DuckDBPyConnection, is_shared: bool) -> int:
    """The data version the cursor sees: the lake's snapshot id (shared mode), else meta's data_version."""
    if is_shared:
        return int(cur.execute(f"select id from {LAKE}.current_snapshot()").fetchone()[0])
    return int(cur.execute("select value from meta where key = 'data_version'").fetchone()[0])


@contextmanager
def snapshot(con: Source):
    """One consistent view of the data for a set of numbers (a page's indicators, a report, a `kpis` call): a read
    transaction and the data version of what it sees (in the shared mode the lake snapshot the transaction reads,
    whatever is committed meanwhile). Inside an open snapshot, that snapshot is reused."""
    if isinstance(con, Snapshot):
        yield con
        return
    is_shared = isinstance(con, SharedConnection)
    cur = con.cursor()
    try:
        cur.execute("begin transaction")
        yield Snapshot(cur, _version(cur, is_shared), is_shared)
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


def query(con: Source, name: str | Path, **params):
    """Run the named query with bound parameters; return a DuckDB relation result as a pandas DataFrame."""
    with cursor(con) as cur:
        return cur.execute(sql(name), params).df()


def query_rows(con: Source, name: str | Path, **params) -> list[tuple]:
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
    if isinstance(con, SharedConnection):  # in a read transaction: measured 4x cheaper than autocommit
        with snapshot(con) as snap:
            return snap.version
    with cursor(con) as cur:
        return _version(cur, False)


def bump_data_version(cur: duckdb.DuckDBPyConnection) -> None:
    """Called inside the writing transaction: the new version, and the facts derived from the data made again, so
    nothing derived can outlive the data it came from. In the shared mode the commit itself makes the new version
    (a lake snapshot), and the writer alone rebuilds the derived tables, once per write."""
    COUNTS["writes"] += 1
    if not shared(cur):
        cur.execute("update meta set value = cast(cast(value as bigint) + 1 as varchar) where key = 'data_version'")
    refresh_derived(cur)


def refresh_derived(cur: duckdb.DuckDBPyConnection) -> None:
    """Make the tables derived from the data again from their definitions (the schema file DERIVED), and note
    what they were made from (derived_stamp) and that they were made (meta `derived_builds` + 1). In the shared
    mode the writer makes them in its lake transaction and nothing more (the macros are this process's, made at
    open; no stamp: the lake is never rebuilt at open)."""
    if shared(cur):
        for statement in statements((SCHEMA / DERIVED).read_text(encoding="utf-8")):
            if not statement.lower().startswith("create or replace macro"):
                cur.execute(statement)
        return
    cur.execute((SCHEMA / DERIVED).read_text(encoding="utf-8"))
    cur.execute(
        "insert into meta (key, value) values ('derived_stamp', $s), ('derived_builds', '1') on conflict (key) do "
        "update set value = case when key = 'derived_builds' then cast(cast(meta.value as bigint) + 1 as varchar) "
        "else excluded.value end",
        {"s": derived_stamp(cur)},
    )


def derived_stamp(cur: duckdb.DuckDBPyConnection, noted: str | None = None) -> str:
    """What the derived tables are made from: the data version, the schema's text (their definition and the
    macros it calls), and a fingerprint of the rows they read (queries/derived_inputs_fingerprint.sql: one hash
    scan, no join), so rows written by another tool without the data version are seen too. With `noted` (a stamp
    noted when the file was last closed by the app and found unchanged since: _left_as_closed), its fingerprint is
    taken as it is instead of scanning the rows again."""
    definition = _schema_digest()
    version = cur.execute("select value from meta where key = 'data_version'").fetchone()[0]
    if noted is not None and noted.startswith(f"{version}:{definition}:"):
        return noted
    COUNTS["fingerprints"] += 1
    fingerprint = cur.execute(sql("derived_inputs_fingerprint")).fetchone()
    return ":".join(str(part) for part in (version, definition, *fingerprint))


@cache
def _schema_digest() -> str:
    digest = hashlib.sha256()
    for f in sorted(SCHEMA.glob("*.sql")):
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def ensure_derived(con: duckdb.DuckDBPyConnection, unchanged: bool = False) -> bool:
    """On open: make the derived tables again only when their stamp (derived_stamp) differs from the one noted
    when they were last made — a database opened again without any write does not pay the join (1.5–1.9 s at
    10,000 centres' worth of data), and one `unchanged` since the app closed it (_left_as_closed) not the scan of
    the rows either. Returns whether they were made again."""
    with transaction(con) as cur:
        made = cur.execute(
            "select count(*) from information_schema.tables where table_schema = 'main' and table_name = 'case_facts'"
        ).fetchone()[0]
        noted = cur.execute("select value from meta where key = 'derived_stamp'").fetchone()
        if made and noted and noted[0] == derived_stamp(cur, noted[0] if unchanged else None):
            return False
        refresh_derived(cur)
        return True


# --- Moving an embedded installation into a new shared lake (`planboard lake migrate --from FILE`) ----------------
_SEQUENCE_OF = re.compile(r"create\s+table\s+if\s+not\s+exists\s+(\w+)\s*\((.*)\)", re.I | re.S)
_NEXTVAL = re.compile(r"^\s*(\w+)\s+\w+[^,]*?default\s+nextval\('(\w+)'\)", re.I | re.M)


def sequences() -> list[tuple[str, str, str]]:
    """(sequence, table, column) of every column the schema files number from a sequence."""
    out = []
    for f in sorted(SCHEMA.glob("*.sql")):
        for statement in statements(f.read_text(encoding="utf-8")):
            if m := _SEQUENCE_OF.match(statement):
                out += [(seq, m.group(1), col) for col, seq in _NEXTVAL.findall(m.group(2))]
    return out


class MigrateRefused(RuntimeError):
    """The lake already holds records or accounts: str() says why nothing was copied."""


def lake_holds(con: SharedConnection) -> list[str]:
    """The record tables and accounts that already hold rows in the lake (empty: a new lake, ready for a migrate or
    a restore)."""
    return [tbl for tbl in (*CONTRACT_TABLES, "users") if con.execute(f"select count(*) from {tbl}").fetchone()[0]]


def migrate(con: SharedConnection, source: str | Path) -> dict[str, int]:
    """Copy every table of the embedded DuckDB file `source` into the shared lake behind `con`, rows and ids as
    they are: the lake's tables in one lake commit (then case_facts made from them), the PostgreSQL tables in one
    PostgreSQL transaction, the sequences moved past the copied ids. Only into a lake without records and accounts
    (a new one: `lake init`); returns {table: rows copied}. Sessions are not copied (everyone signs in again)."""
    source = Path(source)
    if not source.is_file():
        raise MigrateRefused(t("db.lake_migrate_missing", path=source))
    busy = lake_holds(con)
    if busy:
        raise MigrateRefused(t("db.lake_migrate_not_empty", tables=", ".join(busy)))
    src = "migrate_source"
    try:
        con.execute(f"attach {_sql_text(str(source))} as {src} (read_only)")
    except duckdb.IOException as e:
        if "newer version of duckdb" in str(e).lower():
            raise DatabaseUnavailable("db.newer_file", path=source, version=duckdb.__version__) from None
        raise
    try:
        # INSERT BY NAME copies the columns both sides have; a column the file lacks takes its default
        in_file = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main'", [src]
            ).fetchall()
        }
        skip = {"case_facts", "meta", "sessions"}
        lake_tables = [tbl for tbl in _schema_tables() if tbl in in_file and tbl not in PG_TABLES and tbl not in skip]
        pg_tables = [tbl for tbl in _schema_tables() if tbl in in_file and tbl in PG_TABLES and tbl not in skip]
        counts: dict[str, int] = {}
        with transaction(con) as cur:
            cur.execute("delete from centers")  # a new lake's first center, unless the file has it too
            for tbl in lake_tables:
                cur.execute(f"insert into {LAKE}.main.{tbl} by name select * from {src}.main.{tbl}")
                counts[tbl] = cur.execute(f"select count(*) from {src}.main.{tbl}").fetchone()[0]
            refresh_derived(cur)
        with transaction(con) as cur:
            for tbl in pg_tables:
                cur.execute(f"delete from {PG}.{PG_SCHEMA}.{tbl}")
                cur.execute(f"insert into {PG}.{PG_SCHEMA}.{tbl} by name select * from {src}.main.{tbl}")
                counts[tbl] = cur.execute(f"select count(*) from {src}.main.{tbl}").fetchone()[0]
        for sequence, table, column in sequences():
            top = con.execute(f"select coalesce(max({column}), 0) from {table}").fetchone()[0]
            _pg_execute(con, f"select setval('{sequence}', {int(top) + 1}, false)")
    finally:
        con.execute(f"detach {src}")
    return counts


def _schema_tables() -> list[str]:
    """The tables the schema files create, in their order."""
    out = []
    for f in sorted(SCHEMA.glob("*.sql")):
        for statement in statements(f.read_text(encoding="utf-8")):
            m = re.match(r"create\s+table\s+if\s+not\s+exists\s+(\w+)", statement, re.I)
            if m and m.group(1) not in out:
                out.append(m.group(1))
    return out
