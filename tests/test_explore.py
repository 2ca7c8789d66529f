"""Explore: every whitelisted dimension's groups and counts on the hand-made database of test_registers, refusals of
unknown dimensions and measures, bound filter values, and the page driven by the URL."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, sign_in
from streamlit.testing.v1 import AppTest
from test_registers import AS_OF, YEAR_START, fill

from planboard import codes, explore
from planboard.explore import Spec

D = dt.date


@pytest.fixture
def filled(con):
    fill(con)
    return con


def groups(con, dataset: str, by: str, **kw) -> list[tuple]:
    spec = Spec(
        dataset=dataset,
        by=by,
        period_start=YEAR_START,
        period_end=AS_OF,
        as_of=AS_OF,
        centers=kw.pop("centers", ("BTXH_BL",)),
        **kw,
    )
    df = explore.run(con, spec)
    cols = ["dim1", "dim2", "value"] if "dim2" in df.columns else ["dim1", "value"]
    return [tuple(r) for r in df[cols].itertuples(index=False)]


# Requests in [01/01, 30/06]: C1 (R1, 01/02), C4 (R3, 01/03, CSKC), C2 (R1, 01/05), C3 (R2, 10/06), C6 (R1, 20/06).
@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("unit", [("CSKC", 1), ("CTXH", 4)]),
        ("quarter", [(1, 2), (2, 3)]),  # Q1: C1, C4; Q2: C2, C3, C6
        ("month", [(2, 1), (3, 1), (5, 1), (6, 2)]),
        ("field", [("dan_su", 2), ("dat_dai", 3)]),
        ("form", [("to_tung", 1), ("tu_van", 4)]),
        ("status", [("da_chuyen", 1), ("dang_thuc_hien", 1), ("hoan_thanh", 1), ("tiep_nhan", 2)]),  # at 30/06
        ("priority", [("", 4), ("nguoi_co_cong", 1)]),
        ("gender", [("nam", 1), ("nu", 4)]),
        ("eligibility", [("no", 1), ("yes", 4)]),  # C3's R2 is 54
        ("provider", [("", 2), ("P1", 2), ("P2", 1)]),
    ],
)
def test_requests_every_dimension(filled, by, expected):
    assert groups(filled, "requests", by) == expected


@pytest.mark.parametrize(
    ("by", "measure", "expected"),
    [
        ("unit", "count", [("CSKC", 1), ("CTXH", 2), ("HCTH", 1)]),  # in [01/01, 30/06]: E1, E3 CTXH; E2 CSKC; E5 HCTH
        ("activity", "count", [("2", 1), ("4.1", 2), ("4.2", 1)]),
        ("event_type", "participants", [("ngay_06_6", 50), ("phat_thanh", 20), ("tap_huan", 0)]),
        ("month", "elderly", [(1, 15), (4, 0), (6, 40)]),
        ("quarter", "count", [(1, 2), (2, 2)]),
    ],
)
def test_events_every_dimension(filled, by, measure, expected):
    assert groups(filled, "events", by, measure=measure) == expected


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("unit", [("CSKC", 3)]),
        ("gender", [("nam", 1), ("nu", 2)]),  # R4 left on 01/03: not in care at 30/06
        ("eligibility", [("no", 1), ("yes", 2)]),
        ("age_group", [("70_79", 1), ("80_plus", 1), ("lt60", 1)]),  # 74, 84, 54
        ("meritorious", [("no", 2), ("yes", 1)]),
        ("poor_household", [("no", 2), ("yes", 1)]),
        ("hardship", [("no", 1), ("yes", 2)]),
    ],
)
def test_residents_every_dimension(filled, by, expected):
    assert groups(filled, "residents", by) == expected


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("unit", [("CSKC", 1), ("CTXH", 2)]),  # S4 left on 31/03
        ("role", [("yes", 3)]),
        ("training", [("not_completed", 1), ("not_trained", 1), ("trained", 1)]),
    ],
)
def test_staff_every_dimension(filled, by, expected):
    assert groups(filled, "staff", by, training_types=("tap_huan",)) == expected


def test_measures_two_dimensions_and_filters(filled):
    assert groups(filled, "requests", "gender", measure="persons") == [("nam", 1), ("nu", 2)]
    df = explore.run(
        filled,
        Spec(
            dataset="requests",
            by="eligibility",
            measure="share",
            period_start=YEAR_START,
            period_end=AS_OF,
            as_of=AS_OF,
            centers=("BTXH_BL",),
        ),
    )
    assert df["share_pct"].round(1).tolist() == [20.0, 80.0]  # 1/5, 4/5
    assert groups(filled, "requests", "gender", by2="eligibility") == [("nam", "no", 1), ("nu", "yes", 4)]
    assert groups(filled, "requests", "gender", filters={"status": ("tiep_nhan",)}) == [("nu", 2)]  # C2, C6
    assert groups(
        filled, "requests", "field", filters={"status": ("tiep_nhan", "da_chuyen"), "eligibility": ("yes",)}
    ) == [("dan_su", 2)]
    assert groups(filled, "requests", "unit", department="CSKC") == [("CSKC", 1)]
    assert groups(filled, "requests", "quarter", filters={"quarter": ("2",)}) == [(2, 3)]


def test_user_text_is_never_sql(filled):
    with pytest.raises(ValueError, match="Không thể nhóm bộ dữ liệu requests theo 'unit; drop table cases'"):
        explore.build(Spec(dataset="requests", by="unit; drop table cases"))
    with pytest.raises(ValueError, match="Không thể nhóm"):
        explore.build(Spec(dataset="requests", by="unit", filters={"full_name": ("x",)}))
    with pytest.raises(ValueError, match="Số đo không hợp lệ"):
        explore.build(Spec(dataset="events", by="unit", measure="sum(1)"))
    with pytest.raises(ValueError, match="Bộ dữ liệu không hợp lệ"):
        explore.build(Spec(dataset="cases", by="unit"))
    with pytest.raises(ValueError, match="Không thể nhóm"):
        explore.build(Spec(dataset="staff", by="event_type"))
    # A hostile filter value is a bound parameter: it matches nothing and changes nothing.
    before = filled.execute("select count(*) from cases").fetchone()[0]
    assert groups(filled, "requests", "unit", filters={"status": ("x') or 1=1 --",)}) == []
    assert filled.execute("select count(*) from cases").fetchone()[0] == before > 0


def test_labels():
    from planboard.plan import load_plan

    plan = load_plan()
    assert explore.label(plan, "quarter", 2) == "Quý II/2024"
    assert explore.label(plan, "month", 6) == "Tháng 6/2024"
    assert explore.label(plan, "field", "dat_dai") == "Đất đai"
    assert explore.label(plan, "provider", "") == "(không ghi)"
    assert explore.label(plan, "eligibility", "yes") == "Có"
    assert explore.label(plan, "age_group", "80_plus") == "80 trở lên"


def test_explore_page_from_url(demo_db):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90))
    at.query_params.update({"as_of": "2024-12-31", "ds": "requests", "by": "status"})
    at.run()
    at.switch_page("pages/explore.py").run()
    assert not at.exception
    table = at.dataframe[-1].value
    counts = dict(zip(table["Trạng thái"], table["Số lượng"], strict=True))
    assert counts["Hoàn thành"] == 23 and sum(counts.values()) == 40  # demo at 31/12
    assert any("Tổng cộng: **40**" in m.value for m in at.markdown)
    assert at.query_params["by"] == "status"
    at.selectbox(key="ex_ds").set_value("events").run()
    assert not at.exception
    assert at.query_params["ds"] == "events"
    assert any("**61**" in m.value for m in at.markdown)  # 61 events in 2024


def test_every_group_of_the_dimension_is_shown_zeros_included(filled, plan):
    # women (R1, R3) with land-law requests by 30/06: C1 (Q I) and C4 (Q I); none in Q II -> Q II at 0, not left out
    spec = Spec(
        dataset="requests",
        by="quarter",
        period_start=YEAR_START,
        period_end=AS_OF,
        as_of=AS_OF,
        centers=("BTXH_BL",),
        filters={"gender": ("nu",), "field": ("dat_dai",)},
    )
    df = explore.with_zero_groups(plan, spec, explore.run(filled, spec))
    assert [tuple(r) for r in df[["dim1", "value"]].itertuples(index=False)] == [(1, 2), (2, 0)]
    assert df["share_pct"].tolist() == [100.0, 0.0]
    # every legal field, in the code list's order; a filter on the dimension itself keeps only the chosen values
    spec = Spec(
        dataset="requests", by="field", period_start=YEAR_START, period_end=AS_OF, as_of=AS_OF, centers=("BTXH_BL",)
    )
    df = explore.with_zero_groups(plan, spec, explore.run(filled, spec))
    assert df["dim1"].tolist() == list(codes.LEGAL_FIELDS)
    assert dict(zip(df["dim1"], df["value"], strict=True)) == {
        **dict.fromkeys(codes.LEGAL_FIELDS, 0),
        "dan_su": 2,
        "dat_dai": 3,
    }
    spec = Spec(
        dataset="requests",
        by="field",
        period_start=YEAR_START,
        period_end=AS_OF,
        as_of=AS_OF,
        centers=("BTXH_BL",),
        filters={"field": ("dat_dai", "hinh_su")},
    )
    df = explore.with_zero_groups(plan, spec, explore.run(filled, spec))
    assert [tuple(r) for r in df[["dim1", "value"]].itertuples(index=False)] == [("dat_dai", 3), ("hinh_su", 0)]
    # two dimensions: every pair; free text (provider) only as present
    spec = Spec(
        dataset="requests",
        by="quarter",
        by2="gender",
        period_start=YEAR_START,
        period_end=AS_OF,
        as_of=AS_OF,
        centers=("BTXH_BL",),
    )
    df = explore.with_zero_groups(plan, spec, explore.run(filled, spec))
    assert len(df) == 2 * len(codes.GENDERS) and df["value"].sum() == 5
    spec = Spec(
        dataset="requests", by="provider", period_start=YEAR_START, period_end=AS_OF, as_of=AS_OF, centers=("BTXH_BL",)
    )
    assert explore.with_zero_groups(plan, spec, explore.run(filled, spec))["dim1"].tolist() == ["", "P1", "P2"]


def test_explore_page_shows_the_zero_quarter_and_whole_number_axis(demo_db):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90))
    at.query_params.update(
        {"as_of": "2024-06-30", "ds": "requests", "by": "quarter", "flt_gender": "nu", "flt_field": "dat_dai"}
    )
    at.run()
    at.switch_page("pages/explore.py").run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert table["Quý"].tolist() == ["Quý I/2024", "Quý II/2024"]
    chart = at.get("plotly_chart")[-1].proto.spec
    assert '"tickformat":",d"' in chart.replace(" ", "")
