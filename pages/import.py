"""Nhập dữ liệu: upload CSV/XLSX → dry-run preview (counts and every problem) → confirm writes all in one transaction
after a backup; templates to download; entry forms for one request, event or training row; the import log."""

import datetime as dt
import hashlib
import json
import logging

import pandas as pd
import streamlit as st

from planboard import auth, backup, db, edits, fmt, ingest, locks, org, privacy, templates
from planboard.ui import auth as auth_ui
from planboard.ui import components, data, exporting, filters

plan = data.plan()
f = filters.current(plan)
con = data.connection()
user = auth_ui.require(con, "import", "edit")  # the menu hides this page from viewers
# Unit staff import and edit only their own unit's rows (every other row is refused with a message); None = all units.
ALLOWED = None if user.role in ("quan_tri", "lanh_dao") else {user.department} if user.department else set()
# The centers of the user's scope with a plan of this year: files may name any of them (column 'Cơ sở'); rows
# without one, and the forms, go to CENTER (the only one, or the user's choice).
VIEW = data.view()
WRITABLE = {c.code: (c, p) for c, p in edits.writable_centers(con, user.scope, VIEW.year, data.planset())}
if not WRITABLE:
    st.error(f.tr("import_page.no_center", year=VIEW.year), icon=":material/block:")
    st.stop()
ALLOWED_CENTERS = set(WRITABLE)
PLANS = {code: p for code, (_, p) in WRITABLE.items()}
# The logs show the imports and edits of the scope's centers (None: every center).
SCOPE_CENTERS = None if user.scope.kind == "all" else sorted(c.code for c in user.scope.centers(org.centers(con)))
log = logging.getLogger("planboard.import")
LOG_ROWS = 20
FORM_TABLES = edits.FORM_TABLES
NEW = "__new__"
# The entry forms' pickers hold at most this many ids (a search box finds the others): a selectbox of 400,000 requests
# or 1.2 million residents would be built and sent on every render.
PICK_ROWS = 200
ID_QUERIES = {
    "cases": "requests_ids",
    "events": "events_ids",
    "training": "training_ids",
    "residents": "residents_ids",
    "staff": "staff_ids",
}


def _user() -> str:
    """Who imports or edits, in the import and edit logs: the signed-in account, never a name typed in."""
    return user.username


def _counts_frame(result: ingest.ImportResult) -> pd.DataFrame:
    rows = [(f.tr(f"codes.table.{t}"), c.added, c.updated, c.unchanged) for t, c in result.counts.items()]
    return pd.DataFrame(
        rows, columns=[f.tr(f"import_page.col_{c}") for c in ("table", "added", "updated", "unchanged")]
    )


def _problems_frame(problems: list[ingest.Problem]) -> pd.DataFrame:
    frame = pd.DataFrame(templates.problem_rows(problems, f.lang), columns=templates.report_headers(f.lang))
    frame[f.tr("import_page.col_row")] = frame[f.tr("import_page.col_row")].astype("Int64")
    return frame


def _counts_text(counts: dict[str, ingest.TableCounts]) -> str:
    return "; ".join(
        f.tr(
            "import_page.done_counts",
            table=f.tr(f"codes.table.{t}"),
            added=fmt.number(c.added, lang=f.lang),
            updated=fmt.number(c.updated, lang=f.lang),
            unchanged=fmt.number(c.unchanged, lang=f.lang),
        )
        for t, c in counts.items()
    )


