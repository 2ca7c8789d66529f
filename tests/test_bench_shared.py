"""`make bench`'s shared mode (bench/shared.py, issue 13): the same data in a file and in a lake on a throwaway
PostgreSQL, measured side by side in one run and written into the results as lake ÷ file. No timing thresholds
here (the targets are judged in bench/RESULTS.md); this checks that the measures are taken and written."""

from __future__ import annotations

import os
import re

import pytest

from bench import report, shared


def test_the_reason_is_written_when_the_shared_mode_cannot_be_measured():
    lines = report.shared_section("PostgreSQL không có trên máy này")
    assert lines[0].startswith("## Shared mode (DuckLake on PostgreSQL)")
    assert lines[-1] == "Not measured in this run: PostgreSQL không có trên máy này"


@pytest.mark.slow
def test_shared_bench_measures_file_and_lake_side_by_side():
    why = shared.unavailable()
    if why:
        if os.environ.get("PLANBOARD_REQUIRE_PG") == "1":
            pytest.fail(f"PLANBOARD_REQUIRE_PG=1 but {why}")
        pytest.skip(why)
    result = shared.measure(10, repeat=1, quick=True, log=lambda s: None)
    # N = 10 over 10 centers: every center one demo year; the import is one center's year:
    # 120 residents + 40 requests + 63 events + 25 staff + 12 training = 260 rows.
    assert result["import_rows"] == 260
    assert result["rows"] > 10 * 260  # the demo province's 3 centers carry 2025 too
    for mode in ("file", "lake"):
        assert set(result[mode]) == {
            "fill_s",
            "indicators_cold_s",
            "indicators_warm_s",
            "indicators_after_write_s",
            "version_read_ms",
            "import_rows_per_s",
            "two_importers_s",
        }
        assert all(v > 0 for v in result[mode].values()), result[mode]
    assert set(result["pages"]) == set(shared.QUICK_PAGES)
    text = "\n".join(report.shared_section(result))
    assert "| `pages/overview.py` warm (AppTest, a new session) | " in text
    assert re.search(
        r"\| warm pages within 1\.5x of the file \| worst pages/\w+\.py: \d+\.\d\dx \| (yes|\*\*no\*\*) \|", text
    )
    assert re.search(r"\| 13 indicators cold < 1 s on the lake \| \d+\.\d{3} s \|", text)


def test_the_section_replaces_the_previous_one_in_the_results(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Results\n\n## Targets (issue 17)\n\nrow\n\n## Findings\n\ntext\n", encoding="utf-8")
    shared.write_section(path, "first reason")
    shared.write_section(path, "second reason")
    text = path.read_text(encoding="utf-8")
    assert text.count("## Shared mode") == 1 and "second reason" in text and "first reason" not in text
    assert text.startswith("# Results\n\n## Targets (issue 17)\n\nrow\n\n## Findings\n\ntext\n\n## Shared mode")
