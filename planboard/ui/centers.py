"""Display pieces of the pages above one center: the centers × indicators grid, the per-center breakdown table, the
activity statuses by center (pages/compare.py) and the year-over-year table and chart (pages/years.py). Pure
functions from results to HTML, DataFrames and figures, so they are unit-testable. No SQL."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go  # noqa: TC002
import streamlit as st

from .. import fmt, labels
from ..i18n import t
from ..kpis import Result, activity_statuses
from ..org import Center
from ..plan import Indicator
from ..rollup import Rollup
from ..yoy import Comparison
from . import charts
from .components import STATUS_COLORS, level_text, styled_status, target_text, value_text

# How far behind an indicator is, worst first: the breakdown counts a center's indicators in these groups.
BEHIND = ("khong_dat", "cham_tien_do")
ATTENTION = ("can_chu_y",)
ON_TRACK = ("dat", "dung_tien_do")
GRID_CENTERS = 5  # centers per grid beside the roll-up: each column keeps ~150 px at 1366 px (more: another grid)
CELL_PX = 66  # every grid cell has this height, so the columns (built side by side) line up row by row


def _e(text) -> str:
    return html.escape(str(text))


def _fg(status: str) -> str:
    return "#24292f" if status == "chua_co_du_lieu" else "#ffffff"


def center_link(code: str, as_of, lang: str = "vi", year: int | None = None) -> dict[str, str]:
    """The query parameters of a center's own dashboard at the same as-of date (and plan year)."""
    params = {"center": code, "as_of": as_of.isoformat()}
    if year is not None:
        params["year"] = str(year)
    if lang != "vi":
        params["lang"] = lang
    return params


def center_url(code: str, as_of, lang: str = "vi", year: int | None = None) -> str:
    """The center's overview as a relative URL (for a table's link column)."""
    return "/?" + urlencode(center_link(code, as_of, lang, year))


# --- the centers × indicators grid ---------------------------------------------------------------------------


def label_cell_html(ind: Indicator, lang: str = "vi") -> str:
    """The grid's row label: the activity number and the indicator's name (at most three lines, whole on hover)."""
    name = ind.name(lang)
    return (
        f'<div title="{_e(name)}" style="height:{CELL_PX}px;box-sizing:border-box;margin-bottom:6px;'
        f"padding:4px 6px;font-size:0.85rem;line-height:1.25;color:#24292f;border-bottom:1px solid #eaeef2;"
        f'overflow:hidden;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical">'
        f"<b>{_e(ind.activity)}</b> · {_e(name)}</div>"
    )


def grid_cell_html(r: Result | None, lang: str = "vi", absent: str = "compare.not_in_plan") -> str:
    """One cell: the result on the first line, the status word on the second, on the status colour (colour never
    alone). None: the indicator is not in this center's plan (or, for the roll-up, not rolled up): `absent` says so."""
    style = (
        f"height:{CELL_PX}px;box-sizing:border-box;margin-bottom:6px;padding:6px 8px;border-radius:6px;"
        "line-height:1.3;overflow:hidden"
    )
    if r is None:
        return (
            f'<div style="{style};border:1px dashed #afb8c1;color:#57606a;font-size:0.85rem">'
            f"{_e(t(absent, lang))}</div>"
        )
    value = fmt.rate(r.numerator, r.denominator, lang) if r.is_rate else fmt.number(r.numerator, lang=lang)
    word = labels.status(r.status, lang)
    if r.is_rate and fmt.is_small(r.denominator):  # on the second line, so the first keeps its counts whole
        word += f" · {t('fmt.small_sample', lang)}"
    return (
        f'<div style="{style};background:{STATUS_COLORS[r.status]};color:{_fg(r.status)}">'
        f'<div style="font-size:0.95rem;font-weight:600;white-space:nowrap;overflow:hidden;'
        f'text-overflow:ellipsis" title="{_e(value_text(r, lang))}">{_e(value)}</div>'
        f'<div style="font-size:0.9rem">{_e(word)}</div></div>'
    )


def grid_column_html(
    indicators: list[Indicator], results: list[Result], lang: str = "vi", absent: str = "compare.not_in_plan"
) -> str:
    """A column of cells, one per indicator of `indicators` (the roll-up's or one center's results)."""
    by_code = {r.code: r for r in results}
    return "".join(grid_cell_html(by_code.get(i.code), lang, absent) for i in indicators)


