"""The admin SQL console: one read-only SELECT at a time, in a locked-down sandbox. No Streamlit.

Design (measured with duckdb 2.0.1, see tests/test_sqlconsole.py):
- A second connection to the database file from the same process is refused, read-only or with another config
  ("Can't open a connection to same database file with a different configuration"), and ATTACHing the file from
  another in-process database is refused too ("Unique file handle conflict").
- `SET enable_external_access=false` on a cursor of the app's connection would switch file access off for the
  whole database instance, for good ("Cannot enable external access while database is running"): imports,
  backups and reports of the running app would break. So the app's connection is never touched.
- Instead queries run in an in-memory DuckDB created with `enable_external_access=false` (no file, no
  network, no extension install/load), Python replacement scans off, auto-install/auto-load of extensions off,
  a memory limit, then `lock_configuration=true` so a query cannot loosen any of it. The five data tables are
  copied into it through Arrow with the shared macros (age_on, is_eligible_on) — only the rows of the reader's
  centers (their scope): nothing of another center is in the copy, whatever the query. Whatever a query does, it can
  only touch that copy. The copy is made once per data version and kept (copying 2.6M rows at 10,000× the Center
  takes ~1.5 s; a console query after that takes what the query takes; one copy per scope): only SELECTs ever run in it, so no run
  can change what the next one sees; each run has its own cursor, interrupted on its own.
- Before anything runs, the text is parsed with DuckDB's own parser (`extract_statements`): exactly one statement,
  of type SELECT (which includes WITH … SELECT, FROM-first, VALUES, DESCRIBE, SHOW and SUMMARIZE). A deny-list of
  file and network table functions is checked on the parse tree (`json_serialize_sql`) as defence in depth.
- The result is streamed in Arrow batches of BATCH_ROWS rows and reading stops at ROW_CAP rows or BYTE_CAP bytes
  (the first row past either tells that the result was cut): a result is never materialised whole (a DB-API
  fetch converted all of `select repeat('x', 1000000) from range(1000)`, 1 GB twice, before any cap applied).
  DuckDB still computes one vector (up to 2,048 rows) at a time, so one batch of very wide rows costs its size.
  A threading.Timer calls `interrupt()` on the run's cursor when the time limit passes, and the time is checked
  between batches too.
- Spilled temporary files go to a private folder per sandbox (mkdtemp, mode 0700, capped at MAX_TEMP), removed with
  the sandbox — not DuckDB's default `.tmp` in the server's working folder.
Refusals raise ConsoleError with a code; the page shows the Vietnamese text of `sql.error_<code>`.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow as pa

from . import db
from .db import SCHEMA

EXAMPLE = "select status, count(*) as request_count\nfrom cases\ngroup by status\norder by request_count desc"
ROW_CAP = 10_000
TIME_LIMIT = 5.0
TABLES = ("residents", "cases", "events", "staff", "training")
BYTE_CAP = 64 * 2**20  # a result's size in memory (Arrow) shown on the page at most
BATCH_ROWS = 256
MAX_TEMP = "1GB"
SANDBOX_CONFIG = {
    "enable_external_access": False,
    "python_enable_replacements": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": "512MB",
    "threads": 2,
}
# Table and scalar functions that read or list files, reach the network, or expose the engine's secrets.
DENIED_FUNCTIONS = frozenset(
    {
        "read_csv",
        "read_csv_auto",
        "read_parquet",
        "parquet_scan",
        "parquet_metadata",
        "parquet_schema",
        "parquet_file_metadata",
        "parquet_kv_metadata",
        "parquet_bloom_probe",
        "read_json",
        "read_json_auto",
        "read_json_objects",
        "read_json_objects_auto",
        "read_ndjson",
        "read_ndjson_auto",
        "read_ndjson_objects",
        "read_text",
        "read_blob",
        "glob",
        "sniff_csv",
        "read_xlsx",
        "st_read",
        "iceberg_scan",
        "delta_scan",
        "sqlite_scan",
        "sqlite_attach",
        "postgres_scan",
        "postgres_attach",
        "mysql_scan",
        "duckdb_secrets",
        "duckdb_extensions",
        "load_aws_credentials",
        "http_get",
        "http_post",
        "getenv",
    }
)
_PATHLIKE = re.compile(r"[/\\]|\.(csv|tsv|parquet|json|ndjson|txt|xlsx|duckdb|db|gz|zst)$", re.IGNORECASE)


class ConsoleError(ValueError):
    """A refused or failed query; `code` picks the message (locale key sql.error_<code>), `detail` is DuckDB's."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ConsoleResult:
    frame: pd.DataFrame
    truncated: bool  # cut at the row cap (or at the byte cap: see size_cut)
    seconds: float
    size_cut: bool = False  # cut because the rows reached BYTE_CAP bytes


