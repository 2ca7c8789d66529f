"""Correctness at scale: the pandas baseline equals the DuckDB indicators on the scaled demo; the benchmark runs
end to end on a tiny size. No timing thresholds here: times are for `make bench`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bench import baseline, data, reference
from bench.__main__ import main
from planboard import db, demo, kpis
from planboard.periods import month_end

AS_OF = [
    dt.date(2024, 1, 31),
    dt.date(2024, 3, 31),
    dt.date(2024, 6, 30),
    dt.date(2024, 6, 14),
    dt.date(2024, 9, 30),
    dt.date(2024, 10, 1),
    dt.date(2024, 12, 31),
    dt.date(2025, 3, 1),
]


@pytest.fixture(scope="module", params=[1, 3])
def scaled(request, tmp_path_factory):
    """The demo scaled by N, as CSV files (read back by pandas) and imported the same way into DuckDB."""
    n = request.param
    folder = tmp_path_factory.mktemp(f"bench_n{n}")
    counts = data.write_csvs(folder / "csv", n)
    path = folder / "demo.duckdb"
    con = db.connect(path)
    demo.fill(con, n=n)
    yield n, counts, baseline.load(folder / "csv"), con
    db.close(path)


def test_csv_files_hold_the_scaled_demo(scaled):
    n, counts, frames, _ = scaled
    assert counts == {t: n * len(df) for t, df in demo.build().items()}
    assert {t: len(df) for t, df in frames.items()} == counts


@pytest.mark.parametrize("as_of", AS_OF)
def test_pandas_baseline_equals_duckdb_for_the_center(scaled, plan, as_of):
    _, _, frames, con = scaled
    assert baseline.mismatches(kpis.compute(con, plan, as_of), baseline.compute(frames, plan, as_of)) == []


@pytest.mark.parametrize("unit", ["CTXH", "CSKC", "HCTH", "BGD"])
def test_pandas_baseline_equals_duckdb_for_a_unit(scaled, plan, unit):
    _, _, frames, con = scaled
    for as_of in (month_end(2024, 6), month_end(2024, 12)):
        assert (
            baseline.mismatches(kpis.compute(con, plan, as_of, unit), baseline.compute(frames, plan, as_of, unit)) == []
        )


@pytest.mark.parametrize("as_of", AS_OF)
def test_one_statement_reference_equals_kpis(scaled, plan, as_of):
    """The benchmark's one hand-written statement (its reference for the 13 indicators) computes the same numbers."""
    _, _, _, con = scaled
    got = reference.one_statement(con, plan.only_center(), plan.start, plan.clip(as_of))
    assert reference.one_statement_mismatches(kpis.compute(con, plan, as_of), got) == []


def test_counts_scale_and_rates_stay(scaled, plan):
    """The story of the demo survives scaling: counts × N, rates unchanged (31/12: A2 7/9, A41_PHAT_THANH 25)."""
    n, _, frames, _ = scaled
    got = {v.code: v for v in baseline.compute(frames, plan, dt.date(2024, 12, 31))}
    assert (got["A2_TAP_HUAN"].numerator, got["A2_TAP_HUAN"].denominator) == (7 * n, 9 * n)
    assert got["A41_PHAT_THANH"].numerator == 25 * n
    assert got["A41_HOP"].numerator == 12  # distinct months do not scale


def test_mismatches_are_reported(scaled, plan):
    _, _, frames, con = scaled
    duck = kpis.compute(con, plan, dt.date(2024, 12, 31))
    panda = baseline.compute(frames, plan, dt.date(2024, 12, 31))
    wrong = [
        baseline.Value(v.code, v.numerator + 1, v.denominator, v.person_count, v.served_person_count)
        if v.code == "A5_BAO_CAO"
        else v
        for v in panda
    ]
    assert [m.split(" at ")[0] for m in baseline.mismatches(duck, wrong)] == ["A5_BAO_CAO"]


