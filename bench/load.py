"""`python -m bench.load [--sessions 5,10,20] [--scale 10] [--rounds 1] [--out bench/LOAD.md]`: concurrent signed-in
sessions against the real server, each a lightweight client of Streamlit's own websocket protocol (no browser: 20
Chromiums on 2 cores would measure the browsers). p50/p95 of each page's time, from the rerun request to the
server's "script finished", at each number of sessions.

One server (planboard.ui.serve, as `make run`) on a demo database built for the run; every simulated user holds
a server-side session created beforehand (planboard.sessions, the cookie a browser would send), so each page view
runs app.py's sign-in check, sidebar and navigation and the page — the whole script, as for a browser tab. Each user
opens every page once per round, starting at a different page (users do not all click the same link at once).
A page is an error when the script raised (an exception element), Streamlit said "page not found", or it did not
finish within --timeout seconds."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planboard.db import ROOT

from .report import load_average

DEFAULT_OUT = Path(__file__).resolve().parent / "LOAD.md"
# (url path, what the page is) in the menu's order; "" is the overview (the default page).
PAGES = [
    ("", "overview"),
    ("theo-hoat-dong", "activities"),
    ("theo-bo-phan", "units"),
    ("theo-quy", "quarters"),
    ("chi-tieu", "indicators"),
    ("bao-cao", "reports"),
    ("nhap-du-lieu", "import"),
    ("yeu-cau", "requests"),
    ("hoat-dong", "events"),
    ("nguoi-cao-tuoi-nhan-su", "people"),
    ("kham-pha", "explore"),
]
USER = "lanhdao"  # a demo account of the leadership role: every page, personal data shown
LOGIN = "Đăng nhập"  # the login form's title: a view that shows it measured nothing


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), nearest rank on the sorted values (p50 of [1, 2, 3, 4] = 2, p95 = 4)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n·q/100), at least the first
    return ordered[int(rank) - 1]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(folder: Path, scale: int, sessions: int) -> tuple[Path, list[str]]:
    """A demo database at `scale` and `sessions` signed-in session tokens for USER (made before the server holds
    the file)."""
    from planboard import db
    from planboard import sessions as server_sessions

    path = folder / "load.duckdb"
    subprocess.run(
        [sys.executable, "-m", "planboard", "demo", "--db", str(path), "--scale", str(scale)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    con = db.connect(path)
    try:
        tokens = [server_sessions.start(con, USER) for _ in range(sessions)]
    finally:
        db.close(path)
    return path, tokens


def start_server(path: Path, port: int) -> subprocess.Popen:
    import urllib.request

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
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "PLANBOARD_DB": str(path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the server did not start")


async def view(ws, page: str, query: str, timeout: float) -> tuple[float, str | None]:
    """Ask the server to run `page` (as a browser's rerun) and wait for the run to finish: (seconds, error)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    error = None
    while True:
        left = timeout - (time.perf_counter() - started)
        if left <= 0:
            return time.perf_counter() - started, "timeout"
        try:
            raw = await asyncio.wait_for(ws.recv(), left)
        except TimeoutError:
            return time.perf_counter() - started, "timeout"
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        kind = fm.WhichOneof("type")
        if (
            kind == "delta"
            and fm.delta.WhichOneof("type") == "new_element"
            and fm.delta.new_element.WhichOneof("type") == "exception"
        ):
            error = error or ("exception: " + fm.delta.new_element.exception.message[:120])
        elif (
            kind == "delta"
            and fm.delta.WhichOneof("type") == "new_element"
            and fm.delta.new_element.WhichOneof("type") == "heading"
            and fm.delta.new_element.heading.body == LOGIN
        ):
            error = error or "not signed in (the login form was shown)"
        elif kind == "page_not_found":
            error = error or "page not found"
        elif kind == "script_finished":
            if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # st.rerun(): the run that counts follows
            return time.perf_counter() - started, error


async def user(
    url: str,
    token: str,
    index: int,
    rounds: int,
    as_of: str,
    timeout: float,
    samples: dict[str, list[float]],
    errors: list[str],
) -> None:
    import websockets

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        ws_url,
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=60,
        additional_headers={"Cookie": f"planboard_session={token}", "Origin": url},
        ping_interval=None,
    ) as ws:
        order = PAGES[index % len(PAGES) :] + PAGES[: index % len(PAGES)]
        for _ in range(rounds):
            for page, name in order:
                seconds, error = await view(ws, page, f"as_of={as_of}", timeout)
                samples.setdefault(name, []).append(seconds)
                if error:
                    errors.append(f"{name}: {error}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


async def level(
    url: str, tokens: list[str], n: int, rounds: int, as_of: str, timeout: float, server_pid: int = 0
) -> dict:
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    started, cpu = time.perf_counter(), cpu_seconds(server_pid)
    await asyncio.gather(*(user(url, tokens[i], i, rounds, as_of, timeout, samples, errors) for i in range(n)))
    wall = time.perf_counter() - started
    # The server's CPU time over the wall time: ~1 means one core busy (the GIL, or one lock), ~2 both cores.
    return {"samples": samples, "errors": errors, "wall": wall, "cores": (cpu_seconds(server_pid) - cpu) / wall}


def render(results: dict[int, dict], args, started: dt.datetime, load_before: str) -> str:
    levels = sorted(results)
    lines = [
        "# Load: concurrent signed-in sessions (bench/load.py)",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPU cores, load average before {load_before}; demo "
        f"data at scale {args.scale}; as_of {args.as_of}; each session opens the {len(PAGES)} pages "
        f"{args.rounds}× (starting at a different page), one websocket client per session, one server process.",
        "Times: from the rerun request to the server's script-finished message (the whole script: sign-in check, "
        "sidebar, page); the browser's drawing is not included. Server CPU: the server process's CPU time over the "
        "wall time (1.0 = one core busy all along); below 1 on a machine shared with other work, the server waited "
        "for a core.",
        "",
        "| page | " + " | ".join(f"p50 @{n}" for n in levels) + " | " + " | ".join(f"p95 @{n}" for n in levels) + " |",
        "|---|" + "---:|" * (2 * len(levels)),
    ]
    for _, name in PAGES:
        p50 = [percentile(results[n]["samples"].get(name, [0.0]), 50) for n in levels]
        p95 = [percentile(results[n]["samples"].get(name, [0.0]), 95) for n in levels]
        lines.append(
            f"| {name} | "
            + " | ".join(f"{v:.2f} s" for v in p50)
            + " | "
            + " | ".join(f"{v:.2f} s" for v in p95)
            + " |"
        )
    every = {n: [v for s in results[n]["samples"].values() for v in s] for n in levels}
    lines.append(
        "| **all pages** | "
        + " | ".join(f"{percentile(every[n], 50):.2f} s" for n in levels)
        + " | "
        + " | ".join(f"{percentile(every[n], 95):.2f} s" for n in levels)
        + " |"
    )
    lines += [
        "",
        "| sessions | page views | errors | wall time | views/s | server CPU (cores busy) | CPU s per view |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in levels:
        r = results[n]
        views = len(every[n])
        lines.append(
            f"| {n} | {views} | {len(r['errors'])} | {r['wall']:.1f} s | {views / r['wall']:.2f} | "
            f"{r['cores']:.2f} | {r['cores'] * r['wall'] / max(views, 1):.2f} s |"
        )
    errs = [f"- @{n}: {e}" for n in levels for e in results[n]["errors"][:10]]
    if errs:
        lines += ["", "Errors (first 10 per level):", *errs]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", default="5,10,20", help="concurrent sessions per level (default %(default)s)")
    p.add_argument("--scale", type=int, default=10, help="demo data scale N (default %(default)s)")
    p.add_argument("--rounds", type=int, default=1, help="times each session opens every page")
    p.add_argument("--as-of", default="2024-12-31")
    p.add_argument("--timeout", type=float, default=300, help="seconds after which a page view is an error")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    levels = [int(x) for x in args.sessions.split(",") if x.strip()]
    started, load_before = dt.datetime.now(dt.UTC), load_average()
    with tempfile.TemporaryDirectory(prefix="planboard-load-") as tmp:
        path, tokens = prepare(Path(tmp), args.scale, max(levels))
        port = _free_port()
        server = start_server(path, port)
        url = f"http://127.0.0.1:{port}"
        try:
            asyncio.run(level(url, tokens, 1, 1, args.as_of, args.timeout))  # warm-up: imports, first caches
            results = {}
            for n in levels:
                results[n] = asyncio.run(level(url, tokens, n, args.rounds, args.as_of, args.timeout, server.pid))
                every = [v for s in results[n]["samples"].values() for v in s]
                print(
                    f"{n} sessions: {len(every)} views, p50 {percentile(every, 50):.2f} s, "
                    f"p95 {percentile(every, 95):.2f} s, errors {len(results[n]['errors'])}, "
                    f"wall {results[n]['wall']:.1f} s, server CPU {results[n]['cores']:.2f} cores",
                    flush=True,
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    args.out.write_text(render(results, args, started, load_before), encoding="utf-8")
    print(f"written {args.out}")
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
