"""The plan file: the default loads as the spec's table says; every wrong plan raises PlanError naming the key."""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from planboard.plan import DEFAULT_PLAN, PlanError, parse_plan


@pytest.fixture(scope="module")
def raw() -> dict:
    with open(DEFAULT_PLAN, "rb") as f:
        return tomllib.load(f)


def _ind(data: dict, code: str) -> dict:
    return next(d for d in data["indicators"] if d["code"] == code)


def _act(data: dict, code: str) -> dict:
    return next(a for a in data["activities"] if a["code"] == code)


# --- the default plan matches indicators.md, "Default indicators" -------------------------------------------------

# (code, activity, kind, target_year, op, quarter_targets, continuous, source) straight from the spec's table.
SPEC_TABLE = [
    ("A1_VAN_BAN", "1", "count", 1, ">=", (0, 1, 1, 1), False, "assumed"),
    ("A2_TAP_HUAN", "2", "rate", 80, ">", (0, 0, 0, 80), False, "plan"),
    ("A3_MIEN_PHI", "3", "rate", 100, ">=", (100, 100, 100, 100), True, "plan"),
    ("A3_UU_TIEN", "3", "rate", 100, ">=", (100, 100, 100, 100), True, "plan"),
    ("A3_YEU_CAU", "3", "count", None, None, None, None, None),
    ("A41_PHAT_THANH", "4.1", "count", 24, ">=", (6, 12, 18, 24), False, "assumed"),
    ("A41_HOP", "4.1", "count", 12, ">=", (3, 6, 9, 12), False, "assumed"),
    ("A41_BAO_CAO", "4.1", "count", 2, ">=", (0, 1, 1, 2), False, "assumed"),
    ("A4_LUOT_NCT", "4.1", "count", None, None, None, None, None),
    ("A42_CAO_DIEM", "4.2", "count", 3, ">=", (0, 1, 1, 3), False, "plan"),
    ("A5_KIEM_TRA", "5", "count", 2, ">=", (0, 1, 1, 2), False, "assumed"),
    ("A5_HUONG_DAN", "5", "count", None, None, None, None, None),
    ("A5_BAO_CAO", "5", "count", 2, ">=", (0, 1, 1, 2), False, "assumed"),
]


def test_default_plan_indicators_in_spec_order(plan):
    assert [i.code for i in plan.indicators] == [row[0] for row in SPEC_TABLE]
    assert plan.year == 2024
    assert (plan.start, plan.end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize(
    "code,activity,kind,target_year,op,quarters,continuous,source", SPEC_TABLE, ids=[row[0] for row in SPEC_TABLE]
)
def test_default_plan_targets_match_spec(plan, code, activity, kind, target_year, op, quarters, continuous, source):
    ind = plan.indicator(code)
    assert (ind.activity, ind.kind) == (activity, kind)
    assert ind.unit_targets == {}  # "The default 2024 plan has no unit targets"
    if target_year is None:
        assert ind.target is None and ind.source is None
        return
    t = ind.target
    assert (t.target_year, t.op, tuple(t.quarter_targets), t.continuous) == (target_year, op, quarters, continuous)
    assert t.quarter_targets[3] == t.target_year  # "the fourth is always target_year"
    assert ind.source == source


def test_default_plan_event_selection(plan):
    assert plan.indicator("A41_HOP").event_types == ("hop_thang", "hop_quy", "hop_nam")
    assert plan.indicator("A42_CAO_DIEM").event_types == ("ngay_06_6", "thang_10", "ngay_01_10")
    # A4_LUOT_NCT: every event type of activities 4.1 and 4.2 (data contract's event_type table: 5 + 3 types)
    assert set(plan.indicator("A4_LUOT_NCT").event_types) == {
        "phat_thanh",
        "hop_thang",
        "hop_quy",
        "hop_nam",
        "bao_cao_tiep_can",
        "ngay_06_6",
        "thang_10",
        "ngay_01_10",
    }
    assert plan.indicator("A3_UU_TIEN").priority_only is True
    assert plan.indicator("A3_MIEN_PHI").priority_only is False


def test_default_plan_units_and_clip(plan):
    assert [u.code for u in plan.units] == ["BGD", "CTXH", "HCTH", "CSKC", "DT", "KHAC"]
    assert plan.half_year_cutoff == (6, 14)
    assert plan.clip(dt.date(2025, 2, 1)) == dt.date(2024, 12, 31)
    assert plan.clip(dt.date(2023, 5, 1)) == dt.date(2024, 1, 1)
    assert plan.clip(dt.date(2024, 7, 15)) == dt.date(2024, 7, 15)


def test_parse_plan_of_unmodified_file_is_valid(raw):
    p = parse_plan(copy.deepcopy(raw))
    assert len(p.indicators) == 13


# --- wrong plans --------------------------------------------------------------------------------------------------


def _del(path: list):
    def mutate(d):
        node = d
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]

    return mutate