def check(sql: str) -> None:
    """Refuse anything but exactly one SELECT before it runs (raises ConsoleError)."""
    if not sql or not sql.strip():
        raise ConsoleError("empty")
    parser = duckdb.connect(":memory:", config=SANDBOX_CONFIG)
    try:
        try:
            statements = parser.extract_statements(sql)
        except duckdb.Error as e:
            raise ConsoleError("syntax", str(e).splitlines()[0]) from e
        if len(statements) == 0:
            raise ConsoleError("empty")
        if len(statements) > 1:
            raise ConsoleError("many")
        kind = str(statements[0].type).rsplit(".", 1)[-1]
        if re.match(r"\s*pragma\b", sql, re.IGNORECASE):
            kind = "PRAGMA"  # DuckDB 1.5 parses some PRAGMAs as the SELECT they stand for: still not a question
        if kind != "SELECT":
            raise ConsoleError("not_select", kind)
        tree = parser.execute("select json_serialize_sql($q::varchar)", {"q": sql}).fetchone()[0]
    finally:
        parser.close()
    parsed = json.loads(tree)
    if parsed.get("error"):
        # json_serialize_sql only handles plain SELECT trees; DESCRIBE/SHOW/SUMMARIZE are SELECTs it cannot print.
        if not re.match(r"\s*(describe|show|summarize)\b", sql, re.IGNORECASE):
            raise ConsoleError("syntax", parsed.get("error_message", ""))
        return
    _walk(parsed)


def _walk(node) -> None:
    if isinstance(node, dict):
        name = node.get("function_name")
        if isinstance(name, str) and name.lower() in DENIED_FUNCTIONS:
            raise ConsoleError("file_access", name)
        if node.get("type") == "BASE_TABLE" and _PATHLIKE.search(str(node.get("table_name", ""))):
            raise ConsoleError("file_access", str(node.get("table_name")))
        for value in node.values():
            _walk(value)
    elif isinstance(node, list):
        for value in node:
            _walk(value)


