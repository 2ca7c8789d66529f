"""Start the Streamlit server on app.py: `python -m planboard.ui.serve [streamlit options]` (what `make run` does).

Why not plain `streamlit run app.py`: Streamlit still treats a folder named `pages/` beside the main script as a
legacy (v1) multipage app on the server's very first script run, so the first visitor after a restart who opens a
deep link (e.g. /theo-quy?as_of=2024-06-30) gets a spurious "Page not found" dialog. Our pages/ folder holds
st.navigation pages, so we tell Streamlit so before it starts (checked by tests/e2e).

And the server needs one HTTP route of its own: the signed-in session's cookie is HttpOnly, which only an HTTP
response can set (Streamlit talks to the page over a websocket). So app.py is served as a `streamlit.starlette.App`
(Streamlit >= 1.53: an ASGI app with middleware of our own) started by `App.run`, with the same command-line
options `streamlit run` takes (`--server.port 8502`, `--server.address 0.0.0.0`, ...)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from .. import sessions

APP = Path(__file__).resolve().parents[2] / "app.py"
_SESSION_PATH = re.compile(rf"(?:^|/){re.escape(sessions.ROUTE)}/([A-Za-z0-9_-]{{3,64}})$")


class SessionCookie:
    """ASGI middleware answering GET .../_planboard/session/<nonce> (set the session cookie: the nonce is the
    one-time handoff of planboard/sessions.py) and .../_planboard/session/end (drop it), under any
    server.baseUrlPath. Cookie: HttpOnly (no script reads it), Secure (never sent over plain HTTP; browsers
    accept it from http://localhost and 127.0.0.1), SameSite=Strict (never sent by another site's request).
    A request another site made (Sec-Fetch-Site) is refused, so no page can plant its own session here."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        match = _SESSION_PATH.search(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        from starlette.requests import Request
        from starlette.responses import Response

        request = Request(scope, receive)
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        cookie = {"path": "/", "secure": True, "httponly": True, "samesite": "strict"}
        if request.method != "GET" or request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
            response = Response(status_code=403)
        elif match.group(1) == "end":
            response.delete_cookie(sessions.COOKIE, **cookie)
        else:
            token = sessions.redeem(match.group(1))
            if token is None:
                response = Response(status_code=404)
            else:
                response.set_cookie(sessions.COOKIE, token, **cookie)
        await response(scope, receive, send)


def use_navigation_pages() -> None:
    """Tell Streamlit that pages/ holds st.navigation pages."""
    PagesManager.uses_pages_directory = False


def use_navigation_pages_in_apptest() -> None:
    """The same for AppTest, which resets the flag before every run (so, without this, a run after the first one
    would execute the current page's file directly, skipping app.py and its login)."""
    from streamlit.testing.v1 import app_test

    class NavigationPagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test.PagesManager = NavigationPagesManager


def config_overrides(argv: list[str]) -> dict:
    """`streamlit run`'s options (--server.port 8502 ...) as App.run's {"server.port": 8502}, parsed and typed by
    Streamlit's own command line."""
    params = cli.main_run.make_context("run", [str(APP), *argv]).params
    return {
        name.replace("_", "."): value
        for name, value in params.items()
        if name not in ("target", "args") and value is not None and value != ()
    }


def main(argv: list[str] | None = None) -> None:
    from starlette.middleware import Middleware
    from streamlit.starlette import App

    use_navigation_pages()
    overrides = config_overrides(sys.argv[1:] if argv is None else argv)
    sys.argv = [str(APP)]  # App.run finds .streamlit/config.toml beside sys.argv[0], as `streamlit run app.py` does
    App(APP, middleware=[Middleware(SessionCookie)]).run(config=overrides)


if __name__ == "__main__":
    main()
