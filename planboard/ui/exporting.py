"""The two download buttons (CSV, XLSX) under a table view, the role checks on them and the note under a table
whose personal data is masked; the files come from planboard.export.

Access control (roles in planboard.auth):
- `records=True` marks a table of single records (a register): it is offered only to roles with `export_records`;
  the others (viewers) see one caption saying why instead of the buttons. Aggregate tables are exported by everyone.
- `personal=True` marks a table that still holds unmasked personal data after planboard.privacy.mask: each click on
  one of its buttons writes an audit row `export_personal` (who, file, format, rows). The audit is written in the
  button's on_click callback, i.e. only when the user actually downloads — never merely because the button is shown
  on a rerun (the file's bytes are built on every run, so auditing there would log every page view)."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from .. import auth, export
from ..i18n import t
from . import auth as auth_ui
from . import data

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
log = logging.getLogger(__name__)


def may_export_records() -> bool:
    user = auth_ui.signed_in_user()
    return user is not None and user.can("export_records")


def audit_export(file_name: str, rows: int | None, what: str = "table") -> None:
    """The audit row of one download of unmasked personal data (also the download buttons' on_click callback)."""
    user = auth_ui.signed_in_user()
    try:
        auth.audit(data.connection(), user.username if user else None, "export_personal", file=file_name, rows=rows,
                   what=what)
    except Exception:  # a read-only database must not break the download; the server log keeps the failure
        log.exception("audit of export_personal failed")


def no_record_export(lang: str = "vi") -> None:
    """The caption shown instead of record downloads for roles without export_records."""
    st.caption(f":material/file_download_off: {t('auth.no_record_export', lang)}")


def masked_note(masked: bool, lang: str = "vi") -> None:
    """Under a table: say that the *** cells are personal data hidden for this role (only when something was)."""
    if masked:
        st.caption(f":material/visibility_off: {t('auth.masked_note', lang)}")


def download_buttons(df: pd.DataFrame, name: str, lang: str = "vi", title: str | None = None,
                     key: str | None = None, *, records: bool = False, personal: bool = False) -> None:
    """CSV (UTF-8 with BOM) and XLSX of exactly the table shown (its translated headers), side by side.

    records: a table of single records (hidden without export_records); personal: it shows unmasked personal data,
    so every download is audited."""
    if records and not may_export_records():
        no_record_export(lang)
        return
    key = key or name
    left, right, _ = st.columns([1, 1, 4])

    def click(kind: str):
        if not personal:
            return "ignore"
        return lambda: audit_export(f"{name}.{kind}", len(df))

    left.download_button(t("export.csv", lang), export.to_csv(df), file_name=f"{name}.csv", mime="text/csv",
                         icon=":material/download:", key=f"{key}_csv", on_click=click("csv"), width="stretch")
    right.download_button(t("export.xlsx", lang), export.to_xlsx(df, title=title), file_name=f"{name}.xlsx",
                          mime=XLSX_MIME, icon=":material/table_view:", key=f"{key}_xlsx", on_click=click("xlsx"),
                          width="stretch")
