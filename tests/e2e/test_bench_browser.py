"""`make bench`'s browser-settled time (bench/browser.py): a real page of the app settles signed in through the
benchmark's session cookie, the time runs from the navigation to the app's idle state, and a view that is not a
page is reported as a problem, not timed."""

from __future__ import annotations

import subprocess
import sys

from bench import browser as bench_browser

from .conftest import ROOT


def test_a_page_settles_signed_in_and_a_missing_page_is_said(browser, tmp_path):
    db = tmp_path / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "planboard", "demo", "--single", "--db", str(db)], cwd=ROOT, check=True)
    token = bench_browser.session_token(db)
    with bench_browser.server(["planboard.ui.serve"], {"PLANBOARD_DB": str(db)}) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        context.add_cookies([{"name": "planboard_session", "value": token, "url": url, "secure": True}])
        context.add_init_script(bench_browser.WATCH_JS)
        pg = context.new_page()
        seconds, problem = bench_browser.settle(pg, f"{url}/theo-quy?as_of=2024-06-30")
        assert problem is None
        assert 0 < seconds < 120
        # settled = idle, after at least one script run, and the page's content is there
        assert pg.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count() == 1
        assert pg.evaluate("window.__settle.runs") >= 1
        assert pg.locator('[data-testid="stSidebarNavLink"]').count() >= 5  # signed in: the menu is shown
        seconds, problem = bench_browser.settle(context.new_page(), f"{url}/khong-co-trang-nay")
        assert problem and "not found" in problem
        context.close()


def test_every_page_of_the_menu_has_its_url():
    paths = bench_browser.url_paths()
    assert paths["pages/overview.py"] == ""
    assert paths["pages/quarters.py"] == "theo-quy"
    names = [name for name, _ in bench_browser.views()]
    assert "pages/requests.py?unit=CTXH" in names and "pages/requests.py" in names
