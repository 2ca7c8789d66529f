"""Access control and privacy: every page, export, report, import and edit honours the signed-in user's role.

Roles (planboard.auth): quan_tri and lanh_dao see all personal data; can_bo sees it only on records of their unit
and writes only their unit's rows; xem sees aggregates only (no personal data, no record exports).

The demo database is planboard.demo.fill (seed 2024) with the demo accounts. Hand-checked facts used below:
- request YC2024-001 is received by CTXH (its resident NCT012 'Trần Ngọc Huệ' lives in CSKC); YC2024-004 by CSKC;
- residents: 17 of CTXH (NCT002 'Dương Thị Cúc' among them), 103 of CSKC;
- staff NV04-NV09 are CTXH, NV15-NV22 CSKC; the training courses are HD050 and HD051 (both HCTH events);
- the demo has no notes at all, so the fixture writes a few notes that name people (see `demo_db`)."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, open_app, sign_in
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from planboard import auth, db, demo, edits, ingest, privacy, reports
from planboard import plan as plan_mod
from planboard.reports import xlsx_report

CTXH_NOTE = "Gặp riêng bà Dương Thị Cúc tại phòng"  # a CTXH event's note naming a CTXH resident
CSKC_NOTE = "Ông Bùi Văn Hòa hỗ trợ ghi biên bản"  # a CSKC event's note naming a CSKC staff member
CASE_NOTE = "Con trai bà Trần Ngọc Huệ đi cùng"  # YC2024-001's note (a CTXH request)
MASKED_NOTE = "Thông tin cá nhân được ẩn (***) theo vai trò của bạn."


def _has_masked_note(at: AppTest) -> bool:
    return any(c.value.endswith(MASKED_NOTE) for c in at.caption)  # after a material icon


# --- privacy.mask and allowed_rows ----------------------------------------------------------------------------------


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "full_name": ["An", "Bình", None, "Dũng"],
            "notes": ["x", None, "z", "w"],
            "department": ["CTXH", "CSKC", "CTXH", None],
            "n": [1, 2, 3, 4],
        }
    )


def _list(s: pd.Series) -> list:
    return [None if not isinstance(v, str) and pd.isna(v) else v for v in s.tolist()]


def test_mask_whole_table_and_row_by_row():
    df = _frame()
    assert privacy.mask(df, ("full_name", "notes"), True).equals(df)
    everything = privacy.mask(df, ("full_name", "notes"), False)
    # Filled cells read ***, empty cells stay empty, other columns untouched.
    assert _list(everything["full_name"]) == ["***", "***", None, "***"]
    assert _list(everything["notes"]) == ["***", None, "***", "***"]
    assert everything["n"].tolist() == [1, 2, 3, 4]
    rows = privacy.mask(df, ("full_name", "notes"), [True, False, True, False])
    assert _list(rows["full_name"]) == ["An", "***", None, "***"]
    assert _list(rows["notes"]) == ["x", None, "z", "***"]
    # A Series aligned by index (a filtered frame keeps its index) works the same way.
    part = df.iloc[[1, 3]]
    assert privacy.mask(part, ("full_name",), pd.Series([True, False], index=[1, 3]))["full_name"].tolist() == [
        "Bình",
        "***",
    ]
    # Anything not exactly True hides the row (deny by default), and a wrong length is an error, not a guess.
    assert _list(privacy.mask(df, ("full_name",), [None, pd.NA, 1, True])["full_name"]) == ["***", "***", None, "Dũng"]
    with pytest.raises(ValueError):
        privacy.mask(df, ("full_name",), [True, False])
    assert _list(df["full_name"]) == ["An", "Bình", None, "Dũng"]  # the input is never changed
    # The old call of the reports stays valid: default columns, keyword allowed.
    assert _list(privacy.mask(df, allowed=False)["notes"]) == ["***", None, "***", "***"]


def test_allowed_rows_by_role():
    deps = _frame()["department"]
    user = lambda role, dep=None: auth.User("u", "U", role, dep)  # noqa: E731
    assert privacy.allowed_rows(user("quan_tri"), deps).tolist() == [True, True, True, True]
    assert privacy.allowed_rows(user("lanh_dao", "BGD"), deps).tolist() == [True, True, True, True]
    # Unit staff of CTXH: only CTXH rows; a record without a unit is nobody's unit.
    assert privacy.allowed_rows(user("can_bo", "CTXH"), deps).tolist() == [True, False, True, False]
    assert privacy.allowed_rows(user("xem"), deps).tolist() == [False, False, False, False]
    df = _frame()
    flags = privacy.allowed_rows(user("can_bo", "CTXH"), df["department"])
    assert privacy.any_masked(df, flags, ("full_name",))  # row 2 (Bình) is masked
    assert privacy.shows_personal(df, flags, ("full_name",))  # row 1 (An) is not
    assert not privacy.any_masked(df, True) and not privacy.shows_personal(df, False)
    assert privacy.report_allowed(user("lanh_dao", "BGD")) is True
    assert privacy.report_allowed(user("can_bo", "CTXH")) == ("CTXH",)
    assert privacy.report_allowed(user("xem")) is False


# --- pages per role on the demo database ----------------------------------------------------------------------------


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    con = db.connect(path)
    demo.fill(con)
    auth.ensure_demo_accounts(con)
    # Hand-made notes naming people: the demo has none, and notes are personal data.
    cskc_event = con.execute("select min(event_id) from events where department = 'CSKC'").fetchone()[0]
    con.execute("update events set notes = $n where event_id = 'HD001'", {"n": CTXH_NOTE})  # HD001 is CTXH's
    con.execute("update events set notes = $n where event_id = $e", {"n": CSKC_NOTE, "e": cskc_event})
    con.execute("update cases set notes = $n where case_id = 'YC2024-001'", {"n": CASE_NOTE})
    db.bump_data_version(con)  # written as the app writes: a new data version, the requests' facts made again
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield con
    db.close(path)


def _names(con) -> list[str]:
    """Every demo resident's and staff member's full name (120 + 25)."""
    return [
        r[0] for r in con.execute("select full_name from residents union all select full_name from staff").fetchall()
    ]


def page(name: str, role: str, department: str | None = None, username: str = "test", **query) -> AppTest:
    return open_app(name, role, department, username, **query)


def everything_shown(at: AppTest) -> str:
    """The text of every element of the page: each dataframe's cells and headers, and every other element's
    message (markdown, captions, titles, metrics, alerts, widget labels and values, charts' specs), as UTF-8."""
    parts: list[str] = []

    def walk(node) -> None:
        if getattr(node, "type", None) == "arrow_data_frame" or type(node).__name__ in ("Dataframe", "Table"):
            value = node.value
            parts.append(value.to_csv() if isinstance(value, pd.DataFrame) else str(value))
        elif getattr(node, "proto", None) is not None:
            parts.append(text_format.MessageToString(node.proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _download_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.download_button}


PAGES = ("pages/requests.py", "pages/people.py", "pages/events.py")


@pytest.mark.parametrize("name", PAGES)
def test_viewer_sees_no_personal_data_and_no_record_export(demo_db, name):
    names = _names(demo_db)
    notes = (CTXH_NOTE, CSKC_NOTE, CASE_NOTE)
    lead = page(name, "lanh_dao", "BGD", as_of="2024-12-31")
    assert not lead.exception
    shown = everything_shown(lead)
    # Leadership sees names (the check below could fail): at least one on every page, and the notes.
    assert any(n in shown for n in names)
    # ... and the notes where the page has a notes column (the people page has none).
    page_notes = {"pages/requests.py": [CASE_NOTE], "pages/events.py": [CTXH_NOTE, CSKC_NOTE]}.get(name, [])
    assert all(n in shown for n in page_notes)
    viewer = page(name, "xem", as_of="2024-12-31")
    assert not viewer.exception
    shown = everything_shown(viewer)
    assert [n for n in names if n in shown] == []
    assert [n for n in notes if n in shown] == []
    if name == "pages/events.py":  # events are not about one person: the register shows, its notes masked
        assert "***" in shown
        assert _has_masked_note(viewer) and not _has_masked_note(lead)
        assert any("không tải được danh sách từng hồ sơ" in c.value for c in viewer.caption)
    else:  # registers of persons and requests: not shown at all (issue 15, item 9)
        assert any("chỉ xem số liệu tổng hợp" in i.value for i in viewer.info)
    # No record download; aggregate downloads (requests flow, events by month) remain.
    record_keys = {
        "rq_export_csv",
        "rq_export_xlsx",
        "pp_res_export_csv",
        "pp_res_export_xlsx",
        "pp_staff_export_csv",
        "pp_staff_export_xlsx",
        "ev_export_csv",
        "ev_export_xlsx",
    }
    assert _download_keys(viewer) & record_keys == set()
    assert _download_keys(lead) & record_keys  # leadership has them
    aggregate = {"pages/requests.py": "rq_flow_export_csv", "pages/events.py": "ev_month_export_csv"}.get(name)
    if aggregate:
        assert aggregate in _download_keys(viewer)


def test_unit_staff_see_names_only_on_their_units_requests(demo_db):
    at = page("pages/requests.py", "can_bo", "CTXH", as_of="2024-12-31")
    assert not at.exception
    register = at.dataframe[-1].value.set_index("Mã vụ việc")
    # YC2024-001 is a CTXH request: its resident's name and the note show (the resident is managed by CSKC, but
    # the request is the CTXH record). YC2024-004 is CSKC's: name masked.
    assert register.loc["YC2024-001", "Họ và tên"] == "Trần Ngọc Huệ"
    assert register.loc["YC2024-001", "Ghi chú"] == CASE_NOTE
    assert register.loc["YC2024-004", "Họ và tên"] == "***"
    # 30 CTXH requests with names, 10 CSKC ones masked (demo: cases by unit CTXH 30, CSKC 10).
    units = register["Bộ phận tiếp nhận"] if "Bộ phận tiếp nhận" in register else None
    assert (register["Họ và tên"] == "***").sum() == 10
    if units is not None:
        assert set(units[register["Họ và tên"] == "***"]) == {"CSKC-DH"}
    assert _has_masked_note(at)
    assert "rq_export_csv" in _download_keys(at)  # unit staff may export records (masked ones stay masked)


def test_unit_staff_people_page(demo_db):
    at = page("pages/people.py", "can_bo", "CTXH", as_of="2024-12-31")
    assert not at.exception
    residents = at.dataframe[0].value.set_index("Mã đối tượng")
    assert residents.loc["NCT002", "Họ và tên"] == "Dương Thị Cúc"  # a CTXH resident
    assert residents.loc["NCT012", "Họ và tên"] == "***"  # Trần Ngọc Huệ lives in CSKC
    assert residents.loc["NCT012", "Ngày sinh"] == "***"
    staff = at.dataframe[-1].value.set_index("Mã nhân viên")
    assert staff.loc["NV04", "Họ và tên"] == "Bùi Thị Nga"  # CTXH
    assert staff.loc["NV15", "Họ và tên"] == "***"  # CSKC (Bùi Văn Hòa)


def test_record_download_is_audited_only_when_clicked(demo_db):
    def exports() -> list[tuple]:
        return demo_db.execute(
            "select username, detail from audit_log where action = 'export_personal' order by audit_id"
        ).fetchall()

    at = page("pages/requests.py", "lanh_dao", "BGD", username="lanhdao", as_of="2024-12-31")
    assert not at.exception
    at.run()  # showing the buttons, even twice, writes nothing
    assert exports() == []
    at.download_button(key="rq_flow_export_csv").click().run()  # an aggregate table: no audit
    assert exports() == []
    at.download_button(key="rq_export_xlsx").click().run()  # the register with names: audited (simulated click)
    assert not at.exception
    rows = exports()
    assert len(rows) == 1 and rows[0][0] == "lanhdao"
    detail = json.loads(rows[0][1])
    assert detail == {"file": "yeu-cau-tgpl-2024-12-31.xlsx", "rows": 40, "what": "table"}  # 40 requests in 2024
    at.run()
    assert len(exports()) == 1  # the rerun after the click does not repeat it


# --- imports and edits by unit staff --------------------------------------------------------------------------------


def _snapshot(con) -> dict[str, list]:
    """Every row of every data table and log, to prove a refused import changed nothing."""
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    ]
    return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in tables}


