"""Cached data access for pages: one connection per process, results cached per data version."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import streamlit as st

from .. import auth, db, demo, kpis
from ..i18n import t
from ..plan import DEFAULT_PLAN, Plan, PlanError, load_plan


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    fresh = not Path(path).exists()
    con = db.connect(path)
    if fresh:  # first start: the app opens on the demo year, with its documented demo accounts
        demo.fill(con)
        auth.ensure_demo_accounts(con)
    return con


def connection():
    """The process's DuckDB connection (path from $PLANBOARD_DB, else data/planboard.duckdb). A database another
    process holds, or a full disk at the schema step, is said in words and the run stops (no traceback)."""
    try:
        return _connection(str(db.db_path()))
    except db.DatabaseBusy:
        key = "app.error_db_busy"
    except Exception as e:
        if not db.is_disk_full(e):
            raise
        key = "app.error_disk_full"
    st.error(t(key, st.session_state.get("f_lang") or "vi"), icon=":material/error:")
    st.stop()


@st.cache_resource(show_spinner=False)
def _plan(path: str | None) -> Plan:
    return load_plan(path)


def plan_files() -> list[Path]:
    """The plan files to choose from: *.toml in $PLANBOARD_PLAN_DIR, else data/ (a sibling center's or next
    year's plan is a new file there)."""
    folder = Path(os.environ.get("PLANBOARD_PLAN_DIR") or DEFAULT_PLAN.parent)
    return sorted(folder.glob("*.toml"), key=lambda f: (f.stem != "plan", f.name))  # the default plan first


def plan_path() -> str | None:
    """The chosen plan file: the sidebar's choice, else $PLANBOARD_PLAN, else data/plan.toml."""
    chosen = st.session_state.get("f_plan")
    by_stem = {f.stem: f for f in plan_files()}
    if chosen in by_stem:
        return str(by_stem[chosen])
    return os.environ.get("PLANBOARD_PLAN")


def plan_labels() -> dict[str, str]:
    """{file stem: 'number (year)'} of the valid plan files, for the sidebar's plan choice."""
    labels = {}
    for f in plan_files():
        try:
            p = _plan(str(f))
        except PlanError:
            continue  # a broken sibling file is not offered; choosing it by URL shows its error
        labels[f.stem] = f"{p.number} ({p.year})"
    return labels


def plan() -> Plan:
    """The plan in use (validated; PlanError for a broken file, which app.py shows as a message)."""
    return _plan(plan_path())


def version() -> int:
    """The data version: every import or edit bumps it, so cached results below are recomputed at once."""
    return db.data_version(connection())


@st.cache_data(show_spinner=False, max_entries=256)
def _kpis(db_key: str, version: int, plan_path: str, as_of: dt.date, department: str | None) -> list[kpis.Result]:
    return kpis.compute(connection(), plan(), as_of, department)


def indicators(as_of: dt.date, department: str | None = None) -> list[kpis.Result]:
    """All indicators at as_of (cached per data version)."""
    return _kpis(str(db.db_path()), version(), plan().path, as_of, department)


@st.cache_data(show_spinner=False, max_entries=256)
def _kpis_many(db_key: str, version: int, plan_path: str, dates: tuple[dt.date, ...],
               department: str | None) -> dict[dt.date, list[kpis.Result]]:
    return kpis.compute_many(connection(), plan(), list(dates), department)


def indicators_many(dates: list[dt.date], department: str | None = None) -> dict[dt.date, list[kpis.Result]]:
    """All indicators at many dates, one query per indicator (cached per data version)."""
    return _kpis_many(str(db.db_path()), version(), plan().path, tuple(dates), department)


@st.cache_data(show_spinner=False, max_entries=256)
def _query(db_key: str, version: int, name: str, params: tuple):
    return db.query(connection(), name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(name: str, **params):
    """A named query's result as a DataFrame (cached per data version). Lists in params become tuples for hashing."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _query(str(db.db_path()), version(), name, frozen)
