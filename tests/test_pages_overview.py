"""The leadership pages (Tổng quan, Theo quý) on the demo year and on a tiny hand-made database, and the pure
display helpers of planboard/ui/cards.py. Every expected number is computed by hand in a comment."""

from __future__ import annotations

import datetime as dt
import html
import re
from fractions import Fraction

import pytest
from conftest import BOTH_MODES, ROOT, add_case, add_event, add_resident, sign_in
from streamlit.testing.v1 import AppTest

from planboard import db
from planboard.kpis import Result
from planboard.ui import cards

D = dt.date


@pytest.fixture
def small_db(db_file, monkeypatch, plan):
    """By 30/06/2024: 4 eligible requests, 2 served free; 10 broadcasts (8 by 31/05, 2 of them HCTH's);
    one policy document; one inspection and one result report; nothing else (no staff, no priority request)."""
    path = db_file  # a file, or a lake for a both_modes test
    con = db.connect(path)
    add_resident(con, "R1")
    add_case(con, "C1", "R1", D(2024, 2, 1), status="hoan_thanh", accepted_on=D(2024, 2, 5), closed_on=D(2024, 3, 1))
    add_case(con, "C2", "R1", D(2024, 3, 1), status="dang_thuc_hien", accepted_on=D(2024, 3, 4))
    add_case(con, "C3", "R1", D(2024, 4, 1), status="tiep_nhan")
    add_case(con, "C4", "R1", D(2024, 5, 1), status="tu_choi", closed_on=D(2024, 5, 9))
    for i in range(8):
        add_event(con, f"PT{i}", "phat_thanh", D(2024, 1 + i % 5, 10 + i), plan, department="HCTH" if i < 2 else "CTXH")
    add_event(con, "PT8", "phat_thanh", D(2024, 6, 5), plan)
    add_event(con, "PT9", "phat_thanh", D(2024, 6, 20), plan)
    add_event(con, "VB1", "van_ban", D(2024, 3, 10), plan)
    add_event(con, "KT1", "kiem_tra", D(2024, 4, 1), plan, department="HCTH")
    add_event(con, "BC1", "bao_cao", D(2024, 5, 1), plan, department="HCTH")
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


@pytest.fixture
def empty_db(db_file, monkeypatch):
    path = db_file
    db.connect(path)
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


