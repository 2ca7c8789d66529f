"""Holding a monthly meeting in a real browser: open it, freeze its numbers, assign an action, reopen the meeting
from its link. Own server on its own database, so the shared demo server's data stay untouched."""

from __future__ import annotations

import os

import pytest

from .conftest import own_demo_server, wait_for_app


@pytest.fixture(scope="module")
def meeting_server(tmp_path_factory):
    with own_demo_server(tmp_path_factory, "e2e_meetings") as server:
        yield server


def _date(container, page, label: str, day: str, month: str, year: str) -> None:
    """Streamlit's date field is three segments (day, month, year); typing fills one and moves to the next."""
    container.get_by_role("spinbutton", name=f"day, {label}").click()
    page.keyboard.type(day + month + year)
    page.keyboard.press("Tab")


def test_hold_a_meeting_assign_an_action_and_reopen_it(meeting_server, page):
    url, _, _ = meeting_server
    page.goto(f"{url}/giao-ban")
    wait_for_app(page)
    page.get_by_text("Chưa có cuộc họp giao ban nào").wait_for(timeout=30000)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Mở cuộc họp")
    _date(form, page, "Ngày họp", "05", "06", "2024")
    form.get_by_label("Chủ trì").fill("Giám đốc")
    form.get_by_role("button", name="Mở cuộc họp").click()
    page.get_by_role("heading", name="Giao ban tháng 6/2024").wait_for(timeout=30000)
    wait_for_app(page)
    page.get_by_role("button", name="Chốt số liệu").click()
    page.get_by_text("Đã chốt số liệu lúc").wait_for(timeout=30000)
    wait_for_app(page)
    if os.environ.get("PLANBOARD_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["PLANBOARD_SCREENSHOTS"], "giao-ban.png"), full_page=True)

    page.get_by_role("tab", name="Kết luận, nhiệm vụ").click()
    form = page.locator('[data-testid="stForm"]').filter(has_text="Nội dung nhiệm vụ")
    form.get_by_label("Nội dung nhiệm vụ").fill("Bổ sung hai buổi phát thanh trong tháng 6")
    form.get_by_role("combobox", name="Bộ phận chủ trì").click()  # type to filter, Enter to choose
    page.keyboard.type("CTXH")
    page.keyboard.press("Enter")
    _date(form, page, "Hạn hoàn thành", "30", "06", "2024")
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    wait_for_app(page)
    page.get_by_role("tab", name="Kết luận, nhiệm vụ").click()
    # the table is drawn on a canvas; its accessible copy holds the text
    page.get_by_text("Bổ sung hai buổi phát thanh trong tháng 6").first.wait_for(state="attached", timeout=30000)
    if os.environ.get("PLANBOARD_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["PLANBOARD_SCREENSHOTS"], "giao-ban-nhiem-vu.png"), full_page=True)

    page.goto(f"{url}/giao-ban?meeting=1")  # a new visit opens the meeting on its frozen numbers
    wait_for_app(page)
    page.get_by_text("Đã chốt số liệu lúc").wait_for(timeout=30000)
    assert page.get_by_role("button", name="Chốt số liệu").count() == 0