def _set(path: list, value):
    def mutate(d):
        node = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value

    return mutate


def _ind_set(code: str, key: str, value):
    def mutate(d):
        _ind(d, code)[key] = value

    return mutate


def _ind_del(code: str, key: str):
    def mutate(d):
        del _ind(d, code)[key]

    return mutate


def _dup_indicator(d):
    d["indicators"].append(copy.deepcopy(_ind(d, "A1_VAN_BAN")))


def _dup_unit(d):
    d["units"].append({"code": "CTXH", "label": "Trùng"})


def _dup_activity(d):
    d["activities"].append(copy.deepcopy(_act(d, "5")))


def _dup_event_type(d):
    d["event_types"].append({"code": "van_ban", "label": "Trùng", "activity": "1"})


def _lead_unknown_unit(d):
    _act(d, "2")["lead"] = ["HCTH", "XYZ"]


def _coordinating_unknown_unit(d):
    _act(d, "3")["coordinating"] = ["KHAC", "ABC"]


def _unit_target_unknown_unit(d):
    _ind(d, "A41_PHAT_THANH")["unit_targets"] = {"XYZ": {"target_year": 12, "quarter_targets": [3, 6, 9, 12]}}


def _unit_target_decreasing(d):
    _ind(d, "A41_PHAT_THANH")["unit_targets"] = {"CTXH": {"target_year": 12, "quarter_targets": [3, 9, 6, 12]}}


def _event_type_unknown_activity(d):
    d["event_types"][0]["activity"] = "9"


def _empty_lead(d):
    _act(d, "1")["lead"] = []