def sandbox(con: duckdb.DuckDBPyConnection, centers: list[str] | tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    """A locked in-memory database holding a snapshot of the data tables' rows of `centers` (the reader's scope)
    and the shared macros."""
    temp = tempfile.mkdtemp(prefix="planboard-sql-")
    box = duckdb.connect(
        ":memory:", config={**SANDBOX_CONFIG, "temp_directory": temp, "max_temp_directory_size": MAX_TEMP}
    )
    # The folder goes with the sandbox: when the last cursor of a replaced copy is done with it, or at exit.
    weakref.finalize(box, shutil.rmtree, temp, True)
    with db.snapshot(con) as snap:  # the five tables from one snapshot
        for table in TABLES:
            rows = snap.cur.execute(
                f"select * from {table} where list_contains($centers::varchar[], center)",  # noqa: S608
                {"centers": list(centers)},
            ).to_arrow_table()  # fixed table names
            box.register("_snapshot", rows)
            box.execute(f"create table {table} as select * from _snapshot")
            box.unregister("_snapshot")
    box.execute((SCHEMA / "003_macros.sql").read_text(encoding="utf-8"))
    box.execute("set lock_configuration = true")
    return box


_kept: list = []  # (app connection, data version, centers, sandbox): the process's one database, a few scopes
KEPT_SCOPES = 4  # copies kept at once (one per scope of the administrators at work)
_kept_lock = threading.Lock()


def kept_sandbox(con: duckdb.DuckDBPyConnection, centers: list[str] | tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    """The sandbox of `con`'s data of `centers` at its current data version, made on first use and again after every
    write.

    Kept per connection OBJECT (held here, so its id cannot be reused), version and centers: a restore reopens the
    file with a new connection, so a restored database never answers from the old copy even at an equal version."""
    version = db.data_version(con)
    key = tuple(sorted(set(centers)))
    with _kept_lock:
        for kept_con, kept_version, kept_key, box in _kept:
            if kept_con is con and kept_version == version and kept_key == key:
                return box
        # an old copy goes when its last running cursor is done with it
        _kept[:] = [k for k in _kept if k[0] is con and k[1] == version][-(KEPT_SCOPES - 1) :]
        box = sandbox(con, key)
        _kept.append((con, version, key, box))
        return box


def run(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    centers: list[str] | tuple[str, ...],
    *,
    row_cap: int = ROW_CAP,
    byte_cap: int = BYTE_CAP,
    time_limit: float = TIME_LIMIT,
) -> ConsoleResult:
    """Check, then run one SELECT on a sandbox copy of the data of `centers` (the reader's scope); at most row_cap
    rows or byte_cap bytes, at most time_limit seconds (the query is interrupted, not waited for)."""
    check(sql)
    box = kept_sandbox(con, centers).cursor()
    timer = threading.Timer(time_limit, box.interrupt)
    started = time.monotonic()
    try:
        timer.start()
        try:
            relation = box.sql(sql)
            names = list(relation.columns)
            reader = relation.to_arrow_reader(BATCH_ROWS)
            batches, rows, size, cut, size_cut = [], 0, 0, False, False
            for batch in reader:
                if time.monotonic() - started >= time_limit:
                    raise duckdb.InterruptException("time limit")
                if rows + batch.num_rows > row_cap or size + batch.nbytes > byte_cap:
                    keep = _rows_within(batch, row_cap - rows, byte_cap - size)
                    batches.append(batch.slice(0, keep))
                    rows += keep
                    cut, size_cut = True, rows < row_cap
                    break
                batches.append(batch)
                rows += batch.num_rows
                size += batch.nbytes
            table = pa.Table.from_batches(batches, schema=reader.schema)
        except duckdb.InterruptException as e:
            raise ConsoleError("timeout", f"{time_limit:g}") from e
        except duckdb.PermissionException as e:
            raise ConsoleError("file_access", str(e).splitlines()[0]) from e
        except (duckdb.Error, pa.ArrowException, OSError) as e:  # the Arrow reader passes DuckDB's errors as OSError
            if time.monotonic() - started >= time_limit or str(e).startswith("INTERRUPT"):
                raise ConsoleError("timeout", f"{time_limit:g}") from e
            raise ConsoleError("failed", str(e).splitlines()[0]) from e
    finally:
        timer.cancel()
        box.close()
    frame = table.rename_columns(_unique(names)).to_pandas()
    return ConsoleResult(frame=frame, truncated=cut, seconds=time.monotonic() - started, size_cut=size_cut)


def _rows_within(batch: pa.RecordBatch, rows_left: int, bytes_left: int) -> int:
    """How many of the batch's first rows fit in what is left (at most rows_left rows, about bytes_left bytes)."""
    keep = max(0, min(batch.num_rows, rows_left))
    per_row = batch.nbytes / max(batch.num_rows, 1)
    return max(0, min(keep, int(bytes_left // per_row) if per_row else keep))


def _unique(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in columns:
        n = seen.get(c, 0)
        seen[c] = n + 1
        out.append(c if n == 0 else f"{c}_{n + 1}")
    return out


def columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The tables a console query can use, with their columns (for the page's cheat sheet)."""
    rows = db.query_rows(con, "table_columns", tables=list(TABLES))
    out: dict[str, list[str]] = {t: [] for t in TABLES}
    for table, column in rows:
        out[table].append(column)
    return out
