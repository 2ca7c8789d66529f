"""Login before any data: AppTest of app.py with real accounts in a real database file."""

from __future__ import annotations

import pytest
from conftest import ROOT, sign_in
from streamlit.testing.v1 import AppTest

from planboard import auth, db, demo


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    con = db.connect(path)
    demo.fill(con)
    auth.ensure_demo_accounts(con)
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    monkeypatch.setenv("PLANBOARD_MAX_FAILED_LOGINS", "3")
    yield con
    db.close(path)


def app(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at


def submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").set_value(username)
    at.text_input(key="login_password").set_value(password)
    return at.button[0].click().run()


def visible_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_no_data_before_login_then_wrong_then_right_password(demo_db):
    at = app(as_of="2024-06-30").run()
    assert not at.exception
    assert at.title[0].value == "Đăng nhập"
    assert not at.dataframe and "Tiến độ" not in visible_text(at)  # nothing of the data shows
    submit(at, "lanhdao", "sai-mat-khau")
    assert at.error[0].value == "Sai tên đăng nhập hoặc mật khẩu."
    submit(at, "lanhdao", "demo-lanhdao")
    assert not at.exception
    # The overview of 30/06/2024 (the URL's as_of survives the login).
    assert at.title[0].value.startswith("Tiến độ các hoạt động đến 30/06/2024")
    rows = demo_db.execute(
        "select action, is_ok from audit_log where username = 'lanhdao' order by audit_id"
    ).fetchall()
    assert rows[-2:] == [("login", False), ("login", True)]


def test_throttle_after_three_failures_same_for_unknown_names(demo_db, monkeypatch):
    monkeypatch.setattr(auth, "_clock", lambda: 1000.0)  # time stands still: the wait cannot pass between runs
    for name in ("xem", "khong-co-ai"):
        at = app().run()
        for _ in range(3):
            submit(at, name, "sai-mat-khau")
            assert at.error[0].value == "Sai tên đăng nhập hoặc mật khẩu."
        submit(at, name, "demo-xem")  # right password for xem: still waits 2^(3-3) = 1 s from this browser
        assert at.error[0].value == "Đã nhập sai nhiều lần từ máy này. Hãy thử lại sau 1 giây."


def test_database_without_users_says_how_to_create_the_first_admin(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    demo.fill(db.connect(path))  # data, but no account
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    try:
        at = app().run()
        assert not at.exception
        assert at.error[0].value.startswith("Cơ sở dữ liệu chưa có tài khoản nào")
        assert "python -m planboard user add --role quan_tri" in at.code[0].value
    finally:
        db.close(path)


@pytest.mark.parametrize(
    "role,unit,sees_import,sees_users",
    [
        ("quan_tri", None, True, True),
        ("lanh_dao", "BGD", True, False),
        ("can_bo", "CTXH", True, False),
        ("xem", None, False, False),
    ],
)
def test_menu_by_role(demo_db, role, unit, sees_import, sees_users):
    at = sign_in(app(), role, unit).run()
    assert not at.exception
    for page, shown in (("pages/import.py", sees_import), ("pages/users.py", sees_users), ("pages/overview.py", True)):
        if shown:
            at.switch_page(page).run()
            assert not at.exception
        else:  # not registered in this role's navigation at all
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
    assert at.sidebar.markdown[-1].value.startswith("Đang đăng nhập: **Người dùng")


def test_users_page_adds_an_account_and_audits_it(demo_db):
    at = sign_in(app(), "quan_tri", username="admin").run()
    at.switch_page("pages/users.py").run()
    assert at.title[0].value == "Tài khoản và nhật ký kiểm toán"
    form_inputs = [w for w in at.text_input if w.label in ("Tên đăng nhập", "Họ và tên", "Mật khẩu")]
    values = {"Tên đăng nhập": "hoa.le", "Họ và tên": "Lê Thị Hoa", "Mật khẩu": "matkhau2024"}
    for w in form_inputs:
        w.set_value(values[w.label])
    next(b for b in at.button if b.label == "Thêm tài khoản").click().run()
    assert not at.exception
    assert at.success[0].value == "Đã thêm tài khoản."
    row = demo_db.execute("select role, is_demo from users where username = 'hoa.le'").fetchone()
    assert row == ("quan_tri", False)  # the form's first role is quan_tri
    assert demo_db.execute(
        "select username, action from audit_log where action = 'user_add' order by audit_id desc limit 1"
    ).fetchone() == ("admin", "user_add")
