"""Period locks (docs/meetings.md): an import, a form or a delete touching a locked month is refused whole with a
message naming the lock; an administrator with a written reason passes, and the override is audited; unlock is
administrators only, with a reason, audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import add_event, add_staff, add_training

from planboard import edits, ingest, locks, meetings, org
from planboard.auth import User

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "center", "BTXH_BL")
ADMIN = User("admin", "Quản trị", "quan_tri", None, "all", None)
HEAD = "event_id,event_type,held_on,department,title\n"


def events_csv(*rows: tuple[str, str]) -> list[tuple[str, bytes]]:
    return [("events.csv", (HEAD + "".join(f"{i},phat_thanh,{on},CTXH,Phát thanh\n" for i, on in rows)).encode())]


def event_count(con) -> int:
    return con.execute("select count(*) from events").fetchone()[0]


@pytest.fixture
def locked(con):
    """BTXH_BL locked through May 2024 after the June meeting."""
    known = org.centers(con)
    m = meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 6, 5), known)
    assert locks.lock(con, LEAD, known, D(2024, 5, 31), meeting_id=m.meeting_id) == 5  # January..May
    return con


def test_lock_months_through_the_meetings_as_of(locked):
    assert [x.month for x in locks.locks(locked, ["BTXH_BL"])] == [D(2024, m, 1) for m in range(1, 6)]
    assert locks.locked_through(locked, "BTXH_BL") == D(2024, 5, 1)
    assert locks.locks(locked, ["BTXH_BL"])[0].meeting_title == "Giao ban tháng 6/2024"


def test_an_import_touching_a_locked_month_is_refused_whole(locked, plan):
    result = ingest.import_files(locked, plan, events_csv(("N1", "15/06/2024"), ("N2", "20/05/2024")), user="lanhdao")
    assert not result.written and event_count(locked) == 0  # the June row is not written either
    [p] = result.problems
    assert (p.row, p.column, p.value) == (3, "held_on", "20/05/2024")
    assert p.message.startswith("Tháng 5/2024 đã khóa số liệu (khóa ngày ")
    assert 'bởi giamdoc, sau cuộc họp "Giao ban tháng 6/2024"' in p.message
    english = p.text("en")  # the lock is described in the reader's language too (the meeting's title is data)
    assert english.startswith("Month 5/2024 is locked (locked on ") and "khóa" not in english
    assert 'by giamdoc, after the meeting "Giao ban tháng 6/2024"' in english


def test_the_same_import_by_an_administrator_with_a_reason_passes_and_is_logged(locked, plan):
    override = locks.Override.by(ADMIN, "Bổ sung buổi phát thanh bị sót, theo công văn 12/CV")
    result = ingest.import_files(
        locked, plan, events_csv(("N1", "15/06/2024"), ("N2", "20/05/2024")), user="admin", lock_override=override
    )
    assert result.ok and result.written and event_count(locked) == 2
    [(who, detail)] = locked.execute("select username, detail from audit_log where action = 'lock_override'").fetchall()
    assert who == "admin" and json.loads(detail) == {
        "center": "BTXH_BL",
        "reason": "Bổ sung buổi phát thanh bị sót, theo công văn 12/CV",
        "rows": {"events": 1},
    }


def test_a_dry_run_with_an_override_logs_nothing(locked, plan):
    override = locks.Override.by(ADMIN, "Thử")
    assert ingest.import_files(locked, plan, events_csv(("N2", "20/05/2024")), dry_run=True, lock_override=override).ok
    assert locked.execute("select count(*) from audit_log where action = 'lock_override'").fetchone()[0] == 0


@pytest.mark.parametrize(
    "user, reason, code", [(LEAD, "Có lý do", "override_not_allowed"), (ADMIN, "  ", "reason_required")]
)
def test_an_override_needs_an_administrator_and_a_reason(user, reason, code):
    with pytest.raises(locks.LockError) as e:
        locks.Override.by(user, reason)
    assert e.value.code == code


def test_unchanged_rows_of_a_locked_month_pass_and_an_unlocked_month_is_free(con, plan):
    add_event(con, "OLD", "phat_thanh", D(2024, 5, 2), title="Phát thanh")
    locks.lock(con, LEAD, org.centers(con), D(2024, 5, 1))
    # the same stored row again (a full re-export) changes nothing in May: allowed; June is not locked
    result = ingest.import_files(con, plan, events_csv(("OLD", "02/05/2024"), ("N1", "01/06/2024")))
    assert result.ok, result.problems
    moved = ingest.import_files(con, plan, events_csv(("OLD", "02/06/2024")))  # moving it out of May changes May
    assert [p.value for p in moved.problems] == ["02/06/2024"]


def test_a_training_row_is_dated_by_its_event(con, plan):
    add_event(con, "TH1", "tap_huan", D(2024, 3, 5))
    add_staff(con, "S1")
    locks.lock(con, LEAD, org.centers(con), D(2024, 3, 31))
    csv = b"event_id,staff_id,completed\nTH1,S1,co\n"
    [p] = ingest.import_files(con, plan, [("training.csv", csv)]).problems
    assert p.message.startswith("Tháng 3/2024 đã khóa số liệu")


def test_forms_and_deletes_are_refused_in_a_locked_month(con, plan):
    add_event(con, "E1", "phat_thanh", D(2024, 4, 2), title="Phát thanh")
    add_event(con, "TH1", "tap_huan", D(2024, 4, 5))
    add_staff(con, "S1")
    add_training(con, "TH1", "S1")
    locks.lock(con, LEAD, org.centers(con), D(2024, 4, 30))
    saved = edits.save_record(con, plan, "events", {"event_id": "E1", "title": "Đổi tên"}, user="canbo")
    assert not saved.ok and saved.problems[0].message.startswith("Tháng 4/2024 đã khóa số liệu")
    gone = edits.delete_record(con, "training", ("TH1", "S1"), user="canbo")
    assert not gone.deleted and gone.message.startswith("Không xóa được: tháng 4/2024 đã khóa số liệu")
    assert con.execute("select count(*) from training").fetchone()[0] == 1
    ok = edits.delete_record(
        con, "training", ("TH1", "S1"), user="admin", lock_override=locks.Override.by(ADMIN, "Nhập nhầm người")
    )
    assert ok.deleted
    assert con.execute("select count(*) from audit_log where action = 'lock_override'").fetchone()[0] == 1


def test_unlock_is_administrators_only_with_a_reason_and_audited(locked):
    known = org.centers(locked)
    with pytest.raises(locks.LockError) as e:
        locks.unlock(locked, LEAD, known, D(2024, 5, 1), "Sửa số liệu")
    assert e.value.code == "unlock_not_allowed"
    with pytest.raises(locks.LockError) as e:
        locks.unlock(locked, ADMIN, known, D(2024, 5, 1), "")
    assert e.value.code == "reason_required"
    assert locks.unlock(locked, ADMIN, known, D(2024, 3, 1), "Sửa số liệu quý I") == 3  # January..March
    assert locks.locked_through(locked, "BTXH_BL") == D(2024, 5, 1)
    assert [x.month.month for x in locks.locks(locked, ["BTXH_BL"])] == [4, 5]
    rows = locked.execute(
        "select username, action, is_ok from audit_log where action like 'period%' order by audit_id"
    ).fetchall()
    assert rows == [
        ("giamdoc", "period_lock", True),
        ("giamdoc", "period_unlock", False),
        ("admin", "period_unlock", True),
    ]


@pytest.mark.parametrize("role", ["can_bo", "xem"])
def test_only_leadership_locks(con, role):
    with pytest.raises(locks.LockError) as e:
        locks.lock(con, User("u", "U", role, "CTXH", "center", "BTXH_BL"), org.centers(con), D(2024, 5, 31))
    assert e.value.code == "not_allowed"
    assert locks.locks(con, ["BTXH_BL"]) == []
