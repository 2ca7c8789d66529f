"""Server render time of every page app.py lists, with Streamlit's AppTest (no browser), cold and warm."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
from pathlib import Path

from planboard.db import ROOT

from .clock import Timing, timed

PAGE_RE = re.compile(r"""["'](pages/[^"']+\.py)["']""")
# Views a page's default misses: a unit head drilling into the busiest unit (CTXH receives 3 of 4 requests).
UNIT_VIEWS = [
    ("pages/units.py", {"unit": "CTXH"}),
    ("pages/activities.py", {"activity": "3", "unit": "CTXH"}),
    ("pages/requests.py", {"unit": "CTXH"}),
    ("pages/overview.py", {"unit": "CTXH"}),
]


def listed_pages(app: Path = ROOT / "app.py") -> list[str]:
    """The page files in app.py's navigation, in its order. A page added only under a server switch (an `if` on
    os.environ, such as the SQL console) is left out: the navigation users get by default does not have it.
    Pages behind a role check are kept (the benchmark signs in as an administrator)."""
    lines = app.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines):
        for page in PAGE_RE.findall(line):
            indent = len(line) - len(line.lstrip())
            opener = next(
                (x.strip() for x in reversed(lines[:i]) if x.strip() and len(x) - len(x.lstrip()) < indent), ""
            )
            if not (opener.startswith(("if ", "elif ")) and "environ" in opener) and page not in out:
                out.append(page)
    return out


class PageError(RuntimeError):
    """A page raised while rendering: a benchmark of a broken page means nothing."""


def sign_in(at) -> None:
    """A signed-in administrator in the session (every page open to it), as the tests do; no-op before login."""
    try:
        from planboard.auth import User
        from planboard.ui.auth import SEEN_KEY, SESSION_KEY
    except ImportError:
        return
    at.session_state[SESSION_KEY] = User("bench", "Benchmark", "quan_tri", None)
    at.session_state[SEEN_KEY] = time.time()


class _Session:
    """A fresh AppTest session per timed run, opened straight on the page (as following a link to it): AppTest
    re-running a page it switched to may run the page alone without app.py, which the server never does."""

    def __init__(self, page: str, as_of: str, timeout: float, query: dict[str, str] | None = None):
        self.page, self.as_of, self.timeout, self.query = page, as_of, timeout, query or {}
        self.at = None

    def open(self) -> None:
        from streamlit.testing.v1 import AppTest

        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=self.timeout)
        # A new AppTest scans every installed package for custom components on its first run (~0.4 s here); the
        # server does that once when it starts, not per page view, so the sessions share one scan.
        self.at._bidi_component_manager = _component_manager()
        self.at.query_params["as_of"] = self.as_of
        for key, value in self.query.items():
            self.at.query_params[key] = value
        sign_in(self.at)

    def open_cold(self) -> None:
        import streamlit as st

        self.open()
        st.cache_data.clear()

    def render(self) -> None:
        try:
            at = self.at.switch_page(self.page).run()
        except RuntimeError as e:  # AppTest's script-run timeout
            raise PageError(f"{self.page}: {e}") from e
        if at.exception:
            e = at.exception[0]
            where = next((line.strip() for line in reversed(e.stack_trace or []) if line.strip()), "")
            raise PageError(f"{self.page}: {e.message.strip()[:300]} ({where[:200]})")


@functools.cache
def _script_cache():
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    return ScriptCache()


@contextlib.contextmanager
def server_like():
    """AppTest makes a new ScriptCache on every run, so each run reads, rewrites (magic) and compiles app.py and the
    page again (0.03-0.09 s for a large page); the server keeps one cache for its life and compiles a script once.
    Inside this block every AppTest run shares one cache, as the server's sessions do; the scripts are the same
    files, so what runs is the same."""
    from streamlit.testing.v1 import app_test, local_script_runner

    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = _script_cache
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


@functools.cache
def _component_manager():
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def _measure_page(session: _Session, repeat: int, slow: float) -> dict:
    # The first cold render also imports the page's modules: a warm-up, unless the page is far over budget, when
    # it is the one sample (timing it again would only make the benchmark last hours).
    first = timed(session.render, 1, warmup=0, before=session.open_cold).median
    runs = repeat if first < slow else 1
    cold = timed(session.render, repeat, warmup=0, before=session.open_cold) if runs > 1 else Timing([first])
    warm = timed(session.render, runs, warmup=0, before=session.open)  # the last cold run filled the cache
    return {"cold": cold, "warm": warm, "error": None, "runs": runs}


def measure(
    db_path: Path,
    repeat: int,
    as_of: str = "2024-12-31",
    timeout: float = 900,
    slow: float = 20.0,
    skip: dict[str, str] | None = None,
) -> dict[str, dict]:
    """{view: {"cold": Timing, "warm": Timing, "error": str | None}} for the data in db_path: every page app.py
    lists as it opens, then UNIT_VIEWS (named `page?key=value`).

    Each timed run is one AppTest session (like a browser tab) switching to the page: the whole script run the
    server does for it (app.py's sidebar and navigation + the page), as_of fixed in the URL. Cold: the data
    cache (st.cache_data) is cleared before each run, so every indicator and query result is recomputed (the first
    view after an import); warm: the same view again (every later visitor until the next import). The DuckDB
    connection and the plan (st.cache_resource) stay open, as they do in the running server. The first cold
    render is a warm-up (module imports); a page whose first render takes `slow` seconds or more is timed once
    (cold, then warm) instead of `repeat` times; one over `timeout` is reported as an error. `skip`: {page: reason}
    for pages not rendered at this size (the reason goes to the results)."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")  # the real message in at.exception, not the redacted one
    old = os.environ.get("PLANBOARD_DB")
    os.environ["PLANBOARD_DB"] = str(db_path)
    try:
        with server_like():
            out = {}
            views = [(p, {}) for p in listed_pages()] + UNIT_VIEWS
            for page, query in views:
                name = page + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
                if page in (skip or {}):
                    out[name] = {"cold": Timing(), "warm": Timing(), "error": None, "runs": 0, "skipped": skip[page]}
                    continue
                session = _Session(page, as_of, timeout, query)
                for attempt in (1, 2):  # pages are edited while the benchmark runs: one retry after a pause
                    try:
                        out[name] = _measure_page(session, repeat, slow)
                        break
                    except PageError as e:
                        out[name] = {"cold": Timing(), "warm": Timing(), "error": str(e), "runs": 0}
                        time.sleep(5 if attempt == 1 else 0)
            return out
    finally:
        if old is None:
            os.environ.pop("PLANBOARD_DB", None)
        else:
            os.environ["PLANBOARD_DB"] = old


def measure_toy(repeat: int, timeout: float = 120) -> dict:
    """The toy page (bench/toy_page.py), server side like the pages: cold = a new AppTest session's first run,
    warm = the same session run again. {"cold": Timing, "warm": Timing}."""
    from streamlit.testing.v1 import AppTest

    def fresh():
        at = AppTest.from_file(str(ROOT / "bench" / "toy_page.py"), default_timeout=timeout)
        at._bidi_component_manager = _component_manager()
        return at

    sessions = []
    with server_like():  # one script cache, as for the pages
        fresh().run()  # warm-up: the first run imports pandas' and Plotly's modules
        cold = timed(lambda: sessions[-1].run(), repeat, warmup=0, before=lambda: sessions.append(fresh()))
        warm = timed(lambda: sessions[-1].run(), repeat, warmup=0)
    for at in sessions:
        if at.exception:
            raise PageError(f"toy page: {at.exception[0].message}")
    return {"cold": cold, "warm": warm}
