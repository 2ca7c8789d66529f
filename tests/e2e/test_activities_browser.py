"""A real browser on the per-activity page: the URL keeps the activity, a chart and the records are there."""

from __future__ import annotations

from .conftest import wait_for_app


def test_activity_page_keeps_activity_in_url(server, page):
    page.goto(f"{server}/theo-hoat-dong?activity=4.1&as_of=2024-09-30")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    assert "activity=4.1" in page.url
    body = page.inner_text("body")
    # demo at 30/09/2024: 16 broadcasts against 18 expected -> Chậm tiến độ
    assert "Hoạt động 4.1 – Truyền thông thường xuyên: tiến độ đến 30/09/2024" in body
    assert "Chậm tiến độ" in body
    assert page.locator(".js-plotly-plot").first.is_visible()
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    assert "Hồ sơ đứng sau các con số" in body
