"""Real app servers on one shared lake (issue 13), driven by a real browser: two servers and a command-line import
at once, and PostgreSQL stopped then started again under a running server. Real processes, 127.0.0.1 only, loops
bounded; PostgreSQL is a throwaway cluster (tests/pg_cluster.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack

from planboard import auth, db, demo

from .conftest import ROOT, _settle, login_form_shown, running_server, wait_for_app

BROADCASTS = "Số buổi phát thanh về TGPL trên loa nội bộ"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def _demo_lake(url: str) -> str:
    """The one-center demo year and its demo accounts in the lake `url` (as `make run` fills a new file)."""
    con = db.connect(url)
    demo.fill(con)
    auth.ensure_demo_accounts(con)
    db.close(url)  # the servers are other processes
    return url


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _broadcasts(page) -> str:
    """The 4.1 card's broadcast count on Tổng quan (the line after the indicator's label)."""
    lines = [x.strip() for x in _main_text(page).splitlines() if x.strip()]
    at = [i for i, x in enumerate(lines) if x.startswith(BROADCASTS)]
    assert at, lines[:60]
    return lines[at[0] + 1]


def _overview(page, server: str) -> str:
    """Tổng quan at 30/06/2024 on `server`, signed in (the sign-in tried again, bounded, when a loaded machine left
    the form shown); returns the broadcast count."""
    page.goto(f"{server}/?as_of=2024-06-30")
    for _ in range(3):
        wait_for_app(page, timeout=180)
        if not login_form_shown(page):
            break
    return _broadcasts(page)


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as r:
        r.read()
        return r.status


def test_two_servers_and_a_command_line_import_at_once(lake, page, tmp_path):
    """Two app servers serve one lake while `planboard import` writes 3 broadcasts of June 2024 into it: every
    page of both answers 200 all along, and at their next run both show 12 + 3 = 15 broadcasts by 30/06/2024
    (the demo year has 12: tests/test_pages_overview.py), with no error on the page."""
    _demo_lake(lake)
    events = tmp_path / "events.csv"
    events.write_text(
        "event_id,event_type,held_on,department,title\n"
        + "".join(f"E2E{i},phat_thanh,{10 + i}/06/2024,CTXH,Phát thanh {i}\n" for i in range(3)),
        encoding="utf-8",
    )
    paths = ("/", "/theo-hoat-dong", "/theo-bo-phan", "/theo-quy", "/chi-tieu", "/_stcore/health")
    with ExitStack() as stack:
        servers = [stack.enter_context(running_server(lake)) for _ in range(2)]
        for server in servers:  # both serve the lake before the import
            assert _overview(page, server) == "12"
        importing = subprocess.Popen(
            [sys.executable, "-m", "planboard", "import", "--db", lake, str(events)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        answered = 0
        deadline = time.monotonic() + 300
        while importing.poll() is None and time.monotonic() < deadline:
            for server in servers:
                for path in paths:
                    assert _get(server + path) == 200, (server, path)
                    answered += 1
        out, err = importing.communicate(timeout=60)
        assert importing.returncode == 0, err
        assert answered >= len(paths) * 2  # at least one round while the import ran
        for server in servers:  # the next run of each server sees the import
            assert _overview(page, server) == "15"
            assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()


def test_postgresql_stopped_under_a_running_server_then_started_again(own_pg, page, tmp_path, monkeypatch):
    """PostgreSQL stops under a running server: the next page load says in Vietnamese that the shared store cannot
    be reached and what to check (PostgreSQL running, host/port...), no traceback. PostgreSQL starts again: the
    next load shows the numbers (DuckDB connects again by itself; the session cookie signs the reader back in)."""
    monkeypatch.setenv("PLANBOARD_DATA_PATH", str(tmp_path / "lake_data"))
    lake = _demo_lake(db.LAKE_PREFIX + own_pg.createdb("faults"))
    with running_server(lake) as server:
        assert _overview(page, server) == "12"
        own_pg.stop()
        page.reload()
        _settle(page, 180)
        text = page.locator('[data-testid="stApp"]').inner_text()
        assert "Không kết nối được kho dữ liệu dùng chung" in text, text[:800]
        assert "PostgreSQL có đang chạy không" in text and "host/port" in text
        assert "Traceback" not in text and page.locator('[data-testid="stException"]').count() == 0
        own_pg.start()
        assert _overview(page, server) == "12"
        assert "Không kết nối được" not in _main_text(page)
