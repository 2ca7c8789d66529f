"""The measurements of one size N, in this process: import, indicators, series, breakdowns, pages, pandas."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from planboard import db, kpis
from planboard.periods import month_ends, quarter_end
from planboard.plan import Plan

from . import SQL, app_pages, baseline, browser, reference, server_memory
from .clock import RssSampler, Timing, timed, timed_pair


@dataclass
class SizeResult:
    n: int
    rows: dict[str, int]
    csv_bytes: int
    timings: dict[str, Timing] = field(default_factory=dict)
    pages: dict[str, dict] = field(default_factory=dict)
    memory: dict[str, int] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)  # what the pandas/DuckDB agreement covered
    toy: dict = field(default_factory=dict)  # the toy page, server side: {"cold": Timing, "warm": Timing}
    browser: dict[str, dict] = field(default_factory=dict)  # bench.browser.measure's answer (toy included)
    server: dict[str, dict] = field(default_factory=dict)  # bench.server_memory.measure's answer (toy included)
    load: list[str] = field(default_factory=list)  # load average when the size started and when it ended

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def import_rows_per_s(self) -> float:
        return self.total_rows / self.timings["import"].median

    @property
    def speedup(self) -> float:
        """pandas time ÷ DuckDB time for the 13 indicators at one as-of date (> 1: DuckDB faster)."""
        return self.timings["pandas_indicators"].median / self.timings["indicators"].median

    @property
    def speedup_scratch(self) -> float:
        """The same, with DuckDB also making case_facts again (pandas derives everything on every call)."""
        return self.timings["pandas_indicators"].median / self.timings["indicators_scratch"].median


def write_csvs(folder: Path, n: int, seed: int) -> dict[str, int]:
    """The scaled demo as CSV files, built in a child process so its frames never count in this one's memory."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.data", str(folder), str(n), str(seed)],
        check=True,
        capture_output=True,
        text=True,
        cwd=db.ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fresh(path: Path) -> None:
    db.close(path)
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)


def measure_import(folder: Path, db_file: Path, repeat: int) -> tuple[Timing, Timing, dict[str, int]]:
    """The importer and DuckDB's plain read_csv on the same files, alternately, each run in a fresh child process
    and a fresh DuckDB file: (import times, read_csv times, {"import": peak RSS growth, "read_csv": …}). The last
    import's file is left in db_file for the measures that follow."""
    imports, reads, growth = Timing(), Timing(), {"import": 0, "read_csv": 0}
    plain = db_file.with_name(db_file.stem + "-plain.duckdb")
    for _ in range(repeat):
        r = reference.run_child("read_csv", folder, plain)
        reads.runs.append(r["seconds"])
        growth["read_csv"] = max(growth["read_csv"], r["rss_growth"])
        r = reference.run_child("import", folder, db_file)
        imports.runs.append(r["seconds"])
        growth["import"] = max(growth["import"], r["rss_growth"])
    for p in (plain, Path(f"{plain}.wal")):
        p.unlink(missing_ok=True)
    return imports, reads, growth


def measure_cli_kpis(db_file: Path, as_of: dt.date, repeat: int, small: Path | None = None) -> tuple[Timing, Timing]:
    """`python -m planboard kpis` on the file, as a person runs it: a fresh process opening the database. With
    `small` (the N = 1 file of the same run), that file's call is timed turn about with this one's, so the ratio
    of the two is taken under the same load: (this file's timing, small's timing; empty without small)."""

    def once(path: Path) -> float:
        cmd = [sys.executable, "-m", "planboard", "kpis", "--db", str(path), "--as-of", as_of.isoformat()]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=db.ROOT)
        return time.perf_counter() - start

    out, ref = Timing(), Timing()
    for _ in range(repeat):
        out.runs.append(once(db_file))
        if small is not None and small != db_file:
            ref.runs.append(once(small))
    return out, ref


