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


def test_a_click_on_the_quarter_bar_goes_into_the_link(server, page, browser):
    page.goto(f"{server}/theo-hoat-dong?activity=3&as_of=2024-09-30")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    # the first plot holds the first indicator's cumulative line and its quarter bars (Q I, Q II, Q III): click Q II
    bars = page.locator(".js-plotly-plot").nth(0).locator(".barlayer .point path")
    bars.nth(1).click(force=True)
    page.wait_for_function("() => location.search.includes('records=')", timeout=30_000)
    assert "records=2024-04-01~2024-06-30" in page.url.replace("%7E", "~")
    wait_for_app(page)
    assert "Đang lọc: Quý II/2024" in page.inner_text("body")
    # the link reopens the same selection in another browser session
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN").new_page()
    other.goto(page.url)
    wait_for_app(other)
    assert "Đang lọc: Quý II/2024" in other.inner_text("body")
    other.context.close()
