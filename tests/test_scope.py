"""Scope (issue 12): on the demo province, a center's can_bo and the province account see, export and query exactly
their scope on every page — no row of another center anywhere — and a roll-up view works on every page.

The two demo centers' ids are made unmistakable first (GR-… and HB-…; the Center keeps its own), so any of their
rows that reached a page, a download or the SQL console's copy shows by its id."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from conftest import ROOT
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from planboard import db, demo, explore, org, sqlconsole
from planboard.auth import User
from planboard.reports import RollupError, render, report_period
from planboard.ui import exporting

AS_OF = "2024-06-30"
OTHERS = ("GR-", "HB-", "CT-")  # the other centers' id prefixes (CT-: another province)
PAGES = (
    "pages/overview.py",
    "pages/activities.py",
    "pages/units.py",
    "pages/quarters.py",
    "pages/indicators.py",
    "pages/reports.py",
    "pages/requests.py",
    "pages/events.py",
    "pages/people.py",
    "pages/explore.py",
)
CANBO = User("canbo", "Cán bộ", "can_bo", "CTXH", "center", "BTXH_BL")
SOBL = User("sobl", "Sở", "lanh_dao", None, "province", "BL")
XEM = User("xem", "Người xem", "xem", None, "center", "BTXH_BL")
ID_COLUMNS = {
    "residents": ("resident_id",),
    "cases": ("case_id", "resident_id"),
    "events": ("event_id",),
    "staff": ("staff_id",),
    "training": ("event_id", "staff_id"),
}


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """The demo province with the two demo centers' ids prefixed GR- / HB- (references kept within each center)."""
    path = tmp_path_factory.mktemp("scope") / "province.duckdb"
    con = db.connect(path)
    demo.fill_province(con)
    # a center of another province (CT-…, a copy of the Center's rows, no plan): no province account may see it
    org.save_center(con, "DEMO_CT", "Cơ sở mẫu Cần Thơ", "CT", "Cần Thơ", is_demo=True)
    with db.transaction(con) as cur:
        for table, columns in ID_COLUMNS.items():
            sets = ", ".join(f"{c} = $p || {c}" for c in columns)
            cur.execute(
                f"insert into {table} select * replace ('DEMO_CT' as center) from {table} "  # noqa: S608
                "where center = 'BTXH_BL'"
            )
            for center, prefix in (("DEMO_GR", "GR-"), ("DEMO_HB", "HB-"), ("DEMO_CT", "CT-")):
                cur.execute(f"update {table} set {sets} where center = $c", {"p": prefix, "c": center})  # noqa: S608
        db.bump_data_version(cur)
    yield path, con
    db.close(path)


@pytest.fixture
def app_db(province, monkeypatch):
    monkeypatch.setenv("PLANBOARD_DB", str(province[0]))
    return province[1]