MSG = "Bạn chỉ được nhập dữ liệu của bộ phận CTXH-PTCĐ; dòng này thuộc bộ phận {}."


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # A new request of CSKC (the other row, CTXH's own, would be fine: all or nothing).
        (
            [
                (
                    "cases.csv",
                    "case_id,resident_id,requested_on,department,legal_field,status\n"
                    "N1,NCT002,02/04/2024,CTXH,dan_su,tiep_nhan\nN2,NCT002,03/04/2024,CSKC,dan_su,tiep_nhan\n",
                )
            ],
            [(3, "department", "CSKC", MSG.format("CSKC-DH"))],
        ),
        # Moving CSKC's request YC2024-004 into CTXH: its stored unit is CSKC, so refused too.
        ([("cases.csv", "case_id,department\nYC2024-004,CTXH\n")], [(2, "department", "CTXH", MSG.format("CSKC-DH"))]),
        # A new resident without a unit column gets the contract's default unit CSKC.
        (
            [
                (
                    "residents.csv",
                    "resident_id,full_name,gender,birth_date,admitted_on\nNCT999,Lê Văn Mới,nam,1950,02/01/2024\n",
                )
            ],
            [(2, "resident_id", "NCT999", MSG.format("CSKC-DH"))],
        ),
        # Training rows count as the staff member's unit: NV15 is CSKC's.
        (
            [("training.csv", "event_id,staff_id\nHD051,NV04\nHD051,NV15\n")],
            [(3, "staff_id", "NV15", MSG.format("CSKC-DH"))],
        ),
        # ... also when the staff row comes in the same import (NV90 new, of HCTH).
        (
            [
                ("staff.csv", "staff_id,full_name,department,is_legal_aid_worker\nNV90,Lê Thị Mới,HCTH,có\n"),
                ("training.csv", "event_id,staff_id\nHD051,NV90\n"),
            ],
            [(2, "department", "HCTH", MSG.format("HC-TH")), (2, "staff_id", "NV90", MSG.format("HC-TH"))],
        ),
    ],
)
def test_unit_staff_cannot_import_other_units_rows(demo_db, files, expected):
    plan = plan_mod.load_plan()
    before = _snapshot(demo_db)
    for dry_run in (True, False):
        result = ingest.import_files(
            demo_db,
            plan,
            [(n, b.encode()) for n, b in files],
            dry_run=dry_run,
            user="canbo",
            allowed_departments={"CTXH"},
        )
        assert not result.written
        assert [(p.row, p.column, p.value, p.message) for p in result.problems] == expected
    assert _snapshot(demo_db) == before


