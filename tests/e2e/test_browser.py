"""A real browser against a real server: what a person sees."""

from __future__ import annotations

from .conftest import wait_for_app


def test_indicator_page_shows_demo_numbers(server, page, tmp_path):
    page.goto(f"{server}/chi-tieu?as_of=2024-06-30")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "Các chỉ tiêu của kế hoạch đến ngày 30/06/2024" in body
    page.screenshot(path=str(tmp_path / "indicators.png"), full_page=True)
    # A static table (cells wrap, read whole): 9 of 12 eligible requests served by 30/06.
    table = page.locator('[data-testid="stTable"]').first
    table.wait_for()
    assert "9/12 (75,0%)" in table.inner_text()
    assert "Kế hoạch 08/KH-TTBTXH" in body


def test_quick_pick_changes_the_url(server, page):
    page.goto(f"{server}/chi-tieu?as_of=2024-12-31")
    wait_for_app(page)
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Chọn nhanh").locator("input").click()
    page.get_by_role("option", name="Quý III/2024").click()
    wait_for_app(page)
    assert "as_of=2024-09-30" in page.url
    assert "đến ngày 30/09/2024" in page.inner_text("body")
