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


# --- Both modes, one suite -----------------------------------------------------------------------------------------
# A test (or module: `pytestmark = BOTH_MODES`) marked both_modes runs twice with the same assertions: on a DuckDB
# file (`store` = "file") and on a fresh shared lake (`store` = "lake": DuckLake on the session's PostgreSQL). The
# fixtures below give each test the database of its mode; every other test runs on the file only.
BOTH_MODES = pytest.mark.both_modes
STORES = ("file", "lake")


def pytest_generate_tests(metafunc):
    if "store" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_modes"):
        metafunc.parametrize("store", STORES, indirect=True)


@pytest.fixture
def store(request) -> str:
    """The mode the test runs in: "file" (default) or "lake" (a both_modes test's second run)."""
    return getattr(request, "param", "file")


@pytest.fixture
def db_file(store, tmp_path, request):
    """The test's new empty database: a DuckDB file's path, or in the lake mode a fresh lake's PLANBOARD_DB value
    (its Parquet folder in $PLANBOARD_DATA_PATH). db.connect and `--db` take either."""
    if store == "lake":
        yield request.getfixturevalue("lake")
        return
    path = tmp_path / "test.duckdb"
    yield path
    db.close(path)


@pytest.fixture
def con(db_file):
    """A fresh database (file, or lake for a both_modes test) with the schema applied and no rows."""
    return db.connect(db_file)


@pytest.fixture
def demo_db(store, tmp_path, monkeypatch, request):
    """The demo year in a database that the app (AppTest) opens through $PLANBOARD_DB: a file, or in the lake mode
    a copy of the session's demo lake (filled once)."""
    from planboard import demo

    if store == "lake":
        templates = request.getfixturevalue("lake_templates")
        url = templates.copy("demo", demo.fill, tmp_path, monkeypatch)
        yield url
        templates.drop(url)
        return
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
    with db.transaction(con) as cur:  # a write like any other: one transaction, new version, derived facts again
        cur.execute(f"insert into {table} ({cols}) values ({marks})", row)
        db.bump_data_version(cur)


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
def _pg_cluster():
    """A new throwaway PostgreSQL cluster (tests/pg_cluster.py), started. Absent PostgreSQL skips the shared-mode
    tests with the reason, except under PLANBOARD_REQUIRE_PG=1 (CI), where it fails."""
    import pg_cluster

    try:
        db._extension_dir()  # the pinned extension wheels (requirements.txt)
        return pg_cluster.start_cluster()
    except (FileNotFoundError, db.DatabaseUnavailable) as e:
        if os.environ.get("PLANBOARD_REQUIRE_PG") == "1":
            pytest.fail(f"PLANBOARD_REQUIRE_PG=1 but {e}")
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def pg():
    """The session's PostgreSQL cluster of its own, started once, stopped and deleted at the end."""
    import pg_cluster

    cluster = _pg_cluster()
    yield cluster
    pg_cluster.remove(cluster)


@pytest.fixture
def own_pg():
    """A PostgreSQL cluster for one test that stops and starts it (the session's stays up for the others)."""
    import pg_cluster

    cluster = _pg_cluster()
    yield cluster
    pg_cluster.remove(cluster)


class LakeTemplates:
    """Lakes made once per session and copied for each test: the catalog database by `createdb -T`, the Parquet
    folder by a copy, the catalog's data_path pointed at the copy. A fresh lake then costs ~0.3 s and an open
    with the schema already applied (measured under load: applying it 2.3-6 s, copying 0.1 s)."""

    def __init__(self, pg, folder: Path):
        self.pg, self.folder, self.made = pg, folder, {}

    def copy(self, name: str, fill, tmp_path: Path, monkeypatch) -> str:
        """A new lake holding what fill(con) wrote into the template `name` (made at its first use); sets
        $PLANBOARD_DB and $PLANBOARD_DATA_PATH to it and returns the PLANBOARD_DB value."""
        import shutil
        import uuid

        if name not in self.made:
            data = self.folder / name
            url = db.LAKE_PREFIX + self.pg.createdb(f"template_{name}")
            saved = os.environ.get("PLANBOARD_DATA_PATH")
            os.environ["PLANBOARD_DATA_PATH"] = str(data)
            try:
                con = db.connect(url)
                if fill is not None:
                    fill(con)
            finally:
                db.close(url)  # nobody may be connected to a template
                if saved is None:
                    os.environ.pop("PLANBOARD_DATA_PATH")
                else:
                    os.environ["PLANBOARD_DATA_PATH"] = saved
            self.made[name] = data
        dbname = f"lake_{uuid.uuid4().hex[:12]}"
        url = db.LAKE_PREFIX + self.pg.createdb(dbname, template=f"template_{name}")
        data = tmp_path / "lake_data"
        shutil.copytree(self.made[name], data, dirs_exist_ok=True)
        self.pg.psql(dbname, f"update ducklake_metadata set value = '{data}/' where key = 'data_path'")
        monkeypatch.setenv("PLANBOARD_DATA_PATH", str(data))
        monkeypatch.setenv("PLANBOARD_DB", url)
        return url

    def drop(self, url: str) -> None:
        """Close this process's connection to the copy `url` and delete its database (a session's hundred lakes
        would otherwise all be checkpointed and deleted at the end)."""
        db.close(url)
        self.pg.dropdb(lake_dbname(url))


def lake_dbname(url: str) -> str:
    """The PostgreSQL database of a lake's PLANBOARD_DB value."""
    return url.split("dbname=")[1].split()[0]


@pytest.fixture(scope="session")
def lake_templates(pg, tmp_path_factory):
    return LakeTemplates(pg, tmp_path_factory.mktemp("lake_templates"))


@pytest.fixture
def lake(lake_templates, tmp_path, monkeypatch):
    """A fresh shared lake (schema applied, no records): its own PostgreSQL database (catalog + the keyed tables)
    and Parquet folder, named by $PLANBOARD_DB/$PLANBOARD_DATA_PATH as a deployment does. Yields the PLANBOARD_DB
    value."""
    url = lake_templates.copy("empty", None, tmp_path, monkeypatch)
    yield url
    lake_templates.drop(url)
