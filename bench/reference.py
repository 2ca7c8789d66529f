"""Reference points measured in the same run as what they judge (issue 17): the 13 indicators in one hand-written
DuckDB statement, DuckDB's own `read_csv` into plain tables on the same CSV files, and the importer on those files,
both in a child process of their own so their memory is theirs alone.

`python -m bench.reference read_csv|import FOLDER DBFILE` prints {"seconds": …, "rss_growth": …} (JSON): the wall
time of the work and how far the process's resident memory rose above what it held before the work (the
interpreter and its libraries are not the work's)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from planboard import db

from . import SQL

# indicator code: the one-statement columns of (numerator, denominator, person_count, served_person_count)
ONE_STATEMENT = {
    "A1_VAN_BAN": ("a1_van_ban", None, None, None),
    "A2_TAP_HUAN": ("a2_numerator", "a2_denominator", None, None),
    "A3_MIEN_PHI": ("a3_numerator", "a3_denominator", "a3_person_count", "a3_served_person_count"),
    "A3_UU_TIEN": ("a3p_numerator", "a3p_denominator", "a3p_person_count", "a3p_served_person_count"),
    "A3_YEU_CAU": ("a3_yeu_cau", None, None, None),
    "A41_PHAT_THANH": ("a41_phat_thanh", None, None, None),
    "A41_HOP": ("a41_hop", None, None, None),
    "A41_BAO_CAO": ("a41_bao_cao", None, None, None),
    "A4_LUOT_NCT": ("a4_luot_nct", None, None, None),
    "A42_CAO_DIEM": ("a42_cao_diem", None, None, None),
    "A5_KIEM_TRA": ("a5_kiem_tra", None, None, None),
    "A5_HUONG_DAN": ("a5_huong_dan", None, None, None),
    "A5_BAO_CAO": ("a5_bao_cao", None, None, None),
}


COLUMNS = [
    "a1_van_ban",
    "a2_numerator",
    "a2_denominator",
    "a3_numerator",
    "a3_denominator",
    "a3_person_count",
    "a3_served_person_count",
    "a3p_numerator",
    "a3p_denominator",
    "a3p_person_count",
    "a3p_served_person_count",
    "a3_yeu_cau",
    "a41_phat_thanh",
    "a41_hop",
    "a41_bao_cao",
    "a4_luot_nct",
    "a42_cao_diem",
    "a5_kiem_tra",
    "a5_huong_dan",
    "a5_bao_cao",
]  # the statement's select list, in order


def one_statement(con: db.Source, center: str, period_start: dt.date, as_of: dt.date) -> dict[str, tuple]:
    """{indicator code: (numerator, denominator, person_count, served_person_count)} from
    bench/indicators_one_statement.sql, fetched as plain rows (as kpis fetches its own), not a DataFrame."""
    rows = db.query_rows(
        con, SQL / "indicators_one_statement.sql", center=center, period_start=period_start, period_end=as_of
    )
    row = dict(zip(COLUMNS, rows[0], strict=True))
    return {code: tuple(None if c is None else int(row[c]) for c in cols) for code, cols in ONE_STATEMENT.items()}


def one_statement_mismatches(results: list, got: dict[str, tuple]) -> list[str]:
    """Differences between kpis.compute results and the one statement (same fields as baseline.mismatches)."""
    out = []
    for r in results:
        want = (r.numerator, r.denominator, r.person_count, r.served_person_count)
        if got.get(r.code) != want:
            out.append(f"{r.code} at {r.as_of}: kpis {want} != one statement {got.get(r.code)}")
    return out


def _rss() -> int:
    from .clock import rss_bytes

    return rss_bytes()


def _plain_read_csv(folder: Path, path: Path):
    """DuckDB's own reader, every file into a plain table of the types it detects: no keys, no checks. Returns the
    work as a callable (what is loaded before it is not timed)."""
    import duckdb

    def work() -> None:
        con = duckdb.connect(str(path))
        try:
            for f in sorted(folder.glob("*.csv")):
                con.execute(f"create table {f.stem} as select * from read_csv(?, header = true)", [str(f)])
        finally:
            con.close()

    return work


def _import(folder: Path, path: Path):
    """The importer on the same files into a fresh file whose schema is applied beforehand (untimed, as the
    in-process measure always did); the plan and the modules are loaded before too."""
    from planboard import ingest
    from planboard.plan import load_plan

    plan = load_plan()
    big = ingest.Limits(max_file_bytes=2**40, max_rows=10**9)  # the page's upload limits are for people
    con = db.connect(path)

    def work() -> None:
        result = ingest.import_paths(con, plan, [folder], limits=big, source="bench")
        db.close(path)
        if not result.ok:
            raise SystemExit(f"import of {folder} failed: {result.problems[:5]}")

    return work


def _child(kind: str, folder: Path, path: Path) -> dict:
    """Run in the child: the work once, timed, with the memory it added (sampled every 10 ms)."""
    from .clock import RssSampler

    work = {"read_csv": _plain_read_csv, "import": _import}[kind](folder, path)
    before = _rss()
    with RssSampler() as sampler, sampler.phase("work"):
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_growth": sampler.peaks["work"] - before}


def run_child(kind: str, folder: Path, path: Path) -> dict:
    """`kind` ('read_csv' or 'import') of `folder` into a fresh `path`, in a child process: its JSON answer."""
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    out = subprocess.run(
        [sys.executable, "-m", "bench.reference", kind, str(folder), str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=db.ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    print(json.dumps(_child(args[0], Path(args[1]), Path(args[2]))))


if __name__ == "__main__":
    main()