# (id, mutation, substrings the message must contain — the offending key, and the bad value when there is one)
BAD_PLANS = [
    # unknown unit
    ("lead_unknown_unit", _lead_unknown_unit, ["activities.2.lead", "XYZ"]),
    ("coordinating_unknown_unit", _coordinating_unknown_unit, ["activities.3.coordinating", "ABC"]),
    ("unit_targets_unknown_unit", _unit_target_unknown_unit, ["indicators.A41_PHAT_THANH.unit_targets", "XYZ"]),
    ("report_owner_unknown_unit", _set(["plan", "report_owner"], "XYZ"), ["plan.report_owner", "XYZ"]),
    # quarter targets decreasing / malformed
    (
        "quarter_targets_decreasing",
        _ind_set("A41_PHAT_THANH", "quarter_targets", [6, 12, 10, 24]),
        ["indicators.A41_PHAT_THANH.quarter_targets"],
    ),
    (
        "unit_quarter_targets_decreasing",
        _unit_target_decreasing,
        ["indicators.A41_PHAT_THANH.unit_targets.CTXH.quarter_targets"],
    ),
    (
        "quarter_targets_three",
        _ind_set("A1_VAN_BAN", "quarter_targets", [0, 1, 1]),
        ["indicators.A1_VAN_BAN.quarter_targets"],
    ),
    (
        "quarter_targets_q4_not_year",
        _ind_set("A5_BAO_CAO", "quarter_targets", [0, 1, 1, 3]),
        ["indicators.A5_BAO_CAO.quarter_targets"],
    ),
    (
        "quarter_targets_negative",
        _ind_set("A5_BAO_CAO", "quarter_targets", [-1, 1, 1, 2]),
        ["indicators.A5_BAO_CAO.quarter_targets"],
    ),
    ("quarter_targets_missing", _ind_del("A5_BAO_CAO", "quarter_targets"), ["indicators.A5_BAO_CAO.quarter_targets"]),
    # unknown event type
    (
        "indicator_unknown_event_type",
        _ind_set("A1_VAN_BAN", "event_types", ["van_ban", "khong_co"]),
        ["indicators.A1_VAN_BAN.event_types", "khong_co"],
    ),
    ("event_type_unknown_activity", _event_type_unknown_activity, ["event_types.van_ban.activity", "9"]),
    ("event_measure_without_types", _ind_set("A5_KIEM_TRA", "event_types", []), ["indicators.A5_KIEM_TRA.event_types"]),
    # duplicate codes
    ("duplicate_indicator", _dup_indicator, ["indicators", "A1_VAN_BAN"]),
    ("duplicate_unit", _dup_unit, ["units", "CTXH"]),
    ("duplicate_activity", _dup_activity, ["activities", "'5'"]),
    ("duplicate_event_type", _dup_event_type, ["event_types", "van_ban"]),
    # unknown measure / kind / op / source / activity
    ("unknown_measure", _ind_set("A1_VAN_BAN", "measure", "event_sum"), ["indicators.A1_VAN_BAN.measure", "event_sum"]),
    ("measure_kind_mismatch", _ind_set("A1_VAN_BAN", "measure", "training_rate"), ["indicators.A1_VAN_BAN.kind"]),
    ("unknown_kind", _ind_set("A1_VAN_BAN", "kind", "ratio"), ["indicators.A1_VAN_BAN.kind", "ratio"]),
    ("unknown_op", _ind_set("A2_TAP_HUAN", "op", "=>"), ["indicators.A2_TAP_HUAN.op", "=>"]),
    ("unknown_source", _ind_set("A1_VAN_BAN", "source", "guess"), ["indicators.A1_VAN_BAN.source"]),
    ("missing_source", _ind_del("A1_VAN_BAN", "source"), ["indicators.A1_VAN_BAN.source"]),
    ("indicator_unknown_activity", _ind_set("A1_VAN_BAN", "activity", "7"), ["indicators.A1_VAN_BAN.activity", "7"]),
    (
        "indicator_unknown_activities",
        _ind_set("A4_LUOT_NCT", "activities", ["4.1", "4.3"]),
        ["indicators.A4_LUOT_NCT.activities", "4.3"],
    ),
    ("rate_target_over_100", _ind_set("A2_TAP_HUAN", "target_year", 120), ["indicators.A2_TAP_HUAN.target_year"]),
    ("target_year_bool", _ind_set("A1_VAN_BAN", "target_year", True), ["indicators.A1_VAN_BAN.target_year"]),
    ("quarters_without_target_year", _ind_del("A41_HOP", "target_year"), ["indicators.A41_HOP", "target_year"]),
    ("empty_lead", _empty_lead, ["activities.1.lead"]),
    ("missing_activity_lead", _del(["activities", 0, "lead"]), ["activities.1.lead"]),
    (
        "event_types_not_a_list",
        _ind_set("A41_PHAT_THANH", "event_types", "phat_thanh"),
        ["indicators.A41_PHAT_THANH.event_types"],
    ),
    (
        "unit_target_without_target_year",
        _ind_set("A41_PHAT_THANH", "unit_targets", {"CTXH": {"quarter_targets": [1, 2, 3, 4]}}),
        ["indicators.A41_PHAT_THANH.unit_targets.CTXH.target_year"],
    ),
    # missing keys
    ("missing_plan_table", _del(["plan"]), ["plan"]),
    ("missing_plan_year", _del(["plan", "year"]), ["plan.year"]),
    ("missing_plan_number", _del(["plan", "number"]), ["plan.number"]),
    ("missing_plan_title", _del(["plan", "title"]), ["plan.title"]),
    ("missing_plan_issuer", _del(["plan", "issuer"]), ["plan.issuer"]),
    ("missing_plan_issued_on", _del(["plan", "issued_on"]), ["plan.issued_on"]),
    ("bad_half_year_cutoff", _set(["plan", "half_year_cutoff"], "06-31"), ["plan.half_year_cutoff", "06-31"]),
    ("bad_plan_year", _set(["plan", "year"], 1999), ["plan.year"]),
    ("missing_units", _del(["units"]), ["units"]),
    ("missing_unit_label", _del(["units", 0, "label"]), ["units[0].label"]),
    ("missing_activities", _del(["activities"]), ["activities"]),
    ("missing_activity_title", _del(["activities", 1, "title"]), ["activities.2.title"]),
    ("missing_event_types", _del(["event_types"]), ["event_types"]),
    ("missing_event_type_label", _del(["event_types", 0, "label"]), ["event_types.van_ban.label"]),
    ("missing_event_type_activity", _del(["event_types", 0, "activity"]), ["event_types.van_ban.activity"]),
    ("missing_indicators", _del(["indicators"]), ["indicators"]),
    ("missing_indicator_code", _del(["indicators", 0, "code"]), ["indicators[0].code"]),
    ("missing_indicator_label", _ind_del("A2_TAP_HUAN", "label"), ["indicators.A2_TAP_HUAN.label"]),
    ("missing_indicator_kind", _ind_del("A2_TAP_HUAN", "kind"), ["indicators.A2_TAP_HUAN.kind"]),
    ("missing_indicator_measure", _ind_del("A2_TAP_HUAN", "measure"), ["indicators.A2_TAP_HUAN.measure"]),
    ("missing_indicator_activity", _ind_del("A2_TAP_HUAN", "activity"), ["indicators.A2_TAP_HUAN.activity"]),
]


@pytest.mark.parametrize("mutate,expected", [(m, e) for _, m, e in BAD_PLANS], ids=[i for i, _, _ in BAD_PLANS])
def test_wrong_plan_raises_plan_error_naming_the_key(raw, mutate, expected):
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(PlanError) as err:
        parse_plan(data)
    msg = str(err.value)
    for part in expected:
        assert part in msg, f"{part!r} not in {msg!r}"