def show_preview(result: ingest.ImportResult) -> bool:
    """The dry run's outcome: key numbers and per-table counts, or every problem with downloads. True when importable."""
    st.subheader(f.tr("import_page.preview_header"))
    if result.problems:
        st.error(
            f.tr("import_page.preview_errors", n=fmt.number(len(result.problems), lang=f.lang)), icon=":material/error:"
        )
        st.markdown(f"**{f.tr('import_page.errors_header')}**")
        frame = _problems_frame(result.problems)
        components.text_table(frame, max_rows=15)  # every message read whole (a grid cut them); row as written
        name = f.tr("import_page.errors_name")
        c1, c2, _ = st.columns([1, 1, 2])
        c1.download_button(
            f.tr("import_page.errors_csv"),
            templates.problems_csv(result.problems, f.lang),
            file_name=f"{name}.csv",
            mime="text/csv",
            icon=":material/download:",
        )
        c2.download_button(
            f.tr("import_page.errors_xlsx"),
            templates.problems_xlsx(result.problems, f.lang),
            file_name=f"{name}.xlsx",
            icon=":material/download:",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        return False
    if not result.counts:
        st.info(f.tr("import_page.preview_nothing"), icon=":material/info:")
        return False
    totals = [sum(getattr(c, k) for c in result.counts.values()) for k in ("added", "updated", "unchanged")]
    for col, key, value in zip(
        st.columns(3), ("metric_added", "metric_updated", "metric_unchanged"), totals, strict=True
    ):
        col.metric(f.tr(f"import_page.{key}"), fmt.number(value, lang=f.lang))
    components.table(_counts_frame(result), f.lang, width="content")
    st.success(f.tr("import_page.preview_ok"), icon=":material/check_circle:")
    return True


def _progress_bar():
    bar = st.progress(0.0)
    return bar, lambda fraction, text: bar.progress(min(max(fraction, 0.0), 1.0), text=text)


def _write(files: list[tuple[str, bytes]], override: locks.Override | None = None) -> None:
    """Backup, then the real import (with an administrator's written reason to write into locked months, if given);
    on success remember the message and start over with an empty uploader."""
    path = db.db_path()
    bar, tick = _progress_bar()
    tick(0.0, f.tr("import_page.backing_up"))
    try:
        copy = backup.make_backup(con, path)
    except Exception:
        log.exception("backup before import failed")
        bar.empty()
        st.error(f.tr("import_page.backup_failed", folder=backup.backup_dir(path)), icon=":material/error:")
        return
    result = _import(files, tick, bar, dry_run=False, override=override)
    if result is None:
        return
    if not result.written:
        st.error(
            f.tr("import_page.write_failed", n=fmt.number(len(result.problems), lang=f.lang)), icon=":material/error:"
        )
        components.text_table(_problems_frame(result.problems), max_rows=15)
        return
    auth.audit(
        con,
        _user(),
        "import",
        files=[n for n, _ in result.files],
        counts={t: vars(c) for t, c in result.counts.items()},
    )
    st.session_state["imp_done"] = f.tr(
        "import_page.done",
        files=components.md(", ".join(n for n, _ in result.files)),
        counts=_counts_text(result.counts),
        backup=copy.name,
    )
    st.session_state["imp_up_n"] = st.session_state.get("imp_up_n", 0) + 1
    st.session_state.pop("imp_preview", None)
    st.rerun()


def _import(
    files: list[tuple[str, bytes]], tick, bar, *, dry_run: bool, override: locks.Override | None = None
) -> ingest.ImportResult | None:
    """The importer with this user's rights and limits; an unexpected failure is logged and said in words (None)."""
    try:
        return ingest.import_files(
            con,
            plan,
            files,
            dry_run=dry_run,
            user=_user(),
            source="app",
            limits=edits.upload_limits(),
            progress=tick,
            lang=f.lang,
            allowed_departments=ALLOWED,
            center=CENTER,
            allowed_centers=ALLOWED_CENTERS,
            plans=PLANS,
            lock_override=override,
        )
    except db.TryAgain:  # the shared lake: other writers' commits collided with this one every time
        st.error(f.tr("db.lake_try_again", n=db.RETRIES), icon=":material/error:")
        return None
    except db.DatabaseUnavailable as e:  # the shared lake: its data folder not writable, PostgreSQL lost
        st.error(e.text(f.lang), icon=":material/error:")
        return None
    except Exception as e:
        log.exception("import check failed" if dry_run else "import failed")
        st.error(
            f.tr("import_page.disk_full" if db.is_disk_full(e) else "import_page.unexpected"), icon=":material/error:"
        )
        return None
    finally:
        bar.empty()


def _choose_center() -> str:
    """The center of rows without one and of the forms: a choice for a user with several, else the only one (shown
    only where the database has several centers)."""
    codes = list(WRITABLE)
    if len(codes) > 1:
        default = VIEW.center if VIEW.center in WRITABLE else codes[0]  # the sidebar's center, if it is one
        return st.selectbox(
            f.tr("import_page.center"),
            codes,
            index=codes.index(default),
            key="imp_center",
            format_func=lambda c: f"{WRITABLE[c][0].name} ({c})",
            help=f.tr("import_page.center_help"),
        )
    if len(org.centers(con)) > 1:  # a single-center install shows no center at all
        st.caption(f.tr("import_page.center_only", center=WRITABLE[codes[0]][0].name))
    return codes[0]


def _latest_by_name(uploads: list) -> tuple[list, list[str]]:
    """A corrected file dropped after a failed preview replaces the earlier file of the same name (the uploader keeps
    both): the uploads with one file per name, the newest, and the names replaced. "Newest" is the order in which
    this session first saw each upload, not the widget's display order."""
    seen = st.session_state.setdefault("imp_seen_ids", [])
    seen.extend(u.file_id for u in uploads if u.file_id not in seen)
    newest: dict[str, object] = {}
    for u in sorted(uploads, key=lambda u: seen.index(u.file_id)):
        newest[u.name] = u
    replaced = sorted({u.name for u in uploads if newest[u.name] is not u})
    return [u for u in uploads if newest[u.name] is u], replaced


def upload_tab() -> None:
    if done := st.session_state.pop("imp_done", None):
        st.success(done, icon=":material/task_alt:")
    st.markdown(f"**{f.tr('import_page.templates_header')}**")
    st.caption(f.tr("import_page.templates_caption"))
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        f.tr("import_page.template_xlsx"),
        data.template_xlsx(plan, f.lang),
        file_name=f.tr("import_page.template_xlsx_name"),
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    c2.download_button(
        f.tr("import_page.template_csv"),
        data.template_csv(plan),
        file_name=f.tr("import_page.template_csv_name"),
        mime="application/zip",
        icon=":material/download:",
    )
    limits = edits.upload_limits()
    uploads = st.file_uploader(
        f.tr("import_page.uploader"),
        type=["csv", "xlsx", "xlsm", "txt", "tsv"],
        accept_multiple_files=True,
        key=f"imp_up_{st.session_state.get('imp_up_n', 0)}",
        help=f.tr("import_page.uploader_help", mb=f"{limits.max_file_bytes / 2**20:.0f}"),
    )
    if not uploads:
        st.info(f.tr("import_page.empty"), icon=":material/upload_file:")
        return
    uploads, replaced = _latest_by_name(uploads)
    if replaced:
        st.info(f.tr("import_page.replaced", files=", ".join(replaced)), icon=":material/published_with_changes:")
    files = [(u.name, u.getvalue()) for u in uploads]
    signature = (tuple((n, hashlib.sha256(b).hexdigest()) for n, b in files), data.version(), user.username, CENTER)
    cached = st.session_state.get("imp_preview")
    if cached is None or cached[0] != signature:
        bar, tick = _progress_bar()
        tick(0.0, f.tr("import_page.checking", n=len(files)))
        result = _import(files, tick, bar, dry_run=True)
        if result is None:
            return
        st.session_state["imp_preview"] = (signature, result)
    else:
        result = cached[1]
    ready = show_preview(result)
    if st.button(
        f.tr("import_page.confirm"),
        type="primary",
        disabled=not ready,
        icon=":material/cloud_upload:",
        help=None if ready else f.tr("import_page.confirm_help_blocked"),
        key="imp_confirm",
    ):
        _write(files)
    elif not ready and result.problems and user.can("unlock_periods"):
        _lock_override(files, signature)


def _lock_override(files: list[tuple[str, bytes]], signature: tuple) -> None:
    """An administrator whose file was refused only because it touches locked months may write it anyway with a
    written reason (required), which the importer audits with the change. Whether the locks were the only problem is
    asked of the importer itself: the same dry run with an override (a dry run logs nothing)."""
    cached = st.session_state.get("imp_locks_only")
    if cached is None or cached[0] != signature:
        bar, tick = _progress_bar()
        trial = _import(files, tick, bar, dry_run=True, override=locks.Override(user.username, "?"))
        cached = (signature, trial is not None and trial.ok and bool(trial.counts))
        st.session_state["imp_locks_only"] = cached
    if not cached[1]:
        return
    with st.container(border=True):
        st.markdown(f"**{f.tr('import_page.lock_override_header')}**")
        st.caption(f.tr("import_page.lock_override_caption"))
        reason = st.text_area(f.tr("import_page.lock_reason"), key="imp_lock_reason", height=68)
        if st.button(f.tr("import_page.lock_override_confirm"), icon=":material/lock_open:", key="imp_lock_confirm"):
            if not (reason or "").strip():
                st.error(f.tr("import_page.lock_reason_required"), icon=":material/error:")
                return
            try:
                override = locks.Override.by(user, reason)
            except locks.LockError as e:
                st.error(e.message(f.lang), icon=":material/error:")
                return
            _write(files, override)


# --- Entry forms ------------------------------------------------------------------------------------------------------
def _choices() -> dict[str, dict[str, str]]:
    return ingest.code_choices(plan)


def _field(table: str, col: ingest.Column, current, key: str, options: dict[str, list[str]]):
    """One form widget for a column, prefilled with the stored value; returns the value to save."""
    label = col.label + (" *" if col.required else "")
    if col.code in options:
        return _pick(label, options[col.code], current, key)
    if col.kind in ("id", "text"):
        widget = st.text_area if col.code == "notes" else st.text_input
        return widget(label, value=current or "", key=key) or None
    if col.kind in ("date", "birth"):
        return st.date_input(
            label,
            value=current,
            key=key,
            format="DD/MM/YYYY",
            min_value=dt.date(1900, 1, 1),
            max_value=dt.date(2100, 12, 31),
        )
    if col.kind == "int":
        return st.number_input(label, value=None if current is None else int(current), min_value=0, step=1, key=key)
    if col.kind == "bool":
        value = col.default if current is None else current
        return st.checkbox(label, value=bool(value), key=key)
    choices = _choices()[col.kind]
    return _pick(label, list(choices), current, key, format_func=lambda c: choices.get(c, c))


def _pick(label: str, opts: list, current, key: str, format_func=str):
    """A choice among `opts`, the stored value chosen (kept first when it is no longer among them), else none."""
    if current is not None and current not in opts:
        opts = [current, *opts]
    return st.selectbox(
        label,
        opts,
        index=opts.index(current) if current in opts else None,
        key=key,
        format_func=format_func,
        placeholder=f.tr("import_page.form_choose"),
    )


def _ids(table: str, search: str = "", departments: set[str] | None = None, **params) -> tuple[list[tuple], int]:
    """The first PICK_ROWS record keys of a table whose id contains `search` (of `departments`, None = all), and how
    many match in all. Events: of every type, by id, unless the caller narrows them (a training row's course)."""
    if table == "events":
        params = {"event_types": None, "recent_first": False, **params}
    frame = data.query(
        ID_QUERIES[table],
        search=search.strip(),
        row_limit=PICK_ROWS,
        centers=[CENTER],
        departments=None if departments is None else sorted(departments) or [""],
        **params,
    )
    keys = list(frame[list(ingest.KEYS[table])].itertuples(index=False, name=None))
    return keys, int(frame["match_count"].iloc[0]) if len(frame) else 0


def _form_options(table: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Columns that pick from existing records (a request's resident, a training row's course and staff member):
    ({column: ids} where they fit a list, {column: how many} for all of them). A column with more than PICK_ROWS
    ids is typed instead (the importer's reference check names a wrong one)."""
    if table == "cases":
        picks = {"resident_id": _ids("residents")}
    elif table == "training":
        picks = {
            "event_id": _ids("events", event_types=list(plan.training_types), recent_first=True),
            "staff_id": _ids("staff", departments=ALLOWED),
        }
    else:
        picks = {}
    options = {c: [k[0] for k in keys] for c, (keys, total) in picks.items() if total <= len(keys)}
    return options, {c: total for c, (_, total) in picks.items()}


def _record_label(key) -> str:
    return f.tr("import_page.form_new") if key == NEW else edits.record_label("", key)


def form_tab() -> None:
    if done := st.session_state.pop("imp_form_done", None):
        st.success(done, icon=":material/task_alt:")
    if pending := st.session_state.pop("imp_pick_pending", None):  # a widget's value may only be set before it is drawn
        st.session_state[f"imp_pick_{pending[0]}"] = pending[1]
    table = st.segmented_control(
        f.tr("import_page.form_table"),
        FORM_TABLES,
        key="imp_form_table",
        required=True,
        format_func=lambda t: f.tr(f"codes.table.{t}"),
        default=FORM_TABLES[0],
    )
    table = table or FORM_TABLES[0]
    what = f.tr(f"import_page.what_{table}")
    # Unit staff: only their unit's records to open; the first PICK_ROWS, a search finds the others.
    search = st.text_input(
        f.tr("import_page.form_search"),
        key=f"imp_search_{table}",
        placeholder=f.tr("import_page.form_search_hint"),
        icon=":material/search:",
    )
    found, matches = _ids(table, search, ALLOWED)
    keys = [NEW, *found]
    current = st.session_state.get(f"imp_pick_{table}")
    if current is not None and current not in keys:  # the record just saved or opened stays chosen
        keys.insert(1, current)
    chosen = st.selectbox(f.tr("import_page.form_record"), keys, key=f"imp_pick_{table}", format_func=_record_label)
    if matches > len(found):
        st.caption(
            f.tr(
                "import_page.form_more",
                shown=fmt.number(len(found), lang=f.lang),
                total=fmt.number(matches, lang=f.lang),
            )
        )
    elif search.strip() and not found:
        st.caption(f.tr("import_page.form_none_found", search=components.md(search.strip())))
    record = None if chosen == NEW else edits.get_record(con, table, chosen, CENTER)
    options, counts = _form_options(table)
    if table == "training" and not counts["event_id"]:
        st.info(f.tr("import_page.form_no_events"), icon=":material/info:")
        return
    typed = [c for c in counts if c not in options]
    if typed:
        st.caption(
            f.tr(
                "import_page.form_type_ids",
                columns=", ".join(
                    f"{col.label} ({fmt.number(counts[col.code])})"
                    for col in ingest.TABLE_COLUMNS[table]
                    if col.code in typed
                ),
            )
        )
    rid = "new" if record is None else edits.record_label(table, chosen)
    shown_id = components.md(rid)  # ids are typed by unit staff: Markdown in one must not run for whoever opens it
    st.markdown(
        f"**{f.tr('import_page.form_new_header', what=what) if record is None else f.tr('import_page.form_edit_header', what=what, id=shown_id)}**"
    )
    st.caption(f.tr("import_page.form_required_note"))
    columns = [c for c in ingest.TABLE_COLUMNS[table] if not (table == "events" and c.code == "activity")]
    with st.form(f"imp_form_{table}_{rid}", border=True):
        values = {}
        grid = st.columns(2)
        for i, col in enumerate(columns):
            with grid[i % 2]:
                if record is not None and col.code in ingest.KEYS[table]:
                    st.text_input(
                        col.label + " *", value=record[col.code], disabled=True, key=f"imp_{table}_{rid}_{col.code}"
                    )
                    values[col.code] = record[col.code]
                else:
                    values[col.code] = _field(
                        table,
                        col,
                        None if record is None else record.get(col.code),
                        f"imp_{table}_{rid}_{col.code}",
                        options,
                    )
        submitted = st.form_submit_button(f.tr("import_page.form_save"), type="primary", icon=":material/save:")
    if submitted:
        try:
            result = edits.save_record(
                con,
                plan,
                table,
                values,
                user=_user(),
                allowed_departments=ALLOWED,
                center=CENTER,
                allowed_centers=ALLOWED_CENTERS,
            )
        except Exception:
            log.exception("form save failed")
            st.error(f.tr("import_page.unexpected"), icon=":material/error:")
            return
        if result.problems:
            st.error(f.tr("import_page.form_problems", n=len(result.problems)), icon=":material/error:")
            frame = _problems_frame(result.problems)[
                [f.tr(f"import_page.col_{c}") for c in ("column", "value", "message")]
            ]
            components.table(frame, f.lang)
        else:
            shown = components.md(edits.record_label(table, edits.key_of(table, values)))
            st.session_state["imp_form_done"] = f.tr(f"import_page.form_saved_{result.action}", what=what, id=shown)
            st.session_state["imp_pick_pending"] = (table, edits.key_of(table, values))
            st.rerun()
    if record is not None:
        with st.expander(f.tr("import_page.form_delete"), icon=":material/delete:"):
            sure = st.checkbox(f.tr("import_page.form_delete_confirm", id=shown_id), key=f"imp_del_ok_{table}_{rid}")
            if st.button(f.tr("import_page.form_delete_button"), disabled=not sure, key=f"imp_del_{table}_{rid}"):
                outcome = edits.delete_record(
                    con,
                    table,
                    chosen,
                    user=_user(),
                    lang=f.lang,
                    allowed_departments=ALLOWED,
                    plan=plan,
                    center=CENTER,
                    allowed_centers=ALLOWED_CENTERS,
                )
                if outcome.deleted:
                    st.session_state["imp_form_done"] = components.md(outcome.message)
                    st.session_state["imp_pick_pending"] = (table, NEW)
                    st.rerun()
                st.error(components.md(outcome.message), icon=":material/block:")
    _edit_log()


def _edit_log() -> None:
    st.markdown(f"**{f.tr('import_page.edits_header')}**")
    frame = db.query(con, "edit_log_recent", limit=LOG_ROWS, centers=SCOPE_CENTERS)
    if frame.empty:
        st.caption(f.tr("import_page.edits_empty"))
        return
    # Values before/after hold names and notes: shown only for records whose unit the user may see (a training row
    # has no unit of its own and no personal data).
    visible = [_edit_visible(b, a) for b, a in zip(frame["before_json"], frame["after_json"], strict=True)]
    out = pd.DataFrame(
        {
            f.tr("import_page.col_when"): frame["edited_at"],
            f.tr("import_page.col_user"): frame["user_name"].fillna(f.tr("import_page.nobody")),
            f.tr("import_page.col_table"): [f.tr(f"codes.table.{t}") for t in frame["table_name"]],
            f.tr("import_page.col_record"): frame["record_id"],
            f.tr("import_page.col_action"): [f.tr(f"import_page.action_{a}") for a in frame["action"]],
            f.tr("import_page.col_changes"): [
                edits.changes(b, a) if ok else privacy.MASK
                for b, a, ok in zip(frame["before_json"], frame["after_json"], visible, strict=True)
            ],
        }
    )
    _with_center(out, frame)
    components.table(out, f.lang)
    exporting.masked_note(not all(visible), f.lang)


def _edit_visible(before_json: str | None, after_json: str | None) -> bool:
    unit = None
    for text in (after_json, before_json):
        if text:
            unit = json.loads(text).get("department", unit)
    return unit is None or user.sees_personal_data_of(unit)


def _with_center(out: pd.DataFrame, frame: pd.DataFrame) -> None:
    """A log's center column, after the time, where the database has several centers."""
    if len(org.centers(con)) > 1:
        out.insert(1, f.tr("import_page.col_center"), frame["center"].fillna("").to_numpy())


def import_log() -> None:
    st.subheader(f.tr("import_page.log_header"))
    frame = db.query(
        con, "import_log_recent", limit=LOG_ROWS, centers=SCOPE_CENTERS
    )  # uncached: an import that changes nothing is logged too
    if frame.empty:
        st.info(f.tr("import_page.log_empty"), icon=":material/history:")
        return
    st.caption(f.tr("import_page.log_caption", n=len(frame)))
    out = pd.DataFrame(
        {
            f.tr("import_page.col_when"): frame["imported_at"],
            f.tr("import_page.col_user"): frame["user_name"].fillna(f.tr("import_page.nobody")),
            f.tr("import_page.col_source"): [
                f.tr(f"import_page.source_{s}") if s in ("app", "cli", "form") else s for s in frame["source"]
            ],
            f.tr("import_page.col_files"): [", ".join(json.loads(x)) for x in frame["files"]],
            f.tr("import_page.col_added"): [fmt.number(n, lang=f.lang) for n in frame["added_count"]],
            f.tr("import_page.col_updated"): [fmt.number(n, lang=f.lang) for n in frame["updated_count"]],
            f.tr("import_page.col_unchanged"): [fmt.number(n, lang=f.lang) for n in frame["unchanged_count"]],
            f.tr("import_page.col_sha"): frame["sha256"],
        }
    )
    _with_center(out, frame)
    components.table(out, f.lang)


st.title(f.tr("import_page.title"))
st.caption(f.tr("import_page.intro"))
st.text_input(
    f.tr("import_page.user"),
    value=f"{user.full_name} ({user.username})",
    disabled=True,
    help=f.tr("import_page.user_help"),
)
CENTER = _choose_center()
plan = PLANS[CENTER]  # the forms' code lists and the checks of rows without a center column: this center's plan
if ALLOWED is not None:
    units = ", ".join(plan.unit(u).short for u in sorted(ALLOWED) if u in {x.code for x in plan.units})
    st.info(f.tr("import_page.unit_only", unit=units), icon=":material/domain:")
tab_file, tab_form = st.tabs(
    [f.tr("import_page.tab_file"), f.tr("import_page.tab_form")], key="imp_tab", on_change="rerun"
)
with tab_file:
    upload_tab()
with tab_form:
    form_tab()
import_log()
