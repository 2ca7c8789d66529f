"""Accounts: hashing, roles, sign-in throttle, audit rows — on a real database file."""

from __future__ import annotations

import pytest

from planboard import auth, db


def audit_rows(con):
    return con.execute("select username, action, is_ok from audit_log order by audit_id").fetchall()


def test_stored_hash_is_not_the_password(con):
    auth.add_user(con, "thu.nguyen", "Nguyễn Thị Thu", "lanh_dao", "mat-khau-2024", by="admin")
    stored = con.execute("select password_hash from users where username = 'thu.nguyen'").fetchone()[0]
    assert "mat-khau-2024" not in stored
    assert stored.startswith("$argon2id$")
    assert auth.login(con, "Thu.Nguyen", "mat-khau-2024", auth.Settings()).role == "lanh_dao"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand (the failures are in each test's own database)."""
    now = [1000.0]
    monkeypatch.setattr(auth, "_clock", lambda: now[0])
    return now


def test_failures_slow_down_one_client_and_never_lock_the_account(con, clock):
    auth.add_user(con, "canbo1", "Cán bộ", "can_bo", "matkhau123", department="CTXH")
    settings = auth.Settings(max_failed=3, lockout_minutes=15)
    for _ in range(3):
        with pytest.raises(auth.AuthError) as e:
            auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
        assert e.value.code == "bad_login"
    # Third failure: the next try from there waits 2^(3-3) = 1 s, even with the right password.
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "canbo1", "matkhau123", settings, client="10.0.0.9")
    assert (e.value.code, e.value.values) == ("throttled", {"seconds": 1})
    # The owner, from another computer, signs in at once: guessing cannot lock anyone out.
    assert auth.login(con, "canbo1", "matkhau123", settings, client="10.0.0.5").username == "canbo1"
    # The wait grows: after 1 s a fourth failure → 2^(4-3) = 2 s; a fifth after that → 4 s.
    clock[0] += 1
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
    assert e.value.code == "bad_login"
    clock[0] += 1.5
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
    assert (e.value.code, e.value.values) == ("throttled", {"seconds": 1})  # 2 − 1,5 = 0,5 s left → 1
    clock[0] += 0.5
    with pytest.raises(auth.AuthError):
        auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
    assert (e.value.code, e.value.values) == ("throttled", {"seconds": 4})
    # … and never longer than lockout_minutes: 30 failures in a row wait 15 × 60 = 900 s, not 2^27 s.
    assert settings.wait_after(30) == 900
    # After the wait the right password works and the count starts again.
    clock[0] += 4
    assert auth.login(con, "canbo1", "matkhau123", settings, client="10.0.0.9").username == "canbo1"
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
    assert e.value.code == "bad_login"


def test_the_count_is_in_the_database_every_server_and_a_restart_see_it(db_file, clock):
    """Failures are rows of sign_in_failures, not one server's memory: after the server process closes the file (a
    restart; in the shared mode a second server reads the same PostgreSQL table) the wait still holds; an
    administrator's password reset clears it for every place."""
    con = db.connect(db_file)
    auth.add_user(con, "canbo1", "Cán bộ", "can_bo", "matkhau123", department="CTXH")
    settings = auth.Settings(max_failed=3, lockout_minutes=15)
    for _ in range(4):  # three failures, then (after the 1 s wait) a fourth: the next waits 2^(4-3) = 2 s
        with pytest.raises(auth.AuthError):
            auth.login(con, "canbo1", "sai-mat-khau", settings, client="10.0.0.9")
        clock[0] += 1
    db.close(db_file)
    con = db.connect(db_file)  # the restarted server
    assert con.execute("select failures from sign_in_failures").fetchall() == [(4,)]
    with pytest.raises(auth.AuthError) as e:  # 1 s after the fourth failure: 2 − 1 = 1 s left
        auth.login(con, "canbo1", "matkhau123", settings, client="10.0.0.9")
    assert (e.value.code, e.value.values) == ("throttled", {"seconds": 1})
    auth.set_password(con, "canbo1", "matkhaumoi9", by="admin")
    assert auth.login(con, "canbo1", "matkhaumoi9", settings, client="10.0.0.9").username == "canbo1"
    # failures older than the longest wait (15 min) are dropped at the next failure: 16 min later one row is left
    with pytest.raises(auth.AuthError):
        auth.login(con, "khong-co", "x", settings, client="10.0.0.7")
    clock[0] += 16 * 60
    with pytest.raises(auth.AuthError):
        auth.login(con, "khong-co-2", "x", settings, client="10.0.0.7")
    assert con.execute("select username from sign_in_failures").fetchall() == [("khong-co-2",)]


def test_unknown_and_known_names_get_the_same_answers(con, clock):
    auth.add_user(con, "xem1", "Người xem", "xem", "matkhau123")
    settings = auth.Settings(max_failed=2, lockout_minutes=15)

    def answers(name: str) -> list[tuple[str, dict]]:
        out = []
        for _ in range(3):
            with pytest.raises(auth.AuthError) as e:
                auth.login(con, name, "sai-mat-khau", settings, client="10.0.0.9")
            out.append((e.value.code, e.value.values))
        return out

    # bad, bad, then a 1 s wait (2^(2-2)) — for the account that exists and for the one that does not.
    expected = [("bad_login", {}), ("bad_login", {}), ("throttled", {"seconds": 1})]
    assert answers("xem1") == expected
    assert answers("khong-co") == expected


