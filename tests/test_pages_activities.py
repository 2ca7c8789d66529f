"""The per-activity and per-unit pages (Theo hoạt động, Theo bộ phận): their named queries on tiny hand-made
databases (literal rows, arithmetic in comments), the parameters the pages pass, the chart builders of
planboard/ui/charts.py, and AppTest of both pages on the demo year and on a hand-made database."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BOTH_MODES, add_case, add_event, add_resident, add_staff, add_training, open_app
from streamlit.testing.v1 import AppTest

from planboard import db
from planboard.ui import charts, components
from planboard.ui import data as ui_data

D = dt.date
C = ["BTXH_BL"]  # the one center of these tests
START = D(2024, 1, 1)


# --- named queries ----------------------------------------------------------------------------------------------------


def test_events_of_types(con, plan):
    add_event(con, "E1", "phat_thanh", D(2024, 1, 5), plan, participants=40, elderly_reached=30)
    add_event(con, "E2", "phat_thanh", D(2024, 3, 31), plan, department="HCTH", document_number="01/BC")
    add_event(con, "E3", "phat_thanh", D(2023, 12, 31), plan)  # before 1 January: out
    add_event(con, "E4", "hop_thang", D(2024, 2, 1), plan)  # another type: out
    add_event(con, "E5", "phat_thanh", D(2024, 10, 1), plan)  # after the as-of: out
    rows = db.query_rows(
        con,
        "events_of_types",
        centers=C,
        period_start=START,
        period_end=D(2024, 9, 30),
        department=None,
        event_types=["phat_thanh"],
        row_limit=None,
    )
    # the last column counts every row (the page shows the first rows only)
    assert rows == [
        ("BTXH_BL", "E1", D(2024, 1, 5), "phat_thanh", "4.1", "CTXH", "Hoạt động", 40, 30, None, 2),
        ("BTXH_BL", "E2", D(2024, 3, 31), "phat_thanh", "4.1", "HCTH", "Hoạt động", None, None, "01/BC", 2),
    ]
    assert db.query_rows(
        con,
        "events_of_types",
        centers=C,
        period_start=START,
        period_end=D(2024, 9, 30),
        department=None,
        event_types=["phat_thanh"],
        row_limit=1,
    ) == [rows[0]]
    # the unit filter keeps only the lead unit's events: E1
    rows = db.query_rows(
        con,
        "events_of_types",
        centers=C,
        period_start=START,
        period_end=D(2024, 9, 30),
        department="CTXH",
        event_types=["phat_thanh", "hop_thang"],
        row_limit=None,
    )
    assert [r[1] for r in rows] == ["E1", "E4"]
    # an activity without event types has no events (events_filtered would read an empty list as every type)
    no_types = dict(centers=C, period_start=START, period_end=D(2024, 9, 30), department=None, row_limit=None)
    assert db.query_rows(con, "events_of_types", **no_types, event_types=[]) == []


@BOTH_MODES
def test_requests_with_flags(con):
    add_resident(con, "R1")  # born 1950, hardship: eligible
    add_resident(con, "R2", birth_date=D(1970, 1, 1))  # 54 in 2024: not elderly, not eligible
    add_resident(con, "R3", is_meritorious=True, has_financial_hardship=False)  # eligible and priority
    add_case(con, "C1", "R1", D(2024, 2, 1), status="hoan_thanh", accepted_on=D(2024, 2, 5), closed_on=D(2024, 3, 1))
    add_case(con, "C2", "R1", D(2024, 3, 1), status="rut_yeu_cau", closed_on=D(2024, 4, 1))
    add_case(con, "C3", "R2", D(2024, 4, 1), department="CSKC")
    add_case(con, "C4", "R3", D(2024, 5, 1), status="tu_choi", accepted_on=D(2024, 5, 2), closed_on=D(2024, 5, 9))
    add_case(con, "C5", "R1", D(2024, 6, 10), status="dang_thuc_hien", accepted_on=D(2024, 7, 2), priority="bao_luc")
    add_case(con, "C6", "R1", D(2024, 7, 1))  # after the as-of: out
    p = dict(period_start=START, period_end=D(2024, 6, 30), shown_from=START, shown_to=D(2024, 6, 30), row_limit=None)
    rows = db.query_rows(con, "requests_with_flags", centers=C, **p, department=None)
    # columns: case, requested, unit, field, form, priority, status, accepted, closed,
    #          eligible, priority?, withdrawn (closed by 30/06), served (accepted by 30/06, no fee, not refused),
    #          then the counts of every row: rows 5, eligible and not withdrawn 3 (C1, C4, C5), served 1 (C1)
    assert [r[-3:] for r in rows] == [(5, 3, 1)] * 5
    assert [r[:-3] for r in rows] == [
        (
            "BTXH_BL",
            "C1",
            D(2024, 2, 1),
            "CTXH",
            "dan_su",
            "tu_van",
            None,
            "hoan_thanh",
            D(2024, 2, 5),
            D(2024, 3, 1),
            True,
            False,
            False,
            True,
        ),
        (
            "BTXH_BL",
            "C2",
            D(2024, 3, 1),
            "CTXH",
            "dan_su",
            "tu_van",
            None,
            "rut_yeu_cau",
            None,
            D(2024, 4, 1),
            True,
            False,
            True,
            False,
        ),
        (
            "BTXH_BL",
            "C3",
            D(2024, 4, 1),
            "CSKC",
            "dan_su",
            "tu_van",
            None,
            "tiep_nhan",
            None,
            None,
            False,
            False,
            False,
            False,
        ),
        # refused: never served although accepted; priority because R3 is meritorious
        (
            "BTXH_BL",
            "C4",
            D(2024, 5, 1),
            "CTXH",
            "dan_su",
            "tu_van",
            None,
            "tu_choi",
            D(2024, 5, 2),
            D(2024, 5, 9),
            True,
            True,
            False,
            False,
        ),
        # accepted on 02/07, after the as-of 30/06: not yet served, still tiep_nhan, no acceptance date shown
        (
            "BTXH_BL",
            "C5",
            D(2024, 6, 10),
            "CTXH",
            "dan_su",
            "tu_van",
            "bao_luc",
            "tiep_nhan",
            None,
            None,
            True,
            True,
            False,
            False,
        ),
    ]
    # A3_MIEN_PHI at 30/06 from these rows: eligible and not withdrawn = C1, C4, C5 (3); served = C1 -> 1/3.
    rows = db.query_rows(con, "requests_with_flags", centers=C, **p, department="CSKC")
    assert [r[1] for r in rows] == ["C3"]
    # A part of the period (the chosen quarter II): rows received in it, flags and counts still at 30/06.
    rows = db.query_rows(con, "requests_with_flags", centers=C, **{**p, "shown_from": D(2024, 4, 1)}, department=None)
    assert [(r[1], *r[-3:]) for r in rows] == [("C3", 3, 2, 0), ("C4", 3, 2, 0), ("C5", 3, 2, 0)]
    assert [
        r[1] for r in db.query_rows(con, "requests_with_flags", centers=C, **{**p, "row_limit": 2}, department=None)
    ] == ["C1", "C2"]


def test_workers_training(con, plan):
    add_staff(con, "S1")  # CTXH worker
    add_staff(con, "S2", department="HCTH")  # worker, course not completed
    add_staff(con, "S3", is_legal_aid_worker=False)  # not a legal-aid worker: out
    add_staff(con, "S4", active_to=D(2024, 3, 31))  # left before 30/06: out
    add_staff(con, "S5", department="HCTH", active_from=D(2024, 2, 1))  # worker, never trained
    add_event(con, "T0", "tap_huan", D(2023, 12, 1), plan)  # last year's course: does not count
    add_event(con, "T1", "tap_huan", D(2024, 5, 10), plan, department="HCTH")
    add_training(con, "T1", "S1")
    add_training(con, "T1", "S2", completed=False)
    add_training(con, "T0", "S2")
    add_training(con, "T1", "S4")
    p = dict(
        period_start=START,
        period_end=D(2024, 6, 30),
        shown_from=None,
        shown_to=None,
        row_limit=None,
        training_types=list(plan.training_types),
    )
    rows = db.query_rows(con, "workers_training", centers=C, **p, department=None)
    # the last two columns count every row: 3 workers, 1 trained
    assert rows == [
        ("BTXH_BL", "S1", "CTXH", D(2024, 5, 10), True, 3, 1),
        ("BTXH_BL", "S2", "HCTH", None, False, 3, 1),
        ("BTXH_BL", "S5", "HCTH", None, False, 3, 1),
    ]
    # a chosen period: only those first trained in it
    rows = db.query_rows(
        con,
        "workers_training",
        centers=C,
        **{**p, "shown_from": D(2024, 4, 1), "shown_to": D(2024, 6, 30)},
        department=None,
    )
    assert rows == [("BTXH_BL", "S1", "CTXH", D(2024, 5, 10), True, 1, 1)]
    assert (
        db.query_rows(
            con,
            "workers_training",
            centers=C,
            **{**p, "shown_from": D(2024, 1, 1), "shown_to": D(2024, 3, 31)},
            department=None,
        )
        == []
    )
    # 1 trained of 3 workers: the A2_TAP_HUAN numbers (1/3) at 30/06
    rows = db.query_rows(con, "workers_training", centers=C, **p, department="HCTH")
    assert [r[1] for r in rows] == ["S2", "S5"]


@BOTH_MODES
def test_events_requests_by_unit_quarter(con, plan):
    add_resident(con, "R1")
    add_event(con, "E1", "phat_thanh", D(2024, 1, 5), plan)
    add_event(con, "E2", "hop_thang", D(2024, 3, 31), plan)
    add_event(con, "E3", "kiem_tra", D(2024, 4, 1), plan, department="HCTH")
    add_event(con, "E4", "kiem_tra", D(2024, 5, 20), plan, department="HCTH")  # after the as-of 15/05: out
    add_event(con, "E5", "van_ban", D(2024, 2, 2), plan, department="DT")  # DT not asked for: out
    add_case(con, "C1", "R1", D(2024, 4, 2))
    add_case(con, "C2", "R1", D(2024, 5, 15), status="tu_choi", closed_on=D(2024, 5, 15))  # any status counts
    rows = db.query_rows(
        con,
        "events_requests_by_unit_quarter",
        centers=C,
        period_start=START,
        period_end=D(2024, 5, 15),
        departments=["HCTH", "CTXH"],
    )
    # quarters I..II (15/05 is in Q2); units in the given order, zeros kept
    assert rows == [
        ("HCTH", 1, 0, 0),
        ("HCTH", 2, 1, 0),
        ("CTXH", 1, 2, 0),
        ("CTXH", 2, 0, 2),
    ]


# --- the pages pass exactly the parameters their query files take ---------------------------------------------------


def _recording(monkeypatch) -> list[tuple[str, set]]:
    calls: list[tuple[str, set]] = []
    real = ui_data.query

    def spy(name, **params):
        calls.append((name, set(params)))
        return real(name, **params)

    monkeypatch.setattr(ui_data, "query", spy)
    return calls


@pytest.mark.parametrize(
    "page,query",
    [
        ("pages/activities.py", {"activity": "3"}),
        ("pages/activities.py", {"activity": "2"}),
        ("pages/units.py", {}),
        ("pages/units.py", {"unit": "CTXH"}),
    ],
)
def test_pages_pass_exactly_the_query_parameters(demo_db, monkeypatch, page, query):
    calls = _recording(monkeypatch)
    at = app(page, as_of="2024-09-30", **query)
    assert not at.exception
    assert calls
    for name, params in calls:  # every parameter but the centers, which data.query adds from the view
        assert params == db.params_of(name) - {"centers"}, name


# --- chart builders ---------------------------------------------------------------------------------------------------


def test_cumulative_chart_look():
    fig = charts.cumulative_chart(
        ["T1", "T2", "T3"],
        [2, 4, 5],
        names={"actual": "Thực hiện", "target": "Mức quý", "year": "Mục tiêu năm"},
        y_title="Lũy kế",
        target_levels=[0, 0, 6],
        target_year=24,
        customdata=[["a"], ["b"], ["c"]],
        status="cham_tien_do",
        status_word="Chậm tiến độ",
    )
    layout = fig.layout
    assert layout.separators == ",."
    assert layout.font.size >= 14 and layout.xaxis.tickfont.size >= 14 and layout.yaxis.tickfont.size >= 14
    target, year, actual, marker = fig.data
    assert target.line.dash == "dash" and target.line.color == components.TARGET_COLOR and target.line.shape == "hv"
    assert list(target.y) == [0, 0, 6] and list(year.y) == [24, 24, 24]
    assert actual.line.color == components.ACTUAL_COLOR
    # the status colour marks the last point and its word stands beside it
    assert marker.marker.color == components.STATUS_COLORS["cham_tien_do"] and list(marker.y) == [5]
    assert layout.annotations[0].text == "<b>Chậm tiến độ</b>"
    assert len(fig.data) <= charts.MAX_SERIES


def _pair(levels=(0, 0, 6)):
    cum = charts.cumulative_chart(
        ["T1", "T2", "T3"],
        [2, 4, 5],
        names={"actual": "Thực hiện", "target": "Mức quý", "year": "Mục tiêu năm"},
        y_title="Lũy kế",
        target_levels=list(levels),
        target_year=24,
        status="cham_tien_do",
        status_word="Chậm tiến độ",
    )
    bars = charts.quarter_bars(["Quý I"], [5], names={"actual": "Thực hiện", "target": "CT"}, y_title="Số", target=[6])
    return cum, bars


def _plain(spec):
    """A figure's JSON without empty parts and without plotly's default theme (which its checks may drop)."""
    if isinstance(spec, dict):
        out = {k: _plain(v) for k, v in spec.items() if k != "template"}
        return {k: v for k, v in out.items() if v not in ({}, None)}
    return [_plain(v) for v in spec] if isinstance(spec, list) else spec


def test_charts_kept_are_the_figures_built_and_checked():
    """A chart asked again comes from the builder's memo without plotly's checks: it must be the very figure the
    builder makes with them, pass them, and be the caller's own (changing it changes no later chart)."""
    import plotly.graph_objects as go

    cum, bars = _pair()
    again, _ = _pair()
    built = charts.cumulative_chart.__wrapped__(
        *[["T1", "T2", "T3"], [2, 4, 5]],
        **{
            "names": {"actual": "Thực hiện", "target": "Mức quý", "year": "Mục tiêu năm"},
            "y_title": "Lũy kế",
            "target_levels": [0, 0, 6],
            "target_year": 24,
            "status": "cham_tien_do",
            "status_word": "Chậm tiến độ",
        },
    )
    assert again.to_plotly_json() == built.to_plotly_json() == cum.to_plotly_json()
    # plotly's checks pass on it (an error if not) and keep it as it is (but for empty parts and the default theme)
    assert _plain(go.Figure(again.to_plotly_json()).to_plotly_json()) == _plain(built.to_plotly_json())
    joined = charts.side_by_side(cum, bars)
    assert joined.to_plotly_json() == charts.side_by_side.__wrapped__(cum, bars).to_plotly_json()
    assert [t.xaxis for t in joined.data] == ["x", "x", "x", "x", "x2", "x2"]  # 4 traces left, 2 bars right
    # the caller's own figure: notes drawn on one are not on the next
    charts.mark_notes(
        cum, ["T1", "T2", "T3"], [dt.date(2024, 1, 31)] * 3, [(dt.date(2024, 1, 5), "x")], one="a", many="b"
    )
    cum.data[0].line.color = "red"
    assert len(cum.layout.shapes) == 1 and len(_pair()[0].layout.shapes) == 0
    assert _pair()[0].data[0].line.color == components.TARGET_COLOR
    # other data, another figure
    assert list(_pair(levels=(1, 2, 3))[0].data[0].y) == [1, 2, 3] and list(_pair()[0].data[0].y) == [0, 0, 6]


