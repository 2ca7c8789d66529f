"""Login before any data is shown: the form, the server-side session that survives a reload (planboard/sessions.py),
logout and password change in the sidebar."""

from __future__ import annotations

import html
import time

import streamlit as st

from .. import auth, sessions
from ..i18n import t
from .components import md

SESSION_KEY = "_user"
SEEN_KEY = "_user_seen"
TOKEN_KEY = "_session_token"  # this tab's server-side session (the same one the cookie names)
HANDOFF_KEY = "_session_handoff"  # a nonce the browser still has to exchange for the cookie
CLEAR_KEY = "_session_clear"  # after logout: ask the browser to drop the cookie
NOTICE_KEY = "_session_notice"  # why this tab was signed out (auth.ended | auth.expired), said once


def _lang() -> str:
    return st.session_state.get("f_lang") or "vi"


def message(e: auth.AuthError) -> str:
    return t(f"auth.{e.code}", _lang(), **{k: md(v) for k, v in e.values.items()})


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_user(con) -> auth.User | None:
    """Single sign-on through st.login (OIDC), mapped to the local account named by the email address."""
    if not _sso_configured() or not getattr(st.user, "is_logged_in", False):
        return None
    email = (st.user.get("email") or "").lower()
    user = auth.active_user(con, email)
    if user is None:
        st.error(t("auth.sso_unmapped", _lang(), email=md(email)))
        return None
    auth.audit(con, email, "login", ok=True, method="sso")
    return user


def _route(path: str) -> str:
    """The URL of the server's session route (planboard/ui/serve.py), under server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(p for p in (base, sessions.ROUTE, path) if p)


def _browser_request(path: str) -> None:
    """Have the browser GET the session route (an invisible image): only an HTTP response can set or drop an
    HttpOnly cookie, and Streamlit talks to the browser over a websocket."""
    st.html(f'<img src="{html.escape(_route(path))}" alt="" width="0" height="0" style="display:none">')


def _begin(con, user: auth.User) -> None:
    """This tab is signed in now; the browser gets the session's cookie for its reloads and other tabs."""
    token = sessions.start(con, user.username)
    st.session_state[SESSION_KEY] = user
    st.session_state[SEEN_KEY] = time.time()
    st.session_state[TOKEN_KEY] = token
    st.session_state[HANDOFF_KEY] = sessions.handoff(token)


def _forget() -> None:
    for key in (SESSION_KEY, SEEN_KEY, TOKEN_KEY, HANDOFF_KEY):
        st.session_state.pop(key, None)


def _cookie_token() -> str | None:
    try:
        value = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # no request behind this run (AppTest)
        return None
    return value if isinstance(value, str) else None


def _client() -> str | None:
    """The browser's address, which the sign-in throttle counts failures by. Streamlit's server (uvicorn) takes it
    from X-Forwarded-For only when the connection comes from 127.0.0.1, i.e. a reverse proxy on the same server
    (README); a browser connecting directly is known by its own address, whatever header it writes (measured:
    tests/e2e/test_login_browser.py). None for a loopback browser and where there is none (AppTest)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None


def _login_form(con) -> None:
    lang = _lang()
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(t("auth.title", lang))
        st.caption(t("auth.intro", lang))
        with st.form("login"):
            username = st.text_input(t("auth.username", lang), key="login_username")
            password = st.text_input(t("auth.password", lang), type="password", key="login_password")
            submitted = st.form_submit_button(t("auth.submit", lang), type="primary", icon=":material/login:")
        if submitted:
            try:
                user = auth.login(con, username, password, client=_client())
            except auth.AuthError as e:
                st.error(message(e), icon=":material/lock:")
            else:
                _begin(con, user)
                st.rerun()
        if _sso_configured():
            st.button(t("auth.sso", lang), on_click=st.login, icon=":material/key:")


def signed_in_user() -> auth.User | None:
    """The user signed in to this tab, if any (no check here: app.py's check_session/require_login do that)."""
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, auth.User) else None


