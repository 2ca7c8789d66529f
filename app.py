"""Entry: page config, login, shared filters, navigation over pages/ — nothing else."""

import os
from pathlib import Path

import streamlit as st

from planboard.i18n import t
from planboard.org import OrgError
from planboard.plan import PlanError
from planboard.ui import auth, data, filters, store, streamlit_text

# The icon is a file of the repository (sent inline): a ":material/...:" icon would be fetched from fonts.gstatic.com,
# which an offline center cannot reach (tests/e2e/test_offline_browser.py).
ICON = Path(__file__).resolve().parent / "planboard" / "ui" / "static" / "icon.svg"
st.set_page_config(page_title=t("app.page_title", filters.language_before_plan()), page_icon=str(ICON), layout="wide")

# A shared store lost while the app runs (PostgreSQL stopped) is said in words; the next load recovers.
with store.guard():
    filters.seed_scope_from_url()
    try:
        plan = data.plan()
    except (PlanError, OrgError) as e:  # a broken plan file or no center to show: say why, never a traceback
        lang = filters.language_before_plan()
        message = e.text(lang)
        st.error(t("app.error_plan", lang, message=message), icon=":material/error:")
        st.stop()
    con = data.connection()
    lang = filters.language(plan)
    streamlit_text.install(lang)  # Streamlit's own English words ("Upload", "Select all"...) in the interface language
    user = auth.check_session(con)  # before the menu: a reload restores the session from its cookie

    def page(path: str, key: str, icon: str, url_path: str | None = None, **kw) -> st.Page:
        return st.Page(path, title=t(f"page.{key}", lang), icon=f":material/{icon}:", url_path=url_path, **kw)

    pages = {
        t("nav.leadership", lang): [
            page("pages/overview.py", "overview", "dashboard", default=True),
            page("pages/activities.py", "activities", "checklist", "theo-hoat-dong"),
            page("pages/units.py", "units", "groups", "theo-bo-phan"),
            page("pages/quarters.py", "quarters", "calendar_month", "theo-quy"),
            page("pages/indicators.py", "indicators", "table_chart", "chi-tieu"),
            page("pages/meetings.py", "meetings", "event_available", "giao-ban"),
        ],
        t("nav.reports", lang): [page("pages/reports.py", "reports", "description", "bao-cao")],
    }
    # Above one center: the province's comparison of its centers; with plans of several years: year over year.
    mine = [c.code for c in (user.scope if user else data.user_scope()).centers(data.centers())]
    if user is None or len(mine) > 1:
        pages[t("nav.leadership", lang)].append(page("pages/compare.py", "compare", "compare_arrows", "so-sanh-co-so"))
    if user is None or len(data.planset().years(mine)) > 1:
        pages[t("nav.leadership", lang)].append(page("pages/years.py", "years", "timeline", "qua-cac-nam"))
    if user is None or user.can("import"):
        pages[t("nav.data", lang)] = [page("pages/import.py", "import", "upload_file", "nhap-du-lieu")]
    registers = [
        page("pages/requests.py", "requests", "gavel", "yeu-cau"),
        page("pages/events.py", "events", "event_note", "hoat-dong"),
        page("pages/people.py", "people", "elderly", "nguoi-cao-tuoi-nhan-su"),
        page("pages/explore.py", "explore", "query_stats", "kham-pha"),
    ]
    # The SQL console: administrators only, and only where the server enables it (PLANBOARD_SQL_CONSOLE=1).
    if os.environ.get("PLANBOARD_SQL_CONSOLE") == "1" and (user is None or user.can("sql_console")):
        registers.append(page("pages/sql.py", "sql", "terminal", "sql"))
    pages[t("nav.registers", lang)] = registers
    if user is None or user.can("manage_users"):
        pages[t("nav.admin", lang)] = [page("pages/users.py", "users", "manage_accounts", "tai-khoan")]
    if user is None or user.can("manage_centers"):
        pages.setdefault(t("nav.admin", lang), []).append(page("pages/centers.py", "centers", "domain", "co-so"))

    # Pages are registered before the login so a deep link survives signing in; the menu shows only afterwards.
    UNSCOPED = {"nhap-du-lieu", "tai-khoan", "sql"}  # pages the shared unit filter does not narrow
    nav = st.navigation(pages, position="sidebar" if user else "hidden", expanded=True)  # no English "View N more"
    user = auth.require_login(con)
    view = data.view()  # resolved again now that the reader's scope is known
    plan = view.plan
    f = filters.sidebar(plan, view, data.centers(), user.scope, data.planset().years(list(view.centers)))
    auth.sidebar_account(con, user)
    st.session_state["_filters"] = f
    if nav.url_path not in UNSCOPED:
        filters.active_chips(f, plan)
    try:
        nav.run()
    finally:
        st.session_state.pop("_filters", None)