def test_quarter_bars_and_grouped_bars():
    fig = charts.quarter_bars(
        ["Quý I/2024", "Quý II/2024"],
        [6, 4],
        names={"actual": "Thực hiện", "target": "CT"},
        y_title="Số",
        target=[6, 6],
        customdata=[["q1"], ["q2"]],
    )
    assert [list(t.y) for t in fig.data] == [[6, 4], [6, 6]]
    assert fig.layout.barmode == "group" and fig.layout.separators == ",."
    assert all(t.text is None for t in fig.data)
    # printed values above the bars (a projector has no hover)
    fig = charts.quarter_bars(
        ["Quý I/2024"],
        [1234],
        names={"actual": "Thực hiện", "target": "CT"},
        y_title="Số",
        target=[1000],
        labels=["1.234"],
        target_labels=["1.000"],
        hover=["Quý I/2024: 1.234"],
    )
    assert [(list(t.text), t.textposition) for t in fig.data] == [(["1.234"], "outside"), (["1.000"], "outside")]
    assert list(fig.data[0].hovertext) == ["Quý I/2024: 1.234"]
    fig = charts.grouped_bars(
        ["BGD", "CTXH"], {"Quý I/2024": [1, 10], "Quý II/2024": [1, 13]}, y_title="Số", customdata=["BGD", "CTXH"]
    )
    assert [list(t.customdata) for t in fig.data] == [["BGD", "CTXH"], ["BGD", "CTXH"]]
    with pytest.raises(ValueError):
        charts.grouped_bars(["x"], {str(i): [i] for i in range(7)}, y_title="Số")


