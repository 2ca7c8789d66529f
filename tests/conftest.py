"""Shared fixtures: a real DuckDB file per test with the schema applied, the default plan, row helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from planboard import db
from planboard.plan import load_plan
from planboard.ui.serve import use_navigation_pages_in_apptest

# As the server does: pages/ is not a legacy multipage folder (else AppTest's second run executes a page directly).
use_navigation_pages_in_apptest()

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliRun:
    """`python -m planboard *args` run in this process through cli.main (tests/test_cli.py keeps one real process as a
    smoke test): its exit code and what it printed. No terminal (stdin empty, as a pipe). The databases it opened are
    closed after it, as the process's exit would close them, so the file is free for what comes next; `env` replaces
    the environment for the command."""
    from planboard import cli

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_stdin = dict(os.environ), sys.stdin
    opened_before = set(db._connections)  # the test's own connections stay open
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    sys.stdin = io.StringIO("")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(args))
    finally:
        sys.stdin = saved_stdin
        os.environ.clear()
        os.environ.update(saved_env)
        for path in set(db._connections) - opened_before:
            db.close(path)
    return CliRun(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def plan():
    return load_plan()


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "test.duckdb"
    yield path
    db.close(path)


@pytest.fixture
def con(db_file):
    """A fresh database file on disk with the schema applied and no rows."""
    return db.connect(db_file)


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    """The demo year in a database file that the app (AppTest) opens through $PLANBOARD_DB."""
    from planboard import demo

    path = tmp_path / "demo.duckdb"
    demo.fill(db.connect(path))
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


RESIDENT_DEFAULTS = dict(
    center="BTXH_BL",
    full_name="Nguyễn Văn A",
    gender="nam",
    birth_date=dt.date(1950, 1, 1),
    admitted_on=dt.date(2020, 1, 1),
    left_on=None,
    department="CSKC",
    is_meritorious=False,
    is_poor_household=False,
    has_financial_hardship=True,
    is_violence_victim=False,
    ethnicity=None,
)
CASE_DEFAULTS = dict(
    center="BTXH_BL",
    department="CTXH",
    legal_field="dan_su",
    aid_form="tu_van",
    priority=None,
    provider=None,
    referred_on=None,
    accepted_on=None,
    closed_on=None,
    status="tiep_nhan",
    fee_charged=0,
    notes=None,
)
EVENT_DEFAULTS = dict(
    center="BTXH_BL",
    activity=None,
    department="CTXH",
    title="Hoạt động",
    document_number=None,
    participants=None,
    elderly_reached=None,
    notes=None,
)
STAFF_DEFAULTS = dict(
    center="BTXH_BL",
    full_name="Trần Thị B",
    department="CTXH",
    is_legal_aid_worker=True,
    active_from=None,
    active_to=None,
)


def _insert(con, table: str, row: dict) -> None:
    cols = ", ".join(row)
    marks = ", ".join(f"${k}" for k in row)
    con.execute(f"insert into {table} ({cols}) values ({marks})", row)
    db.bump_data_version(con)  # a write like any other: new version, derived facts made again


def requests_params(at: dt.date, **kw) -> dict:
    """The requests page's filters (queries/requests_*.sql): the period 1 January 2024 → `at`, as of `at`, nothing
    filtered out, unless `kw` says otherwise."""
    base = dict(
        centers=["BTXH_BL"],
        period_start=dt.date(2024, 1, 1),
        period_end=at,
        as_of=at,
        department=None,
        statuses=[],
        fields=[],
        forms=[],
        priorities=[],
        providers=[],
        eligible=None,
        overdue_days=30,
    )
    return {**base, **kw}


def add_resident(con, resident_id: str, **kw) -> None:
    _insert(con, "residents", {"resident_id": resident_id, **RESIDENT_DEFAULTS, **kw})


def add_case(con, case_id: str, resident_id: str, requested_on: dt.date, **kw) -> None:
    _insert(
        con,
        "cases",
        {"case_id": case_id, "resident_id": resident_id, "requested_on": requested_on, **CASE_DEFAULTS, **kw},
    )


def add_event(con, event_id: str, event_type: str, held_on: dt.date, plan=None, **kw) -> None:
    row = {"event_id": event_id, "event_type": event_type, "held_on": held_on, **EVENT_DEFAULTS, **kw}
    if row["activity"] is None:
        row["activity"] = (plan or load_plan()).activity_of_event_type(event_type)
    _insert(con, "events", row)


def add_staff(con, staff_id: str, **kw) -> None:
    _insert(con, "staff", {"staff_id": staff_id, **STAFF_DEFAULTS, **kw})


def add_training(con, event_id: str, staff_id: str, completed: bool = True, center: str = "BTXH_BL") -> None:
    _insert(con, "training", {"center": center, "event_id": event_id, "staff_id": staff_id, "completed": completed})


def sign_in(at, role: str = "lanh_dao", department: str | None = None, username: str = "test"):
    """Put a signed-in user into an AppTest session (the login form itself is tested in test_login.py)."""
    import time

    from planboard.auth import User

    at.session_state["_user"] = User(username, f"Người dùng {role}", role, department)
    at.session_state["_user_seen"] = time.time()
    return at


def open_app(
    page: str | None = None, role: str = "lanh_dao", department: str | None = None, username: str = "test", **query
):
    """The whole app (app.py) signed in, with the URL's query parameters, switched to `page` when given."""
    from streamlit.testing.v1 import AppTest

    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90), role, department, username)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page).run() if page else at


def to_pdf(docx: bytes, tmp_path: Path) -> bytes:
    """The .docx converted by LibreOffice (the test is skipped where it is not installed)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(reason="LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer-nogui")
    src = tmp_path / "document.docx"
    src.write_bytes(docx)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "document.pdf").read_bytes()


# --- The shared mode (DuckLake on PostgreSQL): a throwaway cluster for the session, a fresh lake per test ----------
@pytest.fixture(scope="session")
def pg():
    """A PostgreSQL cluster of its own (tests/pg_cluster.py), started once, stopped and deleted at the end. Absent
    PostgreSQL skips the shared-mode tests with the reason, except under PLANBOARD_REQUIRE_PG=1 (CI), where it fails."""
    import os

    import pg_cluster

    try:
        db._extension_dir()  # the pinned extension wheels (requirements.txt)
        cluster = pg_cluster.start_cluster()
    except (FileNotFoundError, db.DatabaseUnavailable) as e:
        if os.environ.get("PLANBOARD_REQUIRE_PG") == "1":
            pytest.fail(f"PLANBOARD_REQUIRE_PG=1 but {e}")
        pytest.skip(str(e))
    yield cluster
    pg_cluster.remove(cluster)


@pytest.fixture
def lake(pg, tmp_path, monkeypatch):
    """A fresh shared lake: its own PostgreSQL database (catalog + the keyed tables) and Parquet folder, named by
    $PLANBOARD_DB/$PLANBOARD_DATA_PATH as a deployment does. Yields the PLANBOARD_DB value."""
    import uuid

    url = db.LAKE_PREFIX + pg.createdb(f"lake_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("PLANBOARD_DATA_PATH", str(tmp_path / "lake_data"))
    monkeypatch.setenv("PLANBOARD_DB", url)
    yield url
    db.close(url)
