"""Small display pieces shared by pages: status pills, indicator value text, the indicator table, and `table`, the
one way a page shows a DataFrame (empty cells empty, dates dd/mm/yyyy, numbers 1.234, height fitted to the rows)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from .. import fmt, labels
from ..display import ACTUAL_COLOR, STATUS_COLORS, TARGET_COLOR, level_text, target_text, value_text  # noqa: F401
from ..i18n import t
from ..kpis import Result

STATUS_ICONS = {
    "dat": "check_circle",
    "dung_tien_do": "trending_up",
    "can_chu_y": "schedule",
    "cham_tien_do": "warning",
    "khong_dat": "cancel",
    "theo_doi": "visibility",
    "chua_co_du_lieu": "help",
}


# Everything Streamlit's Markdown gives a meaning to: CommonMark/GFM punctuation (links, images, emphasis, code, tables,
# headings, lists, raw HTML), its own directives (:red[…], :material/icon:) and LaTeX ($…$). A backslash before ASCII
# punctuation is a literal character in CommonMark, so the value reads the same but builds nothing.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'@/%^])")

# GFM turns a bare address (http://…, www.…, name@host) into a link after the escapes are read, so a backslash cannot
# stop it: an invisible word joiner after the scheme's colon, "www" or "@" does.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z]):(?=//)|www(?=\.)|@")
WORD_JOINER = "\u2060"


def md(value) -> str:
    """A user's value (a record id, a title, a name, a file name, a search) as literal text inside Markdown:
    st.markdown, st.caption, st.success/st.error/st.info, widget labels. Line breaks become spaces (a value never
    starts a heading or a list); an address gets an invisible word joiner so it is not a link. Use it for every value
    that was typed by someone, never for locale text."""
    text = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, " ".join(str(value).splitlines()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plot_text(value) -> str:
    """A user's value as literal text in a Plotly string (hover text, tick labels, legend names, annotations), which
    Plotly reads as a small HTML (<a href>, <b>, <br>) with %{…} templates: the tags become entities, and a
    template opener cannot start."""
    return html.escape(str(value), quote=False).replace("%{", "%&#123;")  # Plotly reads &lt; but not &quot;


def status_pill(code: str, lang: str = "vi") -> str:
    """HTML pill: colour and the status word (colour never alone)."""
    text_color = "#24292f" if code == "chua_co_du_lieu" else "#ffffff"
    return (
        f'<span style="background:{STATUS_COLORS[code]};color:{text_color};padding:2px 10px;'
        f'border-radius:999px;font-weight:600;font-size:0.9em;white-space:nowrap">'
        f"{html.escape(labels.status(code, lang))}</span>"
    )


def indicator_frame(results: list[Result], lang: str = "vi") -> pd.DataFrame:
    """The indicator table as laid out on pages: code, item, label, result, expected now, year target, status."""
    rows = []
    for r in results:
        label = r.indicator.name(lang)
        rows.append(
            {
                t("indicators_page.col_code", lang): r.code,
                t("indicators_page.col_activity", lang): r.indicator.activity,
                t("indicators_page.col_indicator", lang): label,
                t("indicators_page.col_value", lang): value_text(r, lang),
                t("indicators_page.col_expected", lang): level_text(r, r.expected_now, lang),
                t("indicators_page.col_target", lang): target_text(r, lang),
                t("indicators_page.col_status", lang): labels.status(r.status, lang),
            }
        )
    return pd.DataFrame(rows)


def indicator_table(frame: pd.DataFrame, lang: str = "vi") -> None:
    """indicator_frame as a static table whose cells wrap: every indicator name, result and status is read whole
    at 1366 px (a data grid cut the names and the status words at its column widths); 13 rows need no scrolling,
    sorting or search."""
    text_table(styled_status(frame, t("indicators_page.col_status", lang), lang))


def text_table(data: pd.DataFrame | Styler, max_rows: int | None = None) -> None:
    """A static table whose cells wrap, for text that must be read whole (indicator names, error messages); past
    `max_rows` rows it scrolls. Cells are plain text, never Markdown; empty cells stay empty."""
    frame = data.data if isinstance(data, Styler) else data
    styler = data if isinstance(data, Styler) else frame.style
    height = SCROLL_PX if max_rows and len(frame) > max_rows else "content"
    st.table(styler.format(_literal), hide_index=True, height=height)


def _literal(value) -> str:
    """A cell of st.table as plain text: st.table reads cells as Markdown, so '> 80,0%' became a quote."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return "\\" + text if text[:1] in (">", "#", "-", "+", "*") else text


def styled_status(df: pd.DataFrame, column: str | list[str], lang: str = "vi"):
    """Colour the status column's cells (or several columns' cells) with the palette (the word stays)."""
    by_label = {labels.status(c, lang): c for c in STATUS_COLORS}

    def paint(value):
        code = by_label.get(value)
        if code is None:
            return ""
        fg = "#24292f" if code == "chua_co_du_lieu" else "#ffffff"
        return f"background-color: {STATUS_COLORS[code]}; color: {fg}; font-weight: 600"

    return df.style.map(paint, subset=[column] if isinstance(column, str) else list(column))


