"""Actions outside the meeting page (docs/meetings.md): their CSV/XLSX exports (the list shown, Vietnamese headers,
due dates as real dates), and the owner unit's page listing the actions it owns, overdue marked, where the unit's
staff report progress."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from conftest import open_app

from planboard import actions, db, export, meetings, org
from planboard.auth import User
from planboard.plan import load_plan
from planboard.ui import meeting_view

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "all", None)
HEADERS = [
    "Số",
    "Nhiệm vụ",
    "Chỉ tiêu",
    "Bộ phận (người thực hiện)",
    "Hạn",
    "Tình trạng",
    "Tiến độ gần nhất",
    "Cuộc họp",
]


@pytest.fixture
def may(demo_db):
    """May's meeting frozen with two actions: CTXH's (due 31/05/2024, open: overdue) and HCTH's (due 30/06/2024)."""
    con = db.connect(demo_db)
    known = org.centers(con)
    plan = load_plan()
    m = meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 5, 6), known)
    meetings.freeze(con, m.meeting_id, {"BTXH_BL": plan}, LEAD, known)
    common = dict(today=D(2024, 5, 6))
    actions.add(
        con, LEAD, m, known, plan, text="=Bổ sung buổi phát thanh", owner_unit="CTXH", due_on=D(2024, 5, 31),
        indicator="A41_PHAT_THANH", person="Chị Lan", **common,
    )  # fmt: skip
    actions.add(con, LEAD, m, known, plan, text="Mở lớp tập huấn", owner_unit="HCTH", due_on=D(2024, 6, 30), **common)
    return con, m


def test_the_exported_files_hold_the_list_shown_with_real_dates(may):
    con, m = may
    found = actions.list_actions(con, ["BTXH_BL"], today=D(2024, 6, 5))
    frame = meeting_view.actions_frame(found, load_plan(), "vi")
    assert list(frame.columns) == HEADERS
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame, title="Nhiệm vụ")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Nhiệm vụ" and list(rows[2]) == HEADERS
    first = rows[3]
    # due 31/05/2024 judged on 05/06/2024: still 'chưa thực hiện' and past due -> overdue
    assert first[1] == "'=Bổ sung buổi phát thanh"  # text neutralised against formula injection
    assert first[3] == "CTXH-PTCĐ (Chị Lan)" and first[5] == "Chưa thực hiện · Quá hạn"
    assert first[4] == dt.datetime(2024, 5, 31)  # a real date ...
    assert book.active.cell(row=4, column=5).number_format == "dd/mm/yyyy"  # ... shown dd/mm/yyyy
    assert rows[4][4] == dt.datetime(2024, 6, 30) and rows[4][5] == "Chưa thực hiện"  # due later: not overdue
    lines = list(csv.reader(io.StringIO(export.to_csv(frame).decode("utf-8-sig"))))
    assert lines[0] == HEADERS
    assert lines[1][4] == "31/05/2024" and lines[1][5] == "Chưa thực hiện · Quá hạn"


def _download_keys(at) -> set[str]:
    return {b.key for b in at.get("download_button")}


@pytest.mark.parametrize("role, department, offered", [("lanh_dao", "BGD", True), ("xem", None, False)])
def test_exports_on_the_meeting_and_overview_pages_follow_the_record_export_right(may, role, department, offered):
    con, m = may
    at = open_app("pages/meetings.py", role=role, department=department, meeting=str(m.meeting_id))
    assert not at.exception
    name = f"nhiem-vu-giao-ban-{m.meeting_id}"
    assert ({f"{name}_csv", f"{name}_xlsx"} <= _download_keys(at)) is offered
    at = open_app("pages/overview.py", role=role, department=department, as_of="2024-06-30")
    assert not at.exception
    assert ({"nhiem-vu-dang-mo_csv", "nhiem-vu-dang-mo_xlsx"} <= _download_keys(at)) is offered
    if not offered:  # viewers read the list, and are told why there is no download
        assert any(c.value.endswith("không tải được danh sách từng hồ sơ.") for c in at.caption)


def _actions_table(at):
    for d in at.dataframe:
        frame = d.value.data if hasattr(d.value, "data") else d.value
        if "Tình trạng" in frame.columns:
            return frame
    raise AssertionError("no actions table")


def test_the_owner_units_page_lists_its_actions_overdue_marked_and_its_staff_update_them(may):
    con, m = may
    at = open_app("pages/units.py", role="can_bo", department="CTXH", username="canbo1", unit="CTXH")
    assert not at.exception
    assert "Nhiệm vụ từ giao ban bộ phận phụ trách" in [s.value for s in at.subheader]
    frame = _actions_table(at)
    # only CTXH's action (HCTH's is not this unit's); due 31/05/2024 and today is later: overdue
    assert frame["Nhiệm vụ"].tolist() == ["=Bổ sung buổi phát thanh"]
    assert frame["Tình trạng"].tolist() == ["Chưa thực hiện · Quá hạn"]
    assert {"nhiem-vu-CTXH_csv", "nhiem-vu-CTXH_xlsx"} <= _download_keys(at)
    status = next(s for s in at.selectbox if s.label == "Trạng thái mới (không bắt buộc)")
    assert status.options == ["Đang thực hiện", "Hoàn thành"]  # staff may not close as cancelled
    status.set_value("dang_thuc_hien")
    next(x for x in at.text_area if x.label == "Ghi chú tiến độ").input("Đã liên hệ đài truyền thanh xã")
    at = next(b for b in at.button if b.label == "Lưu cập nhật").click().run()
    assert not at.exception
    [a] = actions.list_actions(con, ["BTXH_BL"], owner_unit="CTXH")
    assert (a.status, a.last_note) == ("dang_thuc_hien", "Đã liên hệ đài truyền thanh xã")
    assert _actions_table(at)["Tình trạng"].tolist() == ["Đang thực hiện · Quá hạn"]
    who = con.execute("select username from audit_log where action = 'action_update'").fetchall()
    assert who == [("canbo1",)]


@pytest.mark.parametrize("role, department", [("can_bo", "CSKC"), ("xem", None)])
def test_another_units_staff_and_viewers_read_the_units_actions_without_the_form(may, role, department):
    at = open_app("pages/units.py", role=role, department=department, unit="CTXH")
    assert not at.exception
    assert _actions_table(at)["Tình trạng"].tolist() == ["Chưa thực hiện · Quá hạn"]
    assert "Lưu cập nhật" not in [b.label for b in at.button]
