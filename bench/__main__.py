"""`python -m bench [--sizes 1,100,1000,10000] [--repeat 3] [--browser-sizes 1,1000] [--quick] [--out bench/RESULTS.md]
[--no-pages] [--no-browser] [--shared N | --no-shared] [--note TEXT]`."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from planboard.plan import load_plan

from . import report
from .clock import RssSampler, max_rss_bytes
from .run import measure_size

DEFAULT_OUT = Path(__file__).resolve().parent / "RESULTS.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--sizes", default="1,100,1000,10000", help="comma-separated scale factors N (default %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per measure; the median is reported")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the results (Markdown)")
    p.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="folder for the CSV files and DuckDB files (default: a temporary folder, removed afterwards)",
    )
    p.add_argument("--no-pages", action="store_true", help="skip the page renders (AppTest)")
    p.add_argument(
        "--browser-sizes",
        default="1,1000",
        help="sizes at which every page is also timed in Chromium (browser-settled; default %(default)s)",
    )
    p.add_argument("--no-browser", action="store_true", help="skip the browser-settled times")
    p.add_argument(
        "--quick",
        action="store_true",
        help="a short run on a shared machine: sizes 1,1000, 2 runs per measure (unless --sizes/--repeat say)",
    )
    p.add_argument(
        "--skip-page",
        action="append",
        default=[],
        metavar="PAGE[@N][=REASON]",
        help="do not render PAGE (e.g. pages/reports.py) at sizes >= N (default: every size); the reason "
        "is written in the results (repeatable)",
    )
    p.add_argument(
        "--shared",
        type=int,
        default=None,
        metavar="N",
        help="the shared mode (DuckLake on a throwaway PostgreSQL) beside the file at N demo-years over 10 centers "
        "(default 1000; --quick: 100); skipped with the reason when PostgreSQL is not installed",
    )
    p.add_argument("--no-shared", action="store_true", help="skip the shared-mode measures")
    p.add_argument("--note", action="append", default=[], help="a line added to the results' header (repeatable)")
    args = p.parse_args(argv)
    if args.quick:
        given = set(argv if argv is not None else sys.argv[1:])
        if not any(a.startswith("--sizes") for a in given):
            args.sizes = "1,1000"
        if not any(a.startswith("--repeat") for a in given):
            args.repeat = 2
    if args.shared is None:
        args.shared = 100 if args.quick else 1000
    args.browser_sizes = () if args.no_browser else tuple(int(s) for s in args.browser_sizes.split(",") if s.strip())
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.skip_pages = {}
    for item in args.skip_page:
        spec, _, reason = item.partition("=")
        page, _, from_n = spec.partition("@")
        args.skip_pages[page.strip()] = (int(from_n) if from_n else 0, reason.strip() or "skipped with --skip-page")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        p.error("--sizes needs positive integers and --repeat at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # AppTest outside `streamlit run` logs warnings on every run, and a page's traceback goes to the log: the
    # benchmark records page errors in the results, so its own lines are all that is printed.
    logging.disable(logging.CRITICAL)
    started = dt.datetime.now(dt.UTC)
    load_before = report.load_average()
    t0 = time.perf_counter()
    plan = load_plan()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="planboard-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        with RssSampler() as sampler:
            for n in args.sizes:
                results.append(
                    measure_size(
                        n,
                        work,
                        plan,
                        args.repeat,
                        sampler,
                        pages=not args.no_pages,
                        browser_sizes=args.browser_sizes,
                        skip_pages=args.skip_pages,
                        log=lambda s: print(s, flush=True),
                    )
                )
        shared_result = None if args.no_shared else _shared(args)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    notes = list(args.note) + [f"Process peak RSS over the whole run (ru_maxrss): {max_rss_bytes() / 2**20:,.0f} MB"]
    text = report.markdown(
        results,
        repeat=args.repeat,
        started=started,
        elapsed=time.perf_counter() - t0,
        notes=notes,
        load_before=load_before,
        load_after=report.load_average(),
        shared=shared_result,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nWrote {args.out}")
    for text, measured, met, comment in report.verdicts(results):
        print(f"  {'—' if met is None else ('met' if met else 'MISSED')}: {text}: {measured} {comment}".rstrip())
    if isinstance(shared_result, dict):
        from . import shared

        for text, measured, met in shared.verdicts(shared_result):
            print(f"  {'met' if met else 'MISSED'}: {text}: {measured}")
    print()
    for line in report.ratio_lines(results):
        print(line)
    return 0


def _shared(args: argparse.Namespace) -> dict | str:
    """bench.shared's measures at args.shared, or why they were not taken (no PostgreSQL or extension here)."""
    from . import shared

    why = shared.unavailable()
    if why:
        print(f"shared mode not measured: {why}", flush=True)
        return why
    print(f"shared mode: N = {args.shared:,} over {shared.CENTERS} centers, file and lake", flush=True)
    return shared.measure(args.shared, repeat=args.repeat, quick=args.quick, log=lambda s: print(s, flush=True))


if __name__ == "__main__":
    sys.exit(main())