def measure_size(
    n: int,
    work: Path,
    plan: Plan,
    repeat: int,
    sampler: RssSampler,
    *,
    seed: int = 2024,
    as_of: dt.date = dt.date(2024, 12, 31),
    pages: bool = True,
    browser_sizes: tuple[int, ...] = (),
    skip_pages: dict[str, tuple[int, str]] | None = None,
    log=print,
) -> SizeResult:
    folder = work / f"n{n}"
    rows = write_csvs(folder, n, seed)
    res = SizeResult(n, rows, sum(f.stat().st_size for f in folder.glob("*.csv")))
    log(f"N={n}: {res.total_rows:,} rows, {res.csv_bytes / 2**20:.1f} MB of CSV")
    res.load.append(_load())
    log(f"  load average {res.load[0]}")
    db_file = work / f"n{n}.duckdb"
    t = res.timings

    db.close(db_file)
    t["import"], t["read_csv"], growth = measure_import(folder, db_file, repeat)
    res.memory.update({f"{k}_growth": v for k, v in growth.items()})
    log(
        f"  import {t['import'].median:.2f} s ({res.import_rows_per_s:,.0f} rows/s), DuckDB read_csv "
        f"{t['read_csv'].median:.2f} s; memory added {growth['import'] / 2**20:,.0f} MB vs {growth['read_csv'] / 2**20:,.0f} MB"
    )
    small = work / "n1.duckdb"
    t["cli_kpis"], t["cli_kpis_small"] = measure_cli_kpis(db_file, as_of, repeat, small if small.exists() else None)
    log(
        f"  `python -m planboard kpis` {t['cli_kpis'].median:.2f} s"
        + (f" (N = 1's file turn about: {t['cli_kpis_small'].median:.2f} s)" if t["cli_kpis_small"].runs else "")
    )
    con = db.connect(db_file)
    added = {table: c for table, c in db.query_rows(con, SQL / "row_counts.sql")}
    if added != rows:
        raise AssertionError(f"import of {folder} holds {added}, expected {rows}")
    months = month_ends(plan.year)
    quarters = [quarter_end(plan.year, q) for q in range(1, 5)]
    units = [u.code for u in plan.units]
    period = dict(centers=[plan.only_center()], period_start=plan.start, period_end=as_of, department=None)
    with sampler.phase(f"duckdb {n}"):
        # taken turn about, 5× the runs: at N = 1 both are milliseconds and their ratio is the target
        t["indicators"], t["one_statement"] = timed_pair(
            lambda: kpis.compute(con, plan, as_of),
            lambda: reference.one_statement(con, plan.only_center(), plan.start, as_of),
            5 * repeat,
        )
        t["indicators_scratch"] = timed(lambda: (db.refresh_derived(con), kpis.compute(con, plan, as_of)), repeat)
        t["monthly"] = timed(lambda: kpis.compute_many(con, plan, months), repeat)
        t["quarterly"] = timed(lambda: kpis.compute_many(con, plan, quarters), repeat)
        t["per_unit"] = timed(lambda: [kpis.compute(con, plan, as_of, u) for u in units], repeat)
        t["explore_requests"] = timed(
            lambda: db.query(con, SQL / "requests_by_unit_quarter_field.sql", **period), repeat
        )
        t["explore_events"] = timed(lambda: db.query(con, SQL / "events_by_type_month.sql", **period), repeat)
    log(
        f"  13 indicators {t['indicators'].median * 1000:.0f} ms, monthly {t['monthly'].median * 1000:.0f} ms, "
        f"quarterly {t['quarterly'].median * 1000:.0f} ms, per unit {t['per_unit'].median * 1000:.0f} ms"
    )
    if pages:
        res.toy = app_pages.measure_toy(repeat)
        log(f"  toy page: cold {res.toy['cold'].median:.2f} s, warm {res.toy['warm'].median:.2f} s")
        with sampler.phase(f"pages {n}"):
            skip = {p: why for p, (from_n, why) in (skip_pages or {}).items() if n >= from_n}
            res.pages = app_pages.measure(db_file, repeat, as_of=as_of.isoformat(), skip=skip)
        for page, m in res.pages.items():
            if m.get("skipped"):
                log(f"  {page}: skipped ({m['skipped']})")
            elif m["error"]:
                log(f"  {page}: ERROR {m['error']}")
            else:
                log(f"  {page}: cold {m['cold'].median:.2f} s, warm {m['warm'].median:.2f} s")

    with sampler.phase(f"pandas {n}"):
        start = time.perf_counter()
        frames = baseline.load(folder)
        t["pandas_load"] = Timing([time.perf_counter() - start])
        t["pandas_indicators"] = timed(lambda: baseline.compute(frames, plan, as_of), repeat)
        res.checked = check_agreement(con, frames, plan, quarters, units, as_of)
        frames.clear()
    log(
        f"  pandas: read CSVs {t['pandas_load'].median:.2f} s, 13 indicators "
        f"{t['pandas_indicators'].median * 1000:.0f} ms; agreement checked on {len(res.checked)} (as_of, unit) views"
    )
    res.memory.update({k.split()[0]: v for k, v in sampler.peaks.items() if k.endswith(f" {n}")})
    db.close(db_file)
    if pages:
        res.server = server_memory.measure(db_file, as_of.isoformat())
        log(
            f"  server memory after every page once: {res.server['app']['after'] / 2**20:,.0f} MB, at rest "
            f"{res.server['app']['rest'] / 2**20:,.0f} MB (peak "
            f"{res.server['app']['peak'] / 2**20:,.0f} MB), toy server {res.server['toy']['after'] / 2**20:,.0f} MB"
        )
    if n in browser_sizes:
        if browser.available():
            res.browser = browser.measure(db_file, repeat, as_of=as_of.isoformat(), log=log)
        else:
            log(f"  browser: {browser.CHROMIUM} is missing, settled times not measured")
    res.load.append(_load())
    return res


def _load() -> str:
    from .report import load_average

    return load_average()


def check_agreement(con, frames, plan: Plan, dates: list[dt.date], units: list[str], as_of: dt.date) -> list[str]:
    """Assert pandas = DuckDB (numerator, denominator, person counts) at every date for the Center and for every
    unit at as_of; return the views checked."""
    views = [(d, None) for d in dates] + [(as_of, u) for u in units]
    problems = []
    for d in dates:  # the one-statement reference computes the same numbers (whole Center)
        got = reference.one_statement(con, plan.only_center(), plan.start, plan.clip(d))
        problems += reference.one_statement_mismatches(kpis.compute(con, plan, d), got)
    for d, unit in views:
        problems += baseline.mismatches(kpis.compute(con, plan, d, unit), baseline.compute(frames, plan, d, unit))
    if problems:
        raise AssertionError("pandas baseline and DuckDB disagree:\n" + "\n".join(problems))
    return [f"{d.isoformat()} {unit or 'all'}" for d, unit in views]
