"""Cached data access for pages: one connection per process, results cached per data version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import auth, db, demo, explore, kpis, org, reports, rollup, yoy
from ..i18n import t
from ..periods import today_vn
from ..plan import DEMO_PLANS_DIR, Plan, PlanSet, load_plan, load_plans, plans_dir
from ..reports import brief as brief_mod
from ..reports import settings as report_settings


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    fresh = not db.exists(path)
    con = db.connect(path)
    if fresh:  # first start: the app opens on the demo province, with its documented demo accounts
        demo.fill_province(con)
        auth.ensure_demo_accounts(con)
    return con


def connection():
    """The process's DuckDB connection (path from $PLANBOARD_DB, else data/planboard.duckdb). A database another
    process holds, or a full disk at the schema step, is said in words and the run stops (no traceback)."""
    try:
        return _connection(str(db.db_path()))
    except db.DatabaseBusy:
        key = "app.error_db_busy"
    except db.DatabaseUnavailable as e:
        st.error(e.text(st.session_state.get("f_lang") or "vi"), icon=":material/error:")
        st.stop()
    except Exception as e:
        if not db.is_disk_full(e):
            raise
        key = "app.error_disk_full"
    st.error(t(key, st.session_state.get("f_lang") or "vi"), icon=":material/error:")
    st.stop()


@st.cache_resource(show_spinner=False)
def _planset(folder: str, include_demo: bool, known: tuple[str, ...], stamp: tuple) -> PlanSet:
    plans = load_plans(folder, include_demo=include_demo)
    plans.check_centers(set(known))
    return plans


def _stamp(folder: Path, include_demo: bool) -> tuple:
    """The plan files and their modification times: a changed or added plan file is read again."""
    folders = [folder, DEMO_PLANS_DIR] if include_demo else [folder]
    return tuple(sorted((str(f), f.stat().st_mtime_ns) for d in folders for f in d.glob("*.toml")))


def planset() -> PlanSet:
    """Every plan of the installation (PlanError for a broken or conflicting file, which app.py shows)."""
    memo = _this_run()
    if "planset" not in memo:
        known = centers()
        include_demo = any(c.is_demo for c in known)
        folder = plans_dir()
        memo["planset"] = _planset(
            str(folder), include_demo, tuple(c.code for c in known), _stamp(folder, include_demo)
        )
    return memo["planset"]


@st.cache_data(show_spinner=False, max_entries=16)
def _centers(db_key: str, version: int) -> list[org.Center]:
    return org.centers(connection())


def centers() -> list[org.Center]:
    """Every center of the database (cached per data version, once per run)."""
    memo = _this_run()
    if "centers" not in memo:
        memo["centers"] = _centers(str(db.db_path()), version())
    return list(memo["centers"])


def user_scope() -> org.Scope:
    """What the signed-in user may see (everything before the sign-in: nothing is shown then)."""
    user = st.session_state.get("_user")
    return user.scope if user is not None else org.Scope()


def view() -> org.View:
    """The center or roll-up this run shows, inside the reader's scope: from the sidebar's choice (seeded from the
    URL's center=, province=, year=)."""
    choice = st.session_state.get("f_scope") or ""
    kind, _, code = choice.partition(":")
    year, scope = st.session_state.get("f_year"), user_scope()
    memo = _this_run()
    key = ("view", choice, year, scope)
    if key not in memo:  # once per run for the same choice, year and reader (the sign-in changes the reader)
        memo[key] = org.resolve_view(
            centers(),
            planset(),
            scope,
            center=code if kind == "center" else None,
            province=code if kind == "province" else None,
            everything=kind == "all",
            year=year,
        )
    return memo[key]


def view_label(v: org.View | None = None) -> str:
    """The view in words: its center's name, 'Tỉnh …' for a province's roll-up, 'Tất cả cơ sở' for everything."""
    v = v or view()
    if v.center is not None:
        return org.Scope("center", v.center).label(centers())
    return org.Scope("province", v.province).label(centers()) if v.province else org.Scope().label(centers())


def plan() -> Plan:
    """The plan of the view (a roll-up: the first center's, which names activities and indicators)."""
    return view().plan


def _this_run() -> dict:
    """A dict that lives for one script run and this process's write count: what a page asks many times in a run
    (the data version, the centers, the plans, the view: 10-25 times each) is worked out once. Kept on the run's
    ScriptRunContext with the run's own `cursors` dict, which Streamlit makes anew at the start of every run
    (ScriptRunContext.reset), and with db.COUNTS' writes, so the next run, or a write by this process (an import,
    a center added), works it out again. Outside a script run: a new dict each time (nothing kept)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return {}
    writes = db.COUNTS["writes"]
    held = getattr(ctx, "_planboard_run", None)
    if held is None or held[0] is not ctx.cursors or held[1] != writes:
        held = (ctx.cursors, writes, {})
        ctx._planboard_run = held
    return held[2]


def version() -> int:
    """The data version: every import or edit bumps it, so cached results below are recomputed at once. Read once
    per script run (_this_run; in the shared mode each read is a PostgreSQL round trip, 50-75 ms measured, and a
    page asks ~20 times). Another process's write shows at the next run."""
    memo = _this_run()
    if "version" not in memo:
        memo["version"] = db.data_version(connection())
    return memo["version"]


class _Moved(Exception):
    """The data changed between reading the version and computing: not cached under the old version."""


@st.cache_data(show_spinner=False, max_entries=256)
def _rollup_many(
    db_key: str,
    version: int,
    centers_: tuple[str, ...],
    year: int,
    plan_files: tuple[str, ...],
    dates: tuple[dt.date, ...],
    department: str | None,
) -> dict[dt.date, rollup.Rollup]:
    plans = planset().for_centers(list(centers_), year)
    with db.snapshot(connection()) as snap:
        if snap.version != version:
            raise _Moved
        return rollup.compute_many(snap, plans, list(dates), department)


def rollups(
    dates: list[dt.date], department: str | None = None, plans: dict[str, Plan] | None = None
) -> dict[dt.date, rollup.Rollup]:
    """The view's indicators (its center's, or rolled up) at many dates, each center's beside them; one snapshot,
    cached under that snapshot's data version. `plans` ({center: its plan of one year}) replaces the view's centers
    and year, e.g. a meeting of another plan year than the one shown."""
    if plans is None:
        v = view()
        centers_, year, plans = v.centers, v.year, v.plans
    else:
        centers_, year = tuple(plans), next(iter(plans.values())).year
    for _ in range(5):
        try:
            return _rollup_many(
                str(db.db_path()),
                version(),
                centers_,
                year,
                tuple(p.path for p in plans.values()),
                tuple(dates),
                department,
            )
        except _Moved:
            continue
    with db.snapshot(connection()) as snap:  # writes keep coming: compute uncached, still from one snapshot
        return rollup.compute_many(snap, plans, list(dates), department)


def rollup_at(as_of: dt.date, department: str | None = None, plans: dict[str, Plan] | None = None) -> rollup.Rollup:
    """The view's roll-up at one date (or that of `plans`: see rollups)."""
    return next(iter(rollups([as_of], department, plans).values()))


@st.cache_data(show_spinner=False, max_entries=64)
def _year_over_year(
    db_key: str,
    version: int,
    centers_: tuple[str, ...],
    code: str,
    as_of: dt.date,
    department: str | None,
    until: dt.date,
    plan_files: tuple[str, ...],
) -> yoy.Comparison:
    with db.snapshot(connection()) as snap:
        if snap.version != version:
            raise _Moved
        return yoy.compare(snap, planset(), centers_, code, as_of, department, until)


def year_over_year(code: str, as_of: dt.date, department: str | None = None) -> yoy.Comparison:
    """The view's indicator `code` at the same day of each plan year and each year's month ends up to today
    (cached under the data version, like the roll-ups)."""
    v, plans = view(), planset()
    until = today_vn()
    files = tuple(sorted(p.path for p in plans.plans))
    for _ in range(5):
        try:
            return _year_over_year(str(db.db_path()), version(), v.centers, code, as_of, department, until, files)
        except _Moved:
            continue
    return yoy.compare(connection(), plans, v.centers, code, as_of, department, until)


def indicators(as_of: dt.date, department: str | None = None) -> list[kpis.Result]:
    """All indicators of the view at as_of (a roll-up's rolled-up results)."""
    return rollup_at(as_of, department).results


def indicators_many(dates: list[dt.date], department: str | None = None) -> dict[dt.date, list[kpis.Result]]:
    """All indicators of the view at many dates, one query per indicator."""
    return {d: r.results for d, r in rollups(dates, department).items()}


@st.cache_data(show_spinner=False, max_entries=256)
def _query(db_key: str, version: int, name: str, params: tuple):
    return db.query(connection(), name, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


def query(name: str, **params):
    """A named query's result as a DataFrame (cached per data version). Lists in params become tuples for hashing.
    A query that takes `$centers` gets the view's centers unless the caller names them: no page can forget the
    reader's scope."""
    if "centers" in db.params_of(name) and "centers" not in params:
        params["centers"] = list(view().centers)
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _query(str(db.db_path()), version(), name, frozen)


# --- what pages build from the data, cached here rather than in each page -------------------------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def _explore(db_key: str, version: int, spec: explore.Spec) -> pd.DataFrame:
    return explore.run(connection(), spec)


def explore_run(spec: explore.Spec) -> pd.DataFrame:
    """An explore grouping (cached per data version)."""
    return _explore(str(db.db_path()), version(), spec)


@st.cache_data(show_spinner=False)
def _template_xlsx(plan_path: str, lang: str) -> bytes:
    from .. import templates  # openpyxl and the importer load on the import page only

    return templates.workbook_bytes(load_plan(plan_path), lang)


@st.cache_data(show_spinner=False)
def _template_csv(plan_path: str) -> bytes:
    from .. import templates

    return templates.csv_zip(load_plan(plan_path))


def template_xlsx(plan: Plan, lang: str) -> bytes:
    """The import workbook of the plan, in the interface language (cached per plan file)."""
    return _template_xlsx(plan.path, lang)


def template_csv(plan: Plan) -> bytes:
    """The import CSV files of the plan, zipped (cached per plan file)."""
    return _template_csv(plan.path)


def report_plans(centers: tuple[str, ...], year: int) -> dict[str, Plan]:
    """{center: its plan of the year} for a report of one center or a roll-up."""
    return planset().for_centers(list(centers), year)


@st.cache_data(show_spinner=False, max_entries=32)
def brief(
    version: int,
    centers: tuple[str, ...],
    year: int,
    label: str | None,
    kind: str,
    as_of: dt.date,
    unit: str | None,
    lang: str,
    scope: org.Scope | None = None,
    since: int | None = None,
) -> brief_mod.Brief:
    """The meeting brief of one center or a roll-up (`label` names it), cached per data version and per the meeting it
    compares with (`since`, its id: a freeze changes no data version); `scope`: whose meetings (a province's)."""
    plans = report_plans(centers, year)
    first = plans[centers[0]]
    return brief_mod.build(
        connection(),
        first,
        reports.report_period(first, kind, as_of),
        unit,
        lang,
        center=centers[0],
        plans=plans,
        scope_label=label,
        scope=scope,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def report_file(
    version: int,
    centers: tuple[str, ...],
    year: int,
    label: str | None,
    kind: str,
    as_of: dt.date,
    unit: str | None,
    fmt_: str,
    settings: tuple,
    issued_on: dt.date,
    personal: bool | tuple[str, ...],
) -> bytes:
    """A report file (.docx, .xlsx, .md) of one center or a roll-up, cached per data version. It runs on Streamlit's
    download thread: everything it needs comes in as arguments, nothing from the session."""
    plans = report_plans(centers, year)
    first = plans[centers[0]]
    period = reports.report_period(first, kind, as_of)
    return reports.render(
        connection(),
        first,
        period,
        fmt_,
        department=unit,
        issued_on=issued_on,
        settings=report_settings.ReportSettings(*settings),
        personal_allowed=personal,
        center=centers[0],
        plans=plans,
        scope_label=label,
    )