def test_bench_runs_end_to_end(tmp_path, capsys):
    out = tmp_path / "RESULTS.md"
    assert main(["--sizes", "1", "--repeat", "1", "--no-browser", "--no-shared", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "| measure | N = 1 |" in text
    for needle in (
        "| CSV import through the importer (child process, fresh file) ÷ DuckDB read_csv | ",
        "| 13 indicators at 31/12/2024 (kpis.compute) ÷ one statement | ",
        "monthly series",
        "events by type × month",
        "| pandas peer: the same 13 indicators from DataFrames ÷ kpis.compute | ",
        "| `python -m planboard kpis` (a fresh process opening the file) ÷ the same on N = 1's file, timed turn about | 1.00× (",
        "`toy`: the toy page",
        "`pages/indicators.py` cold | ",
        "Load average (1, 5, 15 min) before the run:",
        "Peak memory",
        "| resident as the last view ends (VmRSS) | ",
        "| resident at rest, 5 s later (VmRSS) | ",
        "| server RSS after every page once ≤ 400 MB at N = 1 (at rest: 5 s after the last view) | ",
        "## Targets",
        "DuckDB " + __import__("duckdb").__version__,
    ):
        assert needle in text, needle
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"N=1: DuckDB/pandas time ratio \d+\.\d{3} \(.*\)", last), last
    # every measure of the tables is a ratio to a reference of the same run, its time in brackets
    measures = text.split("## Times as ratios")[1].split("## Correctness")[0]
    rows = [line for line in measures.splitlines() if line.startswith("| ") and "---" not in line]
    data_rows = [line for line in rows if not line.startswith("| measure |") and not line.startswith("| view |")]
    assert data_rows and all(re.search(r"\d+\.\d+× \(", line) for line in data_rows), data_rows


def test_pages_absent_from_the_benchmark_menu_are_said_so_not_failed():
    """Issue 17 item 6: on the benchmark's one-center, one-year database the compare and years pages are not in a
    person's menu; the browser table says why, and the browser target is judged on the pages that exist."""
    from bench import browser, report
    from bench.clock import Timing
    from bench.run import SizeResult

    r = SizeResult(1, {"cases": 40}, 1000)
    for key in ("indicators", "one_statement", "pandas_indicators", "cli_kpis", "import", "read_csv"):
        r.timings[key] = Timing([0.1])
    r.browser = {
        "toy": {"first": 1.0, "again": 1.0, "error": None},
        "pages/overview.py": {"first": 1.2, "again": 1.1, "error": None},
        "pages/compare.py": {"first": None, "again": None, "error": None, "absent": browser.ABSENT["pages/compare.py"]},
    }
    (target,) = [v for v in report.verdicts([r]) if v[0].startswith("browser-settled")]
    assert target[2] is True and "compare" not in target[3]  # met: 1.1 s ≤ 1.5 s, compare not counted as failing
    text = report.markdown(
        [r],
        repeat=1,
        started=__import__("datetime").datetime(2026, 12, 2),
        elapsed=1.0,
        notes=[],
        load_before="",
        load_after="",
    )
    assert "| `pages/compare.py` | not in the menu: it appears from two centers on" in text
    assert "FINDINGS (a)" not in text and "FINDINGS (b)" not in text  # sections of an older layout


def test_every_missed_target_points_to_a_written_part_of_the_findings():
    """A verdict's "see FINDINGS, Session N: <part>" names a heading of that session in bench/FINDINGS.md."""
    import inspect

    from bench import report

    parts = set(re.findall(r'see\("([^"]+)"\)', inspect.getsource(report)))
    findings = report.FINDINGS.read_text(encoding="utf-8")
    label = report.see("x").removeprefix("see FINDINGS, ").split(":")[0]  # "Session 6"
    session = findings.split(f"### {label} ")[1].split("\n### ")[0]
    assert parts and {p for p in parts if f"#### {p}\n" not in session} == set()
