"""The demo generator: deterministic, every status at some date, and scaling that keeps rates."""

from __future__ import annotations

import datetime as dt

from planboard import demo, kpis
from planboard.status import STATUSES


def test_every_status_occurs_at_some_date_of_the_year(con, plan):
    demo.fill(con)
    dates = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    seen = {r.status for results in kpis.compute_many(con, plan, dates).values() for r in results}
    assert seen == set(STATUSES)


def test_demo_volumes_match_the_brief(con):
    counts = demo.fill(con)
    assert counts == {"residents": 120, "cases": 40, "events": 63, "staff": 25, "training": 12}
    under_60 = con.execute(
        "select count(*) from residents where age_on(birth_date, date '2024-01-01') < 60"
    ).fetchone()[0]
    assert 1 <= under_60 <= 6
    statuses = {r[0] for r in con.execute("select distinct status from cases").fetchall()}
    assert statuses == {"tiep_nhan", "da_chuyen", "dang_thuc_hien", "hoan_thanh", "rut_yeu_cau", "tu_choi"}
    fields = con.execute("select count(distinct legal_field) from cases").fetchone()[0]
    assert fields == 8


def test_scaled_demo_multiplies_counts_and_keeps_rates(con, plan, tmp_path):
    """Invariant: scale N repeats the Center N times, so every event/request count and sum is N times the
    unscaled one, every rate's numerator and denominator are N times (the rate is equal, so is its status), and
    distinct counts (months with a meeting, occasions) are equal. Count targets do not scale, so their statuses may
    differ."""
    from planboard import db

    demo.fill(con)
    other = db.connect(tmp_path / "scaled.duckdb")
    try:
        n = 3
        counts = demo.fill(other, n=n)
        assert counts["cases"] == 40 * n and counts["training"] == 12 * n
        for as_of in (dt.date(2024, 3, 31), dt.date(2024, 9, 30), dt.date(2024, 12, 31)):
            base = {r.code: r for r in kpis.compute(con, plan, as_of)}
            scaled = {r.code: r for r in kpis.compute(other, plan, as_of)}
            for code, r in base.items():
                s = scaled[code]
                if r.indicator.measure in ("event_month_count", "event_type_count"):
                    assert s.numerator == r.numerator and s.status == r.status, code
                else:
                    assert s.numerator == n * r.numerator, code
                if r.is_rate:
                    # Same rate against the same target: same status.
                    assert s.denominator == n * r.denominator and s.value == r.value and s.status == r.status, code
    finally:
        db.close(tmp_path / "scaled.duckdb")
