"""Centers, scopes, plans per center and year, the roll-up rules and the upgrade of a pre-centers database
(docs/centers.md). Every expected number is computed by hand in the comment beside it."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tomllib
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from conftest import add_case, add_event, add_resident

from planboard import cli, db, demo, kpis, org, rollup
from planboard.plan import DEFAULT_PLAN, PlanError, PlanSet, load_plans, parse_plan

D = dt.date
FIXTURES = Path(__file__).parent / "fixtures"


def plan_for(centers: list[str], change=None):
    """The shipped plan issued to `centers`, optionally changed (a function of its parsed TOML)."""
    data = tomllib.loads(DEFAULT_PLAN.read_text(encoding="utf-8"))
    data["plan"].pop("center")
    data["plan"]["centers"] = centers
    if change:
        change(data)
    return parse_plan(data, f"{'-'.join(centers)}.toml")


def indicator(data: dict, code: str) -> dict:
    return next(i for i in data["indicators"] if i["code"] == code)


@pytest.fixture
def two(con):
    """Centers A and B of one province, each with the shipped plan."""
    org.save_center(con, "CS_A", "Cơ sở A", "BL", "Bạc Liêu")
    org.save_center(con, "CS_B", "Cơ sở B", "BL", "Bạc Liêu")
    return con


def _served_and_waiting(con, center: str, served: int, waiting: int) -> None:
    """`served` eligible requests accepted free in April and `waiting` still waiting, one resident each."""
    for i in range(served + waiting):
        add_resident(con, f"R{i}", center=center)  # born 1950, financial hardship: eligible
        add_case(
            con,
            f"C{i}",
            f"R{i}",
            D(2024, 3, 1),
            center=center,
            **({"accepted_on": D(2024, 4, 1), "status": "dang_thuc_hien"} if i < served else {}),
        )


def test_rates_roll_up_from_sums_never_an_average_of_rates(two):
    _served_and_waiting(two, "CS_A", served=1, waiting=0)  # A: 1/1 = 100 %
    _served_and_waiting(two, "CS_B", served=1, waiting=2)  # B: 1/3 = 33,3 %
    for i in range(2):
        add_event(two, f"E{i}", "phat_thanh", D(2024, 2, 1 + i), center="CS_A")
    for i in range(3):
        add_event(two, f"E{i}", "phat_thanh", D(2024, 5, 1 + i), center="CS_B")  # same ids, other center
    plan = plan_for(["CS_A", "CS_B"])
    r = rollup.compute(two, {"CS_A": plan, "CS_B": plan}, D(2024, 6, 30))
    a3 = r.result("A3_MIEN_PHI")
    # (1 + 1) / (1 + 3) = 2/4 = 50 %, not (100 + 33,3) / 2 = 66,7 %
    assert (a3.numerator, a3.denominator, a3.value) == (2, 4, Fraction(50))
    assert a3.status == "cham_tien_do" and a3.center is None  # continuous 100 % target: 50 < 100
    a41 = r.result("A41_PHAT_THANH")
    # 2 + 3 = 5 broadcasts; targets 24 + 24 = 48 a year, quarter levels [6+6, 12+12, 18+18, 24+24]
    assert (a41.numerator, a41.target_year, a41.indicator.target.quarter_targets) == (5, 48, (12, 24, 36, 48))
    assert (a41.expected_now, a41.status) == (24, "cham_tien_do")  # 30/06 closes Q II: 5 < 24
    assert [x.numerator for x in r.by_center["CS_A"] if x.code == "A41_PHAT_THANH"] == [2]
    assert [x.numerator for x in r.by_center["CS_B"] if x.code == "A41_PHAT_THANH"] == [3]
    assert r.missing == {} and r.target_notes == {}
    # the activity's status is the worst of its rolled-up indicators: A3_MIEN_PHI behind
    assert r.activity_statuses()["3"] == "cham_tien_do"


def test_differing_rate_targets_make_the_roll_up_monitor_only_with_a_note(two):
    _served_and_waiting(two, "CS_A", served=1, waiting=0)
    _served_and_waiting(two, "CS_B", served=1, waiting=0)
    plan_a = plan_for(["CS_A"])
    plan_b = plan_for(["CS_B"], lambda d: indicator(d, "A3_MIEN_PHI").update(target_year=90))
    r = rollup.compute(two, {"CS_A": plan_a, "CS_B": plan_b}, D(2024, 6, 30))
    a3 = r.result("A3_MIEN_PHI")
    assert (a3.numerator, a3.denominator, a3.value) == (2, 2, Fraction(100))  # 2/2 = 100 %
    assert (a3.target_year, a3.status) == (None, "theo_doi")
    assert r.target_notes == {"A3_MIEN_PHI": ("CS_B",)}
    # each center keeps its own target and status: A 100 % >= 100 met, B 100 % >= 90 met
    assert [(x.target_year, x.status) for x in r.by_center["CS_B"] if x.code == "A3_MIEN_PHI"] == [(90, "dat")]


def test_an_indicator_missing_from_one_plan_is_not_rolled_up(two):
    plan_a = plan_for(["CS_A"])
    plan_b = plan_for(
        ["CS_B"], lambda d: d.update(indicators=[i for i in d["indicators"] if i["code"] != "A5_HUONG_DAN"])
    )
    r = rollup.compute(two, {"CS_A": plan_a, "CS_B": plan_b}, D(2024, 6, 30))
    assert r.missing == {"A5_HUONG_DAN": ("CS_B",)}
    assert "A5_HUONG_DAN" not in [x.code for x in r.results] and len(r.results) == 12  # 13 - 1


def test_a_count_without_a_target_in_one_center_is_monitor_only(two):
    add_event(two, "E1", "phat_thanh", D(2024, 2, 1), center="CS_A")
    plan_a = plan_for(["CS_A"])
    plan_b = plan_for(
        ["CS_B"],
        lambda d: [indicator(d, "A41_PHAT_THANH").pop(k) for k in ("target_year", "quarter_targets", "op", "source")],
    )
    r = rollup.compute(two, {"CS_A": plan_a, "CS_B": plan_b}, D(2024, 6, 30))
    a41 = r.result("A41_PHAT_THANH")
    assert (a41.numerator, a41.target_year, a41.status) == (1, None, "theo_doi")
    assert r.target_notes == {"A41_PHAT_THANH": ("CS_B",)}


def _demo_into(con, center: str, seed: int = 2024) -> None:
    """The demo year's rows written for `center` (demo.write replaces every row, so insert here)."""
    with db.transaction(con) as cur:
        for name, df in demo.build(seed).items():
            cur.register("rows", df.assign(center=center))
            cols = ", ".join(["center", *df.columns])
            cur.execute(f"insert into {name} ({cols}) select {cols} from rows")
            cur.unregister("rows")
        db.bump_data_version(cur)


