"""Every set of numbers comes from one snapshot (issue 18, item 1): a writer commits while readers compute, and no
reader ever sees a mix of before and after a commit."""

from __future__ import annotations

import datetime as dt
import threading

from conftest import add_resident

from planboard import db, kpis, rollup

D = dt.date


def test_indicators_never_mix_data_from_before_and_after_a_commit(con, plan):
    add_resident(con, "R1")
    stop = threading.Event()
    done = []

    def writer():
        # each commit adds one broadcast AND one request: in any consistent view both counts are equal
        cur = con.cursor()
        try:
            for i in range(300):  # bounded; stops once the readers have taken enough sets during the writes
                if len(seen) >= 60:
                    break
                cur.execute("begin transaction")
                cur.execute(
                    "insert into events (center, event_id, event_type, activity, held_on, department, title) "
                    "values ('BTXH_BL', $id, 'phat_thanh', '4.1', date '2024-03-01', 'CTXH', 'Phát thanh')",
                    {"id": f"E{i}"},
                )
                cur.execute(
                    "insert into cases (center, case_id, resident_id, requested_on, department, legal_field, "
                    "status) values ('BTXH_BL', $id, 'R1', date '2024-03-01', 'CTXH', 'dan_su', 'tiep_nhan')",
                    {"id": f"C{i}"},
                )
                db.bump_data_version(cur)
                cur.execute("commit")
                done.append(i)
        finally:
            cur.close()
            stop.set()

    seen: list[tuple[int, int, int]] = []

    def reader():
        while not stop.is_set() and len(seen) < 2000:
            results = {r.code: r for r in kpis.compute(con, plan, D(2024, 6, 30))}
            seen.append((results["A41_PHAT_THANH"].numerator, results["A3_YEU_CAU"].numerator, 0))
            with db.snapshot(con) as snap:  # the version read in the same snapshot as the numbers
                r = rollup.compute(snap, {"BTXH_BL": plan}, D(2024, 6, 30))
                # version = 1 (the resident) + 1 per commit, so the commits seen are version - 1
                seen.append(
                    (
                        r.result("A41_PHAT_THANH").numerator,
                        r.result("A3_YEU_CAU").numerator,
                        snap.version - 1 - r.result("A3_YEU_CAU").numerator,
                    )
                )

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert len(seen) >= 2 and len(done) >= 1
    # a torn read shows more broadcasts than requests (or the reverse), or numbers of another version than its own
    assert [s for s in seen if s[0] != s[1] or s[2] != 0] == []
    # A41_PHAT_THANH at the end: one broadcast per commit
    assert kpis.compute(con, plan, D(2024, 6, 30))[5].numerator == len(done)
