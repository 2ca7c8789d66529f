"""Cut-off text measured in a real browser at the two screens of the meeting room (1366 and 1920 px wide): every
cell of the indicator tables, the import page's messages and the sidebar's quick-pick hint are read whole, and the
activity page's cards are titled by indicator names, not codes."""

from __future__ import annotations

import pytest

from .conftest import CUT_JS, TABLE_CELLS, wait_for_app


@pytest.fixture(params=[1366, 1920])
def screen(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()


def test_indicator_tables_read_whole(server, screen):
    screen.goto(f"{server}/chi-tieu?as_of=2024-06-30")
    wait_for_app(screen)
    screen.wait_for_selector('[data-testid="stTable"]', timeout=60_000)
    assert screen.locator('[data-testid="stDataFrame"]').count() == 0  # not a grid that cuts at its column widths
    assert screen.evaluate(CUT_JS, TABLE_CELLS) == []
    text = screen.locator('[data-testid="stTable"]').inner_text()
    # the longest name, the small-sample flag, the strict target and the status words, whole
    assert "Tỷ lệ yêu cầu diện ưu tiên (người có công; bị bạo lực, bạo hành, ngược đãi) được đáp ứng (%)" in " ".join(
        text.split()
    )
    assert "4/4 (100,0%) · mẫu nhỏ" in " ".join(text.split()) and "> 80,0%" in text
    assert "Chậm tiến độ" in " ".join(text.split())
    # the sidebar's quick-pick hint is whole too
    assert screen.evaluate(CUT_JS, '[data-testid="stSidebar"] [data-baseweb="select"] *') == []


def test_unit_view_indicator_names_read_whole(server, screen):
    screen.goto(f"{server}/theo-bo-phan?as_of=2024-06-30&unit=CTXH")
    wait_for_app(screen)
    screen.wait_for_selector('[data-testid="stTable"]', timeout=60_000)
    assert screen.evaluate(CUT_JS, TABLE_CELLS) == []
    assert "Số dịp cao điểm đã tổ chức hoạt động (06/6, tháng 10, 01/10)" in " ".join(
        screen.locator('[data-testid="stTable"]').inner_text().split()
    )


def test_activity_cards_are_titled_by_names(server, screen):
    screen.goto(f"{server}/theo-hoat-dong?activity=4.1&as_of=2024-06-30")
    wait_for_app(screen)
    screen.wait_for_selector(".js-plotly-plot", timeout=60_000)
    main = screen.locator('[data-testid="stMain"]').inner_text()
    assert "Số buổi phát thanh về TGPL trên loa nội bộ" in main
    assert "A41_PHAT_THANH" not in main and "A41_HOP" not in main
