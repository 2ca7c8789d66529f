"""RESULTS.md: one table per measure × size, the machine, the versions, the targets and whether each is met."""

from __future__ import annotations

import datetime as dt
import os
import platform
from importlib.metadata import version
from pathlib import Path

from .run import SizeResult

FINDINGS = Path(__file__).resolve().parent / "FINDINGS.md"
GB = 2**30
TARGET_N = 10_000
TARGETS = {  # name: (text, limit)
    "indicators": ("all 13 indicators at one as-of date < 1 s", 1.0),
    "pages": ("each page's server render < 2 s (cold: data cache cleared)", 2.0),
    "import": ("CSV import ≥ 200,000 rows/s", 200_000),
    "memory": ("peak memory < 2 GB (DuckDB side: import, queries, pages)", 2 * GB),
    "speedup": ("DuckDB ≥ 5× faster than pandas on the indicator set", 5.0),
}
MEASURES = [
    ("import", "(a) CSV import through ingest.import_paths, fresh DuckDB file"),
    ("indicators", "(b) 13 indicators at 31/12/2024 (kpis.compute)"),
    (
        "indicators_scratch",
        "(b) the same, case_facts made again first (db.refresh_derived: the first read after a write)",
    ),
    ("monthly", "(c) monthly series: 12 month ends (kpis.compute_many)"),
    ("quarterly", "(c) quarter series: 4 quarter ends (kpis.compute_many)"),
    ("per_unit", "(c) per-unit breakdown: kpis.compute for each of the 6 units"),
    ("explore_requests", "(d) requests by unit × quarter × field (bench_requests_by_unit_quarter_field.sql)"),
    ("explore_events", "(d) events by type × month (bench_events_by_type_month.sql)"),
    ("pandas_load", "pandas: read the five CSV files into DataFrames"),
    ("pandas_indicators", "pandas: the same 13 indicators at 31/12/2024 from the DataFrames"),
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


def page_worst(r: SizeResult, kind: str) -> float | None:
    times = [m[kind].median for m in r.pages.values() if not m["error"] and not m.get("skipped")]
    return max(times) if times else None


def _off(ratio: float, word: str) -> str:
    """How far from a target: '4.5 % too slow' when close, '2.1× too slow' when far."""
    return f"{(ratio - 1) * 100:.1f} % {word}" if ratio < 1.5 else f"{ratio:.1f}× {word}"


def verdicts(results: list[SizeResult]) -> list[tuple[str, str, bool | None, str]]:
    """(target, measured at N=10,000, met?, comment) for each target; None when N=10,000 was not run."""
    r = next((x for x in results if x.n == TARGET_N), None)
    out = []
    for key, (text, limit) in TARGETS.items():
        if r is None:
            out.append((text, "not run (N=10,000 not in --sizes)", None, ""))
            continue
        if key == "indicators":
            v = r.timings["indicators"].median
            out.append((text, _s(v), v < limit, "" if v < limit else _off(v / limit, "over")))
        elif key == "pages":
            errors = [p for p, m in r.pages.items() if m["error"]]
            worst = page_worst(r, "cold")
            if worst is None:
                out.append((text, "no page rendered", False, "; ".join(errors)))
                continue
            slow = [
                p for p, m in r.pages.items() if not m["error"] and not m.get("skipped") and m["cold"].median >= limit
            ]
            skipped = [p for p, m in r.pages.items() if m.get("skipped")]
            comment = f"over on {', '.join(slow)} (worst {worst / limit:.1f}× the limit)" if slow else ""
            if errors:
                comment += f" pages with errors: {', '.join(errors)}"
            if skipped:
                comment += f" not rendered (far over, see ¹): {', '.join(skipped)}"
            out.append(
                (
                    text,
                    f"worst cold {_s(worst)}, worst warm {_s(page_worst(r, 'warm'))}",
                    not slow and not errors and not skipped,
                    comment.strip(),
                )
            )
        elif key == "import":
            v = r.import_rows_per_s
            runs = r.timings["import"].runs
            spread = f" (median of {len(runs)} runs, {min(runs):.1f}–{max(runs):.1f} s)" if len(runs) > 1 else ""
            out.append(
                (text, f"{v:,.0f} rows/s{spread}", v >= limit, "" if v >= limit else _off(limit / v, "too slow"))
            )
        elif key == "memory":
            v = max(r.memory.get(k, 0) for k in ("import", "duckdb", "pages"))
            out.append((text, _mb(v), v < limit, "" if v < limit else _off(v / limit, "over")))
        elif key == "speedup":
            v = r.speedup
            out.append((text, f"{v:.1f}×", v >= limit, "" if v >= limit else _off(limit / v, "short")))
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
) -> str:
    sizes = [r.n for r in results]
    head = "| measure | " + " | ".join(f"N = {n:,}" for n in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    lines = [
        "# Performance at scale: benchmark results",
        "",
        "Generated by `make bench` (`python -m bench`); do not edit by hand (the closing findings come from "
        "`bench/FINDINGS.md`, written from profiling). The demo year "
        "(`planboard.demo.build(2024)`) is repeated N times (`demo.scale`), written as the five contract CSV "
        "files, imported through the real importer into a fresh DuckDB file, and measured in one process. Times "
        f"are the **median of {repeat} run(s)** after one untimed warm-up (the import: {repeat} fresh imports, "
        "no warm-up).",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC, run took {elapsed / 60:.1f} min",
        f"- Machine: {os.cpu_count()} CPU(s), {cpu_model()}, {mem_total() / GB:.1f} GB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Load average (1, 5, 15 min) before the run: {load_before}; after: {load_after}",
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
    lines += ["", "## Times (median)", "", head, rule]
    for key, label in MEASURES:
        lines.append(f"| {label} | " + " | ".join(_s(r.timings[key].median) for r in results) + " |")
    lines.append("| import speed | " + " | ".join(f"{r.import_rows_per_s:,.0f} rows/s" for r in results) + " |")
    lines.append(
        "| **pandas ÷ DuckDB, 13 indicators** | " + " | ".join(f"**{r.speedup:.1f}×**" for r in results) + " |"
    )
    lines.append(
        "| pandas ÷ DuckDB, 13 indicators with case_facts made again | "
        + " | ".join(f"{r.speedup_scratch:.1f}×" for r in results)
        + " |"
    )
    if any(r.pages for r in results):
        lines += ["", "## Page server render (AppTest, median; cold = st.cache_data cleared first)", "", head, rule]
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
                        once = " (1 run: slow)" if m.get("runs") == 1 and repeat > 1 else ""
                        cells.append(_s(m[kind].median) + once)
                lines.append(f"| `{page}` {kind} | " + " | ".join(cells) + " |")
        skipped = sorted({(p, m["skipped"]) for r in results for p, m in r.pages.items() if m.get("skipped")})
        for page, why in skipped:
            lines.append(f"\n¹ `{page}` not rendered at these sizes: {why}")
        errors = [(r.n, p, m["error"]) for r in results for p, m in r.pages.items() if m["error"]]
        for n, page, err in errors:
            lines.append(f"\nN = {n:,}: `{page}` raised: " + " ".join(err.split()))
    lines += [
        "",
        "## Peak memory (resident set size of the benchmark process)",
        "",
        "Method: a thread samples this process's RSS (/proc/self/statm) every 10 ms; each cell is the highest "
        "RSS seen while that phase ran (it includes what earlier phases left resident: the interpreter, "
        "pandas, Streamlit, DuckDB's buffer cache). The CSV files are generated in a child process so the "
        "generator's frames never count here. The whole run's getrusage(RUSAGE_SELF).ru_maxrss is in the "
        "header.",
        "",
        head,
        rule,
    ]
    for phase, label in (
        ("import", "during the import"),
        ("duckdb", "during indicators, series, breakdowns"),
        ("pages", "during page renders"),
        ("pandas", "during the pandas baseline"),
    ):
        lines.append(
            f"| {label} | " + " | ".join(_mb(r.memory[phase]) if phase in r.memory else "—" for r in results) + " |"
        )
    lines += [
        "",
        "## Correctness",
        "",
        "Before any time is reported, the pandas baseline's numerator, denominator and person counts are "
        "asserted equal to `planboard.kpis` for every indicator, at every size, at the four quarter ends "
        "(whole Center) and for each unit at 31/12/2024: "
        + "; ".join(f"N = {r.n:,}: {len(r.checked)} views, 13 indicators each, all equal" for r in results)
        + ".",
        "",
        "## Targets (at N = 10,000)",
        "",
        "| target | measured | met | comment |",
        "|---|---|---|---|",
    ]
    for text, measured, met, comment in verdicts(results):
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {text} | {measured} | {mark} | {comment} |")
    if FINDINGS.exists():  # the why, from profiling: kept by hand in bench/FINDINGS.md, copied in on every run
        lines += ["", FINDINGS.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def ratio_lines(results: list[SizeResult]) -> list[str]:
    return [
        f"N={r.n}: DuckDB/pandas time ratio {r.timings['indicators'].median / r.timings['pandas_indicators'].median:.3f} "
        f"(13 indicators: DuckDB {r.timings['indicators'].median * 1000:.0f} ms, pandas "
        f"{r.timings['pandas_indicators'].median * 1000:.0f} ms; "
        + (f"DuckDB {r.speedup:.1f}x faster" if r.speedup >= 1 else f"pandas {1 / r.speedup:.1f}x faster")
        + f"; {r.speedup_scratch:.1f}x with case_facts made again first)"
        for r in results
    ]
