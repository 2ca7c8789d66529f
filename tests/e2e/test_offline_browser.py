"""Offline centers (issue 15, item 13): with every request to a host other than the app's blocked, the app still
opens, signs in and draws its pages, and the page never even tries to fetch an icon, font or script from the
internet."""

from __future__ import annotations

from urllib.parse import urlparse

from .conftest import wait_for_app


def test_no_request_leaves_the_server(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    outside: list[str] = []

    def gate(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    try:
        page = context.new_page()
        for path in ("/", "/theo-hoat-dong?activity=4.1", "/nhap-du-lieu", "/kham-pha", "/bao-cao"):
            page.goto(f"{server}{path}")
            wait_for_app(page)
        page.wait_for_timeout(1000)
        assert outside == []
        # The page's own icon is served by the app (an inline data: URL or a path of the server).
        icons = page.evaluate("Array.from(document.querySelectorAll('link[rel~=icon]')).map(l => l.href)")
        assert icons and all(h.startswith(("data:", server)) for h in icons), icons
        page.screenshot(path=str(tmp_path / "offline.png"), full_page=True)
    finally:
        context.close()