def test_unit_staff_import_their_own_rows(demo_db):
    plan = plan_mod.load_plan()
    files = [
        ("staff.csv", "staff_id,full_name,department,is_legal_aid_worker\nNV91,Lê Thị Mới,CTXH,có\n".encode()),
        ("training.csv", b"event_id,staff_id\nHD051,NV91\nHD051,NV05\n"),
    ]
    result = ingest.import_files(demo_db, plan, files, user="canbo", allowed_departments={"CTXH"})
    assert result.ok and result.written
    assert (
        demo_db.execute(
            "select count(*) from training where staff_id in ('NV91', 'NV05') and event_id = 'HD051'"
        ).fetchone()[0]
        == 2
    )
    # Without a restriction (None, leadership and admin) the CSKC request imports as before.
    other = [
        (
            "cases.csv",
            b"case_id,resident_id,requested_on,department,legal_field,status\n"
            b"N3,NCT002,02/04/2024,CSKC,dan_su,tiep_nhan\n",
        )
    ]
    assert ingest.import_files(demo_db, plan, other, user="lanhdao").written


def _upload(at: AppTest, name: str, body: bytes) -> AppTest:
    return at.file_uploader[0].set_value((name, body, "text/csv")).run()


def test_import_page_as_unit_staff_refuses_then_imports_and_audits(demo_db):
    at = page("pages/import.py", "can_bo", "CTXH", username="canbo")
    assert not at.exception
    assert any("CTXH-PTCĐ" in i.value for i in at.info)  # says which unit's rows this user may import
    user_box = at.text_input[0]
    assert user_box.disabled and user_box.value == "Người dùng can_bo (canbo)"  # no free name box any more
    before = _snapshot(demo_db)
    _upload(
        at,
        "cases.csv",
        b"case_id,resident_id,requested_on,department,legal_field,status\nN1,NCT002,02/04/2024,CSKC,dan_su,tiep_nhan\n",
    )
    assert not at.exception
    assert (
        "Bạn chỉ được nhập dữ liệu của bộ phận CTXH-PTCĐ; dòng này thuộc bộ phận CSKC-DH."
        in at.table[0].value["Lỗi"].tolist()
    )
    assert next(b for b in at.button if b.label == "Xác nhận nhập").disabled
    assert _snapshot(demo_db) == before
    _upload(
        at,
        "cases.csv",
        b"case_id,resident_id,requested_on,department,legal_field,status\nN1,NCT002,02/04/2024,CTXH,dan_su,tiep_nhan\n",
    )
    next(b for b in at.button if b.label == "Xác nhận nhập").click().run()
    assert not at.exception
    assert demo_db.execute("select department from cases where case_id = 'N1'").fetchone() == ("CTXH",)
    who, detail = demo_db.execute("select username, detail from audit_log where action = 'import'").fetchone()
    assert who == "canbo"
    assert json.loads(detail) == {
        "files": ["cases.csv"],
        "counts": {"cases": {"added": 1, "updated": 0, "unchanged": 0}},
    }
    assert demo_db.execute("select user_name from import_log order by imported_at desc limit 1").fetchone() == (
        "canbo",
    )