def test_timeline_marks_the_occasions_and_the_campaign_month():
    fig = charts.timeline(
        {
            "CTXH": ([D(2024, 6, 6), D(2024, 10, 2)], ["4.2", "4.2"], ["a", "b"]),
            "HCTH": ([D(2024, 3, 1)], ["1"], ["c"]),
        },
        rows=["1", "4.2"],
        year=2024,
        x_title="Ngày",
        y_title="Hoạt động",
        days=[(D(2024, 6, 6), "06/6"), (D(2024, 10, 1), "01/10")],
        band=(D(2024, 10, 1), D(2024, 10, 31), "Tháng 10"),
    )
    # each occasion's line carries its own word; the band's word sits mid-October: 01/10 + 30 days / 2 = 16/10
    assert [(a.text, str(a.x)[:10]) for a in fig.layout.annotations] == [
        ("<b>06/6</b>", "2024-06-06"),
        ("<b>01/10</b>", "2024-10-01"),
        ("Tháng 10", "2024-10-16"),
    ]
    # one series per unit, distinct colour and shape; rows top to bottom as given; height 120 + 60 per row
    assert [(t.name, t.marker.color, t.marker.symbol) for t in fig.data] == [
        ("CTXH", "#0969da", "circle"),
        ("HCTH", "#1a7f37", "square"),
    ]
    assert list(fig.layout.yaxis.categoryarray) == ["4.2", "1"] and fig.layout.height == 240


