"""Every table a page shows reads as ui.md writes: an empty cell is empty (never Streamlit's grey "None"), a date is
dd/mm/yyyy, a number 1.234, and a short table has no blank rows below it. The helper (components.table) on its own,
then every page with tables on the demo year, as an administrator (who sees every table)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from conftest import open_app

from planboard import labels
from planboard.ui import components

D = dt.date


# --- the helper ------------------------------------------------------------------------------------------------------


def test_table_height_fits_the_rows_then_scrolls():
    # 35 px a row and 35 px of header, +3 px of border: 4 rows -> 5 × 35 + 3 = 178; 40 rows scroll after 15 -> 563.
    assert components.table_height(4) == 178
    assert components.table_height(40) == 16 * 35 + 3
    assert components.table_height(40, max_rows=None) == 41 * 35 + 3
    assert components.table_height(0) == 2 * 35 + 3  # an empty table keeps one (empty) row


def test_table_config_shows_dates_and_times_day_first():
    frame = pd.DataFrame(
        {
            "Ngày": pd.to_datetime([D(2024, 3, 1), None]),  # dates, one missing
            "Ngày (object)": [D(2024, 3, 1), None],
            "Thời điểm": pd.to_datetime(["2024-03-01 08:15", None]),  # a time of day -> date and time
            "Mã": ["A", "B"],
            "Masked": ["01/03/1950", "***"],  # text stays text
        }
    )
    config = components.table_config(frame)
    assert _format(config["Ngày"]) == _format(config["Ngày (object)"]) == ("date", "DD/MM/YYYY")
    assert _format(config["Thời điểm"]) == ("datetime", "DD/MM/YYYY HH:mm")
    assert set(config) == {"Ngày", "Ngày (object)", "Thời điểm"}
    assert components.table_config(frame, plain=["Ngày"]).keys() == {"Ngày (object)", "Thời điểm"}


def test_table_display_writes_numbers_the_vietnamese_way_and_keeps_them_numbers():
    frame = pd.DataFrame(
        {
            "Lượt": [1699, 12],
            "Tuổi": [74, 81],
            "Trung vị": [2.5, 10.0],
            "Có mặt": pd.array([1234, None], dtype="Int64"),
            "Năm": [2024, 2024],
        }
    )
    shown = components.table_display(frame, "vi", plain=["Năm"])
    html = shown.to_html()
    # 1699 -> 1.699; 2.5 -> 2,5; a missing count stays empty; small whole numbers and the plain year untouched.
    assert ">1.699<" in html and ">2,5<" in html and ">1.234<" in html and ">2024<" in html and ">74<" in html
    assert shown.data["Lượt"].tolist() == [1699, 12]  # the values (and so the sorting) stay numbers
    assert components.table_display(frame[["Tuổi"]], "vi") is not None
    assert isinstance(components.table_display(frame[["Tuổi"]], "vi"), pd.DataFrame)  # nothing to format: no Styler
    assert ">1,699<" in components.table_display(frame, "en").to_html()


# --- every page --------------------------------------------------------------------------------------------------------

PAGES = [
    ("pages/people.py", {}),
    ("pages/requests.py", {}),
    ("pages/events.py", {}),
    ("pages/activities.py", {"activity": "3"}),
    ("pages/activities.py", {"activity": "2"}),
    ("pages/units.py", {}),
    ("pages/units.py", {"unit": "CTXH"}),
    ("pages/explore.py", {}),
    ("pages/users.py", {}),
]


def _config(table) -> dict:
    return json.loads(table.proto.columns) if table.proto.columns else {}


def _format(config: dict) -> tuple[str, str]:
    return config["type_config"]["type"], config["type_config"]["format"]


@pytest.mark.parametrize(("page", "query"), PAGES, ids=[f"{p}-{q}" for p, q in PAGES])
def test_no_table_shows_none_and_dates_read_day_first(demo_db, page, query):
    at = open_app(page, role="quan_tri", username="admin", as_of="2024-12-31", **query)
    assert not at.exception, at.exception
    assert at.dataframe, page
    for table in at.dataframe:
        # The browser draws a missing value as the placeholder; without one it writes a grey "None".
        assert table.proto.HasField("placeholder") and table.proto.placeholder == "", page
        config = _config(table)
        for name, column in table.value.items():
            if pd.api.types.is_datetime64_any_dtype(column):
                assert config[name]["type_config"]["format"] in ("DD/MM/YYYY", "DD/MM/YYYY HH:mm"), (page, name)


def test_staff_without_an_end_date_shows_an_empty_cell(demo_db):
    """The defect that started this: a staff member still working (no active_to) showed a grey "None"."""
    at = open_app("pages/people.py", role="quan_tri", username="admin", as_of="2024-06-30")
    assert not at.exception
    staff = at.dataframe[1]
    ended = staff.value["Ngày kết thúc"]
    assert ended.isna().sum() >= 1 and ended.notna().sum() >= 1  # demo: NV11 left on 31/08/2024, the others stay
    assert staff.proto.placeholder == ""
    assert _config(staff)["Ngày kết thúc"]["type_config"]["format"] == "DD/MM/YYYY"


def test_accounts_and_audit_read_as_words(demo_db):
    from planboard import auth, db

    auth.ensure_demo_accounts(db.connect(demo_db))
    at = open_app("pages/users.py", role="quan_tri", username="admin", as_of="2024-06-30")
    assert not at.exception
    accounts = at.dataframe[0].value.set_index("Tên đăng nhập")
    # demo accounts: admin and xem have no unit (whole Center); lanhdao is BGD's; flags as words.
    assert accounts.loc["admin", "Bộ phận"] == "Toàn Trung tâm"
    assert accounts.loc["lanhdao", "Bộ phận"] == "Ban Giám đốc"
    assert accounts.loc["admin", "Đang dùng"] == "Có" and accounts.loc["admin", "Tài khoản mẫu"] == "Có"
    assert _format(_config(at.dataframe[0])["Tạo lúc"]) == ("datetime", "DD/MM/YYYY HH:mm")
    audit_filter = next(s for s in at.selectbox if s.label == "Loại thao tác")
    assert audit_filter.options[:2] == ["Tất cả", "Đăng nhập"]  # the audit filter names actions in words


def test_event_types_are_named_in_english_under_lang_en(demo_db, plan):
    assert labels.event_type(plan, "kiem_tra", "en") == "Inspection"
    assert labels.event_type(plan, "kiem_tra", "vi") == "Đợt kiểm tra việc thực hiện"  # the plan's label
    assert labels.event_type(plan, "khong_co", "en") == "khong_co"
    at = open_app("pages/events.py", role="quan_tri", username="admin", as_of="2024-12-31", lang="en")
    assert not at.exception
    types = set(at.dataframe[-1].value["Activity type"])
    # demo 2024: 25 loudspeaker broadcasts among the register's events
    assert "Loudspeaker broadcast" in types and not any("Buổi" in x for x in types)


def test_indicator_table_reads_its_result_in_full(demo_db):
    # A static table whose cells wrap (the data grid cut names and status words at 1366 px; the browser test
    # measures it): every value as the kpis give it, '> 80,0%' as text, not a Markdown quote.
    at = open_app("pages/indicators.py", as_of="2024-12-31")
    assert not at.exception and not at.dataframe
    table = at.table[0].value
    row = table[table["Mã"] == "A2_TAP_HUAN"].iloc[0]
    assert (row["Kết quả"], row["Mục tiêu năm"], row["Trạng thái"]) == ("7/9 (77,8%) · mẫu nhỏ", "> 80,0%", "Không đạt")
