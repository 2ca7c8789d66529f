"""Annotations (docs/meetings.md): a dated note on an activity or indicator, by whom may write it (audited), listed
with the records of its date, drawn as a marker on that indicator's charts by one helper (charts.mark_notes), added
from the command line and the activity page."""

from __future__ import annotations

import datetime as dt
import json

import plotly.graph_objects as go
import pytest
from conftest import open_app

from planboard import annotations, cli, db, org
from planboard.auth import User
from planboard.plan import load_plan
from planboard.ui import charts

D = dt.date
LEAD = User("giamdoc", "Giám đốc", "lanh_dao", "BGD", "all", None)
CTXH = User("canbo", "Cán bộ CTXH", "can_bo", "CTXH", "center", "BTXH_BL")
HCTH = User("canbo2", "Cán bộ HCTH", "can_bo", "HCTH", "center", "BTXH_BL")
VIEWER = User("xem", "Người xem", "xem", None, "all", None)
PEAK = "Đợt cao điểm phát thanh dịp 06/6"


def _audit(con, action="annotation_add"):
    return [(u, ok, json.loads(d)) for u, ok, d in con.execute(
        "select username, is_ok, detail from audit_log where action = $a order by audit_id", {"a": action}
    ).fetchall()]  # fmt: skip


def test_who_may_annotate_what_and_every_attempt_is_audited(con):
    plan, known = load_plan(), org.centers(con)
    n = annotations.add(con, LEAD, plan, known, "BTXH_BL", D(2024, 6, 6), f"  {PEAK} ", indicator="A41_PHAT_THANH")
    # the indicator's activity is filled in; the text is trimmed; the author is the signed-in account
    assert (n.activity, n.indicator, n.note, n.author) == ("4.1", "A41_PHAT_THANH", PEAK, "giamdoc")
    # CTXH leads activity 3: its staff may note it; HCTH neither leads nor coordinates 4.1: refused
    annotations.add(con, CTXH, plan, known, "BTXH_BL", D(2024, 7, 15), "Thiếu cán bộ tháng 7", activity="3")
    for user in (HCTH, VIEWER):
        with pytest.raises(annotations.AnnotationError) as e:
            annotations.add(con, user, plan, known, "BTXH_BL", D(2024, 6, 6), "x", activity="4.1")
        assert e.value.code == "not_allowed"
    assert str(e.value).startswith("Vai trò Người xem không được ghi chú cho hoạt động này")
    rows = _audit(con)
    assert [(u, ok) for u, ok, _ in rows] == [("giamdoc", True), ("canbo", True), ("canbo2", False), ("xem", False)]
    assert rows[0][2]["indicator"] == "A41_PHAT_THANH" and rows[2][2]["reason"] == "role"
    notes = annotations.list_for(con, ["BTXH_BL"])
    assert [(x.noted_on, x.activity, x.indicator) for x in notes] == [
        (D(2024, 6, 6), "4.1", "A41_PHAT_THANH"),
        (D(2024, 7, 15), "3", None),
    ]
    assert [x.note for x in annotations.list_for(con, ["BTXH_BL"], date_from=D(2024, 7, 1))] == ["Thiếu cán bộ tháng 7"]
    # a note on activity 3 as a whole belongs on each of its indicators' charts, not on 4.1's
    assert [x.activity for x in annotations.of_indicator(notes, "A3_MIEN_PHI", "3")] == ["3"]