def test_clicked_reads_the_selection():
    state = {"selection": {"points": [{"x": "Quý II/2024", "customdata": ["2024-04-01", "2024-06-30", "Q"]}]}}
    assert charts.clicked(state) == ["2024-04-01", "2024-06-30", "Q"]
    assert charts.clicked({"selection": {"points": [{"customdata": ["CTXH"]}]}}) == "CTXH"
    assert charts.clicked({"selection": {"points": []}}) is None
    assert charts.clicked(None) is None


# --- pages (AppTest) --------------------------------------------------------------------------------------------------


@pytest.fixture
def broadcasts_db(db_file, monkeypatch, plan):
    """16 broadcasts by 30/09/2024, two a month January-August, all by CTXH except the two of March (HCTH)."""
    path = db_file  # a file, or a lake for a both_modes test
    con = db.connect(path)
    for month in range(1, 9):
        for day in (5, 20):
            add_event(
                con,
                f"PT{month:02d}{day}",
                "phat_thanh",
                D(2024, month, day),
                plan,
                department="HCTH" if month == 3 else "CTXH",
                title=f"Phát thanh {day}/{month}",
            )
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


def app(page: str, **query) -> AppTest:
    return open_app(page, **query)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@BOTH_MODES
def test_activity_page_on_hand_made_db(broadcasts_db):
    at = app("pages/activities.py", activity="4.1", as_of="2024-09-30")
    assert not at.exception
    assert at.title[0].value == "Hoạt động 4.1 – Truyền thông thường xuyên: tiến độ đến 30/09/2024"
    text = markdown(at)
    # 16 broadcasts by 30/09; expected level after Q3 = 18 -> 16 < 18: Chậm tiến độ
    assert ">16</div>" in text and "Chậm tiến độ" in text
    assert "Mục tiêu năm: 24 · Cần đạt đến nay: 18" in "\n".join(c.value for c in at.caption)
    assert at.query_params["activity"] == "4.1"
    # the records table: the 16 broadcasts (no meetings or reports in this database)
    events = at.dataframe[0].value
    assert len(events) == 16
    assert events.iloc[4]["Bộ phận"] == "HC-TH"  # 05/03: HCTH, shown by its short name
    # 4 indicators, each one plot holding its cumulative chart and its quarter bars (one plot per indicator:
    # the browser's cost grows with the number of plots)
    assert len(at.get("plotly_chart")) == 4
    # the broadcasts' quarter bars print their values: 6 in each of Q I, Q II and Q III (2 a month)
    assert '"text":["6","6","6"]' in at.get("plotly_chart")[0].proto.spec.replace(" ", "")