def check_session(con) -> auth.User | None:
    """The user of this browser tab, checked now, else None (no output; require_login explains and asks).

    A server-side session is checked at every action: a logout in another tab, a password change, a disabled
    account or the idle limit ends it here, and a role change applies at once. A tab without one (a reload, a
    new tab) takes the session its browser's cookie names."""
    user = st.session_state.get(SESSION_KEY)
    token = st.session_state.get(TOKEN_KEY)
    if isinstance(user, auth.User) and token:
        live = sessions.user_of(con, token)
        if live is None:
            _forget()
            st.session_state[NOTICE_KEY] = "ended"
            return None
    elif isinstance(user, auth.User):  # signed in without a server-side session (single sign-on, tests)
        if time.time() - st.session_state.get(SEEN_KEY, 0) > auth.Settings.from_env().session_minutes * 60:
            _forget()
            st.session_state[NOTICE_KEY] = "expired"
            return None
        live = user
    else:
        token = _cookie_token()
        live = sessions.user_of(con, token)
        if live is None:
            return None
        st.session_state[TOKEN_KEY] = token
    st.session_state[SESSION_KEY] = live
    st.session_state[SEEN_KEY] = time.time()
    return live


def require_login(con) -> auth.User:
    """The signed-in user; otherwise show the login form (or how to create the first admin) and stop the run."""
    lang = _lang()
    user = check_session(con)
    if user is not None:
        return user
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(t(f"auth.{notice}", lang), icon=":material/timer_off:")
    if st.session_state.pop(CLEAR_KEY, False):
        _browser_request("end")
    if auth.user_count(con) == 0:
        st.error(t("auth.no_users", lang), icon=":material/person_off:")
        st.code(t("auth.first_admin_command", lang), language="bash")
        st.stop()
    user = _sso_user(con)
    if user is not None:
        st.session_state[SESSION_KEY] = user
        st.session_state[SEEN_KEY] = time.time()
        return user
    _login_form(con)
    st.stop()


def current_user(con) -> auth.User:
    """The user app.py signed in; a page run on its own (tests) asks for the login itself."""
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, auth.User) else require_login(con)


def require(con, *actions: str) -> auth.User:
    """The signed-in user when they may do every one of `actions`; otherwise 'not allowed' and the run stops (the
    menu hides such a page; a link or a direct run ends here)."""
    user = current_user(con)
    if not all(user.can(a) for a in actions):
        st.error(t("auth.not_allowed", _lang()), icon=":material/block:")
        st.stop()
    return user


def _logout(con) -> None:
    """End the session everywhere (other tabs are signed out at their next action) and drop the cookie."""
    user = st.session_state.get(SESSION_KEY)
    sessions.end(con, st.session_state.get(TOKEN_KEY))
    if isinstance(user, auth.User):
        auth.audit(con, user.username, "logout")
    _forget()
    st.session_state[CLEAR_KEY] = True


def sidebar_account(con, user: auth.User) -> None:
    """Who is signed in, sign-out and change-password, at the foot of the sidebar."""
    lang = _lang()
    sb = st.sidebar
    nonce = st.session_state.get(HANDOFF_KEY)
    if nonce:
        if sessions.pending(nonce):
            with sb:
                _browser_request(nonce)
        else:
            st.session_state.pop(HANDOFF_KEY, None)
    sb.divider()
    sb.markdown(t("auth.signed_in", lang, name=md(user.full_name), role=t(f"auth.roles.{user.role}", lang)))
    with sb.popover(t("auth.change_password", lang), icon=":material/password:"):
        with st.form("change_password", clear_on_submit=True):
            old = st.text_input(t("auth.old_password", lang), type="password")
            new = st.text_input(t("auth.new_password", lang), type="password")
            again = st.text_input(t("auth.new_password_again", lang), type="password")
            if st.form_submit_button(t("auth.change_password", lang)):
                if new != again:
                    st.error(t("auth.password_mismatch", lang))
                else:
                    try:
                        auth.change_password(con, user.username, old, new, keep_session=st.session_state.get(TOKEN_KEY))
                        st.success(t("auth.password_changed", lang))
                    except auth.AuthError as e:
                        st.error(message(e))
    if sb.button(t("auth.logout", lang), icon=":material/logout:", on_click=_logout, args=(con,)):
        if _sso_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