def app(page: str | None = None, **query) -> AppTest:
    """The whole app (its default page is Tổng quan) with filters taken from the URL."""
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def plain(fragment: str) -> str:
    """The text a reader sees in an HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.success] + [h.value for h in at.header]
    return plain("\n".join(parts))


def card(at: AppTest, code: str) -> str:
    """The visible text of the activity card whose heading starts with '<code>. '."""
    found = [plain(m.value) for m in at.markdown if re.search(rf'line-height:1.3">{re.escape(code)}\. ', m.value)]
    assert len(found) == 1, code
    return found[0]


def action_rows(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown if m.value.startswith('<div style="line-height:1.45">')]


def scorecard_row(at: AppTest, code: str, table: int = 0) -> list[str]:
    """The visible text of each cell of one indicator's row in the scorecard (0 = cumulative, 1 = increment)."""
    tables = [m.value for m in at.markdown if "<table" in m.value]
    row = next(r for r in tables[table].split("<tr>") if f">{code}</td>" in r)
    return [plain(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", row)]


# --- Tổng quan on the hand-made database ---------------------------------------------------------------------


@BOTH_MODES
def test_overview_small_db_cards_and_counts(small_db):
    at = app(as_of="2024-06-30")
    assert at.title[0].value == "Tiến độ các hoạt động đến 30/06/2024"
    text = page_text(at)
    # Activity 1: 1 document ≥ year target 1 -> Đạt. 2: no legal-aid staff -> Chưa có dữ liệu.
    # 3: 2/4 < 100% -> Chậm. 4.1: 10 broadcasts < 12 expected -> Chậm. 4.2: 0 occasions < 1 -> Chậm.
    # 5: 1 inspection = expected 1 (Q2 level 1 met, year 2 not) and 1 report = 1 -> Đúng tiến độ.
    assert "1 Đạt 1 Đúng tiến độ 3 Chậm tiến độ 1 Chưa có dữ liệu" in text
    a3 = card(at, "3")
    # C1, C2 accepted free; C3 pending and C4 refused stay in the denominator: 2/4 = 50,0 %, 4 < 10 -> mẫu nhỏ.
    assert "2/4 (50,0%) · mẫu nhỏ" in a3 and "Chậm tiến độ" in a3
    # Same 2/4 at 31/05 (C4 was requested 01/05): the rate did not move.
    assert "Không đổi so với 31/05/2024" in a3
    a41 = card(at, "4.1")
    # 8 broadcasts by 31/05, 2 more in June: 10; 10/24 = 41,7 % -> '42% mục tiêu năm'; expected now Q2 = 12.
    assert "Số buổi phát thanh về TGPL trên loa nội bộ 10 " in a41
    assert "Mục tiêu năm: 24 · Cần đạt đến nay: 12 · mục tiêu tham chiếu" in a41
    assert "42% mục tiêu năm" in a41 and "+2 so với 31/05/2024" in a41
    assert "Đạt" in card(at, "1") and "Chưa có dữ liệu" in card(at, "2")
    # Each card links to its activity's page with the filters kept.
    links = {pl.value: pl.proto for pl in at.page_link}
    assert links["Xem chi tiết hoạt động 4.1"].query_string == "activity=4.1&as_of=2024-06-30"


@BOTH_MODES
def test_overview_small_db_action_list_worst_first(small_db):
    at = app(as_of="2024-06-30")
    rows = action_rows(at)
    # Chậm tiến độ first, ordered by shortfall ÷ level: A41_HOP 6/6 = 1, A41_BAO_CAO 1/1 = 1, A42 1/1 = 1 (plan
    # order among equals), A3_MIEN_PHI 50/100 = 0,5, A41_PHAT_THANH 2/12 = 0,17; then Chưa có dữ liệu: A2, A3_UU_TIEN.
    assert [r.split(" · ")[0] for r in rows] == [
        "Chậm tiến độ 4.1",
        "Chậm tiến độ 4.1",
        "Chậm tiến độ 4.2",
        "Chậm tiến độ 3",
        "Chậm tiến độ 4.1",
        "Chưa có dữ liệu 2",
        "Chưa có dữ liệu 3",
    ]
    # 2 of 4 served; meeting 100 % needs all 4: 2 more, 100 − 50 = 50,0 points.
    assert (
        "Kết quả 2/4 (50,0%) · mẫu nhỏ · Cần đạt đến nay: 100,0% · còn thiếu 2 yêu cầu được đáp ứng (50,0 điểm %)"
        in rows[3]
    )
    # 12 expected by 30/06, 10 held: 2 short.
    assert "Kết quả 10 · Cần đạt đến nay: 12 · còn thiếu 2 buổi" in rows[4]
    assert "Bộ phận chủ trì: CTXH-PTCĐ" in rows[4]
    detail = [pl.proto.query_string for pl in at.page_link if pl.value == "Chi tiết"]
    assert detail[3] == "activity=3&indicator=A3_MIEN_PHI&as_of=2024-06-30"


def test_overview_small_db_unit_filter(small_db):
    at = app(as_of="2024-06-30", unit="CTXH")
    assert at.title[0].value.endswith("— Bộ phận Công tác Xã hội và Phát triển cộng đồng")
    # CTXH leads 1, 3, 4.1, 4.2, 5 and has no role in 2 (lead HCTH; coordinating KHAC, DT): five cards.
    headings = [m.value for m in at.markdown if 'line-height:1.3">' in m.value]
    assert len(headings) == 5 and not any('line-height:1.3">2. ' in h for h in headings)
    a41 = card(at, "4.1")
    # Center status stays (10 < 12 -> Chậm); CTXH's own broadcasts: 10 − 2 held by HCTH = 8.
    assert "CTXH-PTCĐ chủ trì hoạt động này" in a41 and "Đóng góp của CTXH-PTCĐ: 8" in a41
    assert "Chậm tiến độ" in a41
    # The unit's contributions table: every indicator monitor-only under a unit filter in the default plan.
    table = at.table[0].value.to_string()
    assert "Theo dõi" in table and "Chậm tiến độ" not in table
    assert all("unit=CTXH" in pl.proto.query_string for pl in at.page_link)


@BOTH_MODES
def test_overview_empty_database(empty_db):
    at = app(as_of="2024-06-30")
    text = page_text(at)
    assert "nhập dữ liệu tại trang Nhập dữ liệu" in text
    # No eligible request: 0/0, the rates have no denominator -> Chưa có dữ liệu, never a crash.
    a3 = card(at, "3")
    assert "0/0 (–)" in a3 and "Chưa có dữ liệu" in a3


def test_overview_january_shows_no_change(small_db):
    at = app(as_of="2024-01-31")
    # There is no month end of 2024 before January: no "so với" line at all.
    assert "so với" not in page_text(at)


# --- Tổng quan on the demo year ------------------------------------------------------------------------------


@BOTH_MODES
def test_overview_demo_june(demo_db):
    at = app(as_of="2024-06-30")
    text = page_text(at)
    # kpis at 30/06: A1 0 < 1 and A3_MIEN_PHI 9/12 < 100 % are Chậm; the other four activities on pace.
    assert "4 Đúng tiến độ 2 Chậm tiến độ" in text
    rows = action_rows(at)
    assert len(rows) == 2
    # A1: shortfall 1/1 = 1 comes before A3: 25/100 = 0,25.
    assert rows[0].startswith("Chậm tiến độ 1 · Số văn bản rà soát")
    assert "Kết quả 0 · Cần đạt đến nay: 1 · còn thiếu 1 văn bản" in rows[0]
    assert "Bộ phận chủ trì: CTXH-PTCĐ, HC-TH" in rows[0]
    # 9/12 served; 100 % needs 12: 3 more; 100 − 75 = 25,0 points.
    assert "còn thiếu 3 yêu cầu được đáp ứng (25,0 điểm %)" in rows[1]
    # 77,78 % (7/9) at 31/05 -> 75,00 % (9/12): 75 − 700/9 = −25/9 = −2,78 -> −2,8 points.
    assert "−2,8 điểm % so với 31/05/2024" in card(at, "3")


def test_overview_demo_year_end(demo_db):
    at = app(as_of="2024-12-31")
    rows = action_rows(at)
    # kpis at 31/12: A2 7/9 and A3_MIEN_PHI 23/29 are Không đạt. A2: > 80 % of 9 = 7,2 -> 8 needed, 1 more,
    # 80 − 77,78 = 2,2 points (shortfall 2,2/80 = 0,028); A3: 29 − 23 = 6 more, 100 − 79,31 = 20,7 points (0,207).
    assert rows[0].startswith("Không đạt 3 ·") and "còn thiếu 6 yêu cầu được đáp ứng (20,7 điểm %)" in rows[0]
    assert rows[1].startswith("Không đạt 2 ·") and "còn thiếu 1 người được tập huấn (2,2 điểm %)" in rows[1]
    assert "Mục tiêu năm: > 80,0%" in rows[1]


# --- Theo quý ------------------------------------------------------------------------------------------------


@BOTH_MODES
def test_quarters_demo_september(demo_db):
    at = app("pages/quarters.py", as_of="2024-09-30")
    assert at.title[0].value == "Kết quả theo quý năm 2024, số liệu đến 30/09/2024"
    code, _label, q1, q2, q3, q4 = scorecard_row(at, "A41_PHAT_THANH")
    # kpis: 6 broadcasts by 31/03 (T1 = 6), 12 by 30/06 (T2 = 12), 16 by 30/09 < T3 = 18 -> Chậm; Q4 not reached.
    assert (q1, q2, q3) == ("6 / 6 Đúng tiến độ", "12 / 12 Đúng tiến độ", "16 / 18 Chậm tiến độ")
    assert q4 == "— chưa đến"
    # Within each quarter: 6 of 6, 6 of 6, 16 − 12 = 4 of 18 − 12 = 6 -> 2 short.
    _c, _l, i1, i2, i3, i4 = scorecard_row(at, "A41_PHAT_THANH", table=1)
    assert (i1, i2, i3, i4) == ("6 / 6 đủ", "6 / 6 đủ", "4 / 6 thiếu 2", "— chưa đến")
    # A rate cell: 17/21 served at 30/09 (kpis), continuous level 100 %.
    assert scorecard_row(at, "A3_MIEN_PHI")[4] == "17/21 (81,0%) cần 100,0% Chậm tiến độ"


def test_quarters_running_quarter_is_marked(demo_db):
    at = app("pages/quarters.py", as_of="2024-08-15")
    q3 = scorecard_row(at, "A41_PHAT_THANH")[4]
    # Q3 is read at 15/08 against its end level T3 = 18.
    assert q3.startswith("14 / 18") and q3.endswith("đến 15/08")


# --- cards.py unit tests -------------------------------------------------------------------------------------


def result(
    plan,
    code: str,
    as_of: dt.date,
    numerator: int,
    denominator: int | None = None,
    status: str = "dung_tien_do",
    expected: float | None = None,
) -> Result:
    ind = plan.indicator(code)
    value = (
        Fraction(100 * numerator, denominator)
        if ind.kind == "rate" and denominator
        else (None if ind.kind == "rate" else Fraction(numerator))
    )
    return Result(
        indicator=ind,
        as_of=as_of,
        department=None,
        numerator=numerator,
        denominator=denominator,
        value=value,
        expected_now=expected,
        due_quarter=expected,
        target_year=ind.target.target_year if ind.target else None,
        status=status,
    )


def test_tick_position_and_fill(plan):
    # expected 12 of a year target 24: the tick at 12/24 = 50 % of the bar.
    assert cards.tick_position(12, 24) == 50.0
    assert cards.tick_position(None, 24) is None and cards.tick_position(3, None) is None
    r = result(plan, "A41_PHAT_THANH", D(2024, 6, 30), 10, expected=12)
    # 10/24 = 41,67 % filled; 30 of 24 is capped at 100 %.
    assert round(cards.fill_width(r), 2) == 41.67
    assert cards.fill_width(result(plan, "A41_PHAT_THANH", D(2024, 12, 31), 30, expected=24)) == 100.0
    bar = cards.progress_bar_html(r)
    assert "left:50.0%" in bar and "width:41.7%" in bar and "Đúng tiến độ" in bar


def test_change_text(plan):
    now = result(plan, "A41_PHAT_THANH", D(2024, 6, 30), 15)
    before = result(plan, "A41_PHAT_THANH", D(2024, 5, 31), 12)
    # 15 − 12 = +3.
    assert cards.change_text(now, before) == "+3 so với 31/05/2024"
    assert cards.change_text(before, now) == "−3 so với 30/06/2024"
    assert cards.change_text(now, now) == "Không đổi so với 30/06/2024"
    assert cards.change_text(now, None) == ""
    # 10/12 = 83,33 % against 3/4 = 75 %: +8,33 -> '+8,3 điểm %'.
    rate_now = result(plan, "A3_MIEN_PHI", D(2024, 6, 30), 10, 12)
    rate_before = result(plan, "A3_MIEN_PHI", D(2024, 5, 31), 3, 4)
    assert cards.change_text(rate_now, rate_before) == "+8,3 điểm % so với 31/05/2024"
    # No denominator last month: nothing to compare.
    assert cards.change_text(rate_now, result(plan, "A3_MIEN_PHI", D(2024, 5, 31), 0, 0)) == ""
    assert cards.change_text(rate_now, rate_before, "en") == "+8.3 pts since 31/05/2024"


def test_status_counts_text():
    statuses = {
        "1": "dat",
        "2": "dung_tien_do",
        "3": "cham_tien_do",
        "4.1": "dung_tien_do",
        "4.2": "dat",
        "5": "dung_tien_do",
    }
    assert cards.status_counts_text(statuses) == "2 Đạt · 3 Đúng tiến độ · 1 Chậm tiến độ"
    html_ = cards.status_counts_html(statuses)
    assert "#1a7f37" in html_ and "#cf222e" in html_ and "1 Chậm tiến độ" in html_


def test_action_item_gap_for_counts(plan):
    r = result(plan, "A41_PHAT_THANH", D(2024, 9, 30), 16, status="cham_tien_do", expected=18)
    item = cards.action_item(r)
    # 18 expected, 16 held: 2 short.
    assert item.gap == 2 and cards.gap_text(item) == "còn thiếu 2 buổi"
    assert cards.action_item(result(plan, "A41_PHAT_THANH", D(2024, 9, 30), 18, expected=18)) is None


def test_scorecard_csv_has_bom(plan):
    by_date = {
        D(2024, 3, 31): [
            result(plan, i.code, D(2024, 3, 31), 1, 2 if i.kind == "rate" else None) for i in plan.indicators
        ]
    }
    cells = cards.quarter_cells(plan, by_date, D(2024, 3, 31))
    data = cards.scorecard_csv(plan, cells)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    # Header + 13 indicators × 4 quarters.
    assert len(lines) == 1 + 13 * 4
    assert lines[0].startswith("Mã,Chỉ tiêu,Quý,")
    assert "chưa đến" in lines[2]