def test_import_page_form_lists_only_own_units_records(demo_db):
    at = page("pages/import.py", "can_bo", "CTXH", username="canbo")
    picker = at.selectbox(key="imp_pick_cases")
    ids = [o for o in picker.options if o.startswith("YC")]
    # 30 demo requests of CTXH (and none of CSKC's 10) to open and prefill.
    assert len(ids) == 30 and "YC2024-001" in ids and "YC2024-004" not in ids


def test_edits_by_unit_staff(demo_db):
    plan = plan_mod.load_plan()
    before = _snapshot(demo_db)
    # Editing CSKC's request: refused with the importer's message, nothing written.
    result = edits.save_record(
        demo_db, plan, "cases", {"case_id": "YC2024-004", "notes": "sửa"}, user="canbo", allowed_departments={"CTXH"}
    )
    assert [p.message for p in result.problems] == [MSG.format("CSKC-DH")]
    # Deleting a CSKC event (the one with CSKC_NOTE, unreferenced): refused before any reference check.
    cskc_event = demo_db.execute("select event_id from events where notes = $n", {"n": CSKC_NOTE}).fetchone()[0]
    out = edits.delete_record(demo_db, "events", cskc_event, user="canbo", allowed_departments={"CTXH"}, plan=plan)
    assert not out.deleted
    assert out.message == (
        f"Bạn chỉ được xóa dữ liệu của bộ phận CTXH-PTCĐ; bản ghi '{cskc_event}' thuộc bộ phận CSKC-DH."
    )
    # A training row is its staff member's unit: HD050 / NV15 (NV15 is CSKC's) cannot be deleted by CTXH.
    out = edits.delete_record(
        demo_db, "training", ("HD050", "NV15"), user="canbo", allowed_departments={"CTXH"}, plan=plan
    )
    assert not out.deleted and "thuộc bộ phận CSKC-DH" in out.message
    assert _snapshot(demo_db) == before
    # Their own unit: update YC2024-001 and delete CTXH's event HD001 (nothing refers to it); both audited.
    ok = edits.save_record(
        demo_db,
        plan,
        "cases",
        {"case_id": "YC2024-001", "notes": "đã gọi điện"},
        user="canbo",
        allowed_departments={"CTXH"},
    )
    assert ok.ok and ok.action == "update"
    assert edits.delete_record(demo_db, "events", "HD001", user="canbo", allowed_departments={"CTXH"}).deleted
    rows = demo_db.execute("select username, detail from audit_log where action = 'edit' order by audit_id").fetchall()
    assert [(u, json.loads(d)) for u, d in rows] == [
        ("canbo", {"center": "BTXH_BL", "table": "cases", "id": "YC2024-001", "change": "update"}),
        ("canbo", {"center": "BTXH_BL", "table": "events", "id": "HD001", "change": "delete"}),
    ]
    assert edits.record_unit(demo_db, "training", ("HD050", "NV04")) == "CTXH"


