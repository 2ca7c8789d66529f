"""RESULTS.md: one table per measure × size, the machine, the versions, the targets and whether each is met."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib.metadata import version
from pathlib import Path

from . import server_memory
from .run import SizeResult

FINDINGS = Path(__file__).resolve().parent / "FINDINGS.md"


def see(part: str) -> str:
    """Where a missed target's measured cause is written: a part of FINDINGS.md's latest session."""
    return f"see FINDINGS, Session 6: {part}"


TARGET_N = 10_000  # the size the targets speak of; a quick run judges its largest size instead
GB = 2**30
# (key, label, reference key, what the reference is): each time is shown as its ratio to the reference, measured
# in the same run at the same size, with the time itself in brackets.
MEASURES = [
    ("indicators", "13 indicators at 31/12/2024 (kpis.compute)", "one_statement", "one statement"),
    (
        "indicators_scratch",
        "the same, case_facts made again first (db.refresh_derived: the first read after a write)",
        "one_statement",
        "one statement",
    ),
    ("monthly", "monthly series: 12 month ends (kpis.compute_many)", "one_statement", "one statement"),
    ("quarterly", "quarter series: 4 quarter ends (kpis.compute_many)", "one_statement", "one statement"),
    ("per_unit", "per-unit breakdown: kpis.compute for each of the 6 units", "one_statement", "one statement"),
    (
        "explore_requests",
        "requests by unit × quarter × field (bench/requests_by_unit_quarter_field.sql)",
        "one_statement",
        "one statement",
    ),
    ("explore_events", "events by type × month (bench/events_by_type_month.sql)", "one_statement", "one statement"),
    ("pandas_indicators", "pandas peer: the same 13 indicators from DataFrames", "indicators", "kpis.compute"),
    ("pandas_load", "pandas: read the five CSV files into DataFrames", "read_csv", "DuckDB read_csv"),
    ("import", "CSV import through the importer (child process, fresh file)", "read_csv", "DuckDB read_csv"),
    (
        "cli_kpis",
        "`python -m planboard kpis` (a fresh process opening the file)",
        "cli_kpis@1",
        "the same on N = 1's file, timed turn about",
    ),
]
REFERENCES = [
    (
        "one_statement",
        "one hand-written DuckDB statement computing the 13 indicators "
        "(bench/indicators_one_statement.sql, contract tables, no derived table)",
    ),
    ("read_csv", "DuckDB's own read_csv of the same five files into plain tables (child process, fresh file)"),
]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def _mb(b: int) -> str:
    return f"{b / 2**20:,.0f} MB"


def _ratio(r: SizeResult, key: str, ref: str, results: list[SizeResult]) -> float | None:
    if ref.endswith("@1"):
        turn = r.timings.get(ref[:-2] + "_small")  # N = 1's file timed turn about in this size's phase
        first = next((x for x in results if x.n == 1), None)
        base = turn if turn is not None and turn.runs else (first.timings.get(ref[:-2]) if first else None)
    else:
        base = r.timings.get(ref)
    own = r.timings.get(key)
    if own is None or base is None or not own.runs or not base.runs or base.median == 0:
        return None
    return own.median / base.median


def _cell(ratio: float | None, seconds: float | None) -> str:
    if ratio is None:
        return "—" if seconds is None else f"({_s(seconds)})"
    return f"{ratio:.2f}× ({_s(seconds)})"


def page_worst(r: SizeResult, kind: str) -> float | None:
    times = [m[kind].median for m in r.pages.values() if not m["error"] and not m.get("skipped")]
    return max(times) if times else None


def _pages_ok(r: SizeResult) -> list[tuple[str, dict]]:
    return [(p, m) for p, m in r.pages.items() if not m["error"] and not m.get("skipped")]


def _browser_ok(r: SizeResult) -> list[tuple[str, dict]]:
    return [(p, m) for p, m in r.browser.items() if p != "toy" and not m["error"] and not m.get("absent")]


def _verdict(text: str, value: float | None, limit: float, fmt, *, at_most: bool = True, why: str = ""):
    if value is None:
        return (text, "not measured in this run", None, why)
    met = value <= limit if at_most else value >= limit
    return (text, fmt(value), met, "" if met else why)


def verdicts(results: list[SizeResult]) -> list[tuple[str, str, bool | None, str]]:
    """(target, measured, met?, comment) for each target of issue 17; the large-size targets are judged at
    N = 10,000, or at the largest size a quick run measured (said in the target's text)."""
    big = next((x for x in results if x.n == TARGET_N), None) or max(results, key=lambda x: x.n)
    one = next((x for x in results if x.n == 1), None)
    at = f"N = {big.n:,}"
    x = "{:.2f}×".format
    out = []
    for r in [one, big] if one is not big else [big]:
        if r is not None:
            out.append(
                _verdict(
                    f"13 indicators ≤ 1.5× one statement at N = {r.n:,}",
                    _ratio(r, "indicators", "one_statement", results),
                    1.5,
                    x,
                    why=see("13 indicators"),
                )
            )
    out.append(
        _verdict(
            f"pandas peer ≥ 10× slower than the 13 indicators at {at}",
            _ratio(big, "pandas_indicators", "indicators", results),
            10,
            x,
            at_most=False,
            why=see("the pandas peer"),
        )
    )
    out.append(
        _verdict(
            f"13 indicators warm ≤ 0.1 s at {at}", big.timings["indicators"].median, 0.1, _s, why=see("13 indicators")
        )
    )
    out.append(
        _verdict(
            f"`kpis` at {at} ≤ 1.2× at N = 1 (no rebuild on open)",
            _ratio(big, "cli_kpis", "cli_kpis@1", results) if one is not None and big is not one else None,
            1.2,
            x,
            why=see("opening the file"),
        )
    )
    pages = _pages_ok(big)
    if pages:
        worst = max(pages, key=lambda pm: pm[1]["cold"].median)
        errors = [p for p, m in big.pages.items() if m["error"]]
        out.append(
            _verdict(
                f"every page cold ≤ 1 s (server side) at {at}",
                worst[1]["cold"].median,
                1.0,
                lambda v, w=worst[0]: f"worst {_s(v)} ({w})",
                why=", ".join(p for p, m in pages if m["cold"].median > 1.0)
                + (f"; errors: {errors}" if errors else ""),
            )
        )
        if big.toy:
            toy = big.toy["warm"].median
            worst = max(pages, key=lambda pm: pm[1]["warm"].median)
            out.append(
                _verdict(
                    f"every page warm ≤ 3× the toy page (server side) at {at}",
                    worst[1]["warm"].median / toy,
                    3.0,
                    lambda v, w=worst[0]: f"worst {v:.1f}× ({w})",
                    why=see("pages warm") + " — over: " + ", ".join(p for p, m in pages if m["warm"].median > 3 * toy),
                )
            )
    for r in results:
        ok = _browser_ok(r)
        if ok:
            worst = max(ok, key=lambda pm: pm[1]["again"])
            errors = [f"{p}: {m['error']}" for p, m in r.browser.items() if m["error"]]
            limit = 1.5 if r.n == 1 else None
            text = (
                f"browser-settled ≤ 1.5 s, every page, at N = {r.n:,}" if limit else f"browser-settled at N = {r.n:,}"
            )
            v = (
                text,
                f"worst {_s(worst[1]['again'])} ({worst[0]}), "
                f"{worst[1]['again'] / r.browser['toy']['again']:.1f}× the toy page",
                None,
                "; ".join(errors),
            )
            if limit:
                slow = [p for p, m in ok if m["again"] > limit]
                v = (v[0], v[1], not slow and not errors, ", ".join(slow) + ("; " if slow and errors else "") + v[3])
            out.append(v)
    out.append(
        _verdict(
            f"import ≤ 2× DuckDB read_csv's time at {at}",
            _ratio(big, "import", "read_csv", results),
            2.0,
            x,
            why=see("import"),
        )
    )
    if big.server:
        app = big.server["app"]
        rss = app.get("rest") or app.get("after")
        out.append(
            _verdict(
                f"server RSS after every page once ≤ 400 MB at {at} (at rest: {server_memory.REST_SECONDS} s after "
                "the last view)",
                rss / 2**20 if rss else None,
                400,
                lambda v: (
                    f"{v:,.0f} MB (at the last view's end {_mb(app.get('after') or 0)}, peak "
                    f"{_mb(app.get('peak') or 0)})"
                ),
                why=see("server memory"),
            )
        )
    growth = big.memory.get("import_growth"), big.memory.get("read_csv_growth")
    out.append(
        _verdict(
            f"import's memory ≤ 2× DuckDB read_csv's at {at}",
            growth[0] / growth[1] if all(growth) else None,
            2.0,
            lambda v: f"{v:.2f}× ({_mb(growth[0])} vs {_mb(growth[1])})",
            why=see("import"),
        )
    )
    return out


def markdown(
    results: list[SizeResult],
    *,
    repeat: int,
    started: dt.datetime,
    elapsed: float,
    notes: list[str],
    load_before: str,
    load_after: str,
    shared: dict | str | None = None,
) -> str:
    """The results as Markdown; `shared`: bench.shared.measure's answer, or why it was not measured (a section of
    its own, before the targets), None when not asked for."""
    sizes = [r.n for r in results]
    head = "| measure | " + " | ".join(f"N = {n:,}" for n in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    lines = [
        "# Performance at scale: benchmark results (ratios measured in one run)",
        "",
        "Generated by `make bench` (`python -m bench`); do not edit by hand (the closing findings come from "
        "`bench/FINDINGS.md`, written from profiling). The demo year (`planboard.demo.build(2024)`) is repeated N "
        "times (`demo.scale`), written as the five contract CSV files, imported through the real importer into a "
        f"fresh DuckDB file, and measured. Times are the **median of {repeat} run(s)** after one untimed warm-up. "
        "The machine is shared: **every measure is given as a ratio to a reference measured in the same run at "
        "the same size** (the time itself in brackets, for orientation only).",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC, run took {elapsed / 60:.1f} min",
        f"- Machine: {os.cpu_count()} CPU(s), {cpu_model()}, {mem_total() / GB:.1f} GB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Load average (1, 5, 15 min) before the run: {load_before}; after: {load_after}; per size (start → end): "
        + "; ".join(f"N = {r.n:,}: {' → '.join(r.load)}" for r in results),
        f"- Python {platform.python_version()}, DuckDB {version('duckdb')}, pandas {version('pandas')}, "
        f"pyarrow {version('pyarrow')}, Streamlit {version('streamlit')}",
        *[f"- {n}" for n in notes],
        "",
        "## Data",
        "",
        head,
        rule,
    ]
    for table in results[0].rows:
        lines.append(f"| {table} rows | " + " | ".join(f"{r.rows[table]:,}" for r in results) + " |")
    lines.append("| **all rows** | " + " | ".join(f"**{r.total_rows:,}**" for r in results) + " |")
    lines.append("| CSV size | " + " | ".join(_mb(r.csv_bytes) for r in results) + " |")
    lines += ["", "## References (the denominators below)", ""]
    for key, label in REFERENCES:
        lines.append(f"- `{key}`: {label}: " + ", ".join(f"N = {r.n:,} {_s(r.timings[key].median)}" for r in results))
    if any(r.toy for r in results):
        lines.append(
            "- `toy`: the toy page (bench/toy_page.py: title, metric, 1,000-row table, Plotly chart), AppTest: "
            + ", ".join(
                f"N = {r.n:,} cold {_s(r.toy['cold'].median)} warm {_s(r.toy['warm'].median)}" for r in results if r.toy
            )
        )
    lines += ["", "## Times as ratios (measure ÷ reference, same run, same size)", "", head, rule]
    for key, label, ref, ref_label in MEASURES:
        cells = [
            _cell(_ratio(r, key, ref, results), r.timings[key].median if key in r.timings else None) for r in results
        ]
        lines.append(f"| {label} ÷ {ref_label} | " + " | ".join(cells) + " |")
    lines.append(
        "| import: memory added ÷ DuckDB read_csv's | "
        + " | ".join(
            f"{r.memory['import_growth'] / r.memory['read_csv_growth']:.2f}× ({_mb(r.memory['import_growth'])})"
            if r.memory.get("read_csv_growth")
            else "—"
            for r in results
        )
        + " |"
    )
    if any(r.pages for r in results):
        lines += [
            "",
            "## Page server render ÷ the toy page (AppTest; cold = st.cache_data cleared first)",
            "",
            head,
            rule,
        ]
        for page in results[0].pages:
            for kind in ("cold", "warm"):
                cells = []
                for r in results:
                    m = r.pages.get(page)
                    if m is None:
                        cells.append("—")
                    elif m.get("skipped"):
                        cells.append("not run ¹")
                    elif m["error"]:
                        cells.append("error")
                    else:
                        once = " 1 run" if m.get("runs") == 1 and repeat > 1 else ""
                        cells.append(
                            _cell(m[kind].median / r.toy[kind].median if r.toy else None, m[kind].median) + once
                        )
                lines.append(f"| `{page}` {kind} | " + " | ".join(cells) + " |")
        skipped = sorted({(p, m["skipped"]) for r in results for p, m in r.pages.items() if m.get("skipped")})
        for page, why in skipped:
            lines.append(f"\n¹ `{page}` not rendered at these sizes: {why}")
        errors = [(r.n, p, m["error"]) for r in results for p, m in r.pages.items() if m["error"]]
        for n, page, err in errors:
            lines.append(f"\nN = {n:,}: `{page}` raised: " + " ".join(err.split()))
    with_browser = [r for r in results if r.browser]
    if with_browser:
        bhead = "| view | " + " | ".join(f"N = {r.n:,} first | N = {r.n:,} again" for r in with_browser) + " |"
        lines += [
            "",
            "## Browser-settled time ÷ the toy page's (Playwright, Debian Chromium)",
            "",
            "From the navigation's start to the app's idle state (`[data-testid=\"stApp\"]` back to "
            '`data-test-script-state="notRunning"` after its last run, then idle with no skeleton for '
            "1 s; bench/browser.py). One browser context (its cache shared, as for a person), a new tab per visit, "
            "signed in as an administrator; *first* = the first visit of the page since the server started, "
            "*again* = the median of the later visits. The toy page is served by `streamlit run` and timed the "
            "same way: "
            + ", ".join(f"N = {r.n:,}: {_s(r.browser['toy']['again'])}" for r in with_browser if r.browser.get("toy"))
            + ".",
            "",
            bhead,
            "|---|" + "---:|" * (2 * len(with_browser)),
        ]
        for name in [p for p in with_browser[0].browser if p != "toy"]:
            cells = []
            for r in with_browser:
                m, toy = r.browser.get(name), r.browser["toy"]["again"]
                if m is None:
                    cells += ["—", "—"]
                elif m["error"] or m.get("absent"):
                    cells += [m["error"] or m["absent"], ""]
                else:
                    cells += [_cell(m["first"] / toy, m["first"]), _cell(m["again"] / toy, m["again"])]
            lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Peak memory of the benchmark process ÷ DuckDB read_csv's memory at the same size",
        "",
        "A thread samples this process's RSS every 10 ms; each cell is the highest RSS seen in the phase (it "
        "includes what earlier phases left resident), as a multiple of the memory DuckDB's plain read_csv added "
        "in its own child process. The import is measured in a child process of its own (the table above).",
        "",
        head,
        rule,
    ]
    for phase, label in (
        ("duckdb", "during indicators, series, breakdowns"),
        ("pages", "during page renders"),
        ("pandas", "during the pandas baseline"),
    ):
        cells = []
        for r in results:
            peak, ref = r.memory.get(phase), r.memory.get("read_csv_growth")
            if peak is None:
                cells.append("—")
            else:
                cells.append((f"{peak / ref:.1f}× " if ref else "") + f"({_mb(peak)})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    with_server = [r for r in results if r.server]
    if with_server:
        shead = "| measure | " + " | ".join(f"N = {r.n:,}" for r in with_server) + " |"
        lines += [
            "",
            "## Server memory after every page once ÷ the toy page's server",
            "",
            "A real server (`python -m planboard.ui.serve`) on the benchmark's database; one signed-in session opens "
            "every page of the menu and the unit views once through Streamlit's websocket protocol "
            "(bench/server_memory.py), then VmRSS is read from /proc/<pid>/status at once (the last view's work "
            f"may still be in memory) and again {server_memory.REST_SECONDS} s later with nobody asking (what the "
            "server keeps: the target's reading), with VmHWM (the process's peak). The reference: the toy page's "
            "server (`streamlit run bench/toy_page.py`) after showing its page once, read the same way.",
            "",
            shead,
            "|---|" + "---:|" * len(with_server),
        ]
        for key, label in (
            ("after", "resident as the last view ends (VmRSS)"),
            ("rest", f"resident at rest, {server_memory.REST_SECONDS} s later (VmRSS)"),
            ("peak", "peak while opening them (VmHWM)"),
        ):
            cells = []
            for r in with_server:
                toy_key = key if key in ("after", "rest") else "after"
                mine, toy = r.server["app"].get(key), r.server["toy"].get(toy_key) or r.server["toy"].get("after")
                cells.append(f"{mine / toy:.2f}× ({_mb(mine)})" if mine and toy else "—")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        for r in with_server:
            for error in r.server["app"]["errors"]:
                lines.append(f"\nN = {r.n:,}: {error}")
    lines += [
        "",
        "## Correctness",
        "",
        "Before any time is reported, the pandas baseline's and the one statement's numerator, denominator and "
        "person counts are asserted equal to `planboard.kpis` at every size: pandas at the four quarter ends "
        "(whole Center) and for each unit at 31/12/2024, the one statement at the four quarter ends: "
        + "; ".join(f"N = {r.n:,}: {len(r.checked)} views, 13 indicators each, all equal" for r in results)
        + ".",
        "",
        "## Targets (issue 17)",
        "",
        "| target | measured | met | comment |",
        "|---|---|---|---|",
    ]
    for text, measured, met, comment in verdicts(results):
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {text} | {measured} | {mark} | {comment} |")
    if shared is not None:
        lines += ["", *shared_section(shared)]
    if FINDINGS.exists():  # the why, from profiling: kept by hand in bench/FINDINGS.md, copied in on every run
        lines += ["", FINDINGS.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def ratio_lines(results: list[SizeResult]) -> list[str]:
    return [
        f"N={r.n}: DuckDB/pandas time ratio {r.timings['indicators'].median / r.timings['pandas_indicators'].median:.3f} "
        f"(13 indicators: DuckDB {r.timings['indicators'].median * 1000:.0f} ms, pandas "
        f"{r.timings['pandas_indicators'].median * 1000:.0f} ms; "
        + (f"DuckDB {r.speedup:.1f}x faster" if r.speedup >= 1 else f"pandas {1 / r.speedup:.1f}x faster")
        + f"; {r.speedup_scratch:.1f}x with case_facts made again first; "
        f"{r.timings['indicators'].median / r.timings['one_statement'].median:.2f}x one statement)"
        for r in results
    ]


def shared_section(shared: dict | str) -> list[str]:
    """The shared mode (DuckLake on PostgreSQL) beside the embedded file, same data, same run (bench/shared.py):
    each measure as lake ÷ file, then issue 13's targets; or the one line saying why it was not measured."""
    from . import shared as shared_mod

    lines = ["## Shared mode (DuckLake on PostgreSQL) ÷ the embedded file (issue 13)", ""]
    if isinstance(shared, str):
        return lines + [f"Not measured in this run: {shared}"]
    lines += [
        f"N = {shared['n']:,} demo-years over {shared['centers']} centers ({shared['rows']:,} rows), in a DuckDB "
        "file and in a DuckLake whose catalog is a throwaway PostgreSQL on the same machine (bench/shared.py). "
        "Below 1× the lake took less time; for rows/s, above 1× the lake was faster."
        + (f" Measured {shared['when']}." if shared.get("when") else ""),
        "",
        "| measure | lake ÷ file | file | lake |",
        "|---|---:|---:|---:|",
    ]
    for text, f, lake, unit in shared_mod.rows(shared):
        lines.append(f"| {text} | {lake / f:.2f}× | {f:,.3f} {unit} | {lake:,.3f} {unit} |")
    lines += ["", "| target (issue 13) | measured | met |", "|---|---|---|"]
    for text, measured, met in shared_mod.verdicts(shared):
        lines.append(f"| {text} | {measured} | {'yes' if met else '**no**'} |")
    return lines
