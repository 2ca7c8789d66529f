"""A real browser on the demo PROVINCE (issue 12): the Department's account sees the three centers side by side,
clicks the one behind and lands on its overview with the same as-of date; the year-over-year page beside it.
Screenshots at 1366 px (a laptop, the meeting room's projector) are kept in the test's tmp folder."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, _settle, running_server, sign_in

DEPARTMENT = ("sobl", "demo-sobl")  # the demo province's Department account (README)
HB = "Cơ sở BTXH Hòa Bình (dữ liệu mẫu)"


@pytest.fixture(scope="module")
def province_server(tmp_path_factory):
    """A real server on the demo province, built by the CLI as `make run` does on a first start."""
    tmp = tmp_path_factory.mktemp("e2e_province")
    db = tmp / "province.duckdb"
    subprocess.run(
        [sys.executable, "-m", "planboard", "demo", "--db", str(db)], cwd=ROOT, check=True, capture_output=True
    )
    with running_server(db) as url:
        yield url


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


def shot(pg, path) -> None:
    """A screenshot of the whole page at 1366 px wide: the window made as tall as the app's content (the app
    scrolls inside its main block, which a full-page screenshot would cut at the window's height)."""
    height = pg.evaluate("""() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"] *')]
        .map(e => e.scrollHeight))""")
    pg.set_viewport_size({"width": 1366, "height": min(max(768, height + 120), 6000)})
    time.sleep(1)
    pg.screenshot(path=str(path))
    pg.set_viewport_size({"width": 1366, "height": 768})


def open_signed_in(pg, url: str) -> None:
    pg.goto(url)
    _settle(pg, 90)
    sign_in(pg, *DEPARTMENT, timeout=90)


def test_the_department_compares_its_centers_and_opens_the_one_behind(province_server, laptop, tmp_path):
    pg = laptop
    open_signed_in(pg, f"{province_server}/so-sanh-co-so?province=BL&year=2024&as_of=2024-06-30")
    main = pg.locator('[data-testid="stMain"]')
    # The three centers side by side, each named in full with a link by its code; two are behind somewhere.
    for code in ("BTXH_BL", "DEMO_GR", "DEMO_HB"):
        main.get_by_role("link", name=code).wait_for(timeout=30_000)  # the one link (strict: two would fail)
    text = main.inner_text()
    shot(pg, tmp_path / "compare-1366.png")
    assert "So sánh các cơ sở đến ngày 30/06/2024" in text
    # The Department's menu lists every page it may open, with no English "View 4 more" link folding some away
    sidebar = pg.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Nhập dữ liệu" in sidebar and "Khám phá" in sidebar and "View" not in sidebar, sidebar
    for name in ("Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu", "Cơ sở BTXH Giá Rai (dữ liệu mẫu)", HB):
        assert name in text
    assert "2/3" in text
    # The roll-up of free service (9 + 12 + 9)/(12 + 12 + 11) = 30/35 = 85,7 %, with its status word.
    assert "30/35 (85,7%)" in text and "Chậm tiến độ" in text
    # Hòa Bình's column: the broadcasts cell reads 6 and "Chậm tiến độ" (6 < the 12 due by the end of June).
    # (its column is the one with its free-service rate 9/11)
    hb_column = main.locator('[data-testid="stColumn"]').filter(has_text="9/11 (81,8%)")
    assert hb_column.count() == 1
    assert "6\nChậm tiến độ" in hb_column.inner_text(), hb_column.inner_text()
    main.get_by_role("link", name="DEMO_HB").click()
    pg.wait_for_url(re.compile(r"center=DEMO_HB"), timeout=60_000)
    _settle(pg, 90)
    assert "as_of=2024-06-30" in pg.url
    text = main.inner_text()
    assert "Tiến độ các hoạt động đến 30/06/2024" in text
    shot(pg, tmp_path / "center-overview-1366.png")
    # Its own overview, not the province's: Hòa Bình's free service 9/11 (the roll-up is 30/35), its broadcasts 6.
    assert "9/11 (81,8%)" in text and "30/35" not in text
    card = main.locator('[data-testid="stColumn"]').filter(has_text="4.1. ")
    assert re.search(r"\n6\n", card.first.inner_text()), card.first.inner_text()


def test_year_over_year_in_the_browser(province_server, laptop, tmp_path):
    pg = laptop
    open_signed_in(pg, f"{province_server}/qua-cac-nam?center=BTXH_BL&year=2024&as_of=2024-06-30&indicator=A3_MIEN_PHI")
    main = pg.locator('[data-testid="stMain"]')
    pg.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    text = main.inner_text()
    # 9/12 = 75,0 % behind on 30/06/2024 beside 14/14 = 100,0 % met on 30/06/2025.
    assert "So với các năm trước, cùng ngày 30/06" in text  # the table is a canvas: its numbers are checked by AppTest
    grid = main.locator('[data-testid="stDataFrame"]').first
    assert grid.count() == 1
    shot(pg, tmp_path / "years-1366.png")


def test_the_administrator_adds_a_center_in_the_browser(province_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    pg = context.new_page()
    try:
        pg.goto(f"{province_server}/co-so")
        _settle(pg, 90)
        sign_in(pg, "admin", "demo-quantri", timeout=90)
        main = pg.locator('[data-testid="stMain"]')
        assert "Cơ sở và tỉnh" in main.inner_text() and "Các cơ sở (3)" in main.inner_text()
        form = main.locator('[data-testid="stForm"]').filter(has_text="Thêm cơ sở")
        form.get_by_role("textbox", name="Mã cơ sở").fill("cs_pl")
        form.get_by_role("textbox", name="Tên cơ sở").fill("Cơ sở BTXH Phước Long")
        form.get_by_role("button", name="Thêm cơ sở").click()
        _settle(pg, 90)
        text = main.inner_text()
        assert "Đã lưu cơ sở CS_PL — Cơ sở BTXH Phước Long (tỉnh Bạc Liêu, mã BL)." in text
        assert "Các cơ sở (4)" in text
        shot(pg, tmp_path / "centers-admin-1366.png")
    finally:
        context.close()
