"""Server memory after every page once (issue 17): a real server process (planboard.ui.serve, as `make run`) on the
benchmark's database, every page and unit view of the menu opened once by one signed-in session through Streamlit's
own websocket protocol (bench/load.py's client: the whole script of each view, no browser), then the process's
resident memory read from /proc/<pid>/status (VmRSS at once and again after REST_SECONDS idle, VmHWM its peak). The reference is the toy page's server
(`streamlit run bench/toy_page.py`) after showing its page once, measured the same way in the same run.

`python -m bench.server_memory DBFILE [AS_OF]` prints the answer as JSON."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import sys
import time
from pathlib import Path

from planboard.db import ROOT

from . import browser

ABSENT_PATHS = {browser.url_paths().get(page) for page in browser.ABSENT}  # compare, years: one center, one year


def views() -> list[tuple[str, str]]:
    """(URL path, query) of every page app.py lists and bench/app_pages.py's unit views (as bench/browser.py opens
    them); a page not in this install's menu answers "page not found" and is left out of the errors."""
    return [tuple((path.split("?", 1) + [""])[:2]) for _, path in browser.views()]


def status_kb(pid: int) -> dict[str, int]:
    """{"VmRSS": bytes, "VmHWM": bytes} of a process (Linux /proc; empty elsewhere)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


async def _open_all(
    url: str, pid: int, token: str | None, views: list[tuple[str, str]], as_of: str
) -> tuple[list[str], list[tuple[str, int, int]]]:
    import websockets

    from .load import view  # bench.load reads the report module, which reads this one

    headers = {"Origin": url} | ({"Cookie": f"planboard_session={token}"} if token else {})
    errors, steps = [], []
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=60,
        additional_headers=headers,
        ping_interval=None,
    ) as ws:
        for page, query in views:
            _, error = await view(ws, page, "&".join(q for q in (query, f"as_of={as_of}") if q), 600)
            name = f"{page or 'overview'}" + (f"?{query}" if query else "")
            if error and not (error == "page not found" and page in ABSENT_PATHS):
                errors.append(f"{name}: {error}")
            now = status_kb(pid)
            steps.append((name, now.get("VmRSS", 0), now.get("VmHWM", 0)))
    return errors, steps


def _run(coroutine):
    """asyncio.run in a thread of its own: the caller's thread may already run an event loop (Playwright's sync API
    leaves one in the test process after a browser test), where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


REST_SECONDS = 5  # idle time before the "at rest" reading


def _serve(args: list[str], env: dict[str, str], token: str | None, views, as_of: str) -> dict:
    with browser.server_process(args, env) as (url, proc):
        started = status_kb(proc.pid)
        errors, steps = _run(_open_all(url, proc.pid, token, views, as_of))
        after = status_kb(proc.pid)
        time.sleep(REST_SECONDS)
        rest = status_kb(proc.pid)
        return {
            "started": started.get("VmRSS"),
            "after": after.get("VmRSS"),  # the moment the last view finished: its work may still be in memory
            "rest": rest.get("VmRSS"),  # REST_SECONDS later with nobody asking: what the server keeps
            "peak": rest.get("VmHWM"),
            "views": len(views),
            "errors": errors,
            "steps": steps,  # (view, VmRSS, VmHWM) after each view, in order
        }


def measure(db_path: Path, as_of: str = "2024-12-31") -> dict[str, dict]:
    """{"toy": {...}, "app": {"started", "after", "peak" (bytes), "views", "errors", "steps"}}. The database file must not be
    open in this process (the server opens it)."""
    token = browser.session_token(db_path)
    toy = _serve(["streamlit", "run", str(ROOT / "bench" / "toy_page.py")], {}, None, [("", "")], as_of)
    app = _serve(["planboard.ui.serve"], {"PLANBOARD_DB": str(db_path)}, token, views(), as_of)
    return {"toy": toy, "app": app}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    print(json.dumps(measure(Path(args[0]), *(args[1:2] or ["2024-12-31"]))))


if __name__ == "__main__":
    main()