def grid_labels_html(indicators: list[Indicator], lang: str = "vi") -> str:
    return "".join(label_cell_html(i, lang) for i in indicators)


def grid_indicators(r: Rollup) -> list[Indicator]:
    """The grid's rows: every indicator of the first plan, then those only other centers' plans have."""
    seen = {i.code: i for i in r.plan.indicators}
    for results in r.by_center.values():
        for res in results:
            seen.setdefault(res.code, res.indicator)
    return list(seen.values())


def indicator_name(r: Rollup, code: str, lang: str = "vi") -> str:
    """An indicator's name from whichever plan of the roll-up defines it (the code when none does)."""
    return next((i.name(lang) for i in grid_indicators(r) if i.code == code), code)


# --- the per-center breakdown -----------------------------------------------------------------------------------


def status_tally(results: list[Result]) -> tuple[int, int, int]:
    """(behind or missed, needs attention, met or on track) among a center's indicators."""
    return (
        sum(r.status in BEHIND for r in results),
        sum(r.status in ATTENTION for r in results),
        sum(r.status in ON_TRACK for r in results),
    )


def centers_behind(r: Rollup) -> list[str]:
    """The centers with at least one indicator behind or missed."""
    return [c for c, results in r.by_center.items() if status_tally(results)[0]]


def default_indicator(r: Rollup) -> str:
    """The indicator the breakdown opens on: the one the most centers are behind on (ties: plan order)."""
    codes = [i.code for i in grid_indicators(r)]
    behind = {
        code: sum(any(x.code == code and x.status in BEHIND for x in results) for results in r.by_center.values())
        for code in codes
    }
    return max(codes, key=lambda code: (behind[code], -codes.index(code)))


def _number(res: Result) -> float | None:
    """The value as a number for sorting: a rate in percent (one decimal), a count as it is."""
    if res.value is None:
        return None
    return round(float(res.value), 1) if res.is_rate else float(res.numerator)


def breakdown_frame(r: Rollup, code: str, centers: dict[str, Center], lang: str = "vi") -> pd.DataFrame:
    """One row per center: its status tally over all indicators, then the chosen indicator's value (a number,
    sortable), counts, levels and status, and the link to the center's own dashboard. Worst first."""
    rows = []
    for c, results in r.by_center.items():
        behind, attention, on_track = status_tally(results)
        res = next((x for x in results if x.code == code), None)
        center = centers.get(c)
        counts = (
            ""
            if res is None
            else fmt.number(res.numerator, lang=lang)
            + (f"/{fmt.number(res.denominator or 0, lang=lang)}" if res.is_rate else "")
        )
        rows.append(
            {
                t("compare.col_center", lang): center.name if center else c,
                t("compare.col_behind", lang): behind,
                t("compare.col_attention", lang): attention,
                t("compare.col_on_track", lang): on_track,
                t("compare.col_value", lang): None if res is None else _number(res),
                t("compare.col_counts", lang): counts,
                t("compare.col_expected", lang): "" if res is None else level_text(res, res.expected_now, lang),
                t("compare.col_target", lang): "" if res is None else target_text(res, lang),
                t("compare.col_status", lang): t("compare.not_in_plan", lang)
                if res is None
                else labels.status(res.status, lang),
                t("compare.col_link", lang): center_url(c, r.as_of, lang, r.year),
            }
        )
    frame = pd.DataFrame(rows)
    order = [t("compare.col_behind", lang), t("compare.col_attention", lang), t("compare.col_link", lang)]
    return frame.sort_values(order, ascending=[False, False, True], kind="stable").reset_index(drop=True)


def breakdown_config(lang: str = "vi") -> dict:
    """Column widths that fit the breakdown's ten columns in a 1366-px window beside the sidebar; the link column
    shows the center's code (taken from its URL)."""
    narrow = ("col_behind", "col_attention", "col_on_track", "col_value", "col_counts", "col_expected", "col_target")
    config = {
        t("compare.col_center", lang): st.column_config.Column(width=230),
        t("compare.col_status", lang): st.column_config.Column(width=110),
        t("compare.col_link", lang): st.column_config.LinkColumn(
            t("compare.col_link", lang),
            display_text=r"center=([A-Z0-9_]+)",
            width=95,
            help=t("compare.link_text", lang),
        ),
    }
    config.update({t(f"compare.{key}", lang): st.column_config.Column(width=68) for key in narrow})
    return config