def kpis_cli(db_file, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["kpis", "--db", str(db_file), *args])
    return code, out.getvalue(), err.getvalue()


def test_centers_are_isolated_and_a_roll_up_of_two_equal_centers_doubles_counts(tmp_path, monkeypatch):
    single = tmp_path / "single.duckdb"
    demo.fill(db.connect(single))
    _, alone, _ = kpis_cli(single, "--as-of", "2024-06-30")
    db.close(single)

    many = tmp_path / "many.duckdb"
    con = db.connect(many)
    for code in ("CS_A", "CS_B", "CS_C"):
        org.save_center(con, code, f"Cơ sở {code[-1]}", "BL", "Bạc Liêu")
    _demo_into(con, "CS_A")
    _demo_into(con, "CS_B")
    _demo_into(con, "CS_C", seed=7)  # other data in a third center must change nothing above
    plans = tmp_path / "plans"
    plans.mkdir()
    text = DEFAULT_PLAN.read_text(encoding="utf-8").replace('center = "BTXH_BL"', 'centers = ["CS_A", "CS_B", "CS_C"]')
    (plans / "abc-2024.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PLANBOARD_PLANS", str(plans))

    code, only_a, _ = kpis_cli(many, "--as-of", "2024-06-30", "--center", "CS_A")
    assert code == 0 and only_a == alone  # byte for byte the single-center output

    _, both, _ = kpis_cli(many, "--as-of", "2024-06-30", "--center", "CS_A,CS_B", "--format", "json")
    _, one, _ = kpis_cli(many, "--as-of", "2024-06-30", "--center", "CS_A", "--format", "json")
    import json

    for x, y in zip(json.loads(one), json.loads(both), strict=True):
        assert y["numerator"] == 2 * x["numerator"]
        assert y["denominator"] == (None if x["denominator"] is None else 2 * x["denominator"])
        assert y["status"] == x["status"]
        if x["denominator"] is None:  # counts: value and targets double
            assert (y["value"], y["target_year"]) == (
                2 * x["value"],
                None if x["target_year"] is None else 2 * x["target_year"],
            )
        else:  # rates keep their value and target
            assert (y["value"], y["target_year"]) == (x["value"], x["target_year"])
    # e.g. A41_PHAT_THANH: 12 + 12 = 24 broadcasts by 30/06, target 24 + 24 = 48, expected 12 + 12 = 24
    a41 = next(y for y in json.loads(both) if y["indicator"] == "A41_PHAT_THANH")
    assert (a41["value"], a41["expected_now"], a41["target_year"], a41["status"]) == (24, 24, 48, "dung_tien_do")

    code, by_center, _ = kpis_cli(many, "--as-of", "2024-06-30", "--center", "all", "--by-center")
    lines = by_center.splitlines()
    assert lines[0] == "center," + ",".join(kpis.CSV_HEADER)
    assert len(lines) == 1 + 3 * 13 and lines[1].startswith("CS_A,A1_VAN_BAN,")
    assert [line.removeprefix("CS_A,") for line in lines[1:14]] == alone.splitlines()[1:]

    code, out, err = kpis_cli(many, "--as-of", "2024-06-30")
    assert code == 1 and out == ""
    assert err.strip() == (
        "Có nhiều cơ sở; hãy chọn bằng --center MÃ (hoặc --center all để cộng gộp): "
        "BTXH_BL (Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu), CS_A (Cơ sở A), CS_B (Cơ sở B), CS_C (Cơ sở C)."
    )
    code, out, err = kpis_cli(many, "--as-of", "2024-06-30", "--center", "CS_A,CS_B", "--department", "CTXH")
    assert code == 1 and "một cơ sở" in err
    db.close(many)


