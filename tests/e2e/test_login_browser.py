"""Signing in with a real browser: a wrong password is refused, the right one opens the deep-linked page."""

from __future__ import annotations

from .conftest import login_form_shown, sign_in, wait_for_app


def test_wrong_then_right_password_keeps_the_deep_link(server, page, tmp_path):
    page.goto(f"{server}/theo-quy?as_of=2024-09-30")
    wait_for_app(page, login=None)
    assert login_form_shown(page)
    body = page.inner_text("body")
    assert "Đăng nhập" in body and "Quý III" not in body  # no data before signing in
    sign_in(page, "xem", "sai-mat-khau")
    assert "Sai tên đăng nhập hoặc mật khẩu." in page.inner_text("body")
    assert login_form_shown(page)
    sign_in(page, "xem", "demo-xem")
    assert not login_form_shown(page)
    body = page.inner_text("body")
    assert "Đang đăng nhập: Người xem (demo) (Người xem)" in body
    # The scorecard of the deep link, at its as_of: broadcasts 16 of 18 in Q3.
    assert "30/09/2024" in body
    assert "theo-quy" in page.url and "as_of=2024-09-30" in page.url
    page.screenshot(path=str(tmp_path / "after-login.png"), full_page=True)
    # A viewer's menu has no data-import page.
    assert page.get_by_role("link", name="Nhập dữ liệu").count() == 0
