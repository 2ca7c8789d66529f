"""The training courses are the plan's: the A2 indicator's event types (Plan.training_types) decide what trains a
worker, what a training row may name and what the forms offer; a plan that does not name them takes its training
activity's event types, so the spec's default plan reads 'tap_huan' from the plan file, never from code."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib

import pytest
from conftest import add_event, add_staff, add_training, open_app

from planboard import db, edits, kpis
from planboard.ingest import import_files
from planboard.plan import DEFAULT_PLAN, PlanError, parse_plan

D = dt.date


@pytest.fixture(scope="module")
def raw() -> dict:
    with open(DEFAULT_PLAN, "rb") as f:
        return tomllib.load(f)


def _a2(data: dict) -> dict:
    return next(d for d in data["indicators"] if d["code"] == "A2_TAP_HUAN")


def _with_courses(raw: dict, courses: list[str] | None) -> dict:
    """The default plan with a second type under activity 2 ('boi_duong') and A2's event types `courses` (None: the
    key left out)."""
    data = copy.deepcopy(raw)
    data["event_types"].append({"code": "boi_duong", "label": "Lớp bồi dưỡng ngắn hạn", "activity": "2"})
    _a2(data).pop("event_types", None)
    if courses is not None:
        _a2(data)["event_types"] = courses
    return data


def test_the_plan_names_its_training_courses(raw, plan):
    assert plan.training_types == ("tap_huan",)  # the default plan file says so on A2
    without = copy.deepcopy(raw)
    del _a2(without)["event_types"]
    # a plan without the field keeps working: its training activity's event types (activity 2: tap_huan)
    assert parse_plan(without).training_types == ("tap_huan",)
    assert parse_plan(_with_courses(raw, ["boi_duong"])).training_types == ("boi_duong",)
    assert parse_plan(_with_courses(raw, None)).training_types == ("tap_huan", "boi_duong")
    # no field and no event type under the activity: the plan says what is missing
    bare = copy.deepcopy(without)
    bare["event_types"] = [e for e in bare["event_types"] if e["activity"] != "2"]
    with pytest.raises(PlanError) as e:
        parse_plan(bare)
    assert e.value.key == "plan_error.needs_event_types"


@pytest.fixture
def courses_elsewhere(con, raw):
    """A plan whose courses are 'boi_duong': B1 is one, T1 (tap_huan) is not; S1 went to B1, S2 to T1."""
    plan = parse_plan(_with_courses(raw, ["boi_duong"]))
    add_staff(con, "S1")
    add_staff(con, "S2")
    add_event(con, "B1", "boi_duong", D(2024, 3, 1), plan)
    add_event(con, "T1", "tap_huan", D(2024, 3, 1), plan)
    add_training(con, "B1", "S1")
    add_training(con, "T1", "S2")
    return con, plan


def test_a_plans_own_course_type_trains_and_tap_huan_does_not(courses_elsewhere):
    con, plan = courses_elsewhere
    rows = kpis.measure_rows_many(con, {"BTXH_BL": plan}, ["A2_TAP_HUAN"], [D(2024, 6, 30)])
    # 2 workers; S1 trained at B1 (a course of this plan), S2's T1 is not a course here -> 1 of 2
    assert rows[("A2_TAP_HUAN", "BTXH_BL", D(2024, 6, 30))][:2] == (1, 2)
    params = dict(centers=["BTXH_BL"], period_start=plan.start, period_end=D(2024, 6, 30), department=None)
    register = db.query(
        con, "staff_register", **params, training_types=list(plan.training_types), only_workers=True, row_limit=None
    )
    assert dict(zip(register["staff_id"], register["training_status"], strict=True)) == {
        "S1": "trained",
        "S2": "not_trained",
    }
    # the entry form's course picker offers the plan's courses only
    assert edits.event_ids(con, list(plan.training_types)) == ["B1"]


def test_a_training_row_must_name_a_course_of_the_plan(courses_elsewhere):
    con, plan = courses_elsewhere
    refused = import_files(con, plan, [("training.csv", b"event_id,staff_id\nT1,S1\n")])
    assert not refused.ok
    [p] = refused.problems
    assert (p.row, p.column, p.value) == (2, "event_id", "T1")
    assert p.message == (
        "Hoạt động 'T1' là loại 'tap_huan', không phải lớp tập huấn. Danh sách tập huấn chỉ nhận hoạt động loại "
        "'Lớp bồi dưỡng ngắn hạn' (boi_duong)."
    )
    assert import_files(con, plan, [("training.csv", b"event_id,staff_id\nB1,S2\n")]).ok


def test_the_entry_forms_pick_events_of_any_type_and_courses_of_the_plan(demo_db):
    at = open_app("pages/import.py", "quan_tri", None, "admin")
    # a stored request opens with its values chosen: a code by its label, a resident among the ids
    at.selectbox(key="imp_pick_cases").set_value("YC2024-001").run()
    field = at.selectbox(key="imp_cases_YC2024-001_legal_field")
    assert (field.value, field.format_func(field.value)) == ("hon_nhan_gia_dinh", "Hôn nhân và gia đình")
    assert at.selectbox(key="imp_cases_YC2024-001_resident_id").value == "NCT012"
    at.segmented_control(key="imp_form_table").set_value("events").run()
    # the events form's record picker: every event (it failed with the picker's type filter left unbound)
    assert not at.exception
    picker = at.selectbox(key="imp_pick_events").options
    assert len(picker) > 40 and "HD050" in picker
    at.segmented_control(key="imp_form_table").set_value("training").run()
    assert not at.exception
    # a training row's course: the demo's two tap_huan events (the plan's courses), the latest first
    assert at.selectbox(key="imp_training_new_event_id").options == ["HD051", "HD050"]
