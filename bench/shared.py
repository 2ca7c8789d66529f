"""The shared mode side by side with the embedded file, in one run (issue 13). The same data goes into a DuckDB file
and into a DuckLake on a throwaway PostgreSQL (tests/pg_cluster.py: a temp folder, a free loopback port, stopped at
the end): N demo-years spread over 10 centers (the demo province's 3 and 7 more, each `demo.scale`d by N / 10).
Measured for each mode, as the ratio lake ÷ file:

- the 13 indicators of every center at 31/12/2024, cold (the first call on a fresh connection) and uncached again;
- the data-version read (the app caches results per version and reads it once per script run);
- pages warm (AppTest, every later visitor until the next import: a new session, its results cached), the worst
  of them named;
- import rows/s (one center's files through the importer into a fresh database);
- two concurrent importers (two `planboard import` processes of two centers started together; the file admits one
  writer, so on the file they run one after the other — what a center has to do today).

    python -m bench.shared [N] [--quick] [--write bench/RESULTS.md]
        # default N = 1,000; prints one line per measure and a JSON summary; --write puts the section
        # (report.shared_section) into an existing results file in place of its previous one

`python -m bench` runs it after the embedded sizes when PostgreSQL's binaries are there (else says why not) and
writes the table into bench/RESULTS.md (report.shared_section)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

from planboard import db, demo, org, rollup
from planboard.codes import TABLES
from planboard.plan import DEMO_PLANS_DIR, PLANS_DIR, load_plans

from .clock import timed

AS_OF = dt.date(2024, 12, 31)
CENTERS = 10
EXTRA = tuple(f"BENCH_{i:02d}" for i in range(1, CENTERS - 2))  # the 7 centers added to the demo province's 3
PAGES = ("pages/overview.py", "pages/activities.py", "pages/quarters.py", "pages/units.py", "pages/indicators.py")
QUICK_PAGES = PAGES[:2]
WARM_RUNS = 7  # warm renders per page and mode (at least): cheap, and the machine is shared
TARGET_WARM = 1.5  # issue 13: warm pages within 1.5x of the file
TARGET_COLD_S = 1.0  # issue 13: the 13 indicators cold under 1 s on the lake


def _cluster_module():
    spec = importlib.util.spec_from_file_location("pg_cluster", db.ROOT / "tests" / "pg_cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["pg_cluster"] = module  # its dataclass looks its module up while being made
    spec.loader.exec_module(module)
    return module


def unavailable() -> str | None:
    """Why the shared mode cannot be measured here (no PostgreSQL binaries, no extension wheels), else None."""
    module = _cluster_module()
    if module.pg_bin() is None:
        return module.NO_PG
    try:
        db._extension_dir()
    except db.DatabaseUnavailable as e:
        return str(e)
    return None


def plans_folder(folder: Path) -> Path:
    """A plans folder for the 10 centers: the installation's plans, and the demo centers' plans of 2024 and 2025
    issued also to EXTRA (a copy with its `centers` line changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in PLANS_DIR.glob("*.toml"):
        shutil.copy(f, folder / f.name)
    names = ", ".join(f'"{c}"' for c in EXTRA)
    for year in (2024, 2025):
        text = (DEMO_PLANS_DIR / f"demo-centers-{year}.toml").read_text(encoding="utf-8")
        text = text.replace('centers = ["DEMO_GR", "DEMO_HB"]', f"centers = [{names}]")
        assert f"centers = [{names}]" in text, "demo-centers plan's centers line changed"
        (folder / f"bench-centers-{year}.toml").write_text(text, encoding="utf-8")
    return folder


def save_centers(con) -> None:
    """The demo province's centers and EXTRA (the plans folder names them all)."""
    for code, name, _ in demo.DEMO_CENTERS:
        org.save_center(con, code, name, *demo.PROVINCE, is_demo=True)
    for i, code in enumerate(EXTRA):
        org.save_center(con, code, f"Cơ sở đo tải {i + 1}", *demo.PROVINCE, is_demo=True)


def fill(con, n: int, seed: int = 2024) -> dict[str, int]:
    """The demo province's 3 centers and EXTRA, each center's demo years scaled by n // 10, in one write, then the
    demo's meetings; returns row counts."""
    per = max(1, n // CENTERS)
    save_centers(con)
    own = demo.province(seed)
    own |= {code: demo.build(seed + 1000 + i) for i, code in enumerate(EXTRA)}
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for center, frames in own.items():
        for name, df in demo.scale(frames, per).items():
            tables[name].append(df.assign(center=center))
    counts = demo.write(con, {name: pd.concat(frames, ignore_index=True) for name, frames in tables.items()})
    demo.fill_meetings(con)
    return counts


def _indicators(con, plans) -> None:
    chosen = {c.code: p for c in org.centers(con) if (p := plans.plan_for(c.code, AS_OF.year)) is not None}
    assert len(chosen) == CENTERS, sorted(chosen)
    rollup.compute(con, chosen, AS_OF)


def _render(session, target: str, cold: bool) -> float:
    """Seconds of one render of the session's page on `target` in a new AppTest session (cold: cache cleared)."""
    os.environ["PLANBOARD_DB"] = target
    return timed(session.render, 1, warmup=0, before=session.open_cold if cold else session.open).median


def _pages(targets: dict[str, str], pages: tuple[str, ...], repeat: int) -> dict[str, dict[str, dict[str, float]]]:
    """{page: {mode: {"cold": s, "warm": median s}}}. Per page: one cold render in each mode (the data cache
    cleared first), one untimed warm-up each, then WARM_RUNS new sessions warm, the two modes alternating so that the
    shared machine's load changes weigh on both alike."""
    from . import app_pages

    old = os.environ.get("PLANBOARD_DB")
    try:
        out = {}
        for page in pages:
            sessions = {mode: app_pages._Session(page, AS_OF.isoformat(), 900) for mode in targets}
            times = {mode: {"cold": 0.0, "warm": []} for mode in targets}
            for mode in targets:
                times[mode]["cold"] = _render(sessions[mode], targets[mode], cold=True)
            for mode in targets:  # the other mode's cold run cleared this one's cache: fill it again
                _render(sessions[mode], targets[mode], cold=False)
            for _ in range(max(repeat, WARM_RUNS)):
                for mode in targets:
                    times[mode]["warm"].append(_render(sessions[mode], targets[mode], cold=False))
            out[page] = {m: {"cold": t["cold"], "warm": statistics.median(t["warm"])} for m, t in times.items()}
        return out
    finally:
        os.environ.pop("PLANBOARD_DB", None) if old is None else os.environ.__setitem__("PLANBOARD_DB", old)


def _import_cmd(target: str, center: str, folder: Path) -> list[str]:
    return [sys.executable, "-m", "planboard", "import", "--db", target, "--center", center, str(folder)]


def _importers(target: str, csvs: Path, together: bool) -> float:
    """Wall seconds for two `planboard import` processes (FIRST_CENTER's and DEMO_GR's files, the same rows) into
    `target`: started together, or one after the other. Either failing is an error of the benchmark."""
    save_centers(db.connect(target))
    db.close(target)  # the file admits one process: the importers open it themselves
    env = {**os.environ, "PYTHONPATH": str(db.ROOT)}
    commands = [_import_cmd(target, c, csvs) for c in (db.FIRST_CENTER, "DEMO_GR")]
    t0 = time.perf_counter()
    if together:
        procs = [
            subprocess.Popen(c, cwd=db.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands
        ]
        outs = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=1800)
            outs.append((p.returncode, stdout, stderr))
    else:
        outs = []
        for c in commands:
            r = subprocess.run(c, cwd=db.ROOT, env=env, capture_output=True, timeout=1800)
            outs.append((r.returncode, r.stdout, r.stderr))
    seconds = time.perf_counter() - t0
    for rc, _, err in outs:
        if rc != 0:
            raise RuntimeError(f"an importer failed on {target}: {err.decode(errors='replace')[-500:]}")
    return seconds


def measure(n: int = 1000, repeat: int = 3, quick: bool = False, log=print) -> dict:
    """{"n", "centers", "rows", "import_rows", "file": {measure: value}, "lake": {...}, "pages": {page: {mode:
    {"cold", "warm"}}}} for the same data in a file and in a lake, in this process (importers: child processes)."""
    from . import run

    pg_cluster = _cluster_module()
    cluster = pg_cluster.start_cluster()
    folder = Path(tempfile.mkdtemp(prefix="planboard-bench-shared-"))
    saved = {k: os.environ.get(k) for k in ("PLANBOARD_DATA_PATH", "PLANBOARD_PLANS")}
    try:
        os.environ["PLANBOARD_DATA_PATH"] = str(folder / "parquet")
        os.environ["PLANBOARD_PLANS"] = str(plans_folder(folder / "plans"))
        plans = load_plans(include_demo=True)
        csvs = folder / "csv"
        import_rows = sum(run.write_csvs(csvs, max(1, n // CENTERS), 2024).values())

        def lake_target(name: str) -> str:
            return db.LAKE_PREFIX + cluster.createdb(f"bench_{name}_{uuid.uuid4().hex[:8]}")

        from . import report

        out: dict = {"n": n, "centers": CENTERS, "import_rows": import_rows}
        out["when"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average before {report.load_average()}"
        targets = {"file": str(folder / "bench.duckdb"), "lake": lake_target("pages")}
        for mode, target in targets.items():
            t0 = time.perf_counter()
            out["rows"] = sum(fill(db.connect(target), n).values())
            out[mode] = {"fill_s": time.perf_counter() - t0}
            db.close(target)
        for mode, target in targets.items():
            m = out[mode]
            con = db.connect(target)  # a fresh connection: nothing of the fill is cached
            m["indicators_cold_s"] = timed(lambda con=con: _indicators(con, plans), 1, warmup=0).median
            m["indicators_warm_s"] = timed(lambda con=con: _indicators(con, plans), repeat, warmup=0).median
            m["version_read_ms"] = timed(lambda con=con: db.data_version(con), 20, warmup=0).median * 1000
            # what a page pays after an import: a write (a new snapshot) on the open connection, then the 13 again
            org.save_center(con, EXTRA[0], "Cơ sở đo tải 1", *demo.PROVINCE, is_demo=True)
            m["indicators_after_write_s"] = timed(lambda con=con: _indicators(con, plans), 1, warmup=0).median
            log(f"  shared/{mode}: indicators cold {m['indicators_cold_s']:.3f} s, warm {m['indicators_warm_s']:.3f} s")
        out["pages"] = _pages(targets, QUICK_PAGES if quick else PAGES, repeat)
        for page, modes in out["pages"].items():
            log(
                "  shared: "
                + page
                + ", ".join(f" {m} cold {t['cold']:.3f} s warm {t['warm']:.3f} s" for m, t in modes.items())
            )
        for mode, target in targets.items():
            db.close(target)
            m = out[mode]
            fresh = str(folder / "import.duckdb") if mode == "file" else lake_target("import")
            con = db.connect(fresh)
            plan = plans.plan_for(db.FIRST_CENTER, AS_OF.year)
            from planboard import ingest

            t0 = time.perf_counter()
            result = ingest.import_paths(con, plan, [csvs], user="bench", center=db.FIRST_CENTER)
            seconds = time.perf_counter() - t0
            if result.problems or not result.written:
                raise RuntimeError(f"the benchmark import was refused: {result.problems}")
            m["import_rows_per_s"] = import_rows / seconds
            db.close(fresh)
            two = str(folder / "two.duckdb") if mode == "file" else lake_target("two")
            m["two_importers_s"] = _importers(two, csvs, together=mode == "lake")
            log(
                f"  shared/{mode}: import {m['import_rows_per_s']:,.0f} rows/s, two importers {m['two_importers_s']:.1f} s"
            )
            out[mode] = m
        out["when"] += f", after {report.load_average()}"
        return out
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        pg_cluster.remove(cluster)
        shutil.rmtree(folder, ignore_errors=True)


def worst_page(result: dict) -> tuple[str, float]:
    """The page whose warm render on the lake is slowest relative to the file: (page, lake ÷ file)."""
    ratios = {p: t["lake"]["warm"] / t["file"]["warm"] for p, t in result["pages"].items()}
    page = max(ratios, key=ratios.get)
    return page, ratios[page]


def rows(result: dict) -> list[tuple[str, float, float, str]]:
    """(measure, file value, lake value, unit) for the report, in order."""
    f, lake = result["file"], result["lake"]
    out = [
        (
            "13 indicators of 10 centers, cold (first call, fresh connection)",
            f["indicators_cold_s"],
            lake["indicators_cold_s"],
            "s",
        ),
        ("13 indicators of 10 centers, uncached again", f["indicators_warm_s"], lake["indicators_warm_s"], "s"),
        (
            "13 indicators of 10 centers, first after a write (connection open: the app after an import)",
            f.get("indicators_after_write_s", float("nan")),
            lake.get("indicators_after_write_s", float("nan")),
            "s",
        ),
        ("data-version read (once per script run)", f["version_read_ms"], lake["version_read_ms"], "ms"),
    ]
    for page, t in result["pages"].items():
        out.append((f"`{page}` warm (AppTest, a new session)", t["file"]["warm"], t["lake"]["warm"], "s"))
        out.append((f"`{page}` cold (cache cleared)", t["file"]["cold"], t["lake"]["cold"], "s"))
    out += [
        (
            f"import of one center's files ({result['import_rows']:,} rows), rows/s",
            f["import_rows_per_s"],
            lake["import_rows_per_s"],
            "rows/s",
        ),
        (
            "two importers of two centers (file: one after the other; lake: at once), wall",
            f["two_importers_s"],
            lake["two_importers_s"],
            "s",
        ),
        ("filling the 10 centers (demo.write, one transaction)", f["fill_s"], lake["fill_s"], "s"),
    ]
    return out


def verdicts(result: dict) -> list[tuple[str, str, bool]]:
    """(target, measured, met) of issue 13's two targets."""
    page, ratio = worst_page(result)
    cold = result["lake"]["indicators_cold_s"]
    return [
        (f"warm pages within {TARGET_WARM}x of the file", f"worst {page}: {ratio:.2f}x", ratio <= TARGET_WARM),
        (f"13 indicators cold < {TARGET_COLD_S:g} s on the lake", f"{cold:.3f} s", cold < TARGET_COLD_S),
    ]


def write_section(path: Path, result: dict | str) -> None:
    """Put the shared-mode section into the results file `path`, replacing the one there (up to the next `## `
    heading), else at its end."""
    from . import report

    section = report.shared_section(result)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if section[0] in lines:
        start = lines.index(section[0])
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = [*section, ""]
    else:
        lines += ["", *section]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    args = [a for a in argv if a != "--quick"]
    out = None
    if "--write" in args:
        i = args.index("--write")
        out = Path(args[i + 1])
        del args[i : i + 2]
    why = unavailable()
    if why:
        print(f"shared mode not measured: {why}")
        return 0
    n = int(args[0]) if args else 1000
    result = measure(n, repeat=2 if quick else 3, quick=quick)
    print(f"shared mode, demo x{n} over {CENTERS} centers ({result['rows']:,} rows), lake ÷ file:")
    for text, f, lake, unit in rows(result):
        print(f"  {text}: file {f:,.3f} {unit}, lake {lake:,.3f} {unit}, lake/file {lake / f:.2f}x")
    for text, measured, met in verdicts(result):
        print(f"  {'met' if met else 'MISSED'}: {text}: {measured}")
    print(json.dumps(result))
    if out is not None:
        write_section(out, result)
        print(f"Wrote the shared-mode section into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