# --- the report workbook --------------------------------------------------------------------------------------------


def _requests_sheet(data: bytes) -> pd.DataFrame:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Yêu cầu TGPL"]
    rows = list(ws.values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_report_workbook_by_role(demo_db):
    plan = plan_mod.load_plan()
    period = reports.report_period(plan, "year", dt.date(2024, 12, 31))

    def workbook(user: auth.User) -> pd.DataFrame:
        data = xlsx_report.build_xlsx(demo_db, plan, period, personal_allowed=privacy.report_allowed(user))
        return _requests_sheet(data)

    names = set(_names(demo_db))
    lead = workbook(auth.User("lanhdao", "L", "lanh_dao", "BGD"))
    name_col = next(c for c in lead.columns if "tên" in str(c).lower())
    assert set(lead[name_col]) <= names and len(lead) == 40  # 40 requests of 2024, every name shown
    assert privacy.report_allowed(auth.User("xem", "X", "xem", None)) is False  # no request sheet (item 9)
    wb_text = "\n".join(
        str(v)
        for ws in openpyxl.load_workbook(
            io.BytesIO(xlsx_report.build_xlsx(demo_db, plan, period, personal_allowed=False))
        ).worksheets
        for row in ws.values
        for v in row
    )
    assert [n for n in names if n in wb_text] == [] and CASE_NOTE not in wb_text and CTXH_NOTE not in wb_text
    unit = workbook(auth.User("canbo", "C", "can_bo", "CTXH"))
    unit_col = next(c for c in unit.columns if "bộ phận" in str(c).lower())
    ctxh = unit[unit_col] == plan.unit("CTXH").label
    assert ctxh.sum() == 30 and (unit.loc[ctxh, name_col] != "***").all()  # CTXH's 30 requests with names
    assert (unit.loc[~ctxh, name_col] == "***").all()  # CSKC's 10 masked


def test_reports_page_viewer_gets_masked_workbook_note(demo_db):
    at = page("pages/reports.py", "xem", as_of="2024-06-30")
    assert not at.exception
    assert _has_masked_note(at)
    # The viewer reads the report settings but cannot save them.
    assert next(b for b in at.button if b.label == "Lưu thông tin").disabled


# --- viewers see aggregates only; unit staff see no personal attribute of another unit's person (issue 15, item 9) --

VIEWER_PAGES = [
    ("pages/overview.py", {}),
    ("pages/activities.py", {"activity": "3"}),
    ("pages/activities.py", {"activity": "2"}),
    ("pages/activities.py", {"activity": "4.1"}),
    ("pages/units.py", {"unit": "CTXH"}),
    ("pages/quarters.py", {}),
    ("pages/indicators.py", {}),
    ("pages/reports.py", {}),
    ("pages/requests.py", {}),
    ("pages/events.py", {}),
    ("pages/people.py", {}),
    ("pages/explore.py", {}),
]
PERSON_ID = r"\b(?:NCT\d{3}|YC20\d\d-\d{3}|NV\d{2})\b"  # a resident's, a request's or a staff member's code


@pytest.mark.parametrize(("name", "query"), VIEWER_PAGES, ids=[f"{n[6:-3]}{q}" for n, q in VIEWER_PAGES])
def test_viewer_gets_no_row_about_one_person_on_any_page(demo_db, name, query):
    """No table, chart spec, text or widget of any page names a resident, request or staff member, or their name,
    for `xem`; leadership sees the same page's records (so the check could fail)."""
    import re

    names = _names(demo_db)
    viewer = page(name, "xem", as_of="2024-06-30", **query)
    assert not viewer.exception
    shown = everything_shown(viewer)
    assert re.findall(PERSON_ID, shown) == []
    assert [n for n in names if n in shown] == []
    if (
        name in ("pages/activities.py", "pages/units.py", "pages/requests.py", "pages/people.py")
        and query.get("activity") != "4.1"
    ):
        assert any("chỉ xem số liệu tổng hợp" in i.value for i in viewer.info)
        lead = page(name, "lanh_dao", "BGD", as_of="2024-06-30", **query)
        assert re.findall(PERSON_ID, everything_shown(lead))


def test_viewer_report_workbook_has_no_sheet_of_records(demo_db):
    plan = plan_mod.load_plan()
    period = reports.report_period(plan, "year", dt.date(2024, 12, 31))
    viewer = auth.User("xem", "X", "xem", None)
    wb = openpyxl.load_workbook(
        io.BytesIO(xlsx_report.build_xlsx(demo_db, plan, period, personal_allowed=privacy.report_allowed(viewer)))
    )
    assert "Yêu cầu TGPL" not in wb.sheetnames
    import re

    text = "\n".join(str(v) for ws in wb.worksheets for row in ws.values for v in row)
    assert re.findall(PERSON_ID, text) == []
    lead = openpyxl.load_workbook(io.BytesIO(xlsx_report.build_xlsx(demo_db, plan, period)))
    assert "Yêu cầu TGPL" in lead.sheetnames


def test_unit_staff_see_no_personal_attribute_of_another_units_person(demo_db):
    """NCT012 (Trần Ngọc Huệ) lives in CSKC; a CTXH officer sees her row's codes but none of her attributes."""
    at = page("pages/people.py", "can_bo", "CTXH", as_of="2024-12-31")
    assert not at.exception
    residents = at.dataframe[0].value.set_index("Mã đối tượng")
    other = residents.loc["NCT012"]
    for column in ("Họ và tên", "Ngày sinh", "Tuổi", "Thuộc diện TGPL", "Diện", "Ngày tiếp nhận", "Bị bạo lực"):
        matches = [c for c in residents.columns if c.startswith(column)]
        assert matches, (column, list(residents.columns))
        assert all(other[c] == "***" for c in matches), (column, other.to_dict())
    own = residents.loc["NCT002"]  # a CTXH resident: everything shown
    assert (
        own["Họ và tên"] == "Dương Thị Cúc" and own[next(c for c in residents.columns if c.startswith("Tuổi"))] != "***"
    )
    # The requests register: YC2024-004 is CSKC's request — no age, eligibility, priority of its person.
    register = (
        page("pages/requests.py", "can_bo", "CTXH", as_of="2024-12-31").dataframe[-1].value.set_index("Mã vụ việc")
    )
    other = register.loc["YC2024-004"]
    assert {
        other[c]
        for c in register.columns
        if c.startswith(("Họ và tên", "Tuổi", "Thuộc diện", "Diện ưu tiên")) and not pd.isna(other[c])
    } == {"***"}  # an empty priority is masked too: its emptiness says "no priority"
    assert other[next(c for c in register.columns if c.startswith("Tuổi"))] == "***"
    assert register.loc["YC2024-001", "Họ và tên"] == "Trần Ngọc Huệ"  # CTXH's own request


@pytest.mark.parametrize("name", ["users.py", "centers.py", "sql.py", "import.py"])
@pytest.mark.parametrize(
    "lang,said",
    [("vi", "Vai trò của bạn không được dùng chức năng này."), ("en", "Your role may not use this function.")],
)
def test_a_page_a_role_may_not_use_says_so_once_and_stops(demo_db, monkeypatch, name, lang, said):
    # One rule (ui.auth.require) for the four pages: the menu hides them from a viewer; one run on its own (a link,
    # a direct script run) says why, in the reader's language, and shows nothing else of the page.
    monkeypatch.setenv("PLANBOARD_SQL_CONSOLE", "1")
    at = sign_in(AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120), "xem")
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [said]
    assert not at.dataframe and not at.text_input and not at.text_area