def breakdown_styled(frame: pd.DataFrame, is_rate: bool, lang: str = "vi"):
    """The breakdown with the status cells in the palette and the value as ui.md writes it (75,0% or 1.234); the
    value stays a number underneath, so its column sorts by value (pass it in components.table's `plain`)."""
    value = t("compare.col_value", lang)

    def shown(x) -> str:
        if x is None or pd.isna(x):
            return ""
        return fmt.percent(x, 1, lang) if is_rate else fmt.number(x, lang=lang)

    return styled_status(frame, t("compare.col_status", lang), lang).format(shown, subset=[value])


def activity_config(frame: pd.DataFrame) -> dict:
    """The activity column wide, each status column narrow enough for the roll-up and every center to fit."""
    first, *others = frame.columns
    width = max(110, min(170, 560 // max(1, len(others))))
    return {
        first: st.column_config.Column(width=260),
        **{name: st.column_config.Column(width=width) for name in others},
    }


def activity_frame(r: Rollup, centers: dict[str, Center], lang: str = "vi") -> pd.DataFrame:
    """Activities as rows; the roll-up's status, then each center's (worst of its indicators), as status words."""
    rolled = r.activity_statuses()
    own = {c: activity_statuses(r.plan, results) for c, results in r.by_center.items()}
    rows = []
    for a in r.plan.activities:
        row = {
            t("compare.col_activity", lang): f"{a.code}. {a.name(lang)}",
            t("compare.col_rollup", lang): labels.status(rolled[a.code], lang),
        }
        for c in r.by_center:
            status = own[c].get(a.code)
            row[centers[c].name if c in centers else c] = "" if status is None else labels.status(status, lang)
        rows.append(row)
    return pd.DataFrame(rows)


# --- year over year -----------------------------------------------------------------------------------------------


def _change_text(res: Result, change, lang: str) -> str:
    if change is None:
        return ""
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    magnitude = abs(change)
    if res.is_rate:
        return t("years.points", lang, value=sign + fmt.number(float(magnitude), 1, lang))
    return sign + fmt.number(magnitude, lang=lang)


def years_frame(c: Comparison, lang: str = "vi") -> pd.DataFrame:
    """One row per plan year: the as-of date (the same day), result with counts, change on the previous year,
    expected-now and year target, status."""
    rows = []
    for y in c.years:
        rows.append(
            {
                t("years.col_year", lang): str(y.year),
                t("years.col_date", lang): fmt.date(y.at.as_of, lang),
                t("years.col_value", lang): value_text(y.at, lang),
                t("years.col_change", lang): _change_text(y.at, y.change, lang),
                t("years.col_expected", lang): level_text(y.at, y.at.expected_now, lang),
                t("years.col_target", lang): target_text(y.at, lang),
                t("years.col_status", lang): labels.status(y.at.status, lang),
            }
        )
    return pd.DataFrame(rows)


def years_chart(c: Comparison, lang: str = "vi") -> go.Figure:
    """Each year's cumulative value at its month ends on one chart: x = month, one line per year (the latest year
    darkest and solid, older years lighter and dashed, so they differ in greyscale too); each line ends with its
    year's name. Rates in percent."""
    months = [t("years.month", lang, month=m) for m in range(1, 13)]
    is_rate = bool(c.years) and c.years[0].at.is_rate
    series, hover = {}, {}
    for y in c.years:
        series[str(y.year)] = [
            None
            if (res := y.months.get(m)) is None or res.value is None
            else (round(float(res.value), 1) if is_rate else res.numerator)
            for m in range(1, 13)
        ]
        hover[str(y.year)] = [
            "" if (res := y.months.get(m)) is None else f"{y.year} · {months[m - 1]}: {value_text(res, lang)}"
            for m in range(1, 13)
        ]
    return charts.year_lines(
        months, series, hover=hover, y_title=t("years.y_rate" if is_rate else "years.y_count", lang), percent=is_rate
    )
