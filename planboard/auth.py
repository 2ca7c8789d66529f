"""Accounts, roles, password hashing (argon2), sign-in throttling and the audit trail. No Streamlit.

Roles (access-control issue): quan_tri (admin), lanh_dao (leadership), can_bo (unit staff), xem (viewer)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import time
from dataclasses import dataclass

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import db
from .org import Scope, centers

ROLES = ("quan_tri", "lanh_dao", "can_bo", "xem")
MIN_PASSWORD = 8
_hasher = PasswordHasher()
# A real hash to verify against when the account does not exist, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash("planboard-no-such-user")

# Demo accounts exist only in demo databases (README documents them); a real database never has a default password.
DEMO_ACCOUNTS = (
    ("admin", "Quản trị hệ thống", "quan_tri", None, "demo-quantri"),
    ("lanhdao", "Ban Giám đốc (demo)", "lanh_dao", "BGD", "demo-lanhdao"),
    ("canbo", "Cán bộ CTXH (demo)", "can_bo", "CTXH", "demo-canbo"),
    ("xem", "Người xem (demo)", "xem", None, "demo-xem"),
    ("sobl", "Sở LĐ-TB&XH tỉnh Bạc Liêu (demo)", "lanh_dao", None, "demo-sobl"),
)
# The demo accounts' scopes: the administrator every center, the Department its province, the others the Center.
DEMO_SCOPES = {"admin": ("all", None), "sobl": ("province", "BL")}


class AuthError(ValueError):
    """A user-caused account problem; `code` names the locale message (auth.<code>)."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class User:
    username: str
    full_name: str
    role: str
    department: str | None
    scope_kind: str = "all"  # what the account covers (docs/centers.md): 'center', 'province' or 'all'
    scope_code: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.scope_kind, self.scope_code)

    def can(self, action: str) -> bool:
        return can(self.role, action)

    def sees_personal_data_of(self, department: str | None) -> bool:
        """Personal data: admin and leadership see all; unit staff only their unit's records; viewers none."""
        if self.role in ("quan_tri", "lanh_dao"):
            return True
        return self.role == "can_bo" and department is not None and department == self.department

    def may_write_unit(self, department: str | None) -> bool:
        """Imports and edits: admin and leadership any unit; unit staff their own unit only; viewers none."""
        if self.role in ("quan_tri", "lanh_dao"):
            return True
        return self.role == "can_bo" and department == self.department


PERMISSIONS = {
    "view_aggregates": ROLES,
    "view_reports": ROLES,
    "view_records": ("quan_tri", "lanh_dao", "can_bo"),  # rows about one person (planboard.privacy.sees_records)
    "export_records": ("quan_tri", "lanh_dao", "can_bo"),
    "import": ("quan_tri", "lanh_dao", "can_bo"),
    "edit": ("quan_tri", "lanh_dao", "can_bo"),
    "manage_users": ("quan_tri",),
    "manage_centers": ("quan_tri",),
    "sql_console": ("quan_tri",),
    "backups": ("quan_tri",),
    "view_audit": ("quan_tri",),
    # the monthly meeting (docs/meetings.md): leadership holds, freezes and decides; the owner unit's staff report
    "hold_meeting": ("quan_tri", "lanh_dao"),
    "manage_actions": ("quan_tri", "lanh_dao"),
    "report_actions": ("quan_tri", "lanh_dao", "can_bo"),
    "lock_periods": ("quan_tri", "lanh_dao"),
    "unlock_periods": ("quan_tri",),
}


def can(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, ())


@dataclass(frozen=True)
class Settings:
    """max_failed: failed sign-ins in a row, from one client for one name, before each next try must wait;
    lockout_minutes: the longest wait (the wait doubles from 1 second: 1, 2, 4 … up to it)."""

    max_failed: int = 5
    lockout_minutes: int = 15
    session_minutes: int = 480

    @classmethod
    def from_env(cls) -> Settings:
        def num(name: str, default: int) -> int:
            try:
                return max(1, int(os.environ.get(name, default)))
            except ValueError:
                return default

        return cls(
            num("PLANBOARD_MAX_FAILED_LOGINS", 5),
            num("PLANBOARD_LOCKOUT_MINUTES", 15),
            num("PLANBOARD_SESSION_MINUTES", 480),
        )

    def wait_after(self, failures: int) -> float:
        """Seconds before the next try after `failures` failures in a row (0 while under max_failed)."""
        if failures < self.max_failed:
            return 0.0
        return float(min(self.lockout_minutes * 60, 2 ** min(failures - self.max_failed, 30)))


