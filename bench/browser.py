"""Browser-settled time of every page (issue 17): a real server (planboard.ui.serve, as `make run`) on the
benchmark's database and Debian's Chromium driven by Playwright; the toy page (bench/toy_page.py) served by
`streamlit run` and timed the same way, as the reference.

Settled: from the navigation's start (performance.timeOrigin) to the last moment the app's script state turned
to idle — `[data-testid="stApp"]` going from "running" to "notRunning" — once the page has stayed idle, with no
loading skeleton, for QUIET seconds (a page that reruns itself, or whose charts ask for a rerun, settles only
after the last run). The browser's cache is shared by the visits (one context, a new tab per visit), as for a
person using the app; the first visit of each page is reported apart (its data cache is cold on the server when
no earlier page filled it)."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from planboard.db import ROOT
from planboard.i18n import t

from .app_pages import UNIT_VIEWS, listed_pages

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
QUIET = 1.0  # seconds idle (no run, no skeleton) before a page counts as settled
USER = "bench"
# Pages app.py lists only for some installs: on the benchmark's database (one center, the 2024 plan) a person's
# menu has neither, so the browser has nothing to open (AppTest above renders each page's own notice instead).
ABSENT = {
    "pages/compare.py": "not in the menu: it appears from two centers on; the benchmark's database holds one",
    "pages/years.py": "not in the menu: it appears with plans of two years; the benchmark's database has 2024's",
}
PAGE_CALL = re.compile(r"""page\(\s*"(pages/[^"]+\.py)"\s*,\s*"[^"]+"\s*,\s*"[^"]+"\s*(?:,\s*"([^"]*)")?""")

# Recorded in the page from its first script on: the script state on every animation frame and 10 ms tick.
WATCH_JS = """
window.__settle = {running: false, idleAt: null, runs: 0};
setInterval(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  const s = window.__settle;
  if (state === 'running') { if (!s.running) s.runs += 1; s.running = true; s.idleAt = null; }
  else if (state === 'notRunning' && s.running) { s.running = false; s.idleAt = performance.now(); }
  s.skeleton = document.querySelectorAll('[data-testid="stSkeleton"]').length;
}, 10);
"""


def available() -> bool:
    return os.path.exists(CHROMIUM)


def url_paths(app: Path = ROOT / "app.py") -> dict[str, str]:
    """{page file: its URL path} from app.py's page(...) calls ("" for the default page)."""
    out = {}
    for path, url in PAGE_CALL.findall(app.read_text(encoding="utf-8")):
        out[path] = url or ""
    return out


def views() -> list[tuple[str, str]]:
    """(name as in the server-side table, URL path with its query) of every page app.py lists and the unit views."""
    paths = url_paths()
    out = [(p, paths.get(p, "")) for p in listed_pages()]
    for page, query in UNIT_VIEWS:
        q = "&".join(f"{k}={v}" for k, v in query.items())
        out.append((f"{page}?{q}", f"{paths.get(page, '')}?{q}"))
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(proc: subprocess.Popen, url: str, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


@contextmanager
def server(args: list[str], env: dict[str, str]):
    """A Streamlit server (`args` after `python -m`) on a free port: yields its URL; stopped afterwards."""
    with server_process(args, env) as (url, _):
        yield url


@contextmanager
def server_process(args: list[str], env: dict[str, str]):
    """server(), yielding (URL, the server's process) for what measures the process itself."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", *args, "--server.port", str(port), "--server.address", "127.0.0.1"]
        + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, url)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def session_token(db_path: Path) -> str:
    """A signed-in administrator's session in db_path (an account made for the benchmark if missing)."""
    from planboard import auth, db, sessions

    con = db.connect(db_path)
    try:
        if not con.execute("select 1 from users where username = ?", [USER]).fetchone():
            auth.add_user(con, USER, "Benchmark", "quan_tri", "bench-" + os.urandom(8).hex() + "-Aa1!")
        return sessions.start(con, USER)
    finally:
        db.close(db_path)


def settle(pg, url: str, timeout: float = 300) -> tuple[float, str | None]:
    """Open url in tab pg; (seconds from navigation to settled, problem or None)."""
    pg.goto(url, wait_until="commit", timeout=timeout * 1000)
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = pg.evaluate("() => ({...window.__settle, now: performance.now()})")
        if (
            s["idleAt"] is not None
            and not s["running"]
            and not s["skeleton"]
            and s["now"] - s["idleAt"] >= QUIET * 1000
        ):
            problem = None
            dialogs = " ".join(pg.locator('[role="dialog"]').all_inner_texts()).lower()
            if any(t("streamlit_text.page_not_found", lang).lower() in dialogs for lang in ("vi", "en")):
                problem = "page not found (not in this install's menu)"
            elif pg.locator('[data-testid="stException"]').count():
                problem = "exception: " + pg.locator('[data-testid="stException"]').first.inner_text()[:200]
            elif pg.get_by_role("button", name="Đăng nhập", exact=True).count():
                problem = "not signed in (the login form was shown)"
            return s["idleAt"] / 1000, problem
        time.sleep(0.05)
    return timeout, "did not settle"


def _measure(context, url: str, repeat: int) -> dict:
    times, problem = [], None
    for _ in range(1 + repeat):
        pg = context.new_page()
        try:
            seconds, problem = settle(pg, url)
        finally:
            pg.close()
        if problem:
            return {"first": None, "again": None, "error": problem}
        times.append(seconds)
    return {"first": times[0], "again": statistics.median(times[1:]), "error": None}


def measure(db_path: Path, repeat: int, as_of: str = "2024-12-31", log=print) -> dict[str, dict]:
    """{"toy": {...}, page view: {"first": s, "again": median s of `repeat` later visits, "error": str|None}}. The
    database file must not be open in this process (the server opens it)."""
    from playwright.sync_api import sync_playwright

    token = session_token(db_path)
    out: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with server(["streamlit", "run", str(ROOT / "bench" / "toy_page.py")], {}) as url:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
                context.add_init_script(WATCH_JS)
                settle(context.new_page(), url)  # warm-up: the browser caches Streamlit's bundle
                out["toy"] = _measure(context, url, repeat)
                context.close()
            log(f"    browser: toy page settled in {out['toy']['again'] or 0:.2f} s")
            with server(["planboard.ui.serve"], {"PLANBOARD_DB": str(db_path)}) as url:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
                context.add_cookies(
                    [{"name": "planboard_session", "value": token, "url": url, "secure": True, "httpOnly": True}]
                )
                context.add_init_script(WATCH_JS)
                settle(context.new_page(), f"{url}/?as_of={as_of}")  # warm-up: the bundle, the server's imports
                for name, path in views():
                    sep = "&" if "?" in path else "?"
                    m = _measure(context, f"{url}/{path}{sep}as_of={as_of}", repeat)
                    if name in ABSENT and (m["error"] or "").startswith("page not found"):
                        m = {"first": None, "again": None, "error": None, "absent": ABSENT[name]}
                    out[name] = m
                    log(
                        f"    browser: {name}: "
                        + (
                            m.get("absent") or m["error"]
                            if m.get("absent") or m["error"]
                            else f"first {m['first']:.2f} s, again {m['again']:.2f} s"
                        )
                    )
                context.close()
        finally:
            browser.close()
    return out
