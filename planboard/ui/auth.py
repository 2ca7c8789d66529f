"""Login before any data is shown: the form, session expiry, logout and password change in the sidebar."""

from __future__ import annotations

import time

import streamlit as st

from .. import auth
from ..i18n import t

SESSION_KEY = "_user"
SEEN_KEY = "_user_seen"


def _lang() -> str:
    return st.session_state.get("f_lang") or "vi"


def _message(e: auth.AuthError) -> str:
    return t(f"auth.{e.code}", _lang(), **e.values)


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
    cur = con.cursor()
    try:
        row = cur.execute("select username, full_name, role, department, scope_kind, scope_code from users "
                          "where username = $u "
                          "and is_active", {"u": email}).fetchone()
    finally:
        cur.close()
    if row is None:
        st.error(t("auth.sso_unmapped", _lang(), email=email))
        return None
    auth.audit(con, email, "login", ok=True, method="sso")
    return auth.User(*row)


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
                user = auth.login(con, username, password)
            except auth.AuthError as e:
                st.error(_message(e), icon=":material/lock:")
            else:
                st.session_state[SESSION_KEY] = user
                st.session_state[SEEN_KEY] = time.time()
                st.rerun()
        if _sso_configured():
            st.button(t("auth.sso", lang), on_click=st.login, icon=":material/key:")


def signed_in_user() -> auth.User | None:
    """The user signed in to this session, if any (no check of expiry here; require_login does that)."""
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, auth.User) else None


def require_login(con) -> auth.User:
    """The signed-in user; otherwise show the login form (or how to create the first admin) and stop the run."""
    lang = _lang()
    user = st.session_state.get(SESSION_KEY)
    settings = auth.Settings.from_env()
    if isinstance(user, auth.User):
        if time.time() - st.session_state.get(SEEN_KEY, 0) > settings.session_minutes * 60:
            st.session_state.pop(SESSION_KEY, None)
            st.warning(t("auth.expired", lang), icon=":material/timer_off:")
        else:
            st.session_state[SEEN_KEY] = time.time()
            return user
    if auth.user_count(con) == 0:
        st.error(t("auth.no_users", lang), icon=":material/person_off:")
        st.code("python -m planboard user add --role quan_tri --name \"Họ và tên\" TEN_DANG_NHAP", language="bash")
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


def _logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(SEEN_KEY, None)


def sidebar_account(con, user: auth.User) -> None:
    """Who is signed in, sign-out and change-password, at the foot of the sidebar."""
    lang = _lang()
    sb = st.sidebar
    sb.divider()
    sb.markdown(t("auth.signed_in", lang, name=user.full_name, role=t(f"auth.roles.{user.role}", lang)))
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
                        auth.change_password(con, user.username, old, new)
                        st.success(t("auth.password_changed", lang))
                    except auth.AuthError as e:
                        st.error(_message(e))
    if sb.button(t("auth.logout", lang), icon=":material/logout:", on_click=_logout):
        if _sso_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
