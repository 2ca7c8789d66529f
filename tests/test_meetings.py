"""The monthly meeting (docs/meetings.md): frozen numbers, since the last meeting, corrected after the meeting,
who may freeze. Every expected number is computed by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_event

from planboard import auth, ingest, meetings, org
from planboard.auth import User

D = dt.date
CENTER = org.Scope("center", "BTXH_BL")
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "center", "BTXH_BL")
ADMIN = User("admin", "Quản trị", "quan_tri", None, "all", None)


def broadcasts(con, n: int, month: int, start: int = 0) -> None:
    """`n` broadcasts (phat_thanh, A41_PHAT_THANH) held on days 1..n of `month` 2024."""
    for i in range(n):
        add_event(con, f"PT{month}_{start + i}", "phat_thanh", D(2024, month, 1 + i))


def hold(con, plan, held_on: dt.date, user: User = LEAD, **kw) -> meetings.Meeting:
    known = org.centers(con)
    m = meetings.create(con, user, CENTER, held_on, known, **kw)
    return meetings.freeze(con, m.meeting_id, {"BTXH_BL": plan}, user, known)


def number(rows, code: str, center="BTXH_BL", department=None) -> meetings.Number:
    return next(n for n in rows if n.key == (center, department, code))


def test_defaults_title_and_as_of_from_the_meeting_date(con):
    m = meetings.create(con, LEAD, CENTER, D(2024, 6, 5), org.centers(con))
    assert m.title == "Giao ban tháng 6/2024"
    assert m.as_of == D(2024, 5, 31)  # the last day of the month before June
    assert not m.is_frozen and meetings.frozen_numbers(con, m.meeting_id) == []


def test_frozen_numbers_stay_and_the_later_import_shows_as_a_correction(con, plan):
    broadcasts(con, 4, 4)  # April: 4
    broadcasts(con, 3, 5)  # May: 3 -> 7 by 31/05
    m = hold(con, plan, D(2024, 6, 5))
    frozen = meetings.frozen_numbers(con, m.meeting_id)
    # 13 indicators at the center level and 13 for each of the plan's 6 units: 13 * 7 = 91 rows
    assert len(frozen) == 13 * (1 + len(plan.units)) == 91
    pt = number(frozen, "A41_PHAT_THANH")
    # 7 held by 31/05; Q1 ended (expected 6), 7 >= 6; Q2's 12 not reached but 30 days left (not < 30): on pace
    assert (pt.value, pt.numerator, pt.expected_now, pt.target_year, pt.status) == (7, 7, 6, 24, "dung_tien_do")
    assert number(frozen, "A41_PHAT_THANH", department="CTXH").value == 7  # add_event's unit is CTXH
    assert number(frozen, "A41_PHAT_THANH", department="HCTH").value == 0
    assert pt.data_version == m.data_version and pt.frozen_at == m.frozen_at

    csv = "event_id,event_type,held_on,department,title\n" + "".join(
        f"LATE{i},phat_thanh,{10 + i:02d}/05/2024,CTXH,Phát thanh bổ sung\n" for i in range(3)
    )
    result = ingest.import_files(con, plan, [("events.csv", csv.encode())], user="canbo1")
    assert result.ok, result.problems

    again = meetings.frozen_numbers(con, m.meeting_id)
    assert again == frozen  # frozen rows never change: still 7
    fixed = meetings.corrections(con, meetings.get(con, m.meeting_id), {"BTXH_BL": plan}, org.centers(con))
    changed = {(c.before.department, c.indicator): (c.before.value, c.now.value) for c in fixed.changes}
    # 7 frozen, 7 + 3 = 10 now, at the center level and in CTXH, nothing else
    assert changed == {(None, "A41_PHAT_THANH"): (7, 10), ("CTXH", "A41_PHAT_THANH"): (7, 10)}
    assert [(i["files"], i["user_name"], i["added_count"]) for i in fixed.imports] == [("events.csv", "canbo1", 3)]
    assert fixed.edits == []


def test_since_the_last_meeting_values_and_status_words(con, plan):
    from planboard import kpis

    broadcasts(con, 4, 4)
    may = hold(con, plan, D(2024, 5, 6))  # as_of 30/04: 4 < Q1's 6 -> cham_tien_do
    assert number(meetings.frozen_numbers(con, may.meeting_id), "A41_PHAT_THANH").status == "cham_tien_do"
    broadcasts(con, 3, 5)
    assert meetings.previous(con, CENTER, D(2024, 5, 31)) == may
    now = kpis.compute(con, plan, D(2024, 5, 31))
    change = next(c for c in meetings.since(con, may, now) if c.indicator == "A41_PHAT_THANH")
    # 4 -> 7 (+3); 7 >= 6 with 30 days left in Q2: Chậm tiến độ -> Đúng tiến độ
    assert (change.before.value, change.now.value, change.delta) == (4, 7, 3)
    assert (change.before.status, change.now.status, change.status_changed) == ("cham_tien_do", "dung_tien_do", True)
    june = hold(con, plan, D(2024, 6, 5))
    # the June meeting's own agenda compares with May's, not with itself
    assert meetings.previous(con, CENTER, june.as_of, exclude=june.meeting_id) == may
    assert meetings.previous(con, CENTER, D(2024, 6, 30)) == june
    assert meetings.previous(con, CENTER, D(2024, 4, 29)) is None


def test_a_second_freeze_is_refused_and_audited(con, plan):
    m = hold(con, plan, D(2024, 6, 5))
    with pytest.raises(meetings.MeetingError) as e:
        meetings.freeze(con, m.meeting_id, {"BTXH_BL": plan}, LEAD, org.centers(con))
    assert e.value.code == "already_frozen" and "đã chốt số liệu" in str(e.value)
    assert len(meetings.frozen_numbers(con, m.meeting_id)) == 91  # nothing added
    log = con.execute("select action, is_ok from audit_log where action like 'meeting%' order by audit_id").fetchall()
    assert log == [("meeting_add", True), ("meeting_freeze", True), ("meeting_freeze", False)]


@pytest.mark.parametrize("role", ["can_bo", "xem"])
def test_only_leadership_and_admin_freeze(con, plan, role):
    m = meetings.create(con, ADMIN, CENTER, D(2024, 6, 5), org.centers(con))
    user = User("u1", "U", role, "CTXH", "center", "BTXH_BL")
    with pytest.raises(meetings.MeetingError) as e:
        meetings.freeze(con, m.meeting_id, {"BTXH_BL": plan}, user, org.centers(con))
    assert e.value.code == "not_allowed" and "chỉ Lãnh đạo hoặc Quản trị" in str(e.value)
    assert meetings.frozen_numbers(con, m.meeting_id) == [] and not meetings.get(con, m.meeting_id).is_frozen
    assert con.execute("select username, is_ok from audit_log where action = 'meeting_freeze'").fetchall() == [
        ("u1", False)
    ]
    meetings.freeze(con, m.meeting_id, {"BTXH_BL": plan}, ADMIN, org.centers(con))  # quan_tri may
    assert meetings.get(con, m.meeting_id).frozen_by == "admin"


def test_a_meeting_outside_the_users_scope_is_refused(con):
    org.save_center(con, "CS_B", "Cơ sở B", "BL", "Bạc Liêu")
    with pytest.raises(meetings.MeetingError) as e:
        meetings.create(con, LEAD, org.Scope("center", "CS_B"), D(2024, 6, 5), org.centers(con))
    assert e.value.code == "out_of_scope"
    with pytest.raises(meetings.MeetingError):
        meetings.create(con, LEAD, org.Scope("province", "BL"), D(2024, 6, 5), org.centers(con))
    assert con.execute("select count(*) from meetings").fetchone()[0] == 0


def test_a_province_meeting_freezes_the_roll_up_and_each_center(con, plan):
    from test_centers import plan_for

    org.save_center(con, "CS_B", "Cơ sở B", "BL", "Bạc Liêu")
    broadcasts(con, 4, 4)
    for i in range(2):
        add_event(con, f"B{i}", "phat_thanh", D(2024, 5, 1 + i), center="CS_B")
    sobl = User("sobl", "Sở", "lanh_dao", None, "province", "BL")
    known = org.centers(con)
    m = meetings.create(con, sobl, org.Scope("province", "BL"), D(2024, 6, 5), known)
    plans = {"BTXH_BL": plan, "CS_B": plan_for(["CS_B"])}
    meetings.freeze(con, m.meeting_id, plans, sobl, known)
    frozen = meetings.frozen_numbers(con, m.meeting_id)
    assert len(frozen) == 13 * 3  # the roll-up, then each of the two centers, center level only
    # roll-up 4 + 2 = 6 against the summed Q1 level 6 + 6 = 12: behind
    roll = number(frozen, "A41_PHAT_THANH", center=None)
    assert (roll.value, roll.expected_now, roll.status) == (6, 12, "cham_tien_do")
    assert number(frozen, "A41_PHAT_THANH", center="CS_B").value == 2
    assert [x.meeting_id for x in meetings.list_for(con, [known[1]])] == [m.meeting_id]


def test_as_of_after_the_meeting_is_refused(con):
    with pytest.raises(meetings.MeetingError) as e:
        meetings.create(con, LEAD, CENTER, D(2024, 6, 5), org.centers(con), as_of=D(2024, 6, 30))
    assert e.value.code == "as_of_after_meeting"


def test_permissions_of_the_meeting(con):
    assert [r for r in auth.ROLES if auth.can(r, "hold_meeting")] == ["quan_tri", "lanh_dao"]
