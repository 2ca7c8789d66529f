"""A request as of a date (data-contract.md): one SQL definition, requests_as_of (queries/schema/039), read by the
activity-3 records, the requests register, the explore dataset, the flow table and the report's records sheet;
nothing after the as-of is shown as having happened. The pages are checked on the same hand-made database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import add_case, add_resident, open_app, requests_params

from planboard import db

D = dt.date
AS_OF = D(2024, 6, 30)


ONE = ["BTXH_BL"]  # the fixtures' one center


def fill(con) -> None:
    """Three requests of one eligible resident, seen at 30/06/2024 although July has been recorded."""
    add_resident(con, "R1")  # born 1950, financial hardship: eligible
    # referred 20/06, accepted 03/07, closed 07/07 -> at 30/06: Đã chuyển, no acceptance, no closing date
    add_case(
        con,
        "YC-A",
        "R1",
        D(2024, 6, 10),
        referred_on=D(2024, 6, 20),
        accepted_on=D(2024, 7, 3),
        closed_on=D(2024, 7, 7),
        status="hoan_thanh",
    )
    # accepted 05/06, closed 03/07 -> at 30/06: Đang thực hiện, accepted 05/06, no closing date
    add_case(con, "YC-B", "R1", D(2024, 6, 1), accepted_on=D(2024, 6, 5), closed_on=D(2024, 7, 3), status="hoan_thanh")
    # accepted 02/02, closed 01/03 -> Hoàn thành with both dates
    add_case(con, "YC-C", "R1", D(2024, 2, 1), accepted_on=D(2024, 2, 2), closed_on=D(2024, 3, 1), status="hoan_thanh")


@pytest.fixture
def as_of_db(tmp_path, monkeypatch):
    path = tmp_path / "as_of.duckdb"
    fill(db.connect(path))
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


EXPECTED = {  # case: (status at 30/06, accepted_on shown, closed_on shown)
    "YC-A": ("da_chuyen", None, None),
    "YC-B": ("dang_thuc_hien", D(2024, 6, 5), None),
    "YC-C": ("hoan_thanh", D(2024, 2, 2), D(2024, 3, 1)),
}
LABEL = {"da_chuyen": "Đã chuyển", "dang_thuc_hien": "Đang thực hiện", "hoan_thanh": "Hoàn thành"}


def test_requests_as_of_macro(con):
    fill(con)
    rows = con.execute(
        "select case_id, status, accepted_on, closed_on, referred_on from requests_as_of(?) order by case_id", [AS_OF]
    ).fetchall()
    assert rows == [(c, *EXPECTED[c], D(2024, 6, 20) if c == "YC-A" else None) for c in sorted(EXPECTED)]
    # before the request was received it does not exist; at 31/12 every recorded date has happened
    assert con.execute("select count(*) from requests_as_of(?)", [D(2024, 5, 31)]).fetchone() == (1,)
    assert con.execute(
        "select status, accepted_on from requests_as_of(?) where case_id = 'YC-A'", [D(2024, 12, 31)]
    ).fetchone() == ("hoan_thanh", D(2024, 7, 3))


def test_every_request_query_reads_the_same_status_and_dates(con):
    fill(con)
    start = D(2024, 1, 1)
    activity = db.query(
        con,
        "requests_with_flags",
        centers=ONE,
        period_start=start,
        period_end=AS_OF,
        department=None,
        shown_from=start,
        shown_to=AS_OF,
        row_limit=None,
    )
    register = db.query(con, "requests_register", **requests_params(AS_OF, period_start=start), row_limit=None)
    report = db.query(con, "requests_list", centers=ONE, period_start=start, period_end=AS_OF, department=None)
    for frame in (activity, register, report):
        got = {r.case_id: (r.status, _d(r.accepted_on), _d(r.closed_on)) for r in frame.itertuples()}
        assert got == EXPECTED
    explore = db.query(
        con, "request_dimensions", centers=ONE, period_start=start, period_end=AS_OF, as_of=AS_OF, department=None
    )
    assert dict(zip(explore["case_id"], explore["status"], strict=True)) == {c: e[0] for c, e in EXPECTED.items()}
    # the flow of the year at 30/06: accepted in it YC-B and YC-C (YC-A's 03/07 has not happened), closed YC-C only
    flow = db.query(
        con,
        "requests_flow_by_provider",
        centers=ONE,
        period_start=start,
        period_end=AS_OF,
        as_of=AS_OF,
        department=None,
        fields=[],
        forms=[],
        priorities=[],
        providers=[],
        eligible=None,
    )
    assert flow[["received_count", "accepted_count", "closed_count", "open_at_end_count"]].values.tolist() == [
        [3, 2, 1, 2]
    ]


def _d(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def test_activity_page_and_requests_register_agree_at_the_as_of(as_of_db):
    at = open_app("pages/activities.py", activity="3", as_of=AS_OF.isoformat())
    assert not at.exception
    records = at.dataframe[0].value
    activity = {
        r["Mã vụ việc"]: (r["Trạng thái"], _d(r["Ngày thụ lý"]), _d(r["Ngày kết thúc"])) for _, r in records.iterrows()
    }
    at = open_app("pages/requests.py", as_of=AS_OF.isoformat())
    assert not at.exception
    register = at.dataframe[-1].value
    requests = {
        r["Mã vụ việc"]: (r["Trạng thái"], _d(r["Ngày thụ lý"]), _d(r["Ngày kết thúc"])) for _, r in register.iterrows()
    }
    expected = {c: (LABEL[s], a, e) for c, (s, a, e) in EXPECTED.items()}
    assert activity == expected
    assert requests == expected
