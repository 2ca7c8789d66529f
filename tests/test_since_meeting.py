""" "Since the last meeting" (docs/meetings.md): the overview cards, the activity pages and the brief compare with the
frozen numbers of the latest meeting of the view's scope before the date shown (value and status change), and with
the recomputed previous month end where there is none. One rule: meetings.baseline.

Hand-made fixture (broadcasts, A41_PHAT_THANH: year target 24, quarters 6/12/18/24):
- 2 broadcasts in January, 2 in February, 1 each in March, April and May: 7 by 31/05;
- the June meeting (held 05/06, numbers at 31/05) freezes 7: Q1 ended (expected 6), 7 >= 6 and 30 days left in Q2
  (not < 30) -> Đúng tiến độ;
- afterwards one more broadcast dated 25/05 is recorded (31/05 recomputed: 8) and three in June: 11 by 30/06, against
  Q2's 12 -> Chậm tiến độ."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import add_event, open_app

from planboard import kpis, meetings, org
from planboard.auth import User
from planboard.plan import load_plan
from planboard.reports import brief
from planboard.reports.period import report_period
from planboard.ui import cards

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "all", None)
CENTER = org.Scope("center", "BTXH_BL")
BEFORE = [D(2024, 1, 10), D(2024, 1, 20), D(2024, 2, 10), D(2024, 2, 20), D(2024, 3, 10), D(2024, 4, 10)]
BEFORE += [D(2024, 5, 10)]
AFTER = [D(2024, 5, 25), D(2024, 6, 5), D(2024, 6, 12), D(2024, 6, 20)]


def _events(con, dates, prefix):
    for i, on in enumerate(dates):
        add_event(con, f"{prefix}{i}", "phat_thanh", on)


@pytest.fixture
def held(con):
    plan = load_plan()
    _events(con, BEFORE, "B")
    known = org.centers(con)
    m = meetings.create(con, LEAD, CENTER, D(2024, 6, 5), known)  # numbers at 31/05
    meetings.freeze(con, m.meeting_id, {"BTXH_BL": plan}, LEAD, known)
    _events(con, AFTER, "A")
    return con, plan, m


def _month_end(con, plan, department=None):
    return lambda d: kpis.compute(con, plan, d, department, "BTXH_BL")


def _broadcasts(con, plan, on, department=None):
    return next(r for r in kpis.compute(con, plan, on, department, "BTXH_BL") if r.code == "A41_PHAT_THANH")


def test_the_last_meetings_frozen_numbers_are_the_baseline(held):
    con, plan, m = held
    base = meetings.baseline(con, CENTER, D(2024, 6, 30), plan.start, _month_end(con, plan))
    assert base.meeting.meeting_id == m.meeting_id and base.as_of == D(2024, 5, 31)
    change = base.change(_broadcasts(con, plan, D(2024, 6, 30)))
    # 11 now against 7 frozen: +4 (the recomputed 31/05 would say 8, i.e. +3)
    assert (change.before.value, change.now.value, change.delta) == (7, 11, 4)
    assert (change.before.status, change.now.status) == ("dung_tien_do", "cham_tien_do")
    text = cards.change_text(_broadcasts(con, plan, D(2024, 6, 30)), base)
    assert text == "+4 so với cuộc họp giao ban ngày 05/06/2024 · Đúng tiến độ → Chậm tiến độ"
    en = cards.change_text(_broadcasts(con, plan, D(2024, 6, 30)), base, "en")
    assert en == "+4 since the meeting of 05/06/2024 · On track → Behind"
    # a unit's view compares with the unit's frozen row: every broadcast is CTXH's, so 7 then too
    unit = meetings.baseline(con, CENTER, D(2024, 6, 30), plan.start, _month_end(con, plan, "CTXH"), "CTXH")
    assert unit.meeting is not None and unit.numbers["A41_PHAT_THANH"].value == 7
    assert unit.numbers["A41_PHAT_THANH"].department == "CTXH"


def test_without_a_meeting_before_the_date_the_previous_month_end_is_recomputed(held):
    con, plan, m = held
    # At 31/05 the June meeting's numbers (at 31/05) are not from before the date shown: the month end 30/04 is used,
    # recomputed (6 then, 8 now: +2) and no status change is told.
    base = meetings.baseline(con, CENTER, D(2024, 5, 31), plan.start, _month_end(con, plan))
    assert base.meeting is None and base.as_of == D(2024, 4, 30)
    assert cards.change_text(_broadcasts(con, plan, D(2024, 5, 31)), base) == "+2 so với 30/04/2024"
    # A meeting held after the date shown does not count: at 04/06 (before the 05/06 meeting) -> 31/05 recomputed, 8:
    # 8 by 04/06 too (the 05/06 broadcast is later) -> 8 - 8 = 0
    base = meetings.baseline(con, CENTER, D(2024, 6, 4), plan.start, _month_end(con, plan))
    assert base.meeting is None and base.as_of == D(2024, 5, 31)
    assert cards.change_text(_broadcasts(con, plan, D(2024, 6, 4)), base) == "Không đổi so với 31/05/2024"
    # Another scope (a province) has no meeting: month end 31/05 recomputed, 8 -> 11 = +3
    base = meetings.baseline(con, org.Scope("province", "BL"), D(2024, 6, 30), plan.start, _month_end(con, plan))
    assert base.meeting is None and base.change(_broadcasts(con, plan, D(2024, 6, 30))).delta == 3
    # January without a meeting: nothing to compare with
    assert meetings.baseline(con, CENTER, D(2024, 1, 31), plan.start, _month_end(con, plan)) is None


def test_the_brief_compares_with_the_last_meeting(held):
    con, plan, m = held
    md = brief.build(con, plan, report_period(plan, "month", D(2024, 6, 30))).markdown
    line = next(x for x in md.splitlines() if "phát thanh" in x and "11" in x)
    assert line.endswith("; tăng 4 so với cuộc họp giao ban ngày 05/06/2024, trạng thái Đúng tiến độ → Chậm tiến độ.")
    md = brief.build(con, plan, report_period(plan, "month", D(2024, 5, 31))).markdown  # no meeting before: month end
    line = next(x for x in md.splitlines() if "phát thanh" in x and ": 8" in x)
    assert line.endswith("; tăng 2 so với ngày 30/04/2024.")


def test_the_overview_card_and_the_activity_page_say_the_change_since_the_meeting(held, db_file, monkeypatch):
    monkeypatch.setenv("PLANBOARD_DB", str(db_file))
    want = "+4 so với cuộc họp giao ban ngày 05/06/2024 · Đúng tiến độ → Chậm tiến độ"
    at = open_app("pages/overview.py", role="lanh_dao", as_of="2024-06-30")
    assert not at.exception
    assert any(want in m.value for m in at.markdown)
    at = open_app("pages/activities.py", role="lanh_dao", as_of="2024-06-30", activity="4.1")
    assert not at.exception
    assert want in [c.value for c in at.caption]


def test_the_reports_page_brief_follows_a_freeze_made_after_it_was_shown(con, db_file, monkeypatch):
    monkeypatch.setenv("PLANBOARD_DB", str(db_file))
    _events(con, BEFORE + AFTER, "E")  # 8 by 31/05, 11 by 30/06; no meeting yet

    def brief_text():
        at = open_app("pages/reports.py", role="lanh_dao", as_of="2024-06-30")
        assert not at.exception
        return "\n".join(m.value for m in at.markdown)

    assert "tăng 3 so với ngày 31/05/2024." in brief_text()  # 11 − 8, against the month end
    known = org.centers(con)
    m = meetings.create(con, LEAD, CENTER, D(2024, 6, 5), known)
    meetings.freeze(con, m.meeting_id, {"BTXH_BL": load_plan()}, LEAD, known)  # freezes 8 (≥ 6: Đúng tiến độ)
    # a freeze changes no data: the page's cached brief must still move to the meeting
    assert "tăng 3 so với cuộc họp giao ban ngày 05/06/2024, trạng thái Đúng tiến độ → Chậm tiến độ." in brief_text()


def test_the_command_line_brief_of_a_province_compares_with_the_provinces_meeting(tmp_path):
    """`report --center all --format md` compares with the province's last meeting, as the reports page does.
    Demo province broadcasts (A41) by 31/05/2024: BTXH_BL 10 + DEMO_GR 15 + DEMO_HB 6 = 31 (frozen by the province's
    meeting of 05/06); by 30/06: 12 + 18 + 6 = 36. One more BTXH_BL broadcast dated 20/05 recorded after the meeting:
    37 now, and 32 at 31/05 recomputed. The meeting says +6 (37 − 31); the month-end rule would say +5 (37 − 32)."""
    from conftest import run_cli

    from planboard import db, demo
    from planboard.plan import load_plans

    path = tmp_path / "tinh.duckdb"
    con = db.connect(path)
    demo.fill_province(con)
    known = org.centers(con)
    province = org.Scope("province", "BL")
    m = meetings.create(con, LEAD, province, D(2024, 6, 5), known)
    plans = load_plans(include_demo=True).for_centers(["BTXH_BL", "DEMO_GR", "DEMO_HB"], 2024)
    frozen = meetings.freeze(con, m.meeting_id, plans, LEAD, known)
    assert frozen.as_of == D(2024, 5, 31)
    add_event(con, "LATE-1", "phat_thanh", D(2024, 5, 20))
    db.close(path)
    out = tmp_path / "tinh.md"
    run = run_cli(
        "report", "--db", str(path), "--as-of", "2024-06-30", "--center", "all", "--format", "md", "--out", str(out)
    )
    assert run.returncode == 0, run.stderr
    line = next(x for x in out.read_text(encoding="utf-8").splitlines() if "phát thanh" in x and "37" in x)
    assert "tăng 6 so với cuộc họp giao ban ngày 05/06/2024" in line, line
