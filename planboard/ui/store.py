"""The shared store lost under a running app server (PostgreSQL stopped or restarted, the Parquet folder not
writable): the page says in Vietnamese what to check and the run stops, no traceback; the next page load recovers
by itself once the store is back (DuckDB's postgres extension connects again: measured)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from .. import db

log = logging.getLogger(__name__)


@contextmanager
def guard() -> Iterator[None]:
    """Run a page's script; a failure db.unavailable() recognises is shown as its message instead of an error."""
    try:
        yield
    except Exception as e:
        problem = db.unavailable(e)
        if problem is None:
            raise
        log.warning("shared store unavailable: %s", e)
        st.error(problem.text(st.session_state.get("f_lang") or "vi"), icon=":material/error:")
        st.stop()
