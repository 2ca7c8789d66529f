"""Cơ sở (admin): the centers and their provinces — list, add, rename — inside the administrator's scope; every
change (and every refused one) in the audit trail."""

import pandas as pd
import streamlit as st

from planboard import auth, labels, org
from planboard.ui import auth as auth_ui
from planboard.ui import components, data, filters

plan = data.plan()
f = filters.current(plan)
con = data.connection()
me = auth_ui.require(con, "manage_centers")
tr = f.tr

st.title(tr("centers_admin.title"))
mine = me.scope.centers(data.centers())
plans = data.planset()


def save(action: str, code: str, name: str, province_code: str, province_name: str, is_demo: bool = False) -> None:
    """Save through org.save_center inside the administrator's scope; a clear message either way, audited."""
    code, province_code = code.strip().upper(), province_code.strip().upper()
    try:
        if not me.scope.covers(org.Center(code, name, province_code, province_name)):
            raise org.OrgError("centers_admin.out_of_scope", code=code, province=province_code)
        saved = org.save_center(con, code, name, province_code, province_name, is_demo, new=action == "center_add")
    except org.OrgError as e:
        auth.audit(con, me.username, action, ok=False, center=code, reason=str(e))
        st.error(e.text(f.lang), icon=":material/error:")
        return
    auth.audit(con, me.username, action, center=saved.code, name=saved.name, province=saved.province_code)
    st.success(
        tr(
            "org.center_saved",
            code=saved.code,
            name=saved.name,
            province_name=saved.province_name,
            province_code=saved.province_code,
        ),
        icon=":material/check_circle:",
    )
    if not plans.years([saved.code]):
        st.info(tr("centers_admin.plan_hint", code=saved.code), icon=":material/info:")


add_box, rename_box = st.columns(2, gap="large")
with add_box, st.form("center_add", clear_on_submit=False, border=True):
    st.subheader(tr("centers_admin.add_title"))
    new_code = st.text_input(tr("centers_admin.field_code"), help=tr("centers_admin.field_code_help"), max_chars=20)
    new_name = st.text_input(tr("centers_admin.field_name"))
    first = mine[0] if mine else None
    new_province = st.text_input(tr("centers_admin.field_province_code"), value=first.province_code if first else "")
    new_province_name = st.text_input(
        tr("centers_admin.field_province_name"), value=first.province_name if first else ""
    )
    if st.form_submit_button(tr("centers_admin.add"), type="primary"):
        existing = {c.code: c for c in data.centers()}.get(new_code.strip().upper())
        if existing is not None:
            auth.audit(con, me.username, "center_add", ok=False, center=existing.code, reason="exists")
            st.error(tr("centers_admin.exists", code=existing.code, name=existing.name), icon=":material/error:")
        else:
            save("center_add", new_code, new_name, new_province, new_province_name)

mine = me.scope.centers(data.centers())  # again: a center just added shows at once (a save is a new version)
with rename_box:
    if mine:
        with st.form("center_rename", border=True):
            st.subheader(tr("centers_admin.rename_title"))
            choices = {c.code: f"{c.code} — {c.name}" for c in mine}
            picked = st.selectbox(
                tr("centers_admin.pick"), list(choices), format_func=choices.get, key="center_rename_pick"
            )
            renamed = st.text_input(tr("centers_admin.field_new_name"))
            if st.form_submit_button(tr("centers_admin.rename"), type="primary"):
                old = next(c for c in mine if c.code == picked)
                save("center_rename", old.code, renamed, old.province_code, old.province_name, old.is_demo)

mine = me.scope.centers(data.centers())  # and again after a rename
st.subheader(tr("centers_admin.list", n=len(mine)))
if not mine:
    st.info(tr("centers_admin.none"), icon=":material/info:")
else:
    components.table(
        pd.DataFrame(
            {
                tr("centers_admin.col_code"): [c.code for c in mine],
                tr("centers_admin.col_name"): [c.name for c in mine],
                tr("centers_admin.col_province_code"): [c.province_code for c in mine],
                tr("centers_admin.col_province"): [c.province_name for c in mine],
                tr("centers_admin.col_years"): [", ".join(map(str, plans.years([c.code]))) or "–" for c in mine],
                tr("centers_admin.col_demo"): [labels.yes_no(c.is_demo, f.lang) for c in mine],
            }
        ),
        f.lang,
        plain=[tr("centers_admin.col_code"), tr("centers_admin.col_province_code")],
        max_rows=None,
    )