def test_a_database_made_before_centers_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    tables = demo.build()
    with duckdb.connect(str(path)) as old:
        old.execute((FIXTURES / "legacy" / "schema_before_centers.sql").read_text(encoding="utf-8"))
        for name, df in tables.items():
            old.register("rows", df)
            old.execute(f"insert into {name} ({', '.join(df.columns)}) select {', '.join(df.columns)} from rows")
            old.unregister("rows")
        old.execute("insert into users (username, full_name, role, password_hash) values ('thu', 'Thu', 'xem', 'x')")
    con = db.connect(path)
    for name, df in tables.items():  # every row kept, under the one center
        assert con.execute(f"select count(*), min(center), max(center) from {name}").fetchone() == (
            len(df),
            "BTXH_BL",
            "BTXH_BL",
        )
    assert con.execute("select scope_kind, scope_code from users").fetchall() == [("center", "BTXH_BL")]
    assert [c.code for c in org.centers(con)] == ["BTXH_BL"]
    upgraded = [kpis.machine_record(r) for r in kpis.compute(con, plan_for(["BTXH_BL"]), D(2024, 6, 30))]
    fresh_path = tmp_path / "fresh.duckdb"
    fresh = db.connect(fresh_path)
    demo.fill(fresh)
    assert upgraded == [kpis.machine_record(r) for r in kpis.compute(fresh, plan_for(["BTXH_BL"]), D(2024, 6, 30))]
    # the keys now start with the center: the same id may exist in another center
    org.save_center(con, "CS_B", "Cơ sở B", "BL", "Bạc Liêu")
    add_resident(con, "NCT001", center="CS_B")
    assert con.execute("select count(*) from residents where resident_id = 'NCT001'").fetchone() == (2,)
    db.close(path)
    db.close(fresh_path)
    assert not db.upgrade_to_centers(db.connect(path))  # already upgraded: nothing to do
    db.close(path)


