"""Server-side sessions: what keeps a user signed in across reloads and tabs of one browser. No Streamlit.

The browser holds a random token in a cookie (HttpOnly, Secure, SameSite=Strict, set by the server's route in
planboard/ui/serve.py); the `sessions` table holds only the token's SHA-256, the user and when the session was
created and last used. A session ends at logout, at a password change, when the account is disabled, or after
PLANBOARD_SESSION_MINUTES without use. The user is read from `users` at every use, so a role change or a
disabled account applies at the user's next action.

An HttpOnly cookie can only be set by an HTTP response, not over Streamlit's websocket: after the login form
succeeds the app hands the token to the browser through a one-time, 60-second nonce (`handoff`) that the
browser redeems at the server's route, which answers with the cookie (`redeem`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time

from . import auth, db

COOKIE = "planboard_session"
ROUTE = "_planboard/session"  # GET {ROUTE}/{nonce}: set the cookie; GET {ROUTE}/end: clear it
TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most once a minute per session
HANDOFF_SECONDS = 60

_handoffs: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(con, username: str, now: dt.datetime | None = None) -> str:
    """A new session for `username`; returns the token (only the browser keeps it). Expired rows go."""
    now = now or auth._now()
    token = secrets.token_urlsafe(32)
    idle = dt.timedelta(minutes=auth.Settings.from_env().session_minutes)
    with db.cursor(con) as cur:
        cur.execute(db.sql("sessions_expire"), {"cut": now - idle})
        cur.execute(db.sql("session_start"), {"token_hash": _digest(token), "username": username, "now": now})
    return token


def user_of(con, token: str | None, now: dt.datetime | None = None) -> auth.User | None:
    """The user of a live session (and the session marked as used), else None: unknown, ended or expired token,
    or a disabled account."""
    if not isinstance(token, str) or not token:
        return None
    now = now or auth._now()
    idle = dt.timedelta(minutes=auth.Settings.from_env().session_minutes)
    with db.cursor(con) as cur:
        row = cur.execute(db.sql("session_get"), {"token_hash": _digest(token)}).fetchone()
        if row is None:
            return None
        username, last_seen = row
        if last_seen < now - idle:
            cur.execute(db.sql("session_end"), {"token_hash": _digest(token)})
            return None
        if now - last_seen >= TOUCH_EVERY:
            cur.execute(db.sql("session_touch"), {"token_hash": _digest(token), "now": now})
    return auth.active_user(con, username)


def end(con, token: str | None) -> None:
    """End one session (logout)."""
    if not token:
        return
    db.query_rows(con, "session_end", token_hash=_digest(token))


def end_all(con, username: str, keep: str | None = None) -> int:
    """End every session of `username` except the one holding `keep` (password change, disabled account);
    returns how many ended."""
    return len(db.query_rows(con, "sessions_end_all", username=username, keep_hash=_digest(keep) if keep else ""))


def handoff(token: str) -> str:
    """A one-time nonce that the browser exchanges for the session cookie (see the module's docstring)."""
    nonce = secrets.token_urlsafe(32)
    with _lock:
        cutoff = time.monotonic()
        for n in [n for n, (_, until) in _handoffs.items() if until < cutoff]:
            del _handoffs[n]
        _handoffs[nonce] = (token, time.monotonic() + HANDOFF_SECONDS)
    return nonce


def pending(nonce: str) -> bool:
    """Whether the browser has not yet redeemed `nonce` (and it has not expired)."""
    with _lock:
        entry = _handoffs.get(nonce)
    return entry is not None and entry[1] >= time.monotonic()


def redeem(nonce: str) -> str | None:
    """The token behind `nonce`, once; None when unknown, used or older than HANDOFF_SECONDS."""
    with _lock:
        entry = _handoffs.pop(nonce, None)
    if entry is None or entry[1] < time.monotonic():
        return None
    return entry[0]