def test_unit_targets_parsed_and_inherit_op_and_continuity(raw):
    data = copy.deepcopy(raw)
    _ind(data, "A41_PHAT_THANH")["unit_targets"] = {"CTXH": {"target_year": 12, "quarter_targets": [3, 6, 9, 12]}}
    _ind(data, "A2_TAP_HUAN")["unit_targets"] = {"HCTH": {"target_year": 50, "quarter_targets": [0, 0, 0, 50]}}
    _ind(data, "A3_MIEN_PHI")["unit_targets"] = {"CSKC": {"target_year": 90}}
    p = parse_plan(data)
    pt = p.indicator("A41_PHAT_THANH")
    assert pt.target_for(None).target_year == 24
    assert pt.target_for("CTXH").quarter_targets == (3, 6, 9, 12)
    assert pt.target_for("HCTH") is None  # no target for that unit -> monitor only
    assert p.indicator("A2_TAP_HUAN").target_for("HCTH").op == ">"  # the indicator's op carries over
    mp = p.indicator("A3_MIEN_PHI").target_for("CSKC")
    assert (mp.continuous, mp.quarter_targets) == (True, (90, 90, 90, 90))


def test_unit_target_not_a_table_is_a_plan_error(raw):
    data = copy.deepcopy(raw)
    _ind(data, "A41_PHAT_THANH")["unit_targets"] = {"CTXH": 12}
    with pytest.raises(PlanError, match="unit_targets"):
        parse_plan(data)


def test_continuous_must_be_a_boolean(raw):
    data = copy.deepcopy(raw)
    _ind(data, "A41_PHAT_THANH")["continuous"] = "no"
    with pytest.raises(PlanError, match="indicators.A41_PHAT_THANH.continuous"):
        parse_plan(data)


def test_names_in_the_interface_language_with_english_fallbacks(plan, raw):
    a = plan.activity("4.2")
    assert (a.name("vi"), a.name("en")) == ("Truyền thông cao điểm 06/6, tháng 10", "Campaigns 06/6 and October")
    assert (a.when("vi"), a.when("en")) == ("Quý II và Quý IV năm 2024", "Q2 and Q4 2024")
    assert a.expected_output("en").startswith("Legal-aid activities carried out")
    assert plan.unit("HCTH").name("en") == "Administration–General"
    assert plan.indicators[0].name("en") == "Policy review documents issued"
    # A plan file without the optional English texts: the full English title, then the Vietnamese text.
    data = copy.deepcopy(raw)
    for act in data["activities"]:
        for key in ("short_title_en", "time_frame_en", "output_en"):
            act.pop(key, None)
    bare = parse_plan(data).activity("4.2")
    assert bare.name("en") == bare.title_en and bare.when("en") == "Quý II và Quý IV năm 2024"


NOT_ENGLISH = re.compile("[^\x00-\x7f–]")  # anything but ASCII and the en dash of ranges ("0–100")


@pytest.mark.parametrize("mutate,expected", [(m, e) for _, m, e in BAD_PLANS], ids=[i for i, _, _ in BAD_PLANS])
def test_a_wrong_plan_reads_in_english_too(raw, mutate, expected):
    # The same error, in the reader's language: it still names the key, and holds no Vietnamese word.
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(PlanError) as err:
        parse_plan(data)
    english = err.value.text("en")
    assert all(part in english for part in expected), english
    assert not NOT_ENGLISH.search(english), english
    assert err.value.text("vi") == str(err.value) != english


def test_an_english_reader_sees_a_broken_plan_file_in_english(demo_db, tmp_path, monkeypatch):
    # The app cannot start on a plan whose Q IV level (20) differs from its year target (24): it says so, in English
    # under ?lang=en, naming the key, and no traceback.
    plans = tmp_path / "plans"
    plans.mkdir()
    text = DEFAULT_PLAN.read_text(encoding="utf-8").replace(
        "quarter_targets = [6, 12, 18, 24]", "quarter_targets = [6, 12, 18, 20]", 1
    )
    (plans / "broken-2024.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLANBOARD_PLANS", str(plans))
    for lang, expected in (
        (
            "en",
            "The plan file is invalid: Key 'indicators.A41_PHAT_THANH.quarter_targets': the Q IV level (20) must "
            "equal target_year (24).",
        ),
        (
            "vi",
            "Tệp kế hoạch không hợp lệ: Khóa 'indicators.A41_PHAT_THANH.quarter_targets': mức Quý IV (20) phải "
            "bằng target_year (24).",
        ),
    ):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [expected]
