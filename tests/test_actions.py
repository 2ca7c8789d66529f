"""Decisions and actions of the monthly meeting (docs/meetings.md): bad input refused with its message and nothing
written, who may create, update and read, the history of notes, overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from planboard import actions, meetings, org
from planboard.auth import User

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "center", "BTXH_BL")
CTXH = User("canbo1", "Cán bộ CTXH", "can_bo", "CTXH", "center", "BTXH_BL")
HCTH = User("canbo2", "Cán bộ HCTH", "can_bo", "HCTH", "center", "BTXH_BL")
VIEWER = User("xem1", "Người xem", "xem", None, "center", "BTXH_BL")


@pytest.fixture
def meeting(con):
    return meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 6, 5), org.centers(con))


def add(con, plan, meeting, **kw):
    values = dict(
        text="Bổ sung 3 buổi phát thanh trong tháng 6",
        owner_unit="CTXH",
        due_on=D(2024, 6, 30),
        indicator="A41_PHAT_THANH",
        person="Chị Lan",
        today=D(2024, 6, 5),
    )
    values.update(kw)
    return actions.add(con, LEAD if "user" not in kw else values.pop("user"), meeting, org.centers(con), plan, **values)


def count(con) -> int:
    return con.execute("select count(*) from actions").fetchone()[0]


def test_an_action_is_tied_to_its_meeting_indicator_and_activity(con, plan, meeting):
    a = add(con, plan, meeting)
    assert (a.meeting_title, a.center, a.owner_unit, a.owner_person, a.due_on, a.status) == (
        "Giao ban tháng 6/2024",
        "BTXH_BL",
        "CTXH",
        "Chị Lan",
        D(2024, 6, 30),
        "chua_thuc_hien",
    )
    assert (a.indicator, a.activity) == ("A41_PHAT_THANH", "4.1")  # the activity follows from the indicator
    assert [(n.author, n.status_after) for n in actions.history(con, a.action_id)] == [("giamdoc", "chua_thuc_hien")]


@pytest.mark.parametrize(
    "change, code",
    [
        ({"owner_unit": None}, "action_owner"),
        ({"owner_unit": "XYZ"}, "action_bad_unit"),
        ({"text": "  "}, "action_text"),
        ({"due_on": None}, "action_due"),
        ({"due_on": D(2024, 6, 4)}, "action_due_before"),  # the day before the meeting of 05/06
        ({"indicator": "KHONG_CO"}, "action_bad_indicator"),
    ],
)
def test_bad_actions_are_refused_and_nothing_is_written(con, plan, meeting, change, code):
    with pytest.raises(meetings.MeetingError) as e:
        add(con, plan, meeting, **change)
    assert e.value.code == code
    assert count(con) == 0


def test_due_on_the_meeting_day_is_accepted(con, plan, meeting):
    assert add(con, plan, meeting, due_on=D(2024, 6, 5)).due_on == D(2024, 6, 5)


@pytest.mark.parametrize("user", [CTXH, VIEWER])
def test_only_leadership_creates(con, plan, meeting, user):
    with pytest.raises(meetings.MeetingError) as e:
        add(con, plan, meeting, user=user)
    assert e.value.code == "not_allowed" and count(con) == 0
    assert con.execute("select username, is_ok from audit_log where action = 'action_add'").fetchall() == [
        (user.username, False)
    ]


def test_owner_units_staff_report_progress_and_others_may_not(con, plan, meeting):
    a = add(con, plan, meeting)
    actions.update(
        con,
        CTXH,
        a.action_id,
        org.centers(con),
        note="Đã liên hệ đài huyện",
        status="dang_thuc_hien",
        today=D(2024, 6, 10),
    )
    for user, status in ((HCTH, None), (VIEWER, None), (CTXH, "huy"), (CTXH, "chua_thuc_hien")):
        with pytest.raises(meetings.MeetingError) as e:
            actions.update(con, user, a.action_id, org.centers(con), note="x", status=status, today=D(2024, 6, 11))
        assert e.value.code == "action_not_allowed"
    actions.update(
        con, CTXH, a.action_id, org.centers(con), status="hoan_thanh", note="Đủ 3 buổi", today=D(2024, 6, 28)
    )
    done = actions.get(con, a.action_id, today=D(2024, 7, 1))
    assert (done.status, done.is_overdue, done.last_note) == ("hoan_thanh", False, "Đủ 3 buổi")
    assert [
        (n.noted_on, n.author, n.note, n.status_before, n.status_after) for n in actions.history(con, a.action_id)
    ] == [
        (D(2024, 6, 5), "giamdoc", None, None, "chua_thuc_hien"),
        (D(2024, 6, 10), "canbo1", "Đã liên hệ đài huyện", "chua_thuc_hien", "dang_thuc_hien"),
        (D(2024, 6, 28), "canbo1", "Đủ 3 buổi", "dang_thuc_hien", "hoan_thanh"),
    ]
    audit = con.execute("select username, is_ok from audit_log where action = 'action_update' order by audit_id")
    assert audit.fetchall() == [
        ("canbo1", True),
        ("canbo2", False),
        ("xem1", False),
        ("canbo1", False),
        ("canbo1", False),
        ("canbo1", True),
    ]


def test_leadership_cancels_and_overdue_is_due_passed_and_still_open(con, plan, meeting):
    late = add(con, plan, meeting, due_on=D(2024, 6, 20))
    cancelled = add(con, plan, meeting, due_on=D(2024, 6, 20), text="Họp bổ sung")
    actions.update(con, LEAD, cancelled.action_id, org.centers(con), status="huy", note="Không cần nữa")
    on_due_day = actions.list_actions(con, ["BTXH_BL"], today=D(2024, 6, 20))
    assert [a.is_overdue for a in on_due_day] == [False, False]  # due today is not yet overdue
    after = {a.action_id: a for a in actions.list_actions(con, ["BTXH_BL"], today=D(2024, 6, 21))}
    assert after[late.action_id].is_overdue and not after[cancelled.action_id].is_overdue
    assert [a.action_id for a in actions.open_due(list(after.values()), D(2024, 7, 3))] == [late.action_id]
    assert actions.list_actions(con, ["BTXH_BL"], owner_unit="HCTH") == []
    assert actions.status_label("huy") == "Hủy"