def open_as(user: User, page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["_user"] = user
    at.session_state["_user_seen"] = time.time()
    at.query_params["as_of"] = AS_OF
    at.query_params["year"] = "2024"
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(page).run()


def shown_text(at: AppTest) -> str:
    """Everything a reader sees: tables' cells and headers, metrics, text, captions, alerts."""
    parts = []
    for df in at.dataframe:
        value = df.value
        value = getattr(value, "data", value)  # a Styler
        parts.append(" ".join(map(str, value.columns)))
        parts.append(value.astype(str).to_string())
    for kind in ("markdown", "caption", "metric", "info", "warning", "error", "title", "subheader"):
        parts.extend(str(getattr(e, "value", "")) for e in getattr(at, kind))
    return "\n".join(parts)


def downloads(monkeypatch) -> list:
    """Every register download a page offers (exporting.all_rows), to read as a click would."""
    made = []
    real = exporting.all_rows

    def spy(name, **params):
        every = real(name, **params)
        made.append((name, every))
        return every

    monkeypatch.setattr(exporting, "all_rows", spy)
    return made


def record_files(monkeypatch) -> list:
    """The tables of every record download a page offers (exporting.download_buttons(records=True)), each as the
    callable a click runs — on another thread, outside the page's run."""
    files = []
    real = exporting.download_buttons

    def spy(df, name, *args, **kw):
        if kw.get("records"):
            files.append((name, df))
        return real(df, name, *args, **kw)

    monkeypatch.setattr(exporting, "download_buttons", spy)
    return files


def expected_counts(con, table: str, date_column: str) -> dict[str, int]:
    return dict(
        con.execute(
            f"select center, count(*) from {table} where {date_column} between '2024-01-01' "  # noqa: S608
            f"and '{AS_OF}' group by center"
        ).fetchall()
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_centers_can_bo_sees_only_their_center_on_every_page_and_download(app_db, monkeypatch, page):
    made = downloads(monkeypatch)
    at = open_as(CANBO, page)
    assert not at.exception, at.exception
    text = shown_text(at)
    assert not any(p in text for p in OTHERS), page
    assert "Cơ sở" not in [c for df in at.dataframe for c in getattr(df.value, "data", df.value).columns]
    for name, every in made:  # the downloads hold every row of the register: still only the Center's
        rows = every()
        assert set(rows["center"]) <= {"BTXH_BL"}, name
        assert not rows.astype(str).apply(lambda c: c.str.startswith(OTHERS)).any().any(), name


@pytest.mark.parametrize("page", PAGES)
def test_the_province_account_sees_the_roll_up_of_its_three_centers_on_every_page(app_db, monkeypatch, page):
    made = downloads(monkeypatch)
    files = record_files(monkeypatch)
    at = open_as(SOBL, page)
    assert not at.exception, at.exception
    assert at.session_state["f_scope"] == "province:BL"  # the Department's default view: its province's roll-up
    for name, every in made:
        assert set(every()["center"]) <= {"BTXH_BL", "DEMO_GR", "DEMO_HB"}, name
    text = shown_text(at)
    assert "CT-" not in text  # never a center of another province
    if page in ("pages/requests.py", "pages/events.py", "pages/people.py"):  # its registers name each row's center
        assert all("Cơ sở" in at.dataframe[i].value.columns for i in range(-1, -1 - len(made), -1)), page
        assert "GR-" in text and "HB-" in text, page
        assert files, page
    for name, df in files:  # built as a click builds them, after the run: every row names its center
        frame = df() if callable(df) else df
        assert "Cơ sở" in frame.columns and frame["Cơ sở"].notna().all(), name
        # the registers mix the centers; activity 1's one policy document by 30/06 is Giá Rai's alone; the demo's
        # meetings and their actions are the Center's alone
        alone = name.startswith(("hoat-dong-1_", "nhiem-vu"))
        assert frame["Cơ sở"].nunique() in ((1,) if alone else (2, 3)), name


def test_the_requests_register_lists_the_scope_exactly(app_db):
    requests = expected_counts(app_db, "cases", "requested_on")
    # the demo: 15 requests each by 30/06/2024 (DEMO_CT: the copy of the Center, in another province)
    assert requests == {"BTXH_BL": 15, "DEMO_GR": 15, "DEMO_HB": 15, "DEMO_CT": 15}
    at = open_as(CANBO, "pages/requests.py")
    register = at.dataframe[-1].value  # the register is the page's last table
    assert len(register) == 15 and "Cơ sở" not in register.columns
    assert all(not str(c).startswith(OTHERS) for c in register.iloc[:, 1])
    at = open_as(SOBL, "pages/requests.py")
    register = at.dataframe[-1].value
    assert not [s for s in at.selectbox if s.label == "Bộ phận tiếp nhận"]  # no unit choice on a roll-up
    # 15 + 15 + 15 = 45 requests, each named by its center in the first column
    assert len(register) == 45
    assert register["Cơ sở"].value_counts().to_dict() == {
        "Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu": 15,
        **{n: 15 for n in register["Cơ sở"].unique() if n != "Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu"},
    }
    assert register["Cơ sở"].nunique() == 3
    ids = [str(c) for c in register.iloc[:, 2]]
    assert sum(i.startswith("GR-") for i in ids) == 15 and sum(i.startswith("HB-") for i in ids) == 15
    # the Department's leadership sees the personal data of its own centers (none of another province is there)
    assert "***" not in register.to_string() and not any(i.startswith("CT-") for i in ids)


def test_the_province_account_may_open_one_center_of_its_province_only(app_db):
    at = open_as(SOBL, "pages/events.py", center="DEMO_GR")
    assert not at.exception
    events = expected_counts(app_db, "events", "held_on")
    assert f"{events['DEMO_GR']}" in [str(m.value) for m in at.metric]
    text = shown_text(at)
    assert "GR-" in text and "HB-" not in text
    # a center outside the reader's scope in a shared link falls back inside it: never that center's rows
    at = open_as(CANBO, "pages/events.py", center="DEMO_GR")
    assert not at.exception
    assert not any(p in shown_text(at) for p in OTHERS)


def test_units_on_a_roll_up_ask_for_a_center(app_db):
    at = open_as(SOBL, "pages/units.py")
    assert not at.exception
    assert any("hãy chọn một cơ sở" in str(i.value) for i in at.info)


def test_reports_of_a_roll_up_hold_the_sums_and_each_center_and_of_a_center_its_rows_only(app_db):
    at = open_as(SOBL, "pages/reports.py")
    assert not at.exception
    brief = "\n".join(str(m.value) for m in at.markdown)
    # the Department's brief: rolled-up numbers (9 + 12 + 9 served of 12 + 12 + 11 = 30/35) and one line per center
    assert "Tỉnh Bạc Liêu" in brief and "30/35 (85,7%)" in brief and "Theo từng cơ sở" in brief
    assert all(name in brief for name in ("Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu", "Giá Rai", "Hòa Bình"))
    assert any("lập theo từng cơ sở" in str(c.value) for c in at.caption)  # no .docx for a roll-up, and why
    labels = [b.proto.label for b in at.get("download_button")]
    assert len(labels) == 2 and not any(".docx" in x or "Word" in x for x in labels), labels

    from planboard.plan import load_plans, plans_dir

    plans = load_plans(plans_dir(), include_demo=True).for_centers(["BTXH_BL", "DEMO_GR", "DEMO_HB"], 2024)
    period = report_period(plans["BTXH_BL"], "month", dt.date(2024, 6, 30))
    wb = load_workbook(
        io.BytesIO(render(app_db, plans["BTXH_BL"], period, "xlsx", plans=plans, scope_label="Tỉnh Bạc Liêu")),
        read_only=True,
    )
    rows = {r[0]: r for r in wb["Chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert rows["A3_MIEN_PHI"][4:7] == (85.71, 30, 35)  # 100 × 30 / 35, from the sums
    by_center = [r for r in wb["Theo cơ sở"].iter_rows(min_row=2, values_only=True) if r[2] == "A3_MIEN_PHI"]
    assert [(r[0], r[6], r[7]) for r in by_center] == [("BTXH_BL", 9, 12), ("DEMO_GR", 12, 12), ("DEMO_HB", 9, 11)]
    requests = list(wb["Yêu cầu TGPL"].iter_rows(min_row=1, values_only=True))
    assert requests[0][0] == "Cơ sở" and len(requests) - 1 == 45  # 15 requests of each center, each naming it
    with pytest.raises(RollupError, match="theo từng cơ sở"):
        render(app_db, plans["BTXH_BL"], period, "docx", plans=plans)
    # one center's workbook: its rows only
    book = render(app_db, plans["DEMO_GR"], period, "xlsx", center="DEMO_GR")
    wb = load_workbook(io.BytesIO(book), read_only=True)
    ids = [str(r[0]) for name in ("Hoạt động", "Yêu cầu TGPL") for r in wb[name].iter_rows(min_row=2, values_only=True)]
    assert ids and all(i.startswith("GR-") for i in ids)


def test_the_sql_console_copy_holds_the_readers_scope_only(app_db):
    mine = sqlconsole.run(app_db, "select center, count(*) as n from cases group by center", ["BTXH_BL"])
    own = app_db.execute("select count(*) from cases where center = 'BTXH_BL'").fetchone()[0]
    assert mine.frame.values.tolist() == [["BTXH_BL", own]]
    every = sqlconsole.run(
        app_db, "select count(distinct center) as n from residents", ["BTXH_BL", "DEMO_GR", "DEMO_HB"]
    )
    assert every.frame["n"].tolist() == [3]
    # the Center's copy: not one row of another center in any of the five tables
    for table, columns in ID_COLUMNS.items():
        r = sqlconsole.run(
            app_db,
            f"select count(*) as n from {table} where center <> 'BTXH_BL' "  # noqa: S608
            f"or {columns[0]} like 'GR-%' or {columns[0]} like 'HB-%'",
            ["BTXH_BL"],
        )
        assert r.frame["n"].tolist() == [0], table


def test_explore_counts_the_views_centers_only(app_db):
    spec = dict(
        dataset="requests",
        by="center",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        as_of=dt.date(2024, 6, 30),
    )
    assert explore.run(app_db, explore.Spec(**spec, centers=("BTXH_BL",)))[["dim1", "value"]].values.tolist() == [
        ["BTXH_BL", 15]
    ]
    assert explore.run(app_db, explore.Spec(**spec)).empty  # no center named: no record
    both = explore.run(app_db, explore.Spec(**{**spec, "measure": "persons"}, centers=("BTXH_BL", "DEMO_GR")))
    # persons are (center, resident): the same resident id in two centers is two persons
    own = explore.run(app_db, explore.Spec(**{**spec, "measure": "persons"}, centers=("BTXH_BL",)))["value"].sum()
    assert (
        both["value"].sum()
        == own
        + explore.run(app_db, explore.Spec(**{**spec, "measure": "persons"}, centers=("DEMO_GR",)))["value"].sum()
    )


def report_cli(path, *args) -> tuple[int, str, str]:
    import contextlib

    from planboard import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["report", "--db", str(path), "--as-of", "2024-06-30", *args])
    return code, out.getvalue(), err.getvalue()


def test_report_center_on_the_command_line(province, tmp_path):
    path = province[0]
    out = tmp_path / "tinh.md"
    code, _, err = report_cli(path, "--center", "all", "--format", "md", "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "— Tỉnh Bạc Liêu" in text.splitlines()[0] and "30/35 (85,7%)" in text  # 9 + 12 + 9 of 12 + 12 + 11
    code, _, err = report_cli(path, "--center", "all", "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert code == 1 and "theo từng cơ sở" in err and not (tmp_path / "x.docx").exists()
    out = tmp_path / "gr.md"
    code, _, err = report_cli(path, "--center", "DEMO_GR", "--format", "md", "--out", str(out))
    assert code == 0, err
    assert "12/12 (100,0%)" in out.read_text(encoding="utf-8")  # Giá Rai's own A3_MIEN_PHI


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (User("admin_bl", "Quản trị Trung tâm", "quan_tri", None, "center", "BTXH_BL"), ["BTXH_BL"]),
        (User("admin", "Quản trị", "quan_tri", None, "all", None), ["BTXH_BL", "DEMO_CT", "DEMO_GR", "DEMO_HB"]),
        (User("admin_so", "Quản trị Sở", "quan_tri", None, "province", "BL"), ["BTXH_BL", "DEMO_GR", "DEMO_HB"]),
    ],
)
def test_the_sql_console_page_answers_from_the_readers_scope(app_db, monkeypatch, user, expected):
    monkeypatch.setenv("PLANBOARD_SQL_CONSOLE", "1")
    at = open_as(user, "pages/sql.py")
    assert not at.exception
    at.text_area(key="sql_text").set_value("select distinct center from residents order by center")
    at.button[0].click().run()
    assert not at.exception
    assert at.dataframe[0].value["center"].tolist() == expected


def test_an_administrator_sees_and_adds_accounts_inside_their_scope(app_db):
    from planboard import auth

    auth.ensure_demo_accounts(app_db)  # admin (all), sobl (province BL), lanhdao / canbo / xem (the Center)
    auth.add_user(app_db, "ct.user", "Cán bộ Cần Thơ", "lanh_dao", "matkhau2024", scope=org.Scope("center", "DEMO_CT"))
    auth.add_user(app_db, "gr.user", "Cán bộ Giá Rai", "lanh_dao", "matkhau2024", scope=org.Scope("center", "DEMO_GR"))
    so_admin = User("so.admin", "Quản trị Sở", "quan_tri", None, "province", "BL")
    at = open_as(so_admin, "pages/users.py")
    assert not at.exception
    names = set(at.dataframe[0].value["Tên đăng nhập"])
    # the province's accounts (its centers' and its own), never another province's nor an every-center one
    assert {"sobl", "canbo", "gr.user"} <= names and not names & {"ct.user", "admin"}
    assert at.dataframe[0].value.set_index("Tên đăng nhập").loc["sobl", "Phạm vi"] == "Tỉnh Bạc Liêu"
    center_admin = User("bl.admin", "Quản trị Trung tâm", "quan_tri", None, "center", "BTXH_BL")
    at = open_as(center_admin, "pages/users.py")
    names = set(at.dataframe[0].value["Tên đăng nhập"])
    assert "canbo" in names and not names & {"sobl", "gr.user", "ct.user", "admin"}
    # a new account takes a scope inside the administrator's: here the Center only
    scope = next(s for s in at.selectbox if s.label == "Phạm vi")
    assert scope.options == ["Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu"]
    for w in at.text_input:
        value = {"Tên đăng nhập": "hoa.le", "Họ và tên": "Lê Thị Hoa", "Mật khẩu": "matkhau2024"}.get(w.label)
        if value:
            w.set_value(value)
    next(b for b in at.button if b.label == "Thêm tài khoản").click().run()
    assert not at.exception and at.success[0].value == "Đã thêm tài khoản."
    assert app_db.execute("select scope_kind, scope_code from users where username = 'hoa.le'").fetchone() == (
        "center",
        "BTXH_BL",
    )


def test_each_center_signs_its_own_report(app_db):
    from planboard.plan import load_plans, plans_dir
    from planboard.reports import settings as report_settings

    plans = load_plans(plans_dir(), include_demo=True).for_centers(["BTXH_BL", "DEMO_GR"], 2024)
    # a setting saved before centers existed (a plain key) stays the Center's
    app_db.execute("insert or replace into report_settings (key, value) values ('number', '12')")
    assert report_settings.load(app_db, plans["BTXH_BL"], center="BTXH_BL").number == "12"
    assert report_settings.load(app_db, plans["DEMO_GR"], center="DEMO_GR").number == ""
    mine = report_settings.load(app_db, plans["DEMO_GR"], center="DEMO_GR")
    report_settings.save(
        app_db, report_settings.ReportSettings(**{**mine.__dict__, "number": "7", "signer": "Lê Văn D"}), "DEMO_GR"
    )
    assert report_settings.load(app_db, plans["DEMO_GR"], center="DEMO_GR").signer == "Lê Văn D"
    center = report_settings.load(app_db, plans["BTXH_BL"], center="BTXH_BL")
    assert (center.number, center.signer) == ("12", plans["BTXH_BL"].signer)  # Giá Rai's save changed nothing here
