"""A signed-in session survives a reload and reaches the browser's other tabs; logging out in one tab signs the
others out at their next action (issue 15, item 1). The cookie is HttpOnly, Secure and SameSite=Strict, and
Chromium keeps a Secure cookie from http://127.0.0.1 (a potentially trustworthy origin)."""

from __future__ import annotations

from .conftest import login_form_shown, sign_in, wait_for_app

SIGNED_IN = "Đang đăng nhập: Người xem (demo) (Người xem)"


def _session_cookies(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == "planboard_session"]


def test_reload_keeps_the_session_and_logout_ends_it_in_every_tab(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    try:
        first = context.new_page()
        first.goto(f"{server}/theo-quy?as_of=2024-06-30")
        wait_for_app(first, login=None)
        assert login_form_shown(first)
        sign_in(first, "xem", "demo-xem")
        assert SIGNED_IN in first.inner_text("body")
        for _ in range(50):  # the sidebar's invisible image fetches the cookie right after the sign-in
            if _session_cookies(context):
                break
            first.wait_for_timeout(100)
        cookies = _session_cookies(context)
        assert len(cookies) == 1, context.cookies()
        cookie = cookies[0]
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict", cookie
        assert first.evaluate("document.cookie").find("planboard_session") == -1  # no script can read it

        # F5: still signed in, same page, no login form.
        first.reload()
        wait_for_app(first, login=None)
        assert not login_form_shown(first)
        assert SIGNED_IN in first.inner_text("body")
        assert "theo-quy" in first.url
        assert first.locator('[data-testid="stSidebarNavLink"]').count() >= 5  # the menu too, at the first run

        # A second tab of the same browser is signed in too.
        second = context.new_page()
        second.goto(f"{server}/chi-tieu")
        wait_for_app(second, login=None)
        assert not login_form_shown(second)
        assert SIGNED_IN in second.inner_text("body")

        # Log out in the first tab: the cookie goes, and the second tab is signed out at its next action.
        first.get_by_role("button", name="Đăng xuất").click()
        wait_for_app(first, login=None)
        assert login_form_shown(first)
        first.wait_for_timeout(500)
        assert _session_cookies(context) == []
        second.locator('[data-testid="stSidebarNavLink"][href$="/theo-quy"]').click()
        wait_for_app(second, login=None)
        assert login_form_shown(second)
        assert "Phiên đăng nhập đã kết thúc" in second.inner_text("body")
        assert SIGNED_IN not in second.inner_text("body")

        # A reload after the logout asks for the password again.
        first.reload()
        wait_for_app(first, login=None)
        assert login_form_shown(first)
    finally:
        context.close()