def mark_word(df: pd.DataFrame, column: str, word: str) -> Styler:
    """The table with the cells of `column` that contain `word` (an overdue flag beside a status) written bold in the
    palette's "behind" red (ui.md); the word itself stays, so the colour never carries the meaning alone. For short
    lists (a meeting's actions); a long register uses `flag_rows`."""
    style = f"color: {STATUS_COLORS['cham_tien_do']}; font-weight: 600"
    return df.style.map(lambda v: style if word in str(v) else "", subset=[column])


def flag_rows(df: pd.DataFrame, column: str, word: str) -> tuple[pd.DataFrame, dict]:
    """The table with `column` shown as a red `word` label (an overdue flag) where it reads `word`, pinned first,
    and the column config that draws it: the browser draws the label, where a pandas Styler painting each flagged
    row formatted every shown cell in Python on every render (75 % of the requests page's warm render at
    N = 10,000, bench/FINDINGS.md). Returns (the frame to show, its column_config)."""
    shown = df.assign(**{column: [[word] if v == word else [] for v in df[column]]})
    return shown, {column: st.column_config.MultiselectColumn(column, options=[word], color="red", pinned=True)}


def error_box(message: str) -> None:
    st.error(message, icon=":material/error:")


# --- tables ----------------------------------------------------------------------------------------------------------

# st.dataframe's default row height and its header, in pixels (one line of text per row).
ROW_PX = 35
TABLE_ROWS = 15
SCROLL_PX = 640  # a long text_table scrolls inside this height


def table_height(rows: int, max_rows: int | None = TABLE_ROWS) -> int:
    """The height that shows `rows` rows and the header with no blank rows below them, scrolling past `max_rows`."""
    shown = max(1, rows if max_rows is None else min(rows, max_rows))
    return ROW_PX * (shown + 1) + 3


def _date_kind(column: pd.Series) -> str | None:
    """'date' or 'datetime' for a column of dates/timestamps (datetime64, or objects that are all dates), else None."""
    values = column.dropna()
    if pd.api.types.is_datetime64_any_dtype(column):
        if values.empty:
            return "date"
        return "date" if (values == values.dt.normalize()).all() else "datetime"
    if column.dtype != object or values.empty:
        return None
    if all(isinstance(v, dt.datetime | pd.Timestamp) for v in values):
        return "datetime"
    if all(isinstance(v, dt.date) for v in values):
        return "date"
    return None


def _needs_number_format(column: pd.Series) -> bool:
    """A numeric column Streamlit would show unlike ui.md: a value of 1.000 or more, or a decimal (1234 / 12.5)."""
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        return False
    values = column.to_numpy(dtype=float, na_value=np.nan)  # numeric already: no parsing, one array
    values = values[~np.isnan(values)]
    return bool(((np.abs(values) >= 1000) | (values != np.round(values))).any())


def table_config(frame: pd.DataFrame, plain: Iterable[str] = ()) -> dict:
    """Column configs that show date columns as dd/mm/yyyy and timestamps as dd/mm/yyyy HH:mm (sorting stays by date)."""
    config = {}
    for name in frame.columns:
        if name in plain:
            continue
        kind = _date_kind(frame[name])
        if kind == "date":
            config[name] = st.column_config.DateColumn(str(name), format="DD/MM/YYYY")
        elif kind == "datetime":
            config[name] = st.column_config.DatetimeColumn(str(name), format="DD/MM/YYYY HH:mm")
    return config


def table_display(data: pd.DataFrame | Styler, lang: str = "vi", plain: Iterable[str] = ()) -> pd.DataFrame | Styler:
    """The frame (or Styler) with numbers shown as ui.md writes them (1.234; 12,5), where Streamlit would not; the
    values stay numbers, so a column still sorts by value. Columns in `plain` (years, codes) are left as they are."""
    frame = data.data if isinstance(data, Styler) else data
    columns = [c for c in frame.columns if c not in plain and _needs_number_format(frame[c])]
    if not columns:
        return data
    styler = data if isinstance(data, Styler) else frame.style
    return styler.format(lambda v: "" if v is None or pd.isna(v) else fmt.number(v, lang=lang), subset=columns)


def table(
    data: pd.DataFrame | Styler,
    lang: str = "vi",
    *,
    plain: Iterable[str] = (),
    empty: str = "",
    max_rows: int | None = TABLE_ROWS,
    height: int | None = None,
    column_config: dict | None = None,
    **kwargs,
):
    """st.dataframe as every page shows a table: a missing value looks empty (`empty`, not Streamlit's grey
    "None"), dates dd/mm/yyyy, numbers 1.234, no index, full width, and a height that fits the rows (no blank rows
    below a short table; a long one scrolls after `max_rows`). `column_config` entries win over the automatic ones."""
    frame = data.data if isinstance(data, Styler) else data
    plain = set(plain)
    config = {**table_config(frame, plain), **(column_config or {})}
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return st.dataframe(
        table_display(data, lang, plain),
        height=height or table_height(len(frame), max_rows),
        column_config=config or None,
        placeholder=empty,
        **kwargs,
    )


def page_title(title: str, plan, unit: str | None) -> None:
    """The page's title, with ' — <the unit's short name>' under a unit filter."""
    st.title(f"{title} — {plan.unit(unit).short}" if unit else title)
