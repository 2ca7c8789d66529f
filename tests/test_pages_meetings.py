"""The "Giao ban" page per role (AppTest, the whole app): who may freeze, decide and report progress, what a reader
sees; reopening a meeting shows exactly its frozen numbers; the overview lists open actions, overdue marked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import add_event, open_app

from planboard import actions, db, meetings, org
from planboard.auth import User
from planboard.display import STATUS_COLORS
from planboard.plan import load_plan
from planboard.ui import components

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "all", None)
PAGE = "pages/meetings.py"


@pytest.fixture
def june(demo_db):
    """The demo year with the June meeting opened (not frozen) and one May meeting frozen with an action."""
    con = db.connect(demo_db)
    known = org.centers(con)
    plans = {"BTXH_BL": load_plan()}
    may = meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 5, 6), known)
    meetings.freeze(con, may.meeting_id, plans, LEAD, known)
    actions.add(
        con,
        LEAD,
        may,
        known,
        plans["BTXH_BL"],
        text="Bổ sung buổi phát thanh",
        owner_unit="CTXH",
        due_on=D(2024, 5, 31),
        indicator="A41_PHAT_THANH",
        today=D(2024, 5, 6),
    )
    june = meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 6, 5), known)
    return con, may, june


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [str(e.value) for e in at.caption]
        + [s.value for s in at.subheader]
        + [h.value for h in at.header]
        + [x.value for x in at.success]
        + [w.value for w in at.warning]
    )


def test_leadership_freezes_the_meeting_and_reopening_shows_the_frozen_numbers(june):
    con, may, meeting = june
    at = open_app(PAGE, role="lanh_dao")
    assert not at.exception
    assert "Giao ban tháng 6/2024" in [h.value for h in at.header]
    assert "Thay đổi so với cuộc họp trước (Giao ban tháng 5/2024, 06/05/2024)" in texts(at)
    freeze = next(b for b in at.button if b.label == "Chốt số liệu")
    at = freeze.click().run()
    assert not at.exception
    assert meetings.get(con, meeting.meeting_id).is_frozen
    assert any("Đã chốt số liệu lúc" in s.value for s in at.success)
    table = at.dataframe[0].value
    frame = table.data if hasattr(table, "data") else table
    row = frame[frame["Mã"] == "A41_PHAT_THANH"].iloc[0]
    # the demo holds two broadcasts a month: 10 by 31/05 against Q1's 6 -> on pace
    assert (row["Kết quả"], row["Trạng thái"]) == ("10", "Đúng tiến độ")
    assert not [b for b in at.button if b.label == "Chốt số liệu"]  # a second freeze is not offered
    assert [b.label for b in at.get("download_button")] == ["Tải thông báo kết luận (.docx)"]


@pytest.mark.parametrize("role, department", [("xem", None), ("can_bo", "HCTH")])
def test_readers_see_no_freeze_and_no_decision_form(june, role, department):
    at = open_app(PAGE, role=role, department=department)
    assert not at.exception
    assert not [b for b in at.button if b.label == "Chốt số liệu"]
    labels = [b.label for b in at.button]
    assert "Giao nhiệm vụ" not in labels and "Lưu cập nhật" not in labels and "Mở cuộc họp" not in labels


def test_owner_units_staff_report_progress_on_their_action(june):
    con, may, meeting = june
    at = open_app(PAGE, role="can_bo", department="CTXH", username="canbo1")
    assert not at.exception
    assert "Lưu cập nhật" in [b.label for b in at.button] and "Giao nhiệm vụ" not in [b.label for b in at.button]
    form_boxes = [s for s in at.selectbox if s.label == "Trạng thái mới (không bắt buộc)"]
    assert form_boxes[0].options == ["Đang thực hiện", "Hoàn thành"]
    form_boxes[0].set_value("hoan_thanh")
    next(x for x in at.text_area if x.label == "Ghi chú tiến độ").input("Đã phát 2 buổi bổ sung")
    at = next(b for b in at.button if b.label == "Lưu cập nhật").click().run()
    assert not at.exception
    [a] = actions.list_actions(con, ["BTXH_BL"])
    assert (a.status, a.last_note) == ("hoan_thanh", "Đã phát 2 buổi bổ sung")


def test_leadership_assigns_an_action_with_a_clear_message_for_a_bad_due_date(june):
    con, may, meeting = june
    at = open_app(PAGE, role="lanh_dao")
    next(x for x in at.text_area if x.label == "Nội dung nhiệm vụ").input("Tổ chức họp tháng 6")
    next(s for s in at.selectbox if s.label == "Bộ phận chủ trì").set_value("HCTH")
    next(d for d in at.date_input if d.label == "Hạn hoàn thành").set_value(D(2024, 6, 1))
    at = next(b for b in at.button if b.label == "Giao nhiệm vụ").click().run()
    assert not at.exception
    assert any("trước ngày họp 05/06/2024" in e.value for e in at.error)
    assert actions.list_actions(con, ["BTXH_BL"], meeting_id=meeting.meeting_id) == []


def test_the_overview_lists_open_actions_with_overdue_marked(june):
    at = open_app("pages/overview.py", role="lanh_dao", as_of="2024-06-30")
    assert not at.exception
    assert "Nhiệm vụ từ giao ban đang mở (1)" in [s.value for s in at.subheader]
    frames = [d.value for d in at.dataframe]
    frame = next(
        x.data if hasattr(x, "data") else x
        for x in frames
        if "Tình trạng" in (x.data if hasattr(x, "data") else x).columns
    )
    assert frame["Tình trạng"].tolist() == ["Chưa thực hiện · Quá hạn"]  # due 31/05, still open
    d = next(d for d in at.dataframe if "Tình trạng" in d.value.columns)
    styles = d.proto.arrow_data.styler.styles
    assert f"color: {STATUS_COLORS['cham_tien_do']}; font-weight: 600" in styles  # the palette's red


def test_mark_word_colours_only_the_cells_holding_the_word():
    frame = pd.DataFrame({"Tình trạng": ["Đang thực hiện · Quá hạn", "Hoàn thành"], "Nội dung": ["Quá hạn", "x"]})
    ctx = components.mark_word(frame, "Tình trạng", "Quá hạn")._compute().ctx
    red = [("color", STATUS_COLORS["cham_tien_do"]), ("font-weight", "600")]
    assert (ctx[(0, 0)], ctx.get((1, 0), [])) == (red, [])  # row 2 is not overdue
    assert (0, 1) not in ctx  # only the status column is marked, not another cell reading the word


def test_reopening_a_past_meeting_shows_its_frozen_numbers_not_a_recomputation(june):
    con, may, meeting = june
    add_event(con, "LATE1", "phat_thanh", D(2024, 4, 20))  # imported after May's meeting, dated before its as-of
    at = open_app(PAGE, role="xem", meeting=str(may.meeting_id))
    assert not at.exception
    assert at.selectbox(key="meeting_pick").value == may.meeting_id  # the deep link opens May's meeting
    frame = at.dataframe[0].value
    frame = frame.data if hasattr(frame, "data") else frame
    # frozen on 06/05: two broadcasts a month to 30/04 = 8, although 9 are recorded now
    assert frame[frame["Mã"] == "A41_PHAT_THANH"].iloc[0]["Kết quả"] == "8"
    at.selectbox(key="meeting_pick").set_value(meeting.meeting_id).run()
    assert not at.exception and "Giao ban tháng 6/2024" in [h.value for h in at.header]
    at = open_app(PAGE, role="xem", meeting=str(may.meeting_id))
    fixed = [w.value for w in at.warning if "điều chỉnh sau giao ban" in w.value]
    assert fixed == ["Số liệu đã điều chỉnh sau giao ban: 2 số liệu khác với số đã chốt khi tính lại đến cùng ngày."]


def test_a_meeting_of_another_year_than_the_sidebars_is_computed_with_its_own_years_plan(tmp_path, monkeypatch):
    """The demo province has plans for 2024 and 2025; with the sidebar on 2025 the July 2024 meeting (not frozen,
    numbers at 30/06/2024) still counts from 01/01/2024 under the 2024 plan. BTXH_BL's demo broadcasts: two a month,
    12 by 30/06/2024, against the 2024 plan's Q2 level 12 -> Đúng tiến độ (computed under the 2025 plan, whose year
    starts 01/01/2025, it read 0)."""
    from planboard import demo

    path = tmp_path / "tinh.duckdb"
    demo.fill_province(db.connect(path))
    db.close(path)
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    at = open_app(PAGE, role="lanh_dao", year="2025", center="BTXH_BL")
    assert not at.exception
    assert "Giao ban tháng 7/2024" in [h.value for h in at.header]
    table = at.dataframe[0].value
    frame = table.data if hasattr(table, "data") else table
    row = frame[frame["Mã"] == "A41_PHAT_THANH"].iloc[0]
    assert (row["Kết quả"], row["Mức cần đạt"], row["Trạng thái"]) == ("12", "12", "Đúng tiến độ")
