"""The meeting loop outside the Giao ban page, in a real browser: the overview card says the change since the last
meeting, the activity page draws an annotation on the indicator's chart, the owner unit's page lists its action
overdue. Own server on its own database (built by the command line: demo, meeting hold, action add, annotation add)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, running_server, wait_for_app


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "planboard", *args], cwd=ROOT, check=True, capture_output=True)


@pytest.fixture(scope="module")
def loop_server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("e2e_loop") / "loop.duckdb")
    _cli("demo", "--single", "--db", db)
    _cli("meeting", "hold", "--db", db, "--date", "2024-06-05")  # numbers at 31/05
    _cli(
        "action", "add", "--db", db, "--meeting", "1", "--text", "Bổ sung hai buổi phát thanh", "--unit", "CTXH",
        "--due", "2024-06-20", "--indicator", "A41_PHAT_THANH",
    )  # fmt: skip
    _cli(
        "annotation", "add", "--db", db, "--indicator", "A41_PHAT_THANH", "--date", "2024-06-06",
        "--text", "Đợt cao điểm phát thanh 06/6",
    )  # fmt: skip
    with running_server(db) as url:
        yield url


def test_since_the_meeting_annotation_marker_and_the_units_actions(loop_server, page):
    page.goto(f"{loop_server}/?as_of=2024-06-30")
    wait_for_app(page)
    # the demo broadcasts twice a month: 10 frozen at 31/05, 12 by 30/06
    page.get_by_text("+2 so với cuộc họp giao ban ngày 05/06/2024").first.wait_for(timeout=30000)

    page.goto(f"{loop_server}/theo-hoat-dong?activity=4.1&as_of=2024-06-30")
    wait_for_app(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30000)
    chart.get_by_text("✎ 06/06").first.wait_for(timeout=30000)  # drawn on the chart as text, not markup
    page.get_by_text("Ghi chú (1)").wait_for(timeout=30000)

    page.goto(f"{loop_server}/theo-bo-phan?unit=CTXH&as_of=2024-06-30")
    wait_for_app(page)
    page.get_by_text("Nhiệm vụ từ giao ban bộ phận phụ trách").wait_for(timeout=30000)
    # the table is drawn on a canvas; its accessible copy holds the text
    page.get_by_text("Bổ sung hai buổi phát thanh").first.wait_for(state="attached", timeout=30000)
    page.get_by_text("Chưa thực hiện · Quá hạn").first.wait_for(state="attached", timeout=30000)
