"""Backup copies of the DuckDB file before each import, and restore from one. No Streamlit.

A backup is made through the open connection (ATTACH a new file, COPY FROM DATABASE, DETACH), so it works while
the app holds the database and never copies a half-written file. Restore replaces the file and so needs the database
closed everywhere (the command line refuses while the app runs)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from . import db
from .codes import TABLES

DEFAULT_KEEP = 10
BACKUP_DIR = "backups"
_ALIAS = "planboard_backup"


class BackupError(Exception):
    """A backup file that cannot be used; `key` names the locale message, `values` fill it."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


def keep_count() -> int:
    """How many backups to keep: env PLANBOARD_KEEP_BACKUPS, default 10 (at least 1)."""
    try:
        return max(1, int(os.environ.get("PLANBOARD_KEEP_BACKUPS", DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def backup_dir(db_file: str | Path) -> Path:
    """data/backups/ next to the database file."""
    return Path(db_file).resolve().parent / BACKUP_DIR


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def make_backup(
    con: duckdb.DuckDBPyConnection, db_file: str | Path, out: str | Path | None = None, keep: int | None = None
) -> Path:
    """Copy the whole database into `out` (default: backups/<stem>-<timestamp>.duckdb) and prune old backups.
    A shared lake keeps every committed version as a snapshot (time travel): with no `out`, nothing is copied and
    the restore point is named, `lake-snapshot-<id>` (the version before the write about to happen); with `out`, the
    lake's tables (the records, centers, logs) are copied into that DuckDB file."""
    if db.is_shared(db_file):
        if out is None:
            return Path(f"lake-snapshot-{db.data_version(con)}")
        return _shared_backup(con, Path(out))
    db_file = Path(db_file)
    if out is None:
        folder = backup_dir(db_file)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        out = folder / f"{db_file.stem}-{stamp}.duckdb"
    out = Path(out)
    if out.exists():
        raise BackupError("backup_exists", path=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with db.cursor(con) as cur:
        try:
            source = cur.execute("select current_database()").fetchone()[0]
            cur.execute(f"attach '{_sql_path(out)}' as {_ALIAS}")
            try:
                cur.execute(f"copy from database {_quoted(source)} to {_ALIAS}")
            finally:
                cur.execute(f"detach {_ALIAS}")
        except BaseException:
            # A half-written copy (a full disk) is no backup: it must not be restored, nor count among those kept.
            for part in (out, Path(f"{out}.wal")):
                part.unlink(missing_ok=True)
            raise
    if out.parent == backup_dir(db_file):
        prune(db_file, keep if keep is not None else keep_count())
    return out


def _shared_backup(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    """The shared lake's backup: one DuckDB file holding every table of both sides — the lake's (records, centers,
    logs) as of one snapshot and the PostgreSQL tables (accounts, audit, meetings, actions, locks, settings; not
    the sessions) — read in one transaction. It is restored into a new, empty lake by `restore` (the `lake
    migrate` path, numbers equal), and any DuckDB opens it without PostgreSQL."""
    if out.exists():
        raise BackupError("backup_exists", path=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with db.cursor(con) as cur:
        cur.execute(f"attach '{_sql_path(out)}' as {_ALIAS}")
        try:
            lake_tables = [
                r[0]
                for r in cur.execute(
                    "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main' "
                    "order by table_name",
                    [db.LAKE],
                ).fetchall()
            ]
            sources = [(t, f"{db.LAKE}.main.{t}") for t in lake_tables]
            sources += [(t, f"{db.PG}.{db.PG_SCHEMA}.{t}") for t in sorted(db.PG_TABLES - {"sessions"})]
            cur.execute("begin transaction")
            for table, source in sources:
                cur.execute(f"create table {_ALIAS}.main.{table} as select * from {source}")
            cur.execute("commit")
        except BaseException:
            db.rollback(cur)
            cur.execute(f"detach {_ALIAS}")
            for part in (out, Path(f"{out}.wal")):
                part.unlink(missing_ok=True)
            raise
        cur.execute(f"detach {_ALIAS}")
    return out


def _sql_path(path: Path) -> str:
    """A file path as a SQL string literal body (ATTACH takes no parameters)."""
    return str(path).replace("'", "''")


def backups_of(db_file: str | Path) -> list[Path]:
    """This database's backups in backups/, oldest first (the timestamp in the name sorts)."""
    folder = backup_dir(db_file)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{Path(db_file).stem}-*.duckdb"))


def prune(db_file: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; return the deleted paths."""
    old = backups_of(db_file)[:-keep] if keep > 0 else []
    for p in old:
        p.unlink(missing_ok=True)
        Path(f"{p}.wal").unlink(missing_ok=True)
    return old


def check_backup(path: str | Path) -> None:
    """Raise BackupError unless `path` is a DuckDB file holding the five tables of the data contract."""
    path = Path(path)
    if not path.is_file():
        raise BackupError("restore_missing", path=path)
    try:
        with duckdb.connect(str(path), read_only=True) as b:
            names = {
                r[0]
                for r in b.execute(
                    "select table_name from information_schema.tables where table_schema = 'main'"
                ).fetchall()
            }
    except duckdb.Error:
        raise BackupError("restore_not_duckdb", path=path) from None
    missing = [t for t in TABLES if t not in names]
    if missing:
        raise BackupError("restore_missing_tables", path=path, tables=", ".join(missing))


def restore(backup_file: str | Path, db_file: str | Path) -> Path | None:
    """Replace the database file by a checked backup; the current file is first kept as a backup itself.

    Raises db.DatabaseBusy when another process holds the database, BackupError when the backup is unusable.
    Returns the safety copy of the replaced database (None when there was none). A shared lake is restored only
    when it is new and empty (`lake init` on a new PostgreSQL database and data folder): the backup's tables are
    copied in as `lake migrate` copies a file; the lake in use is never overwritten (other servers read it)."""
    check_backup(backup_file)
    if db.is_shared(db_file):
        con = db.connect(db_file)
        busy = db.lake_holds(con)
        if busy:
            raise BackupError("restore_lake_not_empty", tables=", ".join(busy))
        db.migrate(con, backup_file)
        return None
    backup_file, db_file = Path(backup_file), Path(db_file)
    tmp = db_file.with_name(f".{db_file.name}.restoring")
    shutil.copyfile(backup_file, tmp)  # first, so pruning below cannot remove the backup being restored
    safety = None
    try:
        if db_file.exists():
            con = db.connect(db_file)  # raises DatabaseBusy while the app holds the file
            try:
                safety = make_backup(con, db_file)
            finally:
                db.close(db_file)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    Path(f"{db_file}.wal").unlink(missing_ok=True)
    os.replace(tmp, db_file)
    con = db.connect(db_file)  # applies newer schema files to an older backup
    try:
        with db.transaction(con) as cur:
            db.bump_data_version(cur)
    finally:
        db.close(db_file)
    return safety
