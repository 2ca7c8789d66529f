"""The import page and the period lock (docs/meetings.md, "khóa số liệu"): a file touching a locked month is refused
naming the lock; an administrator (quan_tri) gets a reason field, required with a clear Vietnamese message, whose
reason reaches the importer and is logged with the change; other roles get no such field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import open_app

from planboard import db, locks, meetings, org
from planboard.auth import User

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "all", None)
PAGE = "pages/import.py"
# One broadcast in May (locked) and one in June (free): the whole file is refused, so neither is written.
FILE = b"event_id,event_type,held_on,department,title\nN1,phat_thanh,20/05/2024,CTXH,Bu\xe1\xbb\x95i b\xe1\xbb\x95 sung\nN2,phat_thanh,15/06/2024,CTXH,Phat thanh\n"
REASON = "Bổ sung buổi phát thanh bị sót, theo công văn 12/CV"


@pytest.fixture
def locked(demo_db):
    """The demo year locked through May 2024 after the June meeting."""
    con = db.connect(demo_db)
    known = org.centers(con)
    m = meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 6, 5), known)
    assert locks.lock(con, LEAD, known, D(2024, 5, 31), meeting_id=m.meeting_id) == 5  # January..May
    return con


def _upload(at):
    return at.file_uploader[0].set_value(("events.csv", FILE, "text/csv")).run()


def _written(con) -> int:
    return con.execute("select count(*) from events where event_id in ('N1', 'N2')").fetchone()[0]


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_other_roles_see_the_refusal_naming_the_lock_and_no_reason_field(locked):
    at = _upload(open_app(PAGE, role="lanh_dao", username="giamdoc"))
    assert not at.exception
    messages = at.table[0].value["Lỗi"].tolist()
    assert len(messages) == 1 and messages[0].startswith("Tháng 5/2024 đã khóa số liệu (khóa ngày ")
    assert 'sau cuộc họp "Giao ban tháng 6/2024"' in messages[0] and "bởi giamdoc" in messages[0]
    assert "imp_lock_reason" not in [t.key for t in at.text_area]
    assert next(b for b in at.button if b.label == "Xác nhận nhập").disabled
    assert _written(locked) == 0


def test_an_administrator_must_write_a_reason_which_is_passed_and_logged(locked):
    at = _upload(open_app(PAGE, role="quan_tri", username="admin"))
    assert not at.exception
    assert at.table[0].value["Lỗi"].tolist()[0].startswith("Tháng 5/2024 đã khóa số liệu")
    confirm = next(b for b in at.button if b.key == "imp_lock_confirm")
    at = confirm.click().run()  # empty reason: refused with a clear message, nothing written, nothing logged
    assert not at.exception
    assert "Chưa nhập: cần ghi rõ lý do ghi vào tháng đã khóa số liệu (lý do được lưu vào nhật ký)." in _errors(at)
    assert _written(locked) == 0
    at.text_area(key="imp_lock_reason").input("   ").run()
    at = next(b for b in at.button if b.key == "imp_lock_confirm").click().run()  # blanks are no reason
    assert _written(locked) == 0
    at.text_area(key="imp_lock_reason").input(REASON).run()
    at = next(b for b in at.button if b.key == "imp_lock_confirm").click().run()
    assert not at.exception and not _errors(at)
    assert _written(locked) == 2  # the May row and the June row, in one import
    [(who, detail)] = locked.execute("select username, detail from audit_log where action = 'lock_override'").fetchall()
    # the one locked row (N1, 20/05) is counted in the override's audit row, with the reason as written
    assert who == "admin" and json.loads(detail) == {"center": "BTXH_BL", "reason": REASON, "rows": {"events": 1}}