@pytest.mark.parametrize(
    "on, text, about, message",
    [
        (D(2024, 6, 6), "  ", {"activity": "4.1"}, "Cần ghi nội dung ghi chú."),
        (None, "x", {"activity": "4.1"}, "Cần chọn ngày của ghi chú."),
        (D(2025, 1, 2), "x", {"activity": "4.1"}, "Ngày 02/01/2025 nằm ngoài năm kế hoạch (01/01/2024–31/12/2024)."),
        (D(2024, 6, 6), "x", {"indicator": "A9_KHONG_CO"}, "Chỉ tiêu không xác định: 'A9_KHONG_CO'."),
        (D(2024, 6, 6), "x", {}, "Cần chọn hoạt động hoặc chỉ tiêu được ghi chú."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(con, on, text, about, message):
    with pytest.raises(annotations.AnnotationError) as e:
        annotations.add(con, LEAD, load_plan(), org.centers(con), "BTXH_BL", on, text, **about)
    assert str(e.value) == message
    assert annotations.list_for(con, ["BTXH_BL"]) == []


MONTHS = [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31), D(2024, 6, 20)]
X = ["T1", "T2", "T3", "T4", "T5", "20/06"]


def test_markers_go_to_the_point_of_their_date():
    notes = [
        (D(2024, 3, 2), "họp <b>quý</b>"),
        (D(2024, 6, 6), PEAK),
        (D(2024, 3, 31), "thiếu cán bộ"),
        (D(2024, 6, 25), "sau ngày xem"),
    ]
    fig = charts.mark_notes(go.Figure(), X, MONTHS, notes, one="✎ {date}", many="✎ {n} ghi chú")
    # 02/03 and 31/03 fall in March (the point T3, its month end 31/03); 06/06 in the last point (to 20/06);
    # 25/06 is after the last date shown: not drawn
    assert [s.x0 for s in fig.layout.shapes] == ["T3", "20/06"]
    flags = {a.x: (a.text, a.hovertext) for a in fig.layout.annotations}
    assert flags["T3"] == ("✎ 2 ghi chú", "02/03/2024: họp &lt;b&gt;quý&lt;/b&gt;<br>31/03/2024: thiếu cán bộ")
    assert flags["20/06"] == ("✎ 06/06", f"06/06/2024: {PEAK}")
    # the activity page draws the monthly and quarterly charts as one figure: markers stay on their own side
    bars = charts.mark_notes(
        go.Figure(), ["Quý I", "Quý II"], [D(2024, 3, 31), D(2024, 6, 20)], notes[1:2], one="✎ {date}", many=""
    )
    both = charts.side_by_side(fig, bars)
    assert sorted((s.xref, s.x0) for s in both.layout.shapes) == [("x", "20/06"), ("x", "T3"), ("x2", "Quý II")]
    assert ("x2", "✎ 06/06") in [(a.xref, a.text) for a in both.layout.annotations]


def test_the_command_line_adds_and_lists_annotations(con, db_file, capsys):
    code = cli.main(
        [
            "annotation",
            "add",
            "--db",
            str(db_file),
            "--indicator",
            "A41_PHAT_THANH",
            "--date",
            "2024-06-06",
            "--text",
            PEAK,
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.strip() == "Đã thêm ghi chú số 1 ngày 06/06/2024 cho A41_PHAT_THANH."
    assert (
        cli.main(["annotation", "add", "--db", str(db_file), "--activity", "4.1", "--date", "2024-06-06", "--text", ""])
        != 0
    )
    assert "Cần ghi nội dung ghi chú." in capsys.readouterr().err
    assert cli.main(["annotation", "list", "--db", str(db_file), "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert {k: row[k] for k in ("center", "noted_on", "activity", "indicator", "note")} == {
        "center": "BTXH_BL",
        "noted_on": "2024-06-06",
        "activity": "4.1",
        "indicator": "A41_PHAT_THANH",
        "note": PEAK,
    }
    assert row["author"].startswith("cli:")


def _chart_notes(at) -> list[str]:
    out = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out += [a.get("text") for a in spec["layout"].get("annotations", []) if a.get("text", "").startswith("✎")]
    return out


def _notes_table(at):
    for d in at.dataframe:
        frame = d.value.data if hasattr(d.value, "data") else d.value
        if "Người ghi" in frame.columns:
            return frame
    return None


def test_the_activity_page_draws_lists_and_adds_notes(demo_db):
    con = db.connect(demo_db)
    annotations.add(
        con, LEAD, load_plan(), org.centers(con), "BTXH_BL", D(2024, 6, 6), PEAK, indicator="A41_PHAT_THANH"
    )
    at = open_app(
        "pages/activities.py", role="can_bo", department="CTXH", username="canbo", activity="4.1", as_of="2024-06-30"
    )
    assert not at.exception
    # on the broadcasts' monthly chart (T6) and its quarterly chart (Quý II): two flags on one figure
    assert _chart_notes(at) == ["✎ 06/06", "✎ 06/06"]
    assert "**Ghi chú (1)**" in [m.value for m in at.markdown]
    table = _notes_table(at)
    assert table["Ghi chú"].tolist() == [PEAK] and table["Người ghi"].tolist() == ["giamdoc"]
    # CTXH leads 4.1: its staff add a note on the whole activity; an empty text is refused in words
    next(d for d in at.date_input if d.label == "Ngày ghi chú *").set_value(D(2024, 6, 20))
    at = next(b for b in at.button if b.label == "Lưu ghi chú").click().run()
    assert [e.value for e in at.error] == ["Cần ghi nội dung ghi chú."]
    next(d for d in at.date_input if d.label == "Ngày ghi chú *").set_value(D(2024, 6, 20))
    next(x for x in at.text_area if x.label == "Nội dung *").input("Loa xã hỏng 1 tuần")
    at = next(b for b in at.button if b.label == "Lưu ghi chú").click().run()
    assert not at.exception and "Đã lưu ghi chú." in [s.value for s in at.success]
    assert [(n.activity, n.indicator, n.author) for n in annotations.list_for(con, ["BTXH_BL"])][1] == (
        "4.1",
        None,
        "canbo",
    )
    # both fall in June: the monthly point T6 now carries two notes, on every chart of 4.1's indicators
    assert "✎ 2 ghi chú" in _chart_notes(at)


@pytest.mark.parametrize("role, department", [("can_bo", "HCTH"), ("xem", None)])
def test_others_read_the_notes_without_the_form(demo_db, role, department):
    con = db.connect(demo_db)
    annotations.add(con, LEAD, load_plan(), org.centers(con), "BTXH_BL", D(2024, 6, 6), PEAK, activity="4.1")
    at = open_app("pages/activities.py", role=role, department=department, activity="4.1", as_of="2024-06-30")
    assert not at.exception
    assert _notes_table(at)["Ghi chú"].tolist() == [PEAK]
    assert "Lưu ghi chú" not in [b.label for b in at.button]
