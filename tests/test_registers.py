"""The register queries (requests, events, people) on a tiny hand-made database, and AppTest of their pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import add_case, add_event, add_resident, add_staff, add_training, open_app, requests_params
from streamlit.testing.v1 import AppTest

from planboard import db

D = dt.date
AS_OF = D(2024, 6, 30)
YEAR_START = D(2024, 1, 1)


def fill(con) -> None:
    """Three residents, six requests, five events, four staff — every number below is counted from here.

    R1 nu 1950-01-01 (74 at 2024, financial hardship -> eligible); R2 nam 1970-05-01 (54: not elderly, not eligible);
    R3 nu 1940-03-01 (84, meritorious and poor household -> eligible); R4 left on 01/03/2024.
    """
    add_resident(con, "R1", gender="nu", birth_date=D(1950, 1, 1))
    add_resident(con, "R2", gender="nam", birth_date=D(1970, 5, 1))
    add_resident(
        con,
        "R3",
        gender="nu",
        birth_date=D(1940, 3, 1),
        is_meritorious=True,
        is_poor_household=True,
        has_financial_hardship=False,
    )
    add_resident(con, "R4", gender="nam", birth_date=D(1945, 1, 1), left_on=D(2024, 3, 1))
    # C1 accepted after 10 days, closed; C2 waiting 60 days at 30/06 (overdue); C3 referred, waiting 20 days;
    # C4 accepted after 4 days, in progress; C5 from 2023, closed 15/02/2024 (carried over into 2024);
    # C6 accepted and closed only after 30/06: at 30/06 it is still tiep_nhan, waiting 10 days.
    add_case(
        con,
        "C1",
        "R1",
        D(2024, 2, 1),
        legal_field="dat_dai",
        provider="P1",
        accepted_on=D(2024, 2, 11),
        closed_on=D(2024, 3, 1),
        status="hoan_thanh",
    )
    add_case(con, "C2", "R1", D(2024, 5, 1), legal_field="dan_su")
    add_case(
        con,
        "C3",
        "R2",
        D(2024, 6, 10),
        legal_field="dat_dai",
        aid_form="to_tung",
        provider="P1",
        referred_on=D(2024, 6, 12),
        status="da_chuyen",
    )
    add_case(
        con,
        "C4",
        "R3",
        D(2024, 3, 1),
        legal_field="dat_dai",
        provider="P2",
        priority="nguoi_co_cong",
        department="CSKC",
        accepted_on=D(2024, 3, 5),
        status="dang_thuc_hien",
    )
    add_case(
        con,
        "C5",
        "R3",
        D(2023, 12, 1),
        provider="P1",
        accepted_on=D(2023, 12, 20),
        closed_on=D(2024, 2, 15),
        status="hoan_thanh",
    )
    add_case(
        con,
        "C6",
        "R1",
        D(2024, 6, 20),
        legal_field="dan_su",
        accepted_on=D(2024, 7, 5),
        closed_on=D(2024, 8, 1),
        status="hoan_thanh",
    )
    add_event(con, "E1", "phat_thanh", D(2024, 1, 10), participants=20, elderly_reached=15)
    add_event(con, "E2", "phat_thanh", D(2024, 1, 20), department="CSKC")
    add_event(con, "E3", "ngay_06_6", D(2024, 6, 6), participants=50, elderly_reached=40)
    add_event(con, "E4", "tap_huan", D(2025, 1, 5))
    add_event(con, "E5", "tap_huan", D(2024, 4, 1), department="HCTH")
    add_staff(con, "S1")
    add_staff(con, "S2")
    add_staff(con, "S3", department="CSKC")
    add_staff(con, "S4", is_legal_aid_worker=False, active_to=D(2024, 3, 31))
    add_training(con, "E5", "S1")
    add_training(con, "E5", "S2", completed=False)
    add_training(con, "E4", "S3")  # 2025: not this year


def params(**kw):
    return requests_params(AS_OF, **kw)


@pytest.fixture
def filled(con):
    fill(con)
    return con


def ids(con, **kw) -> list[str]:
    return db.query(con, "requests_register", **params(**kw), row_limit=None)["case_id"].tolist()


def test_register_rows_status_at_as_of_and_waiting_days(filled):
    df = db.query(filled, "requests_register", **params(), row_limit=None).set_index("case_id")
    # C5 was requested in 2023: outside the period. Order by requested_on.
    assert df.index.tolist() == ["C1", "C4", "C2", "C3", "C6"]
    assert df["status"].to_dict() == {
        "C1": "hoan_thanh",
        "C4": "dang_thuc_hien",
        "C2": "tiep_nhan",
        "C3": "da_chuyen",
        "C6": "tiep_nhan",
    }  # C6 accepted only on 05/07
    assert df.loc["C1", "days_to_accept"] == 10 and df.loc["C4", "days_to_accept"] == 4
    # days pending at 30/06: C2 60 (01/05 -> 30/06), C3 20, C6 10; only C2 exceeds 30
    assert df["days_pending"].dropna().astype(int).to_dict() == {"C2": 60, "C3": 20, "C6": 10}
    assert df.index[df["is_overdue"]].tolist() == ["C2"]
    assert df["is_eligible"].to_dict() == {"C1": True, "C4": True, "C2": True, "C3": False, "C6": True}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"statuses": ["tiep_nhan"]}, ["C2", "C6"]),
        ({"statuses": ["tiep_nhan", "da_chuyen"], "eligible": True}, ["C2", "C6"]),  # C3's R2 is 54
        ({"statuses": ["tiep_nhan", "da_chuyen"], "eligible": False}, ["C3"]),
        ({"fields": ["dat_dai"], "providers": ["P1"]}, ["C1", "C3"]),
        ({"providers": [""]}, ["C2", "C6"]),  # '' = provider not given
        ({"priorities": ["nguoi_co_cong"]}, ["C4"]),
        ({"priorities": [""], "forms": ["tu_van"]}, ["C1", "C2", "C6"]),
        ({"forms": ["to_tung"]}, ["C3"]),
        ({"department": "CSKC"}, ["C4"]),
        ({"period_start": D(2024, 3, 1), "period_end": D(2024, 5, 31)}, ["C4", "C2"]),
        ({"statuses": ["hoan_thanh"], "as_of": D(2024, 12, 31), "period_end": D(2024, 12, 31)}, ["C1", "C6"]),
        ({"fields": ["hinh_su"]}, []),
        # 'qua_han': waiting longer than overdue_days at as_of (C2 60 days > 30), alone or beside real statuses
        ({"statuses": ["qua_han"]}, ["C2"]),
        ({"statuses": ["qua_han"], "overdue_days": 15}, ["C2", "C3"]),  # C3 20 > 15; C6 10 is not
        ({"statuses": ["qua_han", "hoan_thanh"]}, ["C1", "C2"]),
    ],
)
def test_register_filters_combine(filled, filters, expected):
    assert ids(filled, **filters) == expected


def test_register_row_limit_keeps_the_order_and_the_summary_counts_every_row(filled):
    # The page shows the first rows in the register's order; its key numbers come from the summary of all of them.
    assert db.query(filled, "requests_register", **params(), row_limit=2)["case_id"].tolist() == ["C1", "C4"]
    assert db.query(filled, "requests_summary", **params()).iloc[0].request_count == 5
    assert db.query(filled, "requests_register", **params(statuses=["tiep_nhan"]), row_limit=1)["case_id"].tolist() == [
        "C2"
    ]


def test_summary_counts_and_waiting(filled):
    s = db.query(filled, "requests_summary", **params()).iloc[0]
    assert s.request_count == 5 and s.person_count == 3  # R1 (C1, C2, C6), R2 (C3), R3 (C4)
    assert s.eligible_count == 4  # all but C3
    assert s.served_count == 2 and s.served_person_count == 2  # C1 and C4 accepted by 30/06, free
    assert s.accepted_count == 2 and s.median_days_to_accept == 7 and s.mean_days_to_accept == 7  # (10 + 4) / 2
    assert s.waiting_count == 3 and s.median_days_pending == 20 and s.max_days_pending == 60  # 60, 20, 10
    assert s.overdue_count == 1
    assert db.query(filled, "requests_summary", **params(overdue_days=5)).iloc[0].overdue_count == 3


def test_breakdowns_by_sex_group_form_field(filled):
    df = db.query(filled, "requests_breakdown", **params())
    got = {
        (r.dimension, r.group_code): (r.request_count, r.person_count, r.served_person_count) for r in df.itertuples()
    }
    assert got == {
        # nu: R1 (C1, C2, C6) + R3 (C4) = 4 requests, 2 persons, both with a served request (C1, C4)
        ("gender", "nu"): (4, 2, 2),
        ("gender", "nam"): (1, 1, 0),  # R2's C3 waits
        # eligible requests only; R3 is in two groups, R1 in one
        ("eligible_group", "is_meritorious"): (1, 1, 1),
        ("eligible_group", "is_poor_household"): (1, 1, 1),
        ("eligible_group", "has_financial_hardship"): (3, 1, 1),
        ("aid_form", "tu_van"): (4, 2, 2),
        ("aid_form", "to_tung"): (1, 1, 0),
        ("legal_field", "dat_dai"): (3, 3, 2),  # C1 R1 served, C3 R2 not, C4 R3 served
        ("legal_field", "dan_su"): (2, 1, 0),  # C2 and C6 of R1, neither served by 30/06
    }


def test_flow_by_provider(filled):
    flow_params = {k: v for k, v in params().items() if k not in ("statuses", "overdue_days")}
    df = db.query(filled, "requests_flow_by_provider", **flow_params)
    rows = [tuple(r) for r in df.itertuples(index=False)]
    # provider, carried over, received, accepted in period, closed in period, open at period end
    assert rows == [
        ("", 0, 2, 0, 0, 2),  # C2, C6 (C6's acceptance on 05/07 is after as_of)
        ("P1", 1, 2, 1, 2, 1),  # C5 carried over and closed 15/02; C1 accepted and closed; C3 open
        ("P2", 0, 1, 1, 0, 1),  # C4
    ]


def test_events_register_and_by_month(filled):
    p = dict(
        centers=["BTXH_BL"],
        period_start=YEAR_START,
        period_end=D(2024, 12, 31),
        department=None,
        activities=[],
        event_types=[],
    )
    r = dict(p, row_limit=None)
    assert db.query(filled, "events_register", **r)["event_id"].tolist() == ["E1", "E2", "E5", "E3"]  # E4 is 2025
    assert db.query(filled, "events_register", **{**r, "activities": ["4.2"]})["event_id"].tolist() == ["E3"]
    assert db.query(filled, "events_register", **{**r, "event_types": ["phat_thanh"], "department": "CTXH"})[
        "event_id"
    ].tolist() == ["E1"]
    assert db.query(filled, "events_register", **{**r, "row_limit": 2})["event_id"].tolist() == ["E1", "E2"]
    # Key numbers of every filtered event: E1 20 participants / 15 elderly, E3 50 / 40, E2 and E5 empty (0); months
    # 1, 4 and 6.
    assert tuple(db.query(filled, "events_summary", **p).iloc[0]) == (4, 70, 55, 3)
    assert tuple(db.query(filled, "events_summary", **{**p, "activities": ["2"]}).iloc[0]) == (1, 0, 0, 1)
    assert tuple(db.query(filled, "events_summary", **{**p, "department": "HCTH", "activities": ["4.2"]}).iloc[0]) == (
        0,
        0,
        0,
        0,
    )
    # Timeline: one point per day, activity, unit and type, with the title of a single event.
    timeline = db.query(filled, "events_timeline", **p)
    assert timeline["event_count"].tolist() == [1, 1, 1, 1]
    assert timeline["held_on"].dt.date.tolist() == [D(2024, 1, 10), D(2024, 1, 20), D(2024, 4, 1), D(2024, 6, 6)]
    assert timeline["title"].notna().all()
    rows = [tuple(r) for r in db.query(filled, "events_by_month", **p).itertuples(index=False)]
    assert rows == [
        ("2", "tap_huan", "HCTH", 4, 1, 0, 0),
        ("4.1", "phat_thanh", "CSKC", 1, 1, 0, 0),  # empty participants count as 0
        ("4.1", "phat_thanh", "CTXH", 1, 1, 20, 15),
        ("4.2", "ngay_06_6", "CTXH", 6, 1, 50, 40),
    ]


def test_residents_register_age_eligibility_requests(filled):
    p = dict(centers=["BTXH_BL"], period_end=AS_OF, period_start=YEAR_START, department=None)
    df = db.query(filled, "residents_register", **p, include_left=False, row_limit=None).set_index("resident_id")
    assert df.index.tolist() == ["R1", "R2", "R3"]  # R4 left on 01/03
    assert df["age"].to_dict() == {"R1": 74, "R2": 54, "R3": 84}
    assert df["is_eligible"].to_dict() == {"R1": True, "R2": False, "R3": True}
    assert df["request_count"].to_dict() == {"R1": 3, "R2": 1, "R3": 1}  # C5 (2023) not counted
    assert len(db.query(filled, "residents_register", **p, include_left=True, row_limit=None)) == 4
    assert db.query(filled, "residents_register", **p, include_left=True, row_limit=3)["resident_id"].tolist() == [
        "R1",
        "R2",
        "R3",
    ]
    # Key numbers: R1, R2, R3 in care; R1 and R3 elderly and eligible (R2 is 54); R1, R2, R3 have 2024 requests.
    summary = db.query(filled, "residents_summary", **p, include_left=False).iloc[0]
    assert (
        summary.row_count,
        summary.in_care_count,
        summary.elderly_in_care_count,
        summary.eligible_in_care_count,
        summary.with_requests_count,
    ) == (3, 3, 2, 2, 3)
    assert db.query(filled, "residents_summary", **p, include_left=True).iloc[0].row_count == 4


def test_staff_register_training_status(filled):
    p = dict(
        centers=["BTXH_BL"], period_end=AS_OF, period_start=YEAR_START, department=None, training_types=["tap_huan"]
    )
    df = db.query(filled, "staff_register", **p, only_workers=False, row_limit=None).set_index("staff_id")
    assert df["training_status"].to_dict() == {
        "S1": "trained",
        "S2": "not_completed",
        "S3": "not_trained",
        "S4": "not_trained",
    }  # S3's course is in 2025
    assert df["is_active"].to_dict() == {"S1": True, "S2": True, "S3": True, "S4": False}
    # Only legal-aid workers (S4 is not one), the first rows in the register's order (workers, unit, id).
    assert db.query(filled, "staff_register", **p, only_workers=True, row_limit=None)["staff_id"].tolist() == [
        "S3",
        "S1",
        "S2",
    ]
    assert db.query(filled, "staff_register", **p, only_workers=True, row_limit=1)["staff_id"].tolist() == ["S3"]
    # Key numbers: 3 active legal-aid workers, S1 trained, S2 not completed, S3 not trained (its course is 2025).
    summary = db.query(filled, "staff_summary", **p).iloc[0]
    assert tuple(summary) == (4, 3, 3, 1, 1, 1)


# --- pages --------------------------------------------------------------------------------------------------------


def page(name: str, **query) -> AppTest:
    return open_app(name, **query)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [s.value for s in at.subheader] + [c.value for c in at.caption])


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_requests_page_on_demo(demo_db):
    at = page("pages/requests.py", as_of="2024-12-31")
    assert not at.exception
    assert at.title[0].value == "Sổ yêu cầu trợ giúp pháp lý đến ngày 31/12/2024"
    # demo: 40 requests in 2024 (A3_YEU_CAU = 40), 2 waiting over 30 days at 31/12 (YC2024-023, YC2024-034)
    assert "Sổ yêu cầu (40)" in texts(at)
    assert metrics(at)["Yêu cầu"] == "40" and metrics(at)["Quá hạn"] == "2"
    flags = [list(x) for x in at.dataframe[-1].value["Cảnh báo"]]
    assert flags.count(["Quá hạn"]) == 2 and flags.count([]) == 38
    at.multiselect(key="rq_status").set_value(["hoan_thanh"]).run()
    assert not at.exception
    assert "Sổ yêu cầu (23)" in texts(at)  # 23 requests hoan_thanh at 31/12


def test_requests_register_marks_overdue_rows_without_a_pandas_styler(demo_db):
    """Issue 17 item 4: the register's overdue mark is a red label in a pinned first column (Streamlit's column
    config, drawn by the browser), not a Styler that formats every shown cell in Python on each render."""
    at = page("pages/requests.py", as_of="2024-12-31")
    assert not at.exception
    register = at.dataframe[-1].proto
    assert not register.arrow_data.HasField("styler")  # no pandas Styler behind the register
    config = json.loads(register.columns)["Cảnh báo"]
    assert config["type_config"]["type"] == "multiselect" and config["pinned"] is True
    assert [o["value"] for o in config["type_config"]["options"]] == ["Quá hạn"]
    assert config["type_config"]["options"][0]["color"] == "red"


def test_requests_page_one_click_from_the_overdue_count_to_the_overdue_requests(demo_db):
    at = page("pages/requests.py", as_of="2024-12-31")
    assert not at.exception
    assert "qua_han" in at.multiselect(key="rq_status").options or "Quá hạn" in at.multiselect(key="rq_status").options
    at.button(key="rq_show_overdue").click().run()
    assert not at.exception
    # the 2 overdue at 31/12 (YC2024-023, YC2024-034) and nothing else; the filter shows "Quá hạn"
    assert at.multiselect(key="rq_status").value == ["qua_han"]
    assert "Sổ yêu cầu (2)" in texts(at) and metrics(at)["Yêu cầu"] == "2"
    register = at.dataframe[-1].value
    assert register["Mã vụ việc"].tolist() == ["YC2024-023", "YC2024-034"]
    assert not [b for b in at.button if b.key == "rq_show_overdue"]  # already showing them


def test_events_page_on_demo(demo_db):
    at = page("pages/events.py", as_of="2024-12-31")
    assert not at.exception
    assert metrics(at)["Hoạt động"] == "61"  # 63 demo events, 2 outside 2024
    by_month = at.dataframe[0].value
    months = [f"Tháng {m}" for m in range(1, 13)]
    assert list(by_month.columns[3:]) == months + ["Cộng"]
    assert by_month["Cộng"].sum() == 61 and (by_month[months].sum(axis=1) == by_month["Cộng"]).all()
    at.multiselect(key="ev_types").set_value(["phat_thanh"]).run()
    assert metrics(at)["Hoạt động"] == "25"  # A41_PHAT_THANH = 25 at 31/12
    by_month = at.dataframe[0].value  # the broadcasts alone: 25 in the year, each row its months' sum
    assert by_month["Cộng"].sum() == 25 and (by_month[months].sum(axis=1) == by_month["Cộng"]).all()


def test_people_page_on_demo(demo_db):
    at = page("pages/people.py", as_of="2024-12-31")
    assert not at.exception
    m = metrics(at)
    # A2_TAP_HUAN at 31/12: 7 trained of 9 legal-aid workers
    assert m["Người làm TGPL đang làm việc"] == "9" and m["Đã được tập huấn"] == "7"
    assert "7/9 (77,8%) · mẫu nhỏ" in texts(at)
    assert m["Đối tượng"] == "117"


def test_registers_show_a_bounded_number_of_rows_with_key_numbers_of_all(demo_db, monkeypatch):
    from planboard.ui import exporting

    monkeypatch.setattr(exporting, "REGISTER_ROWS", 10)
    at = page("pages/requests.py", as_of="2024-12-31")
    assert not at.exception
    # Key numbers and the register's heading count all 40 requests; the table shows the first 10 (by date) and says so.
    assert metrics(at)["Yêu cầu"] == "40" and "Sổ yêu cầu (40)" in texts(at)
    assert len(at.dataframe[-1].value) == 10
    assert "Hiển thị 10 / 40 dòng — dùng bộ lọc để thu hẹp, hoặc tải về toàn bộ" in texts(at)
    assert {"rq_export_csv", "rq_export_xlsx"} <= {b.key for b in at.download_button}
    at = page("pages/events.py", as_of="2024-12-31")
    assert not at.exception
    assert metrics(at)["Hoạt động"] == "61" and len(at.dataframe[-1].value) == 10
    assert "Hiển thị 10 / 61 dòng" in texts(at)
    at = page("pages/people.py", as_of="2024-12-31")
    assert not at.exception
    assert metrics(at)["Đối tượng"] == "117" and len(at.dataframe[0].value) == 10
    assert "Hiển thị 10 / 117 dòng" in texts(at)
    monkeypatch.setattr(exporting, "REGISTER_ROWS", 1000)
    at = page("pages/requests.py", as_of="2024-12-31")
    assert len(at.dataframe[-1].value) == 40 and "Hiển thị" not in texts(at)  # all shown: no caption


def test_a_unit_drill_down_shows_as_a_chip_on_later_pages_and_one_click_removes_it(demo_db):
    at = page("pages/units.py", as_of="2024-12-31")
    at.button(key="units_pick_CTXH").click().run()
    assert not at.exception and at.query_params["unit"] == "CTXH"
    at.switch_page("pages/requests.py").run()
    assert not at.exception
    chip = at.button(key="chip_unit")
    assert chip.label == "Bộ phận: Bộ phận Công tác Xã hội và Phát triển cộng đồng"
    assert "Đang lọc:" in texts(at)
    narrowed = int(metrics(at)["Yêu cầu"])
    assert narrowed < 40  # CTXH's part of the 40 requests of 2024
    at.button(key="chip_unit").click().run()
    assert not at.exception
    assert "unit" not in at.query_params and metrics(at)["Yêu cầu"] == "40"
    assert not [b for b in at.button if b.key == "chip_unit"]
    # every page the unit narrows shows the chip; the import page (not narrowed by it) does not
    for name in (
        "pages/overview.py",
        "pages/indicators.py",
        "pages/events.py",
        "pages/explore.py",
        "pages/reports.py",
        "pages/activities.py",
        "pages/people.py",
        "pages/quarters.py",
    ):
        other = page(name, as_of="2024-12-31", unit="CTXH")
        assert not other.exception, name
        assert [b for b in other.button if b.key == "chip_unit"], name
    other = page("pages/import.py", as_of="2024-12-31", unit="CTXH")
    assert not other.exception and not [b for b in other.button if b.key == "chip_unit"]


def test_register_filters_live_in_the_url(demo_db):
    # a shared link reproduces the register: 'Quá hạn' at 31/12 -> the 2 overdue requests
    at = page("pages/requests.py", as_of="2024-12-31", status="qua_han")
    assert not at.exception
    assert at.multiselect(key="rq_status").value == ["qua_han"] and "Sổ yêu cầu (2)" in texts(at)
    # a choice made on the page goes into the link; a default stays out of it
    at.multiselect(key="rq_field").set_value(["dat_dai"]).run()
    assert at.query_params["field"] == "dat_dai" and at.query_params["status"] == "qua_han"
    assert "from" not in at.query_params and "overdue" not in at.query_params
    at.number_input(key="rq_overdue").set_value(45).run()
    assert at.query_params["overdue"] == "45"
    # a value the page does not know is dropped, never an error
    at = page("pages/requests.py", as_of="2024-12-31", status="xyz,hoan_thanh", to="2030-01-01")
    assert not at.exception and at.multiselect(key="rq_status").value == ["hoan_thanh"]
    # the events register too
    at = page("pages/events.py", as_of="2024-12-31", types="phat_thanh")
    assert not at.exception and metrics(at)["Hoạt động"] == "25"
    at.multiselect(key="ev_types").set_value([]).run()
    assert "types" not in at.query_params and metrics(at)["Hoạt động"] == "61"


def test_overdue_rows_get_a_red_label_not_a_styler():
    import pandas as pd

    from planboard.ui import components

    frame = pd.DataFrame({"Cờ": ["Quá hạn", ""], "Mã": ["C1", "C2"]})
    shown, config = components.flag_rows(frame, "Cờ", "Quá hạn")
    assert isinstance(shown, pd.DataFrame)  # a plain frame: nothing formatted per cell in Python
    assert shown["Cờ"].tolist() == [["Quá hạn"], []] and shown["Mã"].tolist() == ["C1", "C2"]
    assert frame["Cờ"].tolist() == ["Quá hạn", ""]  # the frame itself (the download's) keeps the word
    assert config["Cờ"]["type_config"]["options"] == [{"value": "Quá hạn", "color": "red"}]
