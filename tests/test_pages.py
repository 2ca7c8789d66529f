"""AppTest over every page: no exception, and a specific number on screen."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, add_case, add_resident, sign_in
from streamlit.testing.v1 import AppTest

from planboard import db, demo


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    demo.fill(db.connect(path))
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


@pytest.fixture
def small_db(tmp_path, monkeypatch):
    """Four eligible requests, two served free: A3_MIEN_PHI = 2/4 (50,0%)."""
    path = tmp_path / "small.duckdb"
    con = db.connect(path)
    add_resident(con, "R1")
    add_case(con, "C1", "R1", dt.date(2024, 2, 1), status="hoan_thanh", accepted_on=dt.date(2024, 2, 5),
             closed_on=dt.date(2024, 3, 1))
    add_case(con, "C2", "R1", dt.date(2024, 3, 1), status="dang_thuc_hien", accepted_on=dt.date(2024, 3, 4))
    add_case(con, "C3", "R1", dt.date(2024, 4, 1), status="tiep_nhan")
    add_case(con, "C4", "R1", dt.date(2024, 5, 1), status="tu_choi", closed_on=dt.date(2024, 5, 9))
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


def app(page: str = "pages/indicators.py", **query) -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60))
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page).run()


def cell_texts(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


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
