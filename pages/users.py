"""Tài khoản & nhật ký (admin): accounts — add, reset password, disable/enable, change role — and the audit trail."""

import pandas as pd
import streamlit as st

from planboard import auth, labels, org
from planboard.ui import auth as auth_ui
from planboard.ui import components, data, exporting, filters

plan = data.plan()
f = filters.current(plan)
con = data.connection()
me = auth_ui.require(con, "manage_users")
tr = f.tr

st.title(tr("users.title"))
roles = list(auth.ROLES)
role_label = {r: tr(f"auth.roles.{r}") for r in roles}
units = [""] + [u.code for u in plan.units]
unit_label = {"": tr("users.all_units"), **{u.code: labels.unit_name(plan, u.code, f.lang) for u in plan.units}}


def run(action, *args, ok_key: str, **kw) -> None:
    try:
        action(con, *args, by=me.username, **kw)
    except auth.AuthError as e:
        st.error(auth_ui.message(e), icon=":material/error:")
    else:
        st.success(tr(ok_key), icon=":material/check_circle:")


ACTIONS = (
    "login",
    "logout",
    "password_change",
    "import",
    "edit",
    "export_personal",
    "user_add",
    "user_password",
    "user_role",
    "user_disable",
    "user_enable",
)


def _yes(value) -> str:
    return labels.yes_no(value, f.lang)


def _action(code: str) -> str:
    return tr(f"users.action_{code}") if code in ACTIONS else code


# An administrator sees and manages the accounts inside their own scope only (a center's, a province's, every one).
known = data.centers()
everyone = data.query("users_list")
scopes = [
    org.Scope(k, None if k == "all" else c) for k, c in zip(everyone["scope_kind"], everyone["scope_code"], strict=True)
]
inside = pd.Series([org.within(sc, me.scope, known) for sc in scopes], index=everyone.index, dtype=bool)
accounts = everyone[inside].reset_index(drop=True)
scope_of = dict(zip(everyone["username"], scopes, strict=True))
st.subheader(tr("users.accounts", n=len(accounts)))
# An account without a unit works for the whole Center; flags read as words, times dd/mm/yyyy HH:mm, no "None".
components.table(
    pd.DataFrame(
        {
            tr("users.col_username"): accounts["username"],
            tr("users.col_name"): accounts["full_name"],
            tr("users.col_role"): accounts["role"].map(role_label),
            tr("users.col_scope"): [scope_of[u].label(known) for u in accounts["username"]],
            tr("users.col_unit"): [
                unit_label[""] if pd.isna(u) or not u else unit_label.get(u, u) for u in accounts["department"]
            ],
            tr("users.col_active"): accounts["is_active"].map(_yes),
            tr("users.col_demo"): accounts["is_demo"].map(_yes),
            tr("users.col_created"): accounts["created_at"],
            tr("users.col_updated"): accounts["updated_at"],
        }
    ),
    f.lang,
)

add_tab, manage_tab = st.tabs([tr("users.add"), tr("users.manage")])
with add_tab, st.form("add_user", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input(tr("users.col_username"))
    full_name = c2.text_input(tr("users.col_name"))
    role = c1.selectbox(tr("users.col_role"), roles, format_func=role_label.get)
    unit = c2.selectbox(tr("users.col_unit"), units, format_func=unit_label.get)
    choices = filters.scope_choices(known, me.scope, f.lang)  # the new account's scope: inside the admin's own
    if me.scope.kind == "all":
        choices = {"all:": org.Scope().label(known), **choices}
    default = f"center:{f.view.center}" if f.view is not None and f.view.center else next(iter(choices))
    scope_pick = c1.selectbox(
        tr("users.col_scope"), list(choices), index=list(choices).index(default), format_func=choices.get
    )
    password = c2.text_input(tr("auth.password"), type="password", help=tr("users.password_help"))
    if st.form_submit_button(tr("users.add"), type="primary", icon=":material/person_add:"):
        kind, _, code = scope_pick.partition(":")
        run(
            auth.add_user,
            username,
            full_name or username,
            role,
            password,
            unit or None,
            ok_key="users.added",
            unit_codes={u.code for u in plan.units},
            scope=org.Scope(kind, code or None),
        )

with manage_tab:
    names = accounts["username"].tolist()
    if not names:
        st.info(tr("users.none"))
    else:
        who = st.selectbox(tr("users.col_username"), names)
        c1, c2, c3 = st.columns(3)
        with c1.form("reset", clear_on_submit=True):
            new = st.text_input(tr("auth.new_password"), type="password")
            if st.form_submit_button(tr("users.reset"), icon=":material/lock_reset:"):
                run(auth.set_password, who, new, ok_key="users.done")
        with c2.form("role"):
            new_role = st.selectbox(tr("users.col_role"), roles, format_func=role_label.get)
            new_unit = st.selectbox(tr("users.col_unit"), units, format_func=unit_label.get)
            if st.form_submit_button(tr("users.set_role"), icon=":material/badge:"):
                run(auth.set_role, who, new_role, new_unit or None, ok_key="users.done")
        with c3:
            if st.button(tr("users.disable"), icon=":material/person_off:", disabled=who == me.username):
                run(auth.set_active, who, False, ok_key="users.done")
            if st.button(tr("users.enable"), icon=":material/lock_open:"):
                run(auth.set_active, who, True, ok_key="users.done")

st.subheader(tr("users.audit"))
action = st.selectbox(
    tr("users.audit_action"),
    [None, *ACTIONS],
    format_func=lambda a: tr("users.all_actions") if a is None else _action(a),
)
log = data.query("audit_log_recent", action=action, row_limit=5000)
if me.scope.kind != "all":  # the trail of the accounts inside the admin's scope only
    log = log[log["username"].isin(set(accounts["username"]))]
log = pd.DataFrame(
    {
        tr("users.col_when"): log["logged_at"],
        tr("users.col_username"): log["username"],
        tr("users.col_action"): log["action"].map(_action),
        tr("users.col_ok"): log["is_ok"].map(_yes),
        tr("users.col_detail"): log["detail"],
    }
)
components.table(log, f.lang)
exporting.download_buttons(log, "nhat-ky-kiem-toan", f.lang, title=tr("users.audit"), key="audit")
