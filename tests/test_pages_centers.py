"""The pages above one center (issue 12): the province comparison, year over year and the centers admin page —
AppTest on the demo province with a number computed by hand, and who may see them."""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from planboard import auth, db, demo, org, yoy
from planboard.plan import load_plans


@pytest.fixture(scope="module")
def province_file(tmp_path_factory):
    """The demo province (three centers of Bạc Liêu, 2024 and 2025), built once; tests copy it."""
    path = tmp_path_factory.mktemp("province") / "province.duckdb"
    con = db.connect(path)
    demo.fill_province(con)
    db.close(path)
    return path


@pytest.fixture
def province_db(province_file, tmp_path, monkeypatch):
    path = tmp_path / "province.duckdb"
    shutil.copy(province_file, path)
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


PROVINCE = org.Scope("province", "BL")


def open_as(
    page: str | None, role: str = "lanh_dao", scope: org.Scope = PROVINCE, department: str | None = None, **query
) -> AppTest:
    """The whole app signed in as an account of `role` and `scope`, on `page`, with the URL's query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["_user"] = auth.User("test", "Người dùng", role, department, scope.kind, scope.code)
    at.session_state["_user_seen"] = time.time()
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page).run() if page else at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def cells(at: AppTest, i: int = 0) -> list[dict]:
    return at.dataframe[i].value.to_dict("records")


def registered(at: AppTest, page: str) -> bool:
    """Whether the page is in this run's navigation (a page left out cannot be switched to)."""
    try:
        at.switch_page(page)
    except ValueError:
        return False
    return True


# --- year over year, core ---------------------------------------------------------------------------------------


def test_year_over_year_on_the_demo_province(province_file):
    con = db.connect(province_file)
    plans = load_plans(include_demo=True)
    try:
        c = yoy.compare(con, plans, ["BTXH_BL"], "A3_MIEN_PHI", dt.date(2024, 6, 30))
        # BTXH_BL served free 9 of its 12 eligible requests by 30/06/2024: 9/12 = 75,0% < the 100% due -> behind;
        # by 30/06/2025 14 of 14: 100,0% -> met. The change is 100 - 75 = +25 points.
        (y24, y25) = c.years
        assert (y24.year, y24.at.as_of, y24.at.numerator, y24.at.denominator, y24.at.status) == (
            2024,
            dt.date(2024, 6, 30),
            9,
            12,
            "cham_tien_do",
        )
        assert (y25.year, y25.at.as_of, y25.at.numerator, y25.at.denominator, y25.at.status) == (
            2025,
            dt.date(2025, 6, 30),
            14,
            14,
            "dat",
        )
        assert y24.change is None and y25.change == 25
        # Each year's monthly series: 2024's June end is the same 9/12; the year ends at 23/29.
        assert (y24.months[6].numerator, y24.months[6].denominator) == (9, 12)
        assert (y24.months[12].numerator, y24.months[12].denominator) == (23, 29)
        # Months after `until` are left out (not lived yet).
        cut = yoy.compare(con, plans, ["BTXH_BL"], "A3_MIEN_PHI", dt.date(2024, 6, 30), until=dt.date(2025, 3, 15))
        assert sorted(cut.years[1].months) == [1, 2] and len(cut.years[0].months) == 12

        # The province's roll-up in both years, from each year's plans: broadcasts 12 + 18 + 6 = 36 by 30/06/2024,
        # 13 + 19 + 6 = 38 by 30/06/2025 (+2); each year's target 24 + 24 + 24 = 72.
        rolled = yoy.compare(con, plans, ["BTXH_BL", "DEMO_GR", "DEMO_HB"], "A41_PHAT_THANH", dt.date(2024, 6, 30))
        assert [(y.year, y.at.numerator, y.at.target_year, y.change) for y in rolled.years] == [
            (2024, 36, 72, None),
            (2025, 38, 72, 2),
        ]
    finally:
        db.close(province_file)