# Failed sign-ins in a row per (client, name typed) live in the table sign_in_failures (count, clock time of the
# last), so every app server of a shared install and a restarted one see the same count. Keyed by client as well as
# name, so someone guessing from one place slows down only there: the account itself is never locked for everyone
# (which made locking a weapon).


def _now() -> dt.datetime:
    return dt.datetime.now()


def _clock() -> float:
    """Seconds since the epoch: wall-clock time, the same on every server reading the table."""
    return time.time()


def _wait_left(con, key: tuple[str, str], settings: Settings) -> float:
    rows = db.query_rows(con, "sign_in_failures_get", client=key[0], username=key[1])
    if not rows:
        return 0.0
    failures, last = rows[0]
    return max(0.0, last + settings.wait_after(failures) - _clock())


def _failed(con, key: tuple[str, str], settings: Settings) -> None:
    now = _clock()
    db.query_rows(con, "sign_in_failures_prune", before=now - settings.lockout_minutes * 60)
    db.query_rows(con, "sign_in_failure_add", client=key[0], username=key[1], at=now)


def forget_failures(con, username: str | None = None, client: str | None = None) -> None:
    """Clear the waits of one account (an administrator reset its password; with `client`, one place after a
    success) or of all."""
    db.query_rows(con, "sign_in_failures_forget", client=client, username=username)


def audit(con: duckdb.DuckDBPyConnection, who: str | None, action: str, ok: bool = True, **detail) -> None:
    """Append one row to the audit trail (who did it, what, whether it succeeded, details as JSON)."""
    with db.cursor(con) as cur:
        audit_in(cur, who, action, ok, **detail)


def audit_in(cur: duckdb.DuckDBPyConnection, who: str | None, action: str, ok: bool = True, **detail) -> None:
    """The audit row written by this cursor, so inside its open transaction: it exists exactly when the change does."""
    detail_json = json.dumps(detail, ensure_ascii=False, default=str) if detail else None
    cur.execute(db.sql("audit_log_insert"), {"username": who, "action": action, "is_ok": ok, "detail": detail_json})


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD or not re.search(r"[A-Za-zÀ-ỹ]", password) or not re.search(r"\d", password):
        raise AuthError("weak_password", n=MIN_PASSWORD)


def user_count(con: duckdb.DuckDBPyConnection) -> int:
    return db.query_rows(con, "user_count")[0][0]


def add_user(
    con,
    username: str,
    full_name: str,
    role: str,
    password: str,
    department: str | None = None,
    by: str | None = None,
    is_demo: bool = False,
    unit_codes: set[str] | None = None,
    scope: Scope | None = None,
) -> User:
    """A new account. `scope`: what it covers; None with a single center is that center (else an error)."""
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9_.-]{3,32}", username):
        raise AuthError("bad_username")
    if role not in ROLES:
        raise AuthError("bad_role", roles=", ".join(ROLES))
    if role == "can_bo" and not department:
        raise AuthError("need_department")
    if department and unit_codes is not None and department not in unit_codes:
        raise AuthError("bad_department", value=department)
    known = centers(con)
    if scope is None:
        if len(known) != 1:
            raise AuthError("need_scope")
        scope = Scope("center", known[0].code)
    if not scope.centers(known):
        raise AuthError("bad_scope", value=scope.code or "")
    if role == "can_bo" and scope.kind != "center":
        raise AuthError("can_bo_one_center")
    if not is_demo:
        check_password_rules(password)
    with db.cursor(con) as cur:
        if cur.execute(db.sql("user_exists"), {"username": username}).fetchone():
            raise AuthError("user_exists", username=username)
        try:
            cur.execute(
                db.sql("user_insert"),
                {
                    "username": username,
                    "full_name": full_name,
                    "role": role,
                    "department": department,
                    "password_hash": _hasher.hash(password),
                    "is_demo": is_demo,
                    "scope_kind": scope.kind,
                    "scope_code": scope.code,
                },
            )
        except duckdb.Error as e:  # another server added the same name between the check and the insert
            if not db.is_duplicate_key(e):
                raise
            raise AuthError("user_exists", username=username) from None
    audit(
        con,
        by,
        "user_add",
        username=username,
        role=role,
        department=department,
        scope=scope.kind,
        scope_code=scope.code,
    )
    return User(username, full_name, role, department, scope.kind, scope.code)