def test_activity_page_unit_filter_applies_to_series_and_records(broadcasts_db):
    at = app("pages/activities.py", activity="4.1", as_of="2024-09-30", unit="CTXH")
    assert not at.exception
    # CTXH's broadcasts: 16 - 2 of March (HCTH) = 14; under a unit filter the plan sets no target -> Theo dõi
    assert ">14</div>" in markdown(at) and "Theo dõi" in markdown(at)
    assert len(at.dataframe[0].value) == 14


def test_activity_page_indicator_link_from_overview(demo_db):
    at = app("pages/activities.py", activity="4.1", indicator="A41_PHAT_THANH", as_of="2024-09-30")
    assert not at.exception
    assert at.query_params["indicator"] == "A41_PHAT_THANH"
    assert "Chỉ tiêu đang xem" in markdown(at)
    # an indicator of another activity is dropped from the URL
    at = app("pages/activities.py", activity="1", indicator="A41_PHAT_THANH", as_of="2024-09-30")
    assert not at.exception and "indicator" not in at.query_params
    assert at.title[0].value.startswith("Hoạt động 1 – ")


@BOTH_MODES
def test_activity_3_on_demo_db(demo_db):
    at = app("pages/activities.py", activity="3", as_of="2024-09-30")
    assert not at.exception
    # kpis at 30/09: A3_MIEN_PHI 17/21 (81,0%), A3_UU_TIEN 6/7 (85,7%) mẫu nhỏ, A3_YEU_CAU 26
    text = markdown(at)
    assert "17/21 (81,0%)" in text and "6/7 (85,7%) · mẫu nhỏ" in text and ">26</div>" in text
    requests = at.dataframe[0].value
    assert len(requests) == 26
    captions = "\n".join(c.value for c in at.caption)
    assert "26 yêu cầu; 21 thuộc diện và không rút (mẫu số của tỷ lệ), trong đó 17 được đáp ứng miễn phí." in captions


