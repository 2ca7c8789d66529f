"""The minutes of a monthly meeting (.docx, Decree 30 layout) parsed back: every frozen number, the status changes
since the previous meeting, the decisions with owners and due dates, the actions carried over; LibreOffice converts
it to PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from conftest import add_event, to_pdf
from docx import Document

from planboard import actions, meetings, org
from planboard.auth import User
from planboard.reports import minutes, settings

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "center", "BTXH_BL")
SCOPE = org.Scope("center", "BTXH_BL")


@pytest.fixture
def june(con, plan):
    known = org.centers(con)
    for i in range(4):
        add_event(con, f"A{i}", "phat_thanh", D(2024, 4, 1 + i))
    may = meetings.create(con, LEAD, SCOPE, D(2024, 5, 6), known)
    meetings.freeze(con, may.meeting_id, {"BTXH_BL": plan}, LEAD, known)  # 4 < Q1's 6: Chậm tiến độ
    actions.add(
        con,
        LEAD,
        may,
        known,
        plan,
        text="Rà soát lịch phát thanh quý II",
        owner_unit="CTXH",
        due_on=D(2024, 5, 31),
        today=D(2024, 5, 6),
    )
    for i in range(3):
        add_event(con, f"B{i}", "phat_thanh", D(2024, 5, 1 + i))
    june = meetings.create(
        con, LEAD, SCOPE, D(2024, 6, 5), known, chair="Giám đốc Nguyễn Văn A", attendees="Trưởng các bộ phận"
    )
    june = meetings.freeze(con, june.meeting_id, {"BTXH_BL": plan}, LEAD, known)  # 7 >= 6: Đúng tiến độ
    actions.add(
        con,
        LEAD,
        june,
        known,
        plan,
        text="Tổ chức 3 buổi phát thanh tháng 6",
        owner_unit="CTXH",
        person="Chị Lan",
        due_on=D(2024, 6, 30),
        indicator="A41_PHAT_THANH",
        today=D(2024, 6, 5),
    )
    data = minutes.build_minutes(con, june, plan, known, settings.load(con, plan), issued_on=D(2024, 6, 6))
    return data, Document(io.BytesIO(data))


def test_minutes_carry_every_frozen_number_change_and_action(june, con):
    _, doc = june
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "THÔNG BÁO" in text and "Kết luận cuộc họp Giao ban tháng 6/2024" in text
    assert "Chủ trì: Giám đốc Nguyễn Văn A. Thành phần tham dự: Trưởng các bộ phận." in text
    header = doc.tables[0].rows[0].cells[0].text
    assert "Số:" in header and "/TB-" in header
    numbers = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in numbers.rows]
    assert rows[0] == ["STT", "Mã", "Chỉ tiêu", "Kết quả", "Mức cần đạt", "Mục tiêu năm", "Trạng thái"]
    frozen = meetings.headline_of(SCOPE, meetings.frozen_numbers(con, 2))
    assert [r[1] for r in rows[1:]] == [n.indicator for n in frozen]  # every frozen indicator, in order
    assert [r[3] for r in rows[1:]] == [minutes.value_text(n) for n in frozen]
    broadcast = next(r for r in rows if r[1] == "A41_PHAT_THANH")
    assert broadcast[3:] == ["7", "6", "24", "Đúng tiến độ"]  # 4 in April + 3 in May, Q1 level 6
    # the only status change since May's meeting: broadcasts 4 -> 7
    changes = [p.text for p in doc.paragraphs if "→" in p.text]
    assert changes == ["- Số buổi phát thanh về TGPL trên loa nội bộ: Chậm tiến độ → Đúng tiến độ (4 → 7)"]
    decided = [[c.text for c in r.cells] for r in doc.tables[2].rows]
    assert decided[1] == [
        "1",
        "Tổ chức 3 buổi phát thanh tháng 6",
        "CTXH-PTCĐ (Chị Lan)",
        "30/06/2024",
        "Chưa thực hiện",
    ]
    carried = [[c.text for c in r.cells] for r in doc.tables[3].rows]
    assert carried[1] == [
        "1",
        "Rà soát lịch phát thanh quý II",
        "CTXH-PTCĐ",
        "31/05/2024",
        "Chưa thực hiện (Quá hạn)",
    ]  # due 31/05, still open on 06/06


def test_minutes_of_an_unfrozen_meeting_are_refused(con, plan):
    m = meetings.create(con, LEAD, SCOPE, D(2024, 6, 5), org.centers(con))
    with pytest.raises(meetings.MeetingError) as e:
        minutes.build_minutes(con, m, plan, org.centers(con), settings.load(con, plan))
    assert e.value.code == "not_frozen"


def test_minutes_convert_to_pdf(june, tmp_path):
    pdf = to_pdf(june[0], tmp_path)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
