"""Server-side sessions (issue 15, item 1): the token is stored hashed, expires when idle, and ends at logout,
password change and account disabling — on a real database file. The browser side is tests/e2e/test_session_browser.py."""

from __future__ import annotations

import datetime as dt
import hashlib

from conftest import ROOT
from streamlit.testing.v1 import AppTest

from planboard import auth, db, demo, sessions


def test_token_is_stored_hashed_and_names_the_user(con):
    auth.add_user(con, "thu.nguyen", "Nguyễn Thị Thu", "lanh_dao", "mat-khau-2024")
    token = sessions.start(con, "thu.nguyen")
    stored = con.execute("select token_hash, username from sessions").fetchall()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "thu.nguyen")]
    assert token not in stored[0][0]
    assert sessions.user_of(con, token).full_name == "Nguyễn Thị Thu"
    assert sessions.user_of(con, token + "x") is None and sessions.user_of(con, None) is None


def test_idle_longer_than_the_setting_ends_the_session(con, monkeypatch):
    monkeypatch.setenv("PLANBOARD_SESSION_MINUTES", "30")
    auth.add_user(con, "canbo1", "Cán bộ", "can_bo", "matkhau123", department="CTXH")
    t0 = dt.datetime(2024, 6, 30, 8, 0)
    token = sessions.start(con, "canbo1", now=t0)
    # Used at 8:29 (29 min idle: alive, last seen moves to 8:29), then at 8:58 (29 min idle again: alive).
    assert sessions.user_of(con, token, now=t0 + dt.timedelta(minutes=29)) is not None
    assert sessions.user_of(con, token, now=t0 + dt.timedelta(minutes=58)) is not None
    # 8:58 + 31 min idle > 30: ended, and the row is gone.
    assert sessions.user_of(con, token, now=t0 + dt.timedelta(minutes=89)) is None
    assert con.execute("select count(*) from sessions").fetchone()[0] == 0


def test_logout_password_change_and_disabling_end_sessions(con):
    auth.add_user(con, "canbo1", "Cán bộ", "can_bo", "matkhau123", department="CTXH")
    tab_a, tab_b, other_browser = (sessions.start(con, "canbo1") for _ in range(3))
    sessions.end(con, tab_a)  # logout
    assert sessions.user_of(con, tab_a) is None and sessions.user_of(con, tab_b) is not None
    # The user changes their own password in tab B: every other session ends, tab B stays.
    auth.change_password(con, "canbo1", "matkhau123", "matkhau456", keep_session=tab_b)
    assert sessions.user_of(con, other_browser) is None and sessions.user_of(con, tab_b) is not None
    # An admin resets the password: all sessions end.
    auth.set_password(con, "canbo1", "matkhau789", by="admin")
    assert sessions.user_of(con, tab_b) is None
    # Disabling the account ends a fresh session too, and a disabled account's session never resolves.
    fresh = sessions.start(con, "canbo1")
    auth.set_active(con, "canbo1", False, by="admin")
    assert sessions.user_of(con, fresh) is None
    assert con.execute("select count(*) from sessions").fetchone()[0] == 0


def test_role_change_applies_at_the_next_action(con):
    auth.add_user(con, "canbo1", "Cán bộ", "can_bo", "matkhau123", department="CTXH")
    token = sessions.start(con, "canbo1")
    auth.set_role(con, "canbo1", "xem", None, by="admin")
    assert sessions.user_of(con, token).role == "xem"


def test_handoff_nonce_is_redeemed_once():
    nonce = sessions.handoff("the-token")
    assert sessions.pending(nonce)
    assert sessions.redeem(nonce) == "the-token"
    assert sessions.redeem(nonce) is None and not sessions.pending(nonce)


def test_logout_in_one_tab_signs_the_other_out_at_its_next_action(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    con = db.connect(path)
    demo.fill(con)
    auth.ensure_demo_accounts(con)
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    try:
        first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        first.text_input(key="login_username").set_value("lanhdao")
        first.text_input(key="login_password").set_value("demo-lanhdao")
        first.button[0].click().run()
        token = first.session_state["_session_token"]
        assert con.execute("select username from sessions").fetchall() == [("lanhdao",)]
        # A second tab of the same browser: what the cookie gives it is the same session.
        second = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        second.session_state["_user"] = first.session_state["_user"]
        second.session_state["_session_token"] = token
        second.run()
        assert second.title[0].value != "Đăng nhập"  # signed in: no login form
        next(b for b in first.button if b.label == "Đăng xuất").click().run()
        assert con.execute("select count(*) from sessions").fetchone()[0] == 0
        assert (
            con.execute(
                "select action from audit_log where username = 'lanhdao' order by audit_id desc limit 1"
            ).fetchone()[0]
            == "logout"
        )
        second.run()  # its next action
        assert second.title[0].value == "Đăng nhập"
        assert any("Phiên đăng nhập đã kết thúc" in w.value for w in second.warning)
    finally:
        db.close(path)
