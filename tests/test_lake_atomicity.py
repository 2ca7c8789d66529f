"""Writes of the shared mode that span the lake and PostgreSQL, or race between servers (issue 13): an audit row
exists exactly when the lake commit it tells of went in; two servers adding one center code, one wins; a form's
delete whose commit conflicts is run again like an import. Real lakes on the throwaway PostgreSQL (`lake`), a
second server's connection in the same process (db._connect_shared: another DuckDB instance)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_lake_concurrency import _residents
from test_locks import ADMIN, LEAD, events_csv

from planboard import db, ingest, locks, meetings, org

D = dt.date


def _overrides(con) -> list[dict]:
    rows = con.execute("select detail from audit_log where action = 'lock_override' order by audit_id").fetchall()
    return [json.loads(r[0]) for r in rows]


@pytest.fixture
def locked_lake(lake):
    """BTXH_BL locked through May 2024 after the June meeting, in a lake."""
    con = db.connect(lake)
    known = org.centers(con)
    m = meetings.create(con, LEAD, org.Scope("center", "BTXH_BL"), D(2024, 6, 5), known)
    assert locks.lock(con, LEAD, known, D(2024, 5, 31), meeting_id=m.meeting_id) == 5
    return con


def test_an_override_whose_lake_commit_conflicted_is_audited_once(locked_lake, lake, plan, tmp_path):
    """An administrator's import into a locked month: its first lake commit conflicts with another server's
    import (written between its checks and its commit), the second attempt lands. The override's audit row
    (PostgreSQL) is there once, for the attempt that committed - not once per attempt."""
    other = db._connect_shared(lake)
    attempts = []

    def meanwhile(cur, result):
        attempts.append(1)
        if len(attempts) == 1:
            assert ingest.import_paths(other, plan, [_residents(tmp_path, "bb.csv", range(2))]).written

    override = locks.Override.by(ADMIN, "Bổ sung buổi phát thanh bị sót")
    result = ingest.import_files(
        locked_lake, plan, events_csv(("N2", "20/05/2024")), user="admin", lock_override=override,
        before_commit=meanwhile,
    )  # fmt: skip
    assert result.written and len(attempts) == 2  # conflicted once, then committed
    assert locked_lake.execute("select count(*) from events").fetchone()[0] == 1
    assert _overrides(locked_lake) == [
        {"center": "BTXH_BL", "reason": "Bổ sung buổi phát thanh bị sót", "rows": {"events": 1}}
    ]
    other.close()


def test_an_override_whose_lake_commit_never_went_in_is_not_audited(locked_lake, lake, plan, tmp_path):
    """Every attempt's lake commit conflicts (5): the import ends in "thử lại", no event is written, and no
    override audit row claims it was."""
    other = db._connect_shared(lake)
    n = []

    def meanwhile(cur, result):
        n.append(1)
        ingest.import_paths(other, plan, [_residents(tmp_path, f"b{len(n)}.csv", range(len(n) * 10, len(n) * 10 + 1))])

    override = locks.Override.by(ADMIN, "Bổ sung")
    with pytest.raises(db.TryAgain):
        ingest.import_files(
            locked_lake, plan, events_csv(("N2", "20/05/2024")), user="admin", lock_override=override,
            before_commit=meanwhile,
        )  # fmt: skip
    assert len(n) == db.RETRIES
    assert locked_lake.execute("select count(*) from events").fetchone()[0] == 0
    assert _overrides(locked_lake) == []
    other.close()


def test_two_servers_adding_one_center_code_at_once_one_wins(lake, monkeypatch):
    """Two servers (two DuckDB instances) add center NEW at the same moment: both find the code free, both write,
    and both wait (a barrier) before their commit. One commit goes in; the other conflicts, runs again, now sees
    the winner's center and is refused with the page's "already exists" message. One row, the winner's name."""
    import threading

    from planboard.i18n import t

    servers = [db.connect(lake), db._connect_shared(lake)]
    barrier = threading.Barrier(2, timeout=120)
    waited: set[int] = set()
    real_bump = db.bump_data_version

    def bump_then_wait(cur):
        real_bump(cur)
        if threading.get_ident() not in waited:  # the first attempt of each: both written, neither committed
            waited.add(threading.get_ident())
            barrier.wait()

    monkeypatch.setattr(db, "bump_data_version", bump_then_wait)
    outcome: dict[str, object] = {}

    def add(i: int) -> None:
        try:
            outcome[f"s{i}"] = org.save_center(servers[i], "NEW", f"Cơ sở của máy {i}", "BL", "Bạc Liêu", new=True)
        except Exception as e:  # the test reads what each got
            outcome[f"s{i}"] = e

    threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    won = [k for k, v in outcome.items() if isinstance(v, org.Center)]
    lost = [v for v in outcome.values() if not isinstance(v, org.Center)]
    assert len(won) == 1 and len(lost) == 1, outcome
    assert isinstance(lost[0], org.OrgError), repr(lost[0])
    winner = outcome[won[0]].name
    assert str(lost[0]) == t("centers_admin.exists", code="NEW", name=winner)
    rows = servers[0].execute("select name from centers where center_code = 'NEW'").fetchall()
    assert rows == [(winner,)]
    servers[1].close()


def test_a_form_delete_whose_commit_conflicts_is_run_again(lake, plan, tmp_path, monkeypatch):
    """A form's delete is about to commit when another server's import commits first (both make case_facts
    again: the delete's commit conflicts). The delete runs again by itself, its checks too, and lands: the
    record is gone, the other import's rows are there, one edit-log row and one audit row for the delete."""
    from conftest import add_resident

    from planboard import edits

    con = db.connect(lake)
    other = db._connect_shared(lake)
    add_resident(con, "R1")
    attempts = []
    real_bump = db.bump_data_version

    def bump_after_the_other_server(cur):
        if db.shared(cur) and cur._owner is not other:  # the delete's (not the other server's own import)
            attempts.append("delete")
            if len(attempts) == 1:  # between the delete's checks and its commit
                assert ingest.import_paths(other, plan, [_residents(tmp_path, "bb.csv", range(3))]).written
                attempts.append("other")
        real_bump(cur)

    monkeypatch.setattr(db, "bump_data_version", bump_after_the_other_server)
    out = edits.delete_record(con, "residents", "R1", user="minh", plan=plan)
    assert out.deleted, out.message
    assert attempts == ["delete", "other", "delete"]  # conflicted once, then went in
    assert [r[0] for r in con.execute("select resident_id from residents order by 1").fetchall()] == [
        "bb0",
        "bb1",
        "bb2",
    ]
    assert con.execute("select table_name, record_id, action from edit_log").fetchall() == [
        ("residents", "R1", "delete")
    ]
    assert con.execute("select count(*) from audit_log where action = 'edit'").fetchone()[0] == 1
    other.close()
