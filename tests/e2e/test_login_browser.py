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


def test_behind_a_reverse_proxy_guessing_slows_down_only_the_guessers_browser(browser, tmp_path_factory):
    """The README's setup: a reverse proxy on the same server, so every browser reaches the app from 127.0.0.1 and
    the proxy names it in X-Forwarded-For (which Streamlit's server, uvicorn, believes from a 127.0.0.1 peer only).
    Wrong passwords for 'xem' from one browser (203.0.113.7), each after the
    previous wait, until that browser must wait 8 s or more (past the limit each failure doubles the wait: 1, 2,
    4, 8 s); another browser
    behind the same proxy (203.0.113.8) then signs in as 'xem' at once (counted by the loopback peer alone, the
    guesser would lock 'xem' out for everyone)."""
    import re
    import time

    from .conftest import own_demo_server

    with own_demo_server(tmp_path_factory, "proxy") as (url, _, _):
        pages = []
        for address in ("203.0.113.7", "203.0.113.8"):
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
            context.set_extra_http_headers({"X-Forwarded-For": f"198.51.100.1, {address}"})
            pages.append(context.new_page())
        guesser, owner = pages
        guesser.goto(url)
        wait_for_app(guesser, login=None)
        wait = 0
        deadline = time.time() + 90
        while wait < 8 and time.time() < deadline:
            sign_in(guesser, "xem", "sai-mat-khau")
            said = re.search(r"Hãy thử lại sau (\d+) giây", guesser.inner_text("body"))
            if said:
                wait = int(said.group(1))
                time.sleep(min(wait, 4) if wait < 8 else 0)
        assert wait >= 8, "the guesser's browser was never made to wait 8 s"
        owner.goto(url)
        wait_for_app(owner, login=None)
        sign_in(owner, "xem", "demo-xem")
        assert not login_form_shown(owner), owner.inner_text("body")[:300]
        sign_in(guesser, "xem", "demo-xem")  # the guesser still waits, right password or not
        assert "Đã nhập sai nhiều lần từ máy này" in guesser.inner_text("body")
        for pg in pages:
            pg.context.close()
