"""The records view under a page: a register's first rows (REGISTER_ROWS), how many of how many, the note on masked
cells and the downloads of every row (records only for roles that may export them, audited when they hold unmasked
personal data). Written once here; a page says which query, which frame and what to call the files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from .. import privacy
from . import auth as auth_ui
from . import components, data, exporting


@dataclass(frozen=True)
class Register:
    """A named query's first rows on the page, the count of all its rows and how to read them all (on a click)."""

    query: str
    params: dict
    rows: pd.DataFrame
    total: int

    @classmethod
    def read(cls, query: str, total: int | None = None, **params) -> Register:
        """The first REGISTER_ROWS rows; the total from the query's `row_count` column unless the page knows it."""
        rows = data.query(query, **params, row_limit=exporting.REGISTER_ROWS)
        if total is None:
            total = int(rows["row_count"].iloc[0]) if len(rows) else 0
        return cls(query, params, rows, total)

    @property
    def first(self) -> pd.Series:
        """The first row (a query's counts of all rows ride on every row)."""
        return self.rows.iloc[0]


def show(
    register: Register,
    frame: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    file_name: str,
    key: str,
    lang: str,
    title: str | None = None,
    personal: Sequence[str] = (),
    empty: str | None = None,
    heading: Callable[[pd.Series], str] | None = None,
    notes: Sequence[str] = (),
    flag: tuple[str, str] | None = None,
) -> None:
    """The register as the page shows it and as its files hold it (`frame` builds both: shown rows, every row).

    personal: the personal columns `frame` masks by each row's unit; a download that still holds some is audited.
    empty: the note shown instead of an empty register (None: the empty table). heading: a caption above the table
    from its first row (the query's counts of all rows ride on every row);
    notes: captions under it. flag: (column, word): rows whose column reads the word (overdue) get a red label in
    the shown table (components.flag_rows; the files keep the word)."""
    rows = register.rows
    if rows.empty and empty is not None:
        st.info(empty, icon=":material/info:")
        return
    if heading is not None and len(rows):
        st.caption(heading(register.first))
    shown = frame(rows)
    table, config = components.flag_rows(shown, *flag) if flag else (shown, None)
    components.table(table, lang, column_config=config)
    exporting.shown_caption(len(shown), register.total, lang)
    for note in notes:
        st.caption(note)
    every = exporting.all_rows(register.query, **register.params)
    audited: bool | Callable[[], bool] = False
    if personal:
        user = auth_ui.signed_in_user()
        allowed = privacy.allowed_rows(user, rows["department"])
        exporting.masked_note(privacy.any_masked(rows, allowed, personal), lang)
        audited = exporting.personal_on_click(rows, allowed, register.total, every, user, personal)
    exporting.download_buttons(
        lambda: frame(every()),
        file_name,
        lang,
        key=key,
        title=title,
        records=True,
        personal=audited,
        rows=register.total,
    )
