"""The two download buttons (CSV, XLSX) under a table view, the role checks on them and the note under a table
whose personal data is masked; the files come from planboard.export.

Access control (roles in planboard.auth):
- `records=True` marks a table of single records (a register): it is offered only to roles with `export_records`;
  the others (viewers) see one caption saying why instead of the buttons. Aggregate tables are exported by everyone.
- `personal=True` marks a table that still holds unmasked personal data after planboard.privacy.mask: each click on
  one of its buttons writes an audit row `export_personal` (who, file, format, rows). The audit is written in the
  button's on_click callback, i.e. only when the user actually downloads — never merely because the button is shown
  on a rerun.

Scale: the files' bytes are built only when a button is clicked (`st.download_button(data=<callable>)`, run by
Streamlit on its own thread), never on a render: a register of 400,000 rows costs nothing until someone downloads
it. A register shows at most REGISTER_ROWS rows (`shown_caption` says so); its download is the whole filtered
register, read again through the named query without the row limit (`all_rows`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import auth, db, export, fmt, privacy
from ..i18n import t
from . import auth as auth_ui
from . import data

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
log = logging.getLogger(__name__)
# Rows a register shows on the page (sorted as its query sorts them); filters narrow it, the download holds them all.
REGISTER_ROWS = 1_000


def records_hidden(lang: str = "vi") -> bool:
    """The gate of every table with one row per person (resident, request, staff member, training): True, with a
    note saying why, when the signed-in user sees aggregates only (planboard.privacy.sees_records: viewers)."""
    if privacy.sees_records(auth_ui.signed_in_user()):
        return False
    st.info(t("auth.aggregates_only", lang), icon=":material/groups:")
    return True


def may_export_records() -> bool:
    user = auth_ui.signed_in_user()
    return user is not None and user.can("export_records")


def audit_export(file_name: str, rows: int | None, what: str = "table") -> None:
    """The audit row of one download of unmasked personal data (also the download buttons' on_click callback)."""
    user = auth_ui.signed_in_user()
    try:
        auth.audit(
            data.connection(), user.username if user else None, "export_personal", file=file_name, rows=rows, what=what
        )
    except Exception:  # a read-only database must not break the download; the server log keeps the failure
        log.exception("audit of export_personal failed")


def no_record_export(lang: str = "vi") -> None:
    """The caption shown instead of record downloads for roles without export_records."""
    st.caption(f":material/file_download_off: {t('auth.no_record_export', lang)}")


def masked_note(masked: bool, lang: str = "vi") -> None:
    """Under a table: say that the *** cells are personal data hidden for this role (only when something was)."""
    if masked:
        st.caption(f":material/visibility_off: {t('auth.masked_note', lang)}")


def shown_caption(shown: int, total: int, lang: str = "vi") -> None:
    """Under a register cut at REGISTER_ROWS: 'Hiển thị 1.000 / 400.000 dòng — ...' (nothing when all are shown)."""
    if shown < total:
        st.caption(
            f":material/filter_list: {t('export.shown_rows', lang, shown=fmt.number(shown, lang=lang), total=fmt.number(total, lang=lang))}"
        )


def all_rows(name: str, **params) -> Callable[[], pd.DataFrame]:
    """A callable returning the named query's every row (row_limit = None), for a download built on click; a query
    that takes `$centers` gets the view's centers (as data.query does) unless the caller names them.

    It runs on Streamlit's download thread, so it reads through its own cursor (db.query), not the page cache: the
    centers are decided now, on the page's run, inside the reader's scope."""
    con = data.connection()
    if "centers" in db.params_of(name) and "centers" not in params:
        params["centers"] = list(data.view().centers)
    return lambda: db.query(con, name, **{**params, "row_limit": None})


def center_column(lang: str = "vi") -> Callable[[pd.DataFrame], dict[str, list[str]]]:
    """Decided on the page's run: a function giving a register's first column on a roll-up view ({'Cơ sở': each
    row's center name}; nothing for one center, so a single-center register looks as before). Spread it first into
    the frame: pd.DataFrame({**with_center(rows), …}). The function itself reads no session: a download builds its
    frame on another thread."""
    if not data.view().is_rollup:
        return lambda rows: {}
    names, label = {c.code: c.name for c in data.centers()}, t("scope.col_center", lang)
    return lambda rows: {label: [names.get(c, c) for c in rows["center"]]}


def personal_on_click(
    shown: pd.DataFrame,
    allowed: pd.Series,
    total: int,
    every_row: Callable[[], pd.DataFrame],
    user,
    columns=privacy.PERSONAL_COLUMNS,
) -> Callable[[], bool]:
    """Whether a register's download (every row) holds unmasked personal data, decided when a button is clicked: the
    shown rows answer when they hold some or are the whole register; otherwise every row is read and masked as the
    download will be (privacy.allowed_rows by each row's unit)."""

    def decide() -> bool:
        if privacy.shows_personal(shown, allowed, columns):
            return True
        if len(shown) >= total:
            return False
        rows = every_row()
        return privacy.shows_personal(rows, privacy.allowed_rows(user, rows["department"]), columns)

    return decide


Frame = pd.DataFrame | Callable[[], pd.DataFrame]


def download_buttons(
    df: Frame,
    name: str,
    lang: str = "vi",
    title: str | None = None,
    key: str | None = None,
    *,
    records: bool = False,
    personal: bool | Callable[[], bool] = False,
    rows: int | None = None,
) -> None:
    """CSV (UTF-8 with BOM) and XLSX of exactly the table shown (its translated headers), side by side; the bytes
    are built only when a button is clicked.

    df: the table, or a callable returning it (a register's every row, built on click). records: a table of single
    records (hidden without export_records); personal: it shows unmasked personal data, so every download is
    audited — a callable is asked only on a click (it may read the whole register). rows: the row count written in
    the audit (default len(df))."""
    if records and not may_export_records():
        no_record_export(lang)
        return
    key = key or name
    left, right, _ = st.columns([1, 1, 4])
    frame = df if callable(df) else (lambda: df)
    count = rows if rows is not None else None if callable(df) else len(df)

    def audit(kind: str) -> None:
        if personal() if callable(personal) else personal:
            audit_export(f"{name}.{kind}", count)

    def click(kind: str):
        return (lambda: audit(kind)) if personal else "ignore"

    left.download_button(
        t("export.csv", lang),
        lambda: export.to_csv(frame()),
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"{key}_csv",
        on_click=click("csv"),
        width="stretch",
    )
    right.download_button(
        t("export.xlsx", lang),
        lambda: export.to_xlsx(frame(), title=title, lang=lang),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        icon=":material/table_view:",
        key=f"{key}_xlsx",
        on_click=click("xlsx"),
        width="stretch",
    )
