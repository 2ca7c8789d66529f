"""AppTest over every page: no exception, and a specific number on screen."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, add_case, add_resident, open_app
from streamlit.testing.v1 import AppTest

from planboard import db


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    """Four eligible requests, two served free: A3_MIEN_PHI = 2/4 (50,0%)."""
    path = tmp_path / "small.duckdb"
    con = db.connect(path)
    add_resident(con, "R1")
    add_case(
        con,
        "C1",
        "R1",
        dt.date(2024, 2, 1),
        status="hoan_thanh",
        accepted_on=dt.date(2024, 2, 5),
        closed_on=dt.date(2024, 3, 1),
    )
    add_case(con, "C2", "R1", dt.date(2024, 3, 1), status="dang_thuc_hien", accepted_on=dt.date(2024, 3, 4))
    add_case(con, "C3", "R1", dt.date(2024, 4, 1), status="tiep_nhan")
    add_case(con, "C4", "R1", dt.date(2024, 5, 1), status="tu_choi", closed_on=dt.date(2024, 5, 9))
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


def app(page: str = "pages/indicators.py", **query) -> AppTest:
    return open_app(page, **query)


def cell_texts(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in [*at.dataframe, *at.table])


def test_indicator_table_on_small_db(small_db):
    at = app(as_of="2024-06-30")
    assert not at.exception
    text = cell_texts(at)
    # 2 served (C1, C2 accepted) of 4 eligible, none withdrawn: 2/4 = 50,0%; denominator < 10 -> mẫu nhỏ
    assert "2/4 (50,0%) · mẫu nhỏ" in text
    assert "Chậm tiến độ" in text


def test_indicator_table_on_demo_db_with_unit(demo_db):
    at = app(as_of="2024-06-30", unit="CTXH")
    assert not at.exception
    assert at.title[0].value == "Các chỉ tiêu của kế hoạch đến ngày 30/06/2024"
    text = cell_texts(at)
    # Under a unit filter every indicator is monitor-only in the default plan.
    assert "Theo dõi" in text and "Đạt" not in text and "Chậm tiến độ" not in text


def test_as_of_outside_plan_year_is_clipped(demo_db):
    at = app(as_of="2026-03-01")
    assert not at.exception
    assert at.title[0].value.endswith("31/12/2024")


@pytest.fixture
def two_years(tmp_path, monkeypatch, demo_db):
    """The shipped 2024 plan of BTXH_BL plus a 2025 plan of the same center whose broadcast target is 12 a year."""
    folder = tmp_path / "plans"
    folder.mkdir()
    text = (ROOT / "data" / "plans" / "btxh-bl-2024.toml").read_text(encoding="utf-8")
    (folder / "btxh-bl-2024.toml").write_text(text, encoding="utf-8")
    next_year = (
        text.replace('number = "08/KH-TTBTXH"', 'number = "09/KH-TTBTXH"')
        .replace("year = 2024\n", "year = 2025\n", 1)
        .replace(
            'target_year = 24\nop = ">="\nquarter_targets = [6, 12, 18, 24]',
            'target_year = 12\nop = ">="\nquarter_targets = [3, 6, 9, 12]',
        )
    )
    assert next_year.count("09/KH-TTBTXH") == 1 and "quarter_targets = [3, 6, 9, 12]\nsource" in next_year
    (folder / "btxh-bl-2025.toml").write_text(next_year, encoding="utf-8")
    monkeypatch.setenv("PLANBOARD_PLANS", str(folder))
    return folder


def _row(at: AppTest, code: str) -> dict:
    df = at.table[0].value
    return df[df["Mã"] == code].iloc[0].to_dict()


def test_plan_year_from_the_url(two_years):
    at = app(as_of="2024-09-30", year="2024")
    # 2024 plan: 16 broadcasts by 30/09 against 18 due -> behind.
    assert _row(at, "A41_PHAT_THANH")["Trạng thái"] == "Chậm tiến độ"
    assert at.sidebar.selectbox(key="f_year").options == ["2024", "2025"]
    at = app(as_of="2025-09-30", year="2025")
    # 2025 plan: target 12 a year, 9 due by 30/09; the demo holds one broadcast dated 2025 -> 1 < 9, behind.
    row = _row(at, "A41_PHAT_THANH")
    assert (row["Kết quả"], row["Mục tiêu năm"], row["Trạng thái"]) == ("1", "12 *", "Chậm tiến độ")
    assert "Kế hoạch 09/KH-TTBTXH" in at.sidebar.markdown[0].value
    assert at.query_params["year"] == "2025" and at.query_params["as_of"] == "2025-09-30"


def test_broken_plan_file_is_a_message_naming_the_key(two_years):
    text = (two_years / "btxh-bl-2025.toml").read_text(encoding="utf-8")
    (two_years / "btxh-bl-2025.toml").write_text(text.replace('lead = ["HCTH"]', 'lead = ["XYZ"]'), encoding="utf-8")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error[0].value == ("Tệp kế hoạch không hợp lệ: Khóa 'activities.2.lead': bộ phận không xác định 'XYZ'.")


def test_two_plans_for_one_center_and_year_name_both_files(two_years):
    text = (two_years / "btxh-bl-2024.toml").read_text(encoding="utf-8")
    (two_years / "ban-sao.toml").write_text(text, encoding="utf-8")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error[0].value == (
        "Tệp kế hoạch không hợp lệ: Hai kế hoạch cho cùng cơ sở 'BTXH_BL' năm 2024: "
        "ban-sao.toml và btxh-bl-2024.toml. Mỗi cơ sở chỉ có một kế hoạch mỗi năm."
    )


def test_sidebar_speaks_the_chosen_language_and_the_plan_year(demo_db):
    at = app(as_of="2024-06-30", lang="en")
    assert not at.exception
    unit = next(s for s in at.sidebar.selectbox if s.key == "f_unit")
    quick = next(s for s in at.sidebar.selectbox if s.key == "f_quick")
    assert unit.label == "Unit" and "Social Work & Community Development" in unit.options
    assert quick.placeholder == "A month end or a quarter end"
    at = app(as_of="2024-06-30")
    unit = next(s for s in at.sidebar.selectbox if s.key == "f_unit")
    quick = next(s for s in at.sidebar.selectbox if s.key == "f_quick")
    assert "Bộ phận Công tác Xã hội và Phát triển cộng đồng" in unit.options
    assert quick.placeholder == "Cuối một tháng hoặc một quý"  # no "…": it read as cut text


def test_a_shared_link_with_an_as_of_opens_that_year(tmp_path, monkeypatch):
    """The demo province has plans for 2024 and 2025: `?as_of=2024-06-30` without `year=` is 2024's view (the year
    of a view is year=, else the as-of's), and a roll-up names its centers in the sidebar, not one plan's number."""
    import time

    from planboard import auth, demo

    path = tmp_path / "province.duckdb"
    con = db.connect(path)
    demo.fill_province(con)
    auth.ensure_demo_accounts(con)
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["as_of"] = "2024-06-30"
    at.session_state["_user"] = auth.active_user(con, "sobl")
    at.session_state["_user_seen"] = time.time()
    at.run()
    assert not at.exception
    assert at.query_params["as_of"] == "2024-06-30" and at.query_params["year"] == "2024", dict(at.query_params)
    assert at.query_params["province"] == "BL"
    assert at.sidebar.markdown[0].value == (
        "**Tỉnh Bạc Liêu (cộng gộp 3 cơ sở)**  \nSố cộng gộp theo kế hoạch từng cơ sở, năm 2024"
    )
    db.close(path)
