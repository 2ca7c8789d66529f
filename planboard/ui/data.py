"""Cached data access for pages: one connection per process, results cached per data version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from .. import auth, db, demo, kpis
from ..plan import Plan, load_plan


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    fresh = not Path(path).exists()
    con = db.connect(path)
    if fresh:  # first start: the app opens on the demo year, with its documented demo accounts
        demo.fill(con)
        auth.ensure_demo_accounts(con)
    return con


def connection():
    """The process's DuckDB connection (path from $PLANBOARD_DB, else data/planboard.duckdb)."""
    return _connection(str(db.db_path()))


@st.cache_resource(show_spinner=False)
def _plan(path: str | None) -> Plan:
    return load_plan(path)


def plan() -> Plan:
    import os

    return _plan(os.environ.get("PLANBOARD_PLAN"))


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