def test_activity_2_on_demo_db(demo_db):
    at = app("pages/activities.py", activity="2", as_of="2024-09-30")
    assert not at.exception
    # kpis at 30/09: A2_TAP_HUAN 6/9 (66,7%)
    assert "6/9 (66,7%) · mẫu nhỏ" in markdown(at)
    trainees = at.dataframe[0].value
    assert len(trainees) == 9 and (trainees["Đã tập huấn"] == "Có").sum() == 6


def test_activity_page_defaults_to_activity_1(demo_db):
    at = app("pages/activities.py", as_of="2024-06-30")
    assert not at.exception
    assert at.query_params["activity"] == "1"
    # at 30/06 A1_VAN_BAN = 0 < 1 expected after Q2: Chậm tiến độ
    assert "Chậm tiến độ" in markdown(at)


@BOTH_MODES
def test_units_page_comparison_and_drill_down(demo_db):
    at = app("pages/units.py", as_of="2024-09-30")
    assert not at.exception
    assert at.title[0].value == "Hoạt động và yêu cầu TGPL theo bộ phận đến 30/09/2024"
    # demo by 30/09: 40 events (BGD 3, CTXH 31, HCTH 5, CSKC 1) and 26 requests (A3_YEU_CAU)
    assert [m.value for m in at.metric] == ["40", "26"]
    table = at.dataframe[0].value
    assert table.iloc[1]["Tổng hoạt động"] == 31 and table.iloc[1]["Tổng yêu cầu TGPL"] == 20
    quarters = [f"Hoạt động · Quý {q}/2024" for q in ("I", "II", "III")]
    assert table.iloc[1][quarters].tolist() == [10, 13, 8]  # CTXH's 31 by quarter: 10 + 13 + 8 = 31
    assert (table[quarters].sum(axis=1) == table["Tổng hoạt động"]).all()
    at.button(key="units_pick_HCTH").click().run()
    assert not at.exception
    assert at.title[0].value == "HC-TH: đóng góp vào kế hoạch đến 30/09/2024"