def test_plans_per_center_and_year(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    text = DEFAULT_PLAN.read_text(encoding="utf-8")
    (folder / "a-2024.toml").write_text(text, encoding="utf-8")
    (folder / "a-2025.toml").write_text(text.replace("year = 2024\n", "year = 2025\n", 1), encoding="utf-8")
    plans = load_plans(folder)
    assert plans.years() == [2024, 2025] and plans.plan_for("BTXH_BL").year == 2025
    assert plans.plan_for("BTXH_BL", 2024).path.endswith("a-2024.toml")
    assert plans.year_for(["BTXH_BL"], as_of=D(2030, 1, 1)) == 2025  # no 2030 plan: the nearest year, clipped
    with pytest.raises(PlanError, match="Cơ sở BTXH_BL chưa có kế hoạch năm 2026. Các năm có kế hoạch: 2024, 2025."):
        plans.for_centers(["BTXH_BL"], 2026)
    with pytest.raises(PlanError, match="cơ sở 'BTXH_BL' chưa có trong hệ thống"):
        plans.check_centers({"CS_A"})
    (folder / "b.toml").write_text(text.replace('center = "BTXH_BL"', 'centers = ["XX", "BTXH_BL"]'), encoding="utf-8")
    with pytest.raises(PlanError, match="Hai kế hoạch cho cùng cơ sở 'BTXH_BL' năm 2024: a-2024.toml và b.toml"):
        load_plans(folder)
    with pytest.raises(PlanError, match="thiếu khóa 'plan.center'"):
        parse_plan(
            {**tomllib.loads(text), "plan": {k: v for k, v in tomllib.loads(text)["plan"].items() if k != "center"}}
        )


def test_views_inside_a_scope():
    known = [
        org.Center("CS_A", "Cơ sở A", "BL", "Bạc Liêu"),
        org.Center("CS_B", "Cơ sở B", "BL", "Bạc Liêu"),
        org.Center("CS_C", "Cơ sở C", "CM", "Cà Mau"),
    ]
    plans = PlanSet((plan_for(["CS_A", "CS_B", "CS_C"]),))
    province = org.Scope("province", "BL")
    v = org.resolve_view(known, plans, province)
    assert (v.centers, v.province, v.is_rollup, v.center) == (("CS_A", "CS_B"), "BL", True, None)
    assert org.resolve_view(known, plans, province, center="CS_B").centers == ("CS_B",)
    # a center outside the scope in a shared link falls back to the reader's default view
    assert org.resolve_view(known, plans, province, center="CS_C").centers == ("CS_A", "CS_B")
    everything = org.resolve_view(known, plans, org.Scope())
    assert (everything.centers, everything.everything) == (("CS_A", "CS_B", "CS_C"), True)
    assert org.resolve_view(known, plans, org.Scope("center", "CS_C")).center == "CS_C"
    assert [c.code for c in org.select(known, "all", province)] == ["CS_A", "CS_B"]
    with pytest.raises(org.OrgError, match="ngoài phạm vi: 'CS_C'"):
        org.select(known, "CS_C", province)
    with pytest.raises(org.OrgError, match="Mã cơ sở không hợp lệ"):
        org.save_center(None, "bad code", "x", "BL", "Bạc Liêu")


def test_the_demo_province(tmp_path):
    path = tmp_path / "province.duckdb"
    con = db.connect(path)
    demo.fill_province(con)
    assert [(c.code, c.province_code, c.is_demo) for c in org.centers(con)] == [
        ("BTXH_BL", "BL", False),
        ("DEMO_GR", "BL", True),
        ("DEMO_HB", "BL", True),
    ]
    code, out, _ = kpis_cli(path, "--as-of", "2024-06-30", "--center", "all", "--by-center")
    rows = {(r.split(",")[0], r.split(",")[1]): r.split(",") for r in out.splitlines()[1:]}
    # the stories at 30/06/2024: the Center behind on legal aid (9/12 served), Giá Rai ahead (12/12, 18 broadcasts),
    # Hòa Bình without broadcasts after March (6 < 12 due)
    assert rows[("BTXH_BL", "A3_MIEN_PHI")][3:] == ["75.00", "9", "12", "100", "100", "cham_tien_do"]
    assert rows[("DEMO_GR", "A3_MIEN_PHI")][3:] == ["100.00", "12", "12", "100", "100", "dat"]
    assert rows[("DEMO_GR", "A41_PHAT_THANH")][3:] == ["18", "18", "", "12", "24", "dung_tien_do"]
    assert rows[("DEMO_HB", "A41_PHAT_THANH")][3:] == ["6", "6", "", "12", "24", "cham_tien_do"]
    code, out, _ = kpis_cli(path, "--as-of", "2024-06-30", "--center", "all")
    rolled = {r.split(",")[0]: r.split(",") for r in out.splitlines()[1:]}
    # (9 + 12 + 9) / (12 + 12 + 11) = 30/35 = 85,71 %; broadcasts 12 + 18 + 6 = 36 against 12 + 12 + 12 = 36 due
    assert rolled["A3_MIEN_PHI"][2:] == ["85.71", "30", "35", "100", "100", "cham_tien_do"]
    assert rolled["A41_PHAT_THANH"][2:] == ["36", "36", "", "36", "72", "dung_tien_do"]
    # a 2025 plan sits beside 2024: the Center serves every request of 2025's first half. Eligible: 2024's 12, plus
    # March's request (withdrawn in 2024, served in 2025) and NCT004's April request (60 since 15/07/2024) = 14
    code, out, _ = kpis_cli(path, "--as-of", "2025-06-30", "--center", "BTXH_BL")
    assert "A3_MIEN_PHI,3,100.00,14,14,100,100,dat" in out.splitlines()
    db.close(path)