def test_same_day_of_another_year():
    assert yoy.same_day(dt.date(2024, 6, 30), 2025) == dt.date(2025, 6, 30)
    assert yoy.same_day(dt.date(2024, 2, 29), 2025) == dt.date(2025, 2, 28)


def test_a_year_whose_plan_lacks_the_indicator_is_left_out_and_named(province_file, tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    text = (ROOT / "data" / "plans" / "btxh-bl-2024.toml").read_text(encoding="utf-8")
    (folder / "a-2024.toml").write_text(text, encoding="utf-8")
    start = text.index('code = "A5_BAO_CAO"')
    block_start = text.rindex("[[indicators]]", 0, start)
    following = text.find("[[", start)
    without = text[:block_start] + (text[following:] if following != -1 else "")
    (folder / "a-2025.toml").write_text(without.replace("year = 2024\n", "year = 2025\n", 1), encoding="utf-8")
    plans = load_plans(folder)
    assert plans.years(["BTXH_BL"]) == [2024, 2025]
    assert yoy.indicator_years(plans, ["BTXH_BL"])["A5_BAO_CAO"] == [2024]
    con = db.connect(province_file)
    try:
        c = yoy.compare(con, plans, ["BTXH_BL"], "A5_BAO_CAO", dt.date(2024, 6, 30))
    finally:
        db.close(province_file)
    assert [y.year for y in c.years] == [2024] and c.left_out == {2025: ("BTXH_BL",)}


# --- the province comparison ------------------------------------------------------------------------------------


def test_the_province_page_shows_each_center_beside_the_roll_up(province_db):
    at = open_as("pages/compare.py", as_of="2024-06-30", year="2024")
    assert not at.exception, at.exception
    assert at.title[0].value == "So sánh các cơ sở đến ngày 30/06/2024"
    # Two centers are behind somewhere at 30/06/2024 (BTXH_BL: A1 0 < 1 and A3 9/12; DEMO_HB: A1, A3 9/11, broadcasts
    # 6 < 12); DEMO_GR is not.
    assert at.metric[0].value == "2/3"
    text = markdown(at)
    # The grid: the roll-up of broadcasts 12 + 18 + 6 = 36 (due 6 + 6 + 6... summed 12 + 12 + 12 = 36: on track), and
    # DEMO_HB's own 6 < 12 due: behind. Each cell has the status word.
    assert "36</div>" in text and "Đúng tiến độ" in text
    assert '6</div><div style="font-size:0.9rem">Chậm tiến độ' in text
    # Rates roll up from sums: free service 9 + 12 + 9 = 30 of 12 + 12 + 11 = 35 -> 85,7%.
    assert "30/35 (85,7%)" in text
    # The breakdown, worst first: DEMO_HB has 3 indicators behind (A1, A3 free service, broadcasts), BTXH_BL 2.
    rows = cells(at)
    assert [(r["Mở trang"], r["Chậm"]) for r in rows] == [
        ("/?center=DEMO_HB&as_of=2024-06-30&year=2024", 3),
        ("/?center=BTXH_BL&as_of=2024-06-30&year=2024", 2),
        ("/?center=DEMO_GR&as_of=2024-06-30&year=2024", 0),
    ]
    # Each center (named in full, linked by its code) opens its own overview at the same as-of date.
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert links["DEMO_HB"] == "center=DEMO_HB&as_of=2024-06-30&year=2024"
    # On broadcasts, DEMO_HB's 6 (due 12 by the end of June) sorts as a number and reads "Chậm tiến độ".
    at.selectbox(key="compare_indicator").set_value("A41_PHAT_THANH").run()
    assert not at.exception
    by_code = {r["Mở trang"].split("=")[1].split("&")[0]: r for r in cells(at)}
    assert (by_code["DEMO_HB"]["Kết quả"], by_code["DEMO_HB"]["Trạng thái"]) == (6, "Chậm tiến độ")
    assert (by_code["DEMO_GR"]["Kết quả"], by_code["DEMO_GR"]["Trạng thái"]) == (18, "Đúng tiến độ")


def test_the_province_page_in_english(province_db):
    at = open_as("pages/compare.py", as_of="2024-06-30", year="2024", lang="en")
    assert not at.exception, at.exception
    assert at.title[0].value == "Centers compared as of 30/06/2024"
    assert "30/35 (85.7%)" in markdown(at) and "Behind" in markdown(at)
    at.switch_page("pages/years.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Compared with earlier years, on 30/06"


def test_the_roll_up_names_monitor_only_indicators(province_db):
    """2025: BTXH_BL's training target is 90%, the demo centers' 80%: no common target, the page names BTXH_BL."""
    at = open_as("pages/compare.py", as_of="2025-06-30", year="2025")
    assert not at.exception, at.exception
    assert "Tỷ lệ người làm công tác TGPL được tập huấn (%): mục tiêu của BTXH_BL khác" in markdown(at)


def test_a_single_center_view_offers_the_roll_up(province_db):
    at = open_as("pages/compare.py", as_of="2024-06-30", year="2024", center="DEMO_GR")
    assert not at.exception, at.exception
    assert at.info[0].value.startswith("Trang này so sánh các cơ sở")
    assert [link.proto.query_string for link in at.get("page_link")] == ["province=BL&as_of=2024-06-30"]


@pytest.mark.parametrize(
    "scope,shown", [(org.Scope("province", "BL"), True), (org.Scope(), True), (org.Scope("center", "BTXH_BL"), False)]
)
def test_the_province_page_is_for_accounts_above_one_center(province_db, scope, shown):
    at = open_as(None, scope=scope)
    assert not at.exception
    assert registered(at, "pages/compare.py") is shown
    assert registered(at, "pages/years.py")  # BTXH_BL too has plans for 2024 and 2025


# --- year over year, page -------------------------------------------------------------------------------------------


def test_the_year_over_year_page_of_one_center(province_db):
    at = open_as(
        "pages/years.py", scope=org.Scope("center", "BTXH_BL"), as_of="2024-06-30", year="2024", indicator="A3_MIEN_PHI"
    )
    assert not at.exception, at.exception
    assert at.title[0].value == "So với các năm trước, cùng ngày 30/06"
    rows = cells(at)
    # 9/12 = 75,0% behind on 30/06/2024; 14/14 = 100,0% met on 30/06/2025: +25,0 points.
    assert [(r["Năm"], r["Ngày số liệu"], r["Kết quả"], r["So với năm trước"], r["Trạng thái"]) for r in rows] == [
        ("2024", "30/06/2024", "9/12 (75,0%)", "", "Chậm tiến độ"),
        ("2025", "30/06/2025", "14/14 (100,0%)", "+25,0 điểm %", "Đạt"),
    ]
    fig = at.get("plotly_chart")[0].proto.spec
    assert '"name":"2024"' in fig.replace(" ", "") and '"name":"2025"' in fig.replace(" ", "")


def test_the_year_over_year_page_of_the_province(province_db):
    at = open_as("pages/years.py", as_of="2024-06-30", year="2024")
    assert not at.exception, at.exception
    at.selectbox(key="years_indicator").set_value("A41_PHAT_THANH").run()
    assert not at.exception
    rows = cells(at)
    # Broadcasts of the three centers: 12 + 18 + 6 = 36 by 30/06/2024, 13 + 19 + 6 = 38 by 30/06/2025 (+2).
    assert [(r["Năm"], r["Kết quả"], r["So với năm trước"], r["Mục tiêu năm"]) for r in rows] == [
        ("2024", "36", "", "72 *"),
        ("2025", "38", "+2", "72 *"),
    ]
    assert at.query_params["indicator"] == "A41_PHAT_THANH"  # a shared link opens the same indicator


# --- the centers admin page ----------------------------------------------------------------------------------------


def _admin_form(at: AppTest, **values) -> AppTest:
    labels = {"code": "Mã cơ sở", "name": "Tên cơ sở", "province": "Mã tỉnh", "province_name": "Tên tỉnh"}
    for key, value in values.items():
        next(w for w in at.text_input if w.label == labels[key]).set_value(value)
    return next(b for b in at.button if b.label == "Thêm cơ sở").click().run()


def _audit(path) -> list[tuple]:
    con = db.connect(path)
    return con.execute(
        "select username, action, is_ok, detail from audit_log where action like 'center_%' order by rowid"
    ).fetchall()


def test_the_admin_adds_and_renames_a_center_audited(province_db):
    at = open_as("pages/centers.py", role="quan_tri", scope=org.Scope())
    assert not at.exception, at.exception
    assert at.title[0].value == "Cơ sở và tỉnh"
    assert at.subheader[-1].value == "Các cơ sở (3)"
    at = _admin_form(at, code="bad code", name="Cơ sở Phước Long")
    assert at.error[0].value.startswith("Mã cơ sở không hợp lệ: 'BAD CODE'")
    at = _admin_form(at, code="btxh_bl", name="Trùng")
    assert at.error[0].value.startswith("Mã cơ sở BTXH_BL đã có (Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu)")
    at = _admin_form(at, code="cs_pl", name="Cơ sở BTXH Phước Long")
    assert not at.error and at.success[0].value.startswith("Đã lưu cơ sở CS_PL — Cơ sở BTXH Phước Long")
    # Listed at once (the save is a new data version), with no plan year yet.
    assert at.subheader[-1].value == "Các cơ sở (4)"
    listed = {r["Mã cơ sở"]: r for r in cells(at)}
    assert listed["CS_PL"]["Tỉnh"] == "Bạc Liêu" and listed["CS_PL"]["Năm có kế hoạch"] == "–"
    at.selectbox(key="center_rename_pick").set_value("CS_PL")
    next(w for w in at.text_input if w.label == "Tên mới").set_value("Cơ sở BTXH thị xã Phước Long")
    at = next(b for b in at.button if b.label == "Lưu tên mới").click().run()
    assert not at.exception and not at.error
    assert {r["Mã cơ sở"]: r["Tên cơ sở"] for r in cells(at)}["CS_PL"] == "Cơ sở BTXH thị xã Phước Long"
    log = _audit(province_db)
    assert [(u, a, ok) for u, a, ok, _ in log] == [
        ("test", "center_add", False),
        ("test", "center_add", False),
        ("test", "center_add", True),
        ("test", "center_rename", True),
    ]


def test_an_admin_of_one_province_cannot_add_a_center_elsewhere(province_db):
    at = open_as("pages/centers.py", role="quan_tri", scope=org.Scope("province", "BL"))
    at = _admin_form(at, code="CS_CM", name="Cơ sở Cà Mau", province="CM", province_name="Cà Mau")
    assert at.error[0].value == "Cơ sở CS_CM thuộc tỉnh CM, ngoài phạm vi tài khoản của bạn."
    assert at.subheader[-1].value == "Các cơ sở (3)"


@pytest.mark.parametrize("role", ["lanh_dao", "can_bo", "xem"])
def test_the_centers_page_is_for_administrators_only(province_db, role):
    at = open_as(None, role=role, scope=org.Scope(), department="CTXH" if role == "can_bo" else None)
    assert not at.exception
    assert not registered(at, "pages/centers.py")
    # Run on its own (a direct script run), the page still refuses.
    alone = AppTest.from_file(str(ROOT / "pages" / "centers.py"), default_timeout=120)
    alone.session_state["_user"] = auth.User("test", "Người dùng", role, None, "all", None)
    alone.session_state["_user_seen"] = time.time()
    alone.run()
    assert alone.error[0].value == "Vai trò của bạn không được dùng chức năng này." and not alone.title


@pytest.fixture
def seven(tmp_path, monkeypatch):
    """Seven centers of one province (no demo): CS_1..CS_6 share one plan, CS_7's plan lacks A5_HUONG_DAN; CS_1 held
    two broadcasts and CS_7 one."""
    from conftest import add_event

    path = tmp_path / "seven.duckdb"
    con = db.connect(path)
    codes = [f"CS_{i}" for i in range(1, 8)]
    for code in codes:
        org.save_center(con, code, f"Cơ sở số {code[-1]}", "BL", "Bạc Liêu")
    add_event(con, "E1", "phat_thanh", dt.date(2024, 2, 1), center="CS_1")
    add_event(con, "E2", "phat_thanh", dt.date(2024, 3, 1), center="CS_1")
    add_event(con, "E1", "phat_thanh", dt.date(2024, 3, 1), center="CS_7")
    folder = tmp_path / "plans"
    folder.mkdir()
    text = (ROOT / "data" / "plans" / "btxh-bl-2024.toml").read_text(encoding="utf-8")
    assert text.count('center = "BTXH_BL"') == 1
    (folder / "six.toml").write_text(
        text.replace('center = "BTXH_BL"', f"centers = {codes[:6]!r}".replace("'", '"')), encoding="utf-8"
    )
    start = text.index('code = "A5_HUONG_DAN"')
    block = text.rindex("[[indicators]]", 0, start)
    lacking = text[:block] + text[text.index("[[indicators]]", start) :]
    (folder / "seventh.toml").write_text(lacking.replace('center = "BTXH_BL"', 'center = "CS_7"'), encoding="utf-8")
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    monkeypatch.setenv("PLANBOARD_PLANS", str(folder))
    yield path
    db.close(path)


def test_many_centers_stack_grids_and_an_indicator_one_plan_lacks_is_named(seven):
    at = open_as("pages/compare.py", scope=org.Scope(), as_of="2024-06-30", year="2024")
    assert not at.exception, at.exception
    assert at.caption[0].value == "Tỉnh Bạc Liêu · 7 cơ sở · Kế hoạch năm 2024"
    # Five centers per grid: CS_1..CS_5, then CS_6 and CS_7 in a second grid, every one a link.
    assert [link.proto.label for link in at.get("page_link")] == [f"CS_{i}" for i in range(1, 8)]
    text = markdown(at)
    assert text.count("Số buổi phát thanh về TGPL trên loa nội bộ</div>") == 2
    # Not rolled up, and named: CS_7's plan lacks the guidance documents; its cell says so.
    assert "- Số văn bản hướng dẫn: kế hoạch của CS_7 không có chỉ tiêu này." in text
    assert text.count("Không có trong kế hoạch") == 1 and text.count("Không cộng gộp (xem ghi chú trên)") == 2
    # Broadcasts rolled up: 2 (CS_1) + 1 (CS_7) = 3, against 7 × 12 = 84 due by 30/06: behind.
    rolled = {r["Mã"]: r for r in at.table[-1].value.to_dict("records")}  # the indicator table: static, read whole
    assert (
        rolled["A41_PHAT_THANH"]["Kết quả"],
        rolled["A41_PHAT_THANH"]["Mức cần đạt hiện tại"],
        rolled["A41_PHAT_THANH"]["Trạng thái"],
    ) == ("3", "84", "Chậm tiến độ")


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/activities.py", "pages/indicators.py", "pages/quarters.py", "pages/reports.py"]
)
def test_leadership_pages_of_a_roll_up_whose_plans_differ(seven, page):
    """CS_7's plan lacks A5_HUONG_DAN: the roll-up leaves it out and no page looks it up (the overview raised a
    KeyError on its activity-5 card)."""
    at = open_as(page, scope=org.Scope(), as_of="2024-06-30", year="2024")
    assert not at.exception, at.exception
    assert "Số văn bản hướng dẫn" not in markdown(at) or page != "pages/overview.py"