def set_password(con, username: str, password: str, by: str | None = None, keep_session: str | None = None) -> None:
    """Set a password; every signed-in session of the account ends, except `keep_session` (the user's own tab when
    they change their own password)."""
    from . import sessions

    check_password_rules(password)
    found = db.query_rows(con, "user_password_set", username=username, password_hash=_hasher.hash(password))
    if not found:
        raise AuthError("no_user", username=username)
    sessions.end_all(con, username, keep=keep_session)
    forget_failures(con, username)
    audit(con, by, "user_password", username=username)


def set_active(con, username: str, active: bool, by: str | None = None) -> None:
    """Enable or disable an account; disabling ends its signed-in sessions."""
    from . import sessions

    found = db.query_rows(con, "user_active_set", username=username, is_active=active)
    if not found:
        raise AuthError("no_user", username=username)
    if not active:
        sessions.end_all(con, username)
    audit(con, by, "user_enable" if active else "user_disable", username=username)


def set_role(con, username: str, role: str, department: str | None, by: str | None = None) -> None:
    if role not in ROLES:
        raise AuthError("bad_role", roles=", ".join(ROLES))
    if role == "can_bo" and not department:
        raise AuthError("need_department")
    found = db.query_rows(con, "user_role_set", username=username, role=role, department=department)
    if not found:
        raise AuthError("no_user", username=username)
    audit(con, by, "user_role", username=username, role=role, department=department)


def active_user(con, username: str) -> User | None:
    """The account `username` as a User, if it exists and is enabled (a session's or a single sign-on's user)."""
    rows = db.query_rows(con, "active_user", username=username)
    return User(*rows[0]) if rows else None


def login(con, username: str, password: str, settings: Settings | None = None, client: str | None = None) -> User:
    """The user when the password is right; AuthError('bad_login' | 'throttled' | 'disabled') otherwise.

    client: where the attempt comes from (the browser's address). After settings.max_failed failures in a row from
    one client for one name, each next try from there must wait (Settings.wait_after); an unknown name is answered
    exactly as a known one with a wrong password, throttle included, so the answers never tell which accounts exist.
    Every attempt is audited; a name that is no account is not stored (people type their password into it)."""
    settings = settings or Settings.from_env()
    username = (username or "").strip().lower()
    key = (client or "", username)
    rows = db.query_rows(con, "user_credentials", username=username)
    row = rows[0] if rows else None
    who = row[0] if row else None
    if (wait := _wait_left(con, key, settings)) > 0:
        audit(con, who, "login", ok=False, reason="throttled" if row else "throttled_unknown_user")
        raise AuthError("throttled", seconds=math.ceil(wait))
    try:  # an unknown name is checked against a real hash too, so timing does not tell it apart
        _hasher.verify(row[4] if row else _DUMMY_HASH, password or "")
        right = row is not None
    except (VerificationError, InvalidHashError):
        right = False
    if not right:
        _failed(con, key, settings)
        audit(con, who, "login", ok=False, reason="bad_password" if row else "unknown_user")
        raise AuthError("bad_login")
    name, full_name, role, department, pw_hash, active, scope_kind, scope_code = row
    if not active:  # said only to whoever knows the password
        audit(con, name, "login", ok=False, reason="disabled")
        raise AuthError("disabled")
    rehashed = _hasher.hash(password) if _hasher.check_needs_rehash(pw_hash) else None
    db.query_rows(con, "user_signed_in", username=name, password_hash=rehashed)
    forget_failures(con, name, key[0])
    audit(con, name, "login", ok=True)
    return User(name, full_name, role, department, scope_kind, scope_code)


def change_password(con, username: str, old: str, new: str, keep_session: str | None = None) -> None:
    rows = db.query_rows(con, "user_credentials", username=username)
    try:
        if not rows:
            raise VerificationError
        _hasher.verify(rows[0][4], old)
    except (VerificationError, InvalidHashError):
        audit(con, username, "password_change", ok=False)
        raise AuthError("bad_old_password") from None
    set_password(con, username, new, by=username, keep_session=keep_session)


def ensure_demo_accounts(con) -> None:
    """The demo database's one account per role (README lists them). Never called for a real database."""
    for username, full_name, role, department, password in DEMO_ACCOUNTS:
        if not db.query_rows(con, "user_exists", username=username):
            kind, code = DEMO_SCOPES.get(username, ("center", "BTXH_BL"))
            add_user(
                con, username, full_name, role, password, department, by="demo", is_demo=True, scope=Scope(kind, code)
            )
