"""A real browser on the Tổng quan page: the title, the six cards' status words, a card's link."""

from __future__ import annotations

import re

from .conftest import wait_for_app


def test_overview_cards_and_link(server, page, tmp_path):
    page.goto(f"{server}/?as_of=2024-06-30")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    assert "Tiến độ các hoạt động đến 30/06/2024" in main.inner_text()
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    # kpis at 30/06/2024: activities 1 and 3 are Chậm tiến độ (A1 0 < 1; A3 9/12 < 100 %), the other four on pace.
    expected = {
        "1": "Chậm tiến độ",
        "2": "Đúng tiến độ",
        "3": "Chậm tiến độ",
        "4.1": "Đúng tiến độ",
        "4.2": "Đúng tiến độ",
        "5": "Đúng tiến độ",
    }
    cards = main.locator('[data-testid="stColumn"]').filter(has_text="Xem chi tiết hoạt động")
    texts = [cards.nth(i).inner_text() for i in range(cards.count())]
    for code, word in expected.items():
        card = [t for t in texts if t.lstrip().startswith(f"{code}. ")]
        assert len(card) == 1, (code, texts)
        assert card[0].find(word) != -1, (code, card[0])
    assert "9/12 (75,0%)" in main.inner_text()
    # Cards of a row are equally tall (activities have 1 to 4 indicators): the two rows of three, measured.
    bordered = """e => { const d = [...e.querySelectorAll('[data-testid="stVerticalBlock"]')].find(
        x => getComputedStyle(x).borderTopStyle !== 'none' && getComputedStyle(x).borderTopWidth !== '0px');
        const r = d.getBoundingClientRect(); return {y: r.y, height: r.height}; }"""
    boxes = [cards.nth(i).evaluate(bordered) for i in range(cards.count())]
    rows: dict[int, list[float]] = {}
    for box in boxes:
        rows.setdefault(round(box["y"]), []).append(box["height"])
    assert sorted(len(h) for h in rows.values()) == [3, 3], rows
    for heights in rows.values():
        assert max(heights) - min(heights) <= 2, rows
    page.get_by_role("link", name="Xem chi tiết hoạt động 4.1").click()
    page.wait_for_url(re.compile(r"activity="), timeout=30_000)
    assert "activity=4.1" in page.url and "as_of=2024-06-30" in page.url
