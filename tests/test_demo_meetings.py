"""The demo province's monthly meetings (demo.fill_meetings, called by demo.fill_province): the Center's 2024
meetings with frozen numbers, a dozen actions, a correction after a meeting, months locked through May."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from planboard import actions, db, demo, locks, meetings, org
from planboard.plan import load_plan

D = dt.date


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "province.duckdb"
    con = db.connect(path)
    demo.fill_province(con)
    yield con
    db.close(path)


def test_monthly_meetings_frozen_from_february_to_june_and_july_open(province):
    found = meetings.list_for(province, org.centers(province))
    assert [(m.title, m.as_of, m.is_frozen) for m in reversed(found)] == [
        ("Giao ban tháng 2/2024", D(2024, 1, 31), True),
        ("Giao ban tháng 3/2024", D(2024, 2, 29), True),
        ("Giao ban tháng 4/2024", D(2024, 3, 31), True),
        ("Giao ban tháng 5/2024", D(2024, 4, 30), True),
        ("Giao ban tháng 6/2024", D(2024, 5, 31), True),
        ("Giao ban tháng 7/2024", D(2024, 6, 30), False),
    ]
    june = next(m for m in found if m.title == "Giao ban tháng 6/2024")
    pt = next(
        n for n in meetings.frozen_numbers(province, june.meeting_id) if n.key == ("BTXH_BL", None, "A41_PHAT_THANH")
    )
    assert (pt.value, pt.status) == (10, "dung_tien_do")  # two broadcasts a month, January to May


def test_a_dozen_actions_done_late_overdue_and_one_cancelled(province):
    found = actions.list_actions(province, ["BTXH_BL"], today=D(2024, 7, 20))
    assert len(found) == 12
    assert Counter(a.status for a in found) == {"hoan_thanh": 7, "dang_thuc_hien": 2, "chua_thuc_hien": 2, "huy": 1}
    # open and due before 20/07: the training (31/05), free legal aid (30/06), the report (10/07), the files (15/07)
    assert sorted(a.due_on for a in found if a.is_overdue) == [
        D(2024, 5, 31),
        D(2024, 6, 30),
        D(2024, 7, 10),
        D(2024, 7, 15),
    ]
    done = {a.action_id: actions.history(province, a.action_id)[-1].noted_on for a in found if a.status == "hoan_thanh"}
    late = [a.text for a in found if a.status == "hoan_thanh" and done[a.action_id] > a.due_on]
    assert late == ["Ban hành văn bản triển khai Kế hoạch (hoạt động 1)"]  # done 15/04, due 31/03


def test_one_correction_after_a_meeting_and_months_locked_through_may(province):
    known = org.centers(province)
    march = next(m for m in meetings.list_for(province, known) if m.title == "Giao ban tháng 3/2024")
    fixed = meetings.corrections(province, march, {"BTXH_BL": load_plan()}, known)
    # HD004 (a broadcast of 16/02/2024) reached 102 older people, not 87: +15 at the Center and in CTXH
    assert [(c.before.department, c.indicator, c.before.value, c.now.value) for c in fixed.changes] == [
        (None, "A4_LUOT_NCT", 524, 539),
        ("CTXH", "A4_LUOT_NCT", 524, 539),
    ]
    assert [(i["files"], i["user_name"], i["updated_count"]) for i in fixed.imports] == [("events.csv", "canbo", 1)]
    later = [m for m in meetings.list_for(province, known) if m.is_frozen and m.as_of > march.as_of]
    assert all(not meetings.corrections(province, m, {"BTXH_BL": load_plan()}, known).changes for m in later)
    assert locks.locked_through(province, "BTXH_BL") == D(2024, 5, 1)
    assert locks.locked_through(province, "DEMO_GR") is None


def test_two_annotations_one_on_the_broadcasts_one_on_legal_aid(province):
    from planboard import annotations

    found = annotations.list_for(province, ["BTXH_BL"])
    assert [(n.noted_on, n.activity, n.indicator, n.author) for n in found] == [
        (D(2024, 6, 6), "4.1", "A41_PHAT_THANH", "lanhdao"),
        (D(2024, 7, 15), "3", None, "canbo"),
    ]