@BOTH_MODES
def test_units_page_with_unit(demo_db):
    at = app("pages/units.py", as_of="2024-09-30", unit="CTXH")
    assert not at.exception
    roles = at.dataframe[0].value
    # CTXH leads 1, 3, 4.1, 4.2, 5 in the plan; Center-level statuses at 30/09 from kpis
    assert roles["Mục"].tolist() == ["1", "3", "4.1", "4.2", "5"]
    assert set(roles["Vai trò"]) == {"Chủ trì"}
    assert roles["Trạng thái"].tolist() == ["Đạt", "Chậm tiến độ", "Chậm tiến độ", "Đúng tiến độ", "Đúng tiến độ"]
    contributions = at.table[0].value  # the indicator table: cells wrap, names read whole
    assert set(contributions["Trạng thái"]) == {"Theo dõi"}
    captions = "\n".join(c.value for c in at.caption)
    assert "kế hoạch không giao chỉ tiêu riêng cho bộ phận" in captions.lower()
    # CTXH by quarter: events 10, 13, 8 and requests 4, 8, 8
    by_quarter = at.dataframe[1].value
    assert by_quarter["Hoạt động"].tolist() == [10, 13, 8] and by_quarter["Yêu cầu TGPL"].tolist() == [4, 8, 8]
    assert len(at.dataframe[2].value) == 31 and len(at.dataframe[3].value) == 20
    assert [t.label for t in at.tabs] == ["Hoạt động (31)", "Yêu cầu TGPL (20)"]
    assert {"units_dl_events_csv", "units_dl_requests_xlsx"} <= {b.key for b in at.download_button}


def test_units_page_records_are_bounded_and_counted_in_full(demo_db, monkeypatch):
    from planboard.ui import exporting

    monkeypatch.setattr(exporting, "REGISTER_ROWS", 10)
    at = app("pages/units.py", as_of="2024-09-30", unit="CTXH")
    assert not at.exception
    # CTXH by 30/09: 31 events and 20 requests (as above); the tables show the first 10 of each and say so.
    assert [t.label for t in at.tabs] == ["Hoạt động (31)", "Yêu cầu TGPL (20)"]
    assert len(at.dataframe[2].value) == 10 and len(at.dataframe[3].value) == 10
    captions = [c.value for c in at.caption]
    assert any("Hiển thị 10 / 31 dòng" in c for c in captions) and any("Hiển thị 10 / 20 dòng" in c for c in captions)
    # The download holds every row: the same callable the button runs on click.
    every = exporting.all_rows(
        "requests_with_flags",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 9, 30),
        department="CTXH",
        shown_from=dt.date(2024, 1, 1),
        shown_to=dt.date(2024, 9, 30),
    )
    assert len(every()) == 20


