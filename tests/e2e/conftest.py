"""One real Streamlit server (planboard.ui.serve, as `make run` starts it) on a demo database and one real Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@contextlib.contextmanager
def running_server(db: Path):
    """`python -m planboard.ui.serve` (as `make run` starts it) on `db`, healthy, on a free port: yields its URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "planboard.ui.serve",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, "PLANBOARD_DB": str(db)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def own_demo_server(tmp_path_factory, name: str):
    """A server of its own on a fresh one-center demo database (a test that writes leaves the shared one alone):
    yields (url, database path, its folder)."""
    tmp = tmp_path_factory.mktemp(name)
    db = tmp / f"{name}.duckdb"
    subprocess.run(
        [sys.executable, "-m", "planboard", "demo", "--single", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with running_server(db) as url:
        yield url, db, tmp


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real server on a fresh demo database (built by the CLI, as `make run` does)."""
    tmp = tmp_path_factory.mktemp("e2e")
    db = tmp / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "planboard", "demo", "--single", "--db", str(db)], cwd=ROOT, check=True)
    with running_server(db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("PLANBOARD_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (PLANBOARD_REQUIRE_BROWSER) but /usr/bin/chromium is missing")
        pytest.skip(reason="Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


# Elements whose text is wider than their box and clipped (overflow hidden or an ellipsis), with their text.
CUT_JS = """(selector) => [...document.querySelectorAll(selector)].filter(el => {
  const cs = getComputedStyle(el);
  const clips = cs.overflow !== 'visible' || cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
  return el.textContent.trim() && clips && el.scrollWidth > el.clientWidth + 1;
}).map(el => [el.textContent.trim(), el.scrollWidth, el.clientWidth])"""
TABLE_CELLS = '[data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td *'


DEMO_LOGIN = ("lanhdao", "demo-lanhdao")  # a demo account (README); demo databases only


def _settle(pg, timeout: float) -> None:
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    deadline = time.time() + timeout
    calm = 0
    while time.time() < deadline and calm < 3:
        pg.wait_for_selector(done, timeout=max(1, deadline - time.time()) * 1000)
        calm = calm + 1 if pg.locator('[data-testid="stSkeleton"]').count() == 0 else 0
        time.sleep(0.3)
    # A deep link must open its page without Streamlit's "Page not found" dialog (see planboard/ui/serve.py).
    dialogs = pg.locator('[role="dialog"]').all_inner_texts()
    assert not any("Page not found" in d for d in dialogs), dialogs


def login_form_shown(pg) -> bool:
    return pg.locator('[data-testid="stForm"]').filter(has_text="Tên đăng nhập").count() > 0


def sign_in(pg, username: str, password: str, timeout: float = 60) -> None:
    form = pg.locator('[data-testid="stForm"]').filter(has_text="Tên đăng nhập")
    form.get_by_label("Tên đăng nhập").fill(username)
    form.get_by_label("Mật khẩu").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()
    _settle(pg, timeout)


def wait_for_app(pg, timeout: float = 60, login: tuple[str, str] | None = DEMO_LOGIN) -> None:
    """Wait until the app has finished running; every new browser session meets the login form first, so sign
    in with `login` (a demo account) when it is shown — the deep link's page then opens."""
    _settle(pg, timeout)
    if login and login_form_shown(pg):
        sign_in(pg, *login, timeout=timeout)
