"""The shared mode side by side with the embedded file, in one run (issue 13): the demo province scaled by N in a
DuckDB file and in a DuckLake on a throwaway PostgreSQL (tests/pg_cluster.py: a temp folder, a free loopback port,
stopped at the end), then the 13 indicators of every center, cold (first call on a fresh connection) and warm
(median of 5), and the data-version read that every cached page pays (the app caches results per version, so a
warm cached page costs that read and nothing else).

    python -m bench.shared [N]      # default N = 1; prints one line per measure and a JSON summary
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from planboard import db, demo, org, rollup
from planboard.plan import load_plans

AS_OF = dt.date(2025, 6, 30)


def _cluster_module():
    spec = importlib.util.spec_from_file_location("pg_cluster", db.ROOT / "tests" / "pg_cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["pg_cluster"] = module  # its dataclass looks its module up while being made
    spec.loader.exec_module(module)
    return module


def _indicators(con) -> None:
    plans = load_plans(include_demo=True)
    chosen = {c.code: p for c in org.centers(con) if (p := plans.plan_for(c.code, AS_OF.year)) is not None}
    rollup.compute(con, chosen, AS_OF)


def _time(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def measure(n: int = 1, warm_runs: int = 5) -> dict[str, dict[str, float]]:
    """{mode: {measure: seconds}} for the file and the lake, same data, same process."""
    pg_cluster = _cluster_module()
    cluster = pg_cluster.start_cluster()
    folder = Path(tempfile.mkdtemp(prefix="planboard-bench-shared-"))
    try:
        os.environ["PLANBOARD_DATA_PATH"] = str(folder / "parquet")
        targets = {
            "file": str(folder / "bench.duckdb"),
            "lake": db.LAKE_PREFIX + cluster.createdb(f"bench_{uuid.uuid4().hex[:8]}"),
        }
        out: dict[str, dict[str, float]] = {}
        for mode, target in targets.items():
            t0 = time.perf_counter()
            demo.fill_province(db.connect(target), n=n)
            fill = time.perf_counter() - t0
            db.close(target)
            con = db.connect(target)  # a fresh connection: nothing of the fill is cached
            cold = _time(lambda con=con: _indicators(con))[0]
            warm = _time(lambda con=con: _indicators(con), warm_runs)
            version = _time(lambda con=con: db.data_version(con), 20)
            out[mode] = {
                "fill_s": fill,
                "indicators_cold_s": cold,
                "indicators_warm_s": statistics.median(warm),
                "version_read_ms": statistics.median(version) * 1000,
            }
            db.close(target)
        return out
    finally:
        pg_cluster.remove(cluster)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1
    result = measure(n)
    f, lake = result["file"], result["lake"]
    print(f"shared mode, demo province x{n}, 13 indicators of every center at {AS_OF}:")
    for key in ("indicators_cold_s", "indicators_warm_s", "version_read_ms", "fill_s"):
        print(f"  {key:20} file {f[key]:8.3f}   lake {lake[key]:8.3f}   lake/file {lake[key] / f[key]:6.1f}x")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