def test_units_page_coordinating_unit(demo_db):
    at = app("pages/units.py", as_of="2024-06-30", unit="DT")
    assert not at.exception
    roles = at.dataframe[0].value
    # DT coordinates all six activities and leads none
    assert roles["Mục"].tolist() == ["1", "2", "3", "4.1", "4.2", "5"] and set(roles["Vai trò"]) == {"Phối hợp"}


def test_activity_page_in_english_gives_the_plans_english_texts(demo_db):
    at = app("pages/activities.py", as_of="2024-06-30", activity="4.2", lang="en")
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    # plan.toml: time_frame_en / output_en of activity 4.2
    assert "Q2 and Q4 2024" in text and "Legal-aid activities carried out, fitting the Center's situation." in text
    assert "Quý II và Quý IV" not in text


def test_activity_page_chart_selection_comes_from_and_goes_to_the_url(demo_db):
    # A shared link to "the records behind Q II" at 30/09: the records are those received in Q II only.
    at = app("pages/activities.py", activity="3", as_of="2024-09-30", records="2024-04-01~2024-06-30")
    assert not at.exception
    assert "Đang lọc: Quý II/2024" in markdown(at)
    assert at.query_params["records"] == "2024-04-01~2024-06-30"
    q2 = at.dataframe[0].value
    assert len(q2) > 0 and q2["Ngày yêu cầu"].between("2024-04-01", "2024-06-30").all()
    # one month from the cumulative chart's points
    at = app("pages/activities.py", activity="3", as_of="2024-09-30", records="2024-05-01~2024-05-31")
    assert "Đang lọc: Tháng 5/2024" in markdown(at)
    # clearing the filter takes it out of the link; every request by 30/09 is back (26)
    at.button(key="act_clear").click().run()
    assert not at.exception
    assert "records" not in at.query_params and "Đang lọc" not in markdown(at)
    assert len(at.dataframe[0].value) == 26
    # a selection of another activity does not follow to the next one
    at = app("pages/activities.py", activity="3", as_of="2024-09-30", records="2024-04-01~2024-06-30")
    at.selectbox(key="act_pick").set_value("4.1").run()
    assert not at.exception and "records" not in at.query_params and "Đang lọc" not in markdown(at)
    # a malformed or out-of-range value is ignored
    at = app("pages/activities.py", activity="3", as_of="2024-06-30", records="2024-07-01~2024-09-30")
    assert not at.exception and "records" not in at.query_params


def test_side_by_side_puts_both_charts_in_one_plot():
    cum = charts.cumulative_chart(
        ["T1", "T2"],
        [1, 2],
        names={"actual": "A", "target": "T", "year": "Y"},
        y_title="Số",
        target_levels=[0, 3],
        target_year=6,
        status="cham_tien_do",
        status_word="Chậm",
        title="Lũy kế",
    )
    bars = charts.quarter_bars(
        ["Q I"],
        [2],
        names={"actual": "QA", "target": "QT"},
        y_title="Số quý",
        target=[3],
        labels=["2"],
        target_labels=["3"],
        title="Từng quý",
    )
    fig = charts.side_by_side(cum, bars)
    # every trace kept, the line's on the left axes, the bars on the right ones
    assert [(t.name, t.xaxis, t.yaxis) for t in fig.data if t.name] == [
        ("T", "x", "y"),
        ("Y", "x", "y"),
        ("A", "x", "y"),
        ("QA", "x2", "y2"),
        ("QT", "x2", "y2"),
    ]
    assert fig.layout.yaxis.title.text == "Số" and fig.layout.yaxis2.title.text == "Số quý"
    assert fig.layout.yaxis2.tickformat == ",d"  # counts stay whole numbers
    texts = [a.text for a in fig.layout.annotations]
    assert texts[:2] == ["Lũy kế", "Từng quý"] and "<b>Chậm</b>" in texts