def test_a_password_typed_as_the_name_is_not_stored(con, clock):
    with pytest.raises(auth.AuthError):
        auth.login(con, "Bi-Mat-2024!", "", auth.Settings(), client="10.0.0.9")
    rows = con.execute("select username, action, is_ok, detail from audit_log").fetchall()
    assert rows == [(None, "login", False, '{"reason": "unknown_user"}')]
    assert "bi-mat" not in str(con.execute("select * from audit_log").fetchall()).lower()


def test_disabled_user_is_told_only_with_the_right_password(con, clock):
    auth.add_user(con, "xem1", "Người xem", "xem", "matkhau123")
    auth.set_active(con, "xem1", False, by="admin")
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "xem1", "sai-mat-khau", auth.Settings())
    assert e.value.code == "bad_login"
    with pytest.raises(auth.AuthError) as e:
        auth.login(con, "xem1", "matkhau123", auth.Settings())
    assert e.value.code == "disabled"


def test_password_rules_and_change(con):
    with pytest.raises(auth.AuthError) as e:
        auth.add_user(con, "ngan", "Ngân", "xem", "ngan")
    assert e.value.code == "weak_password"
    auth.add_user(con, "ngan", "Ngân", "xem", "matkhau123")
    with pytest.raises(auth.AuthError):
        auth.change_password(con, "ngan", "sai-cu-123", "matkhaumoi9")
    auth.change_password(con, "ngan", "matkhau123", "matkhaumoi9")
    assert auth.login(con, "ngan", "matkhaumoi9", auth.Settings()).username == "ngan"


@pytest.mark.parametrize(
    "role,unit,own,other,personal_own,personal_other,export,users",
    [
        ("quan_tri", None, True, True, True, True, True, True),
        ("lanh_dao", "BGD", True, True, True, True, True, False),
        ("can_bo", "CTXH", True, False, True, False, True, False),
        ("xem", None, False, False, False, False, False, False),
    ],
)
def test_role_permissions(role, unit, own, other, personal_own, personal_other, export, users):
    u = auth.User("u", "U", role, unit)
    assert u.may_write_unit("CTXH") is own
    assert u.may_write_unit("HCTH") is other
    assert u.sees_personal_data_of("CTXH") is personal_own
    assert u.sees_personal_data_of("HCTH") is personal_other
    assert u.can("export_records") is export
    assert u.can("manage_users") is users


def test_can_bo_needs_a_unit_and_roles_are_checked(con):
    with pytest.raises(auth.AuthError) as e:
        auth.add_user(con, "cb2", "Cán bộ", "can_bo", "matkhau123")
    assert e.value.code == "need_department"
    with pytest.raises(auth.AuthError) as e:
        auth.add_user(con, "cb2", "Cán bộ", "giam_doc", "matkhau123")
    assert e.value.code == "bad_role"


def test_demo_accounts_one_per_role(con):
    auth.ensure_demo_accounts(con)
    auth.ensure_demo_accounts(con)  # idempotent
    rows = con.execute("select username, role, is_demo, scope_kind, scope_code from users order by username").fetchall()
    assert rows == [
        ("admin", "quan_tri", True, "all", None),
        ("canbo", "can_bo", True, "center", "BTXH_BL"),
        ("lanhdao", "lanh_dao", True, "center", "BTXH_BL"),
        ("sobl", "lanh_dao", True, "province", "BL"),
        ("xem", "xem", True, "center", "BTXH_BL"),
    ]
    assert auth.login(con, "admin", "demo-quantri", auth.Settings()).role == "quan_tri"


def test_cli_user_add_list_disable_and_errors(tmp_path):
    from conftest import run_cli

    def run(*args):
        return run_cli("user", *args, "--db", str(tmp_path / "u.duckdb"))

    added = run("add", "hoa.le", "--role", "can_bo", "--department", "CTXH", "--name", "Lê Thị Hoa")
    assert added.returncode == 0, added.stderr
    assert "Đã tạo tài khoản hoa.le." in added.stdout
    temp = added.stdout.strip().splitlines()[-1].rsplit(": ", 1)[1]  # no terminal: a generated password, shown once
    assert run("list").stdout.splitlines() == ["hoa.le\tcan_bo\tCTXH\tcenter:BTXH_BL\tactive\tLê Thị Hoa"]
    again = run("add", "hoa.le", "--role", "xem", "--password", "matkhau123")
    assert again.returncode == 1 and "đã có" in again.stderr and "Traceback" not in again.stderr
    weak = run("add", "ba.tran", "--role", "xem", "--password", "123")
    assert weak.returncode == 1 and "ít nhất 8 ký tự" in weak.stderr
    no_unit = run("add", "ba.tran", "--role", "can_bo", "--password", "matkhau123")
    assert no_unit.returncode == 1 and "cần chọn bộ phận" in no_unit.stderr
    assert run("disable", "hoa.le").returncode == 0
    assert run("list").stdout.splitlines() == ["hoa.le\tcan_bo\tCTXH\tcenter:BTXH_BL\tdisabled\tLê Thị Hoa"]
    from planboard import db

    con = db.connect(tmp_path / "u.duckdb")
    try:
        with pytest.raises(auth.AuthError) as e:
            auth.login(con, "hoa.le", temp, auth.Settings())
        assert e.value.code == "disabled"
        # A database that never ran `demo` has no demo account and no default password.
        assert con.execute("select count(*) from users where is_demo").fetchone()[0] == 0
    finally:
        db.close(tmp_path / "u.duckdb")
