"""Plotly figure builders shared by pages and reports: pure functions from plain data to go.Figure.

They take labels already translated and numbers already computed; they never query, never read the plan and never
call Streamlit. One look everywhere (ui.md): Vietnamese separators, fonts readable on a projector, actual values in
a neutral dark colour, targets dashed, status colours only from components.STATUS_COLORS and never without the word.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from .components import ACTUAL_COLOR, STATUS_COLORS, TARGET_COLOR

FONT_SIZE = 15
TITLE_SIZE = 17
HEIGHT = 360
MAX_SERIES = 6
# Series of a grouped chart that carry no status (quarters, measures): light to dark, distinct in greyscale.
SERIES_COLORS = ("#9ecae1", "#4292c6", "#08519c", "#08306b", "#a1a1a1", "#525252")
# Markers of a timeline, one per unit (six at most): colour and shape both differ, so greyscale still tells them apart.
MARKER_COLORS = ("#0969da", "#1a7f37", "#8250df", "#bc4c00", "#24292f", "#6e7781")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x")
GRID_COLOR = "#eaeef2"
BAND_COLOR = "#fff8c5"  # a highlighted period (the October month of campaigns)
BAND_TEXT_COLOR = "#7d4e00"


MEMO_ENTRIES = 64  # figures kept per builder
MEMO_MAX_BYTES = 1 << 20  # arguments larger than this (pickled) are not kept: a large figure is built each time


def _memo(builder: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """The builders are pure functions of plain data, so the same arguments give the same figure: keep the last
    MEMO_ENTRIES figures of each builder as plain dicts and hand back a new Figure made from one without plotly's
    property checks (it checks every property as a figure is built: 10-40 ms a chart, most of a warm page's time;
    from a dict it already checked, 1-2 ms). A warm page (another reader, a rerun) builds no chart again. Callers
    get their own Figure each time: changing it (mark_notes) never changes what is kept."""
    kept: OrderedDict[bytes, dict] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(builder)
    def wrapper(*args, **kwargs) -> go.Figure:
        key = pickle.dumps((args, sorted(kwargs.items())), protocol=pickle.HIGHEST_PROTOCOL)
        with lock:
            spec = kept.get(key)
            if spec is not None:
                kept.move_to_end(key)
        if spec is None:
            spec = builder(*args, **kwargs).to_plotly_json()
            if len(key) <= MEMO_MAX_BYTES:
                with lock:
                    kept[key] = spec
                    while len(kept) > MEMO_ENTRIES:
                        kept.popitem(last=False)
        return go.Figure(spec, _validate=False)  # plotly copies the dict it is given (a test checks)

    return wrapper


def _layout(
    fig: go.Figure,
    *,
    title: str | None,
    y_title: str,
    x_title: str | None = None,
    percent: bool = False,
    height: int = HEIGHT,
    barmode: str | None = None,
    max_value: float | None = None,
) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}} if title else None,
        separators=",.",
        font={"size": FONT_SIZE, "color": ACTUAL_COLOR},
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.14,
            "xanchor": "left",
            "x": 0,
            "font": {"size": FONT_SIZE - 1},
        },
        hoverlabel={"font": {"size": FONT_SIZE}},
        plot_bgcolor="#ffffff",
        barmode=barmode,
    )
    fig.update_xaxes(
        title={"text": x_title, "font": {"size": FONT_SIZE}} if x_title else None,
        tickfont={"size": FONT_SIZE - 1},
        type="category",
        showgrid=False,
        linecolor="#afb8c1",
    )
    fig.update_yaxes(
        title={"text": y_title, "font": {"size": FONT_SIZE}},
        tickfont={"size": FONT_SIZE - 1},
        gridcolor=GRID_COLOR,
        rangemode="tozero",
        zerolinecolor="#afb8c1",
        ticksuffix="%" if percent else None,
    )
    if percent:
        fig.update_yaxes(range=[0, 105])
    else:
        count_axis(fig, max_value)
    return fig


def count_axis(fig: go.Figure, max_value: float | None) -> None:
    """A y axis of counts: whole numbers with the Vietnamese thousands separator, never 0,5 (a step of 1 up to 6)."""
    fig.update_yaxes(tickformat=",d", dtick=1 if max_value is not None and max_value <= 6 else None)


def _max(*columns: Sequence[float | None] | None) -> float:
    return max((v for col in columns if col is not None for v in col if v is not None), default=0)


@_memo
def cumulative_chart(
    x_labels: Sequence[str],
    actual: Sequence[float | None],
    *,
    names: dict[str, str],
    y_title: str,
    target_levels: Sequence[float] | None = None,
    target_year: float | None = None,
    hover: Sequence[str] | None = None,
    customdata: Sequence | None = None,
    status: str | None = None,
    status_word: str | None = None,
    percent: bool = False,
    title: str | None = None,
) -> go.Figure:
    """Cumulative actual by date against the cumulative target (dashed step line) and the year target (dashed).

    names: {"actual": ..., "target": ..., "year": ...} legend labels. target_levels: one level per x (each date's
    Result.expected_now); a continuous target passes only target_year (a flat line). The last point is marked in the
    status colour with the status word beside it (colour never alone)."""
    fig = go.Figure()
    x = list(x_labels)
    cd = list(customdata) if customdata is not None else None
    # Target lines take no hover: a click must land on an actual point (line-only traces cannot be selected), so
    # the target level belongs in the actual point's hover text.
    if target_levels is not None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=list(target_levels),
                name=names["target"],
                mode="lines",
                hoverinfo="skip",
                line={"color": TARGET_COLOR, "dash": "dash", "width": 2, "shape": "hv"},
            )
        )
    if target_year is not None:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[target_year] * len(x),
                name=names["year"],
                mode="lines",
                line={"color": TARGET_COLOR, "dash": "dot", "width": 2},
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=list(actual),
            name=names["actual"],
            mode="lines+markers",
            line={"color": ACTUAL_COLOR, "width": 3},
            marker={"size": 10, "color": ACTUAL_COLOR},
            customdata=cd,
            text=list(hover) if hover is not None else None,
            hovertemplate=("%{text}" if hover is not None else "%{x}: %{y}") + "<extra></extra>",
            connectgaps=False,
        )
    )
    last = next((i for i in range(len(x) - 1, -1, -1) if actual[i] is not None), None)
    if status and last is not None:
        color = STATUS_COLORS[status]
        fig.add_trace(
            go.Scatter(
                x=[x[last]],
                y=[actual[last]],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                customdata=[cd[last]] if cd is not None else None,
                marker={"size": 16, "color": color, "line": {"color": "#ffffff", "width": 2}},
            )
        )
        if status_word:
            fig.add_annotation(
                x=x[last],
                y=actual[last],
                text=f"<b>{status_word}</b>",
                showarrow=True,
                arrowhead=0,
                ax=-40,
                ay=-36,
                font={"color": color, "size": FONT_SIZE},
                bgcolor="#ffffff",
                bordercolor=color,
                borderwidth=1,
            )
    return _layout(
        fig,
        title=title,
        y_title=y_title,
        percent=percent,
        max_value=_max(actual, target_levels, [target_year] if target_year is not None else None),
    )


@_memo
def quarter_bars(
    x_labels: Sequence[str],
    actual: Sequence[float | None],
    *,
    names: dict[str, str],
    y_title: str,
    target: Sequence[float | None] | None = None,
    hover: Sequence[str] | None = None,
    customdata: Sequence | None = None,
    percent: bool = False,
    title: str | None = None,
    labels: Sequence[str] | None = None,
    target_labels: Sequence[str] | None = None,
) -> go.Figure:
    """Per-quarter bars: the actual (dark) beside the quarter's target (light, dashed outline), each with its value
    printed above it (`labels`, `target_labels`: the texts as ui.md writes them; a projector shows no hover).

    names: {"actual": ..., "target": ...}. For counts pass increments (pace.increments), for rates levels."""
    fig = go.Figure()
    x = list(x_labels)
    printed = {"textposition": "outside", "cliponaxis": False, "textfont": {"size": FONT_SIZE - 1}}
    fig.add_trace(
        go.Bar(
            x=x,
            y=list(actual),
            name=names["actual"],
            marker={"color": ACTUAL_COLOR},
            customdata=list(customdata) if customdata is not None else None,
            text=list(labels) if labels is not None else None,
            **printed,
            hovertext=list(hover) if hover is not None else None,
            hovertemplate=("%{hovertext}" if hover is not None else "%{x}: %{y}") + "<extra></extra>",
        )
    )
    if target is not None:
        fig.add_trace(
            go.Bar(
                x=x,
                y=list(target),
                name=names["target"],
                marker={
                    "color": "rgba(110,119,129,0.18)",
                    "line": {"color": TARGET_COLOR, "width": 2},
                    "pattern": {"shape": "/", "fgcolor": TARGET_COLOR, "size": 8, "solidity": 0.15},
                },
                customdata=list(customdata) if customdata is not None else None,
                text=list(target_labels) if target_labels is not None else None,
                **printed,
                hovertemplate="%{x}: %{y}<extra>" + names["target"] + "</extra>",
            )
        )
    fig = _layout(fig, title=title, y_title=y_title, percent=percent, barmode="group", max_value=_max(actual, target))
    if percent:
        fig.update_yaxes(range=[0, 118])  # room above a 100% bar for its printed value
    return fig


NOTE_COLOR = "#8250df"  # annotations: no status colour (ui.md), readable on a projector


def mark_notes(
    fig: go.Figure,
    x_labels: Sequence[str],
    dates: Sequence[dt.date],
    notes: Sequence[tuple[dt.date, str]],
    *,
    one: str,
    many: str,
) -> go.Figure:
    """Annotations on a chart by date (x_labels[i] shows the period ending dates[i], ascending): each note goes to the
    first point whose date is on or after its own, as a dotted vertical line with a flag at the top of the plot — `one`
    ('✎ {date}') for a single note, `many` ('✎ {n} ghi chú') for several — whose hover shows every note of the point
    ('06/06: đợt cao điểm'). Notes after the last date are not drawn. Every chart that shows an indicator draws its
    notes with this one helper."""
    x, marks = list(x_labels), {}
    for on, text in sorted(notes, key=lambda n: n[0]):
        i = next((i for i, d in enumerate(dates) if d >= on), None)
        if i is not None:
            marks.setdefault(x[i], []).append((on, text))
    for label, found in marks.items():
        fig.add_shape(
            type="line",
            x0=label,
            x1=label,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line={"color": NOTE_COLOR, "width": 2, "dash": "dot"},
        )
        flag = one.format(date=found[0][0].strftime("%d/%m")) if len(found) == 1 else many.format(n=len(found))
        fig.add_annotation(
            x=label,
            xref="x",
            y=1,
            yref="paper",
            yanchor="top",
            text=html.escape(flag),
            hovertext="<br>".join(html.escape(f"{on.strftime('%d/%m/%Y')}: {text}") for on, text in found),
            showarrow=False,
            font={"color": NOTE_COLOR, "size": FONT_SIZE - 1},
            bgcolor="#ffffff",
        )
    return fig


@_memo
def side_by_side(left: go.Figure, right: go.Figure, widths: tuple[float, float] = (0.58, 0.42)) -> go.Figure:
    """Two charts as one figure (one plot in the browser instead of two: each plot costs the page its own render):
    `left`'s traces, axes and annotations on the left, `right`'s on the right, their titles above them."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=list(widths),
        horizontal_spacing=0.1,
        subplot_titles=[left.layout.title.text or "", right.layout.title.text or ""],
    )
    for col, part in ((1, left), (2, right)):
        for trace in part.data:
            fig.add_trace(trace, row=1, col=col)
        for axis in ("xaxis", "yaxis"):
            props = part.layout[axis].to_plotly_json()
            props.pop("domain", None)
            props.pop("anchor", None)
            fig.layout[axis if col == 1 else f"{axis}2"].update(props)
    for note in fig.layout.annotations[:2]:  # the subplot titles
        note.font = {"size": TITLE_SIZE}
    for note in left.layout.annotations:
        fig.add_annotation(note)
    for shape in left.layout.shapes:  # annotation markers (mark_notes)
        fig.add_shape(shape)
    for note in right.layout.annotations:  # on the right-hand axes
        fig.add_annotation(note.update(xref="x2", yref="y2" if note.yref in (None, "y") else note.yref))
    for shape in right.layout.shapes:
        fig.add_shape(shape.update(xref="x2", yref="y2" if shape.yref in (None, "y") else shape.yref))
    fig.update_layout(
        separators=",.",
        font=left.layout.font,
        height=left.layout.height,
        legend=left.layout.legend,
        hoverlabel=left.layout.hoverlabel,
        plot_bgcolor="#ffffff",
        barmode="group",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


@_memo
def grouped_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    y_title: str,
    x_title: str | None = None,
    customdata: Sequence | None = None,
    colors: Sequence[str] | None = None,
    title: str | None = None,
    height: int = HEIGHT,
) -> go.Figure:
    """Bars grouped by category (e.g. units), one series per group member (e.g. quarters), at most six series.

    customdata: one value per category (e.g. the unit code) attached to every bar of that category, so a click
    tells which category was chosen."""
    if len(series) > MAX_SERIES:
        raise ValueError(f"at most {MAX_SERIES} series per chart, got {len(series)}")
    palette = list(colors or SERIES_COLORS)
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        fig.add_trace(
            go.Bar(
                x=list(categories),
                y=list(values),
                name=name,
                marker={"color": palette[i % len(palette)]},
                customdata=list(customdata) if customdata is not None else None,
                text=list(values),
                textposition="outside",
                textfont={"size": FONT_SIZE - 1},
                hovertemplate="%{x} · " + name + ": %{y}<extra></extra>",
            )
        )
    return _layout(
        fig,
        title=title,
        y_title=y_title,
        x_title=x_title,
        barmode="group",
        height=height,
        max_value=_max(*series.values()),
    )


@_memo
def year_lines(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    y_title: str,
    hover: dict[str, Sequence[str]] | None = None,
    percent: bool = False,
    title: str | None = None,
) -> go.Figure:
    """One line per year over the same x (months): the latest year (the last key) darkest, solid and thickest, older
    years lighter and dashed, so they differ without colour too; the legend names the years. Years carry no
    status: the neutral series colours, at most MAX_SERIES lines (the latest ones)."""
    fig = go.Figure()
    names = list(series)[-MAX_SERIES:]
    dashes = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
    for age, name in enumerate(reversed(names)):
        color = ACTUAL_COLOR if age == 0 else SERIES_COLORS[max(0, 3 - age)]
        text = list(hover[name]) if hover and name in hover else None
        fig.add_trace(
            go.Scatter(
                x=list(x_labels),
                y=list(series[name]),
                name=name,
                mode="lines+markers",
                text=text,
                hovertemplate=("%{text}" if text else "%{x}: %{y}") + "<extra></extra>",
                connectgaps=False,
                line={"color": color, "width": 3 if age == 0 else 2, "dash": dashes[age]},
                marker={"size": 9 if age == 0 else 7, "color": color},
            )
        )
    return _layout(fig, title=title, y_title=y_title, percent=percent, max_value=_max(*series.values()))


def clicked(state, index: int = 0):
    """The customdata of the first point chosen in a plotly selection state (st.plotly_chart's return), or None."""
    try:
        points = state["selection"]["points"]
    except (KeyError, TypeError):
        return None
    if not points:
        return None
    point = points[index]
    value = point.get("customdata")
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    return value


@_memo
def breakdown_bars(
    bars: dict[str, tuple[Sequence[str], Sequence[float], Sequence[str]]],
    *,
    categories: Sequence[str],
    x_title: str,
    y_title: str,
    legend_title: str | None = None,
    percent: bool = False,
    height: int = 420,
) -> go.Figure:
    """Bars of a breakdown: {series name: (x labels, values, printed texts)}. Without `legend_title` one series in the
    actual colour; with it, a grouped series per value of the second dimension (at most MAX_SERIES, the caller cuts).
    `categories` orders the x axis."""
    fig = go.Figure()
    grouped = legend_title is not None
    for i, (name, (x, y, text)) in enumerate(bars.items()):
        fig.add_trace(
            go.Bar(
                x=list(x),
                y=list(y),
                text=list(text),
                textposition="outside",
                name=name,
                marker_color=SERIES_COLORS[i % len(SERIES_COLORS)] if grouped else ACTUAL_COLOR,
                hovertemplate=("%{x} · %{fullData.name}: %{text}" if grouped else "%{x}: %{text}") + "<extra></extra>",
            )
        )
    fig.update_layout(
        separators=",.",
        height=height,
        font={"size": FONT_SIZE, "color": ACTUAL_COLOR},
        barmode="group",
        plot_bgcolor="#ffffff",
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0,
            "title": {"text": legend_title} if grouped else None,
        },
        hoverlabel={"font": {"size": FONT_SIZE}},
        dragmode=False,
    )
    fig.update_xaxes(
        type="category",
        title={"text": x_title, "font": {"size": FONT_SIZE}},
        tickfont={"size": FONT_SIZE - 1},
        categoryorder="array",
        categoryarray=list(dict.fromkeys(categories)),
    )
    fig.update_yaxes(
        title={"text": y_title, "font": {"size": FONT_SIZE}},
        tickfont={"size": FONT_SIZE - 1},
        gridcolor=GRID_COLOR,
        rangemode="tozero",
        ticksuffix="%" if percent else None,
    )
    if not percent:  # counts and sums
        count_axis(fig, _max(*(y for _, y, _ in bars.values())))
    return fig


@_memo
def timeline(
    series: dict[str, tuple[Sequence, Sequence[str], Sequence[str]]],
    *,
    rows: Sequence[str],
    year: int,
    x_title: str,
    y_title: str,
    days: Sequence[tuple[dt.date, str]] = (),
    band: tuple[dt.date, dt.date, str] | None = None,
) -> go.Figure:
    """Dated markers by row over a year: {series name (a unit): (dates, row labels, hover texts)}, each series in
    its own colour and shape; `rows` top to bottom; `days` dashed lines with their label on top (occasions);
    `band` a highlighted period (first day, last day, label at its foot)."""
    fig = go.Figure()
    if band is not None:
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor=BAND_COLOR, opacity=0.6, line_width=0, layer="below")
    for day, label in days:
        fig.add_vline(x=day, line={"color": TARGET_COLOR, "dash": "dash", "width": 2})
        fig.add_annotation(
            x=day,
            y=1.0,
            yref="paper",
            text=f"<b>{label}</b>",
            showarrow=False,
            yanchor="bottom",
            font={"size": FONT_SIZE - 1, "color": ACTUAL_COLOR},
            bgcolor="#ffffff",
        )
    if band is not None:
        first, last, band_label = band
        fig.add_annotation(
            x=first + (last - first) / 2,
            y=0.0,
            yref="paper",
            text=band_label,
            showarrow=False,
            yanchor="bottom",
            font={"size": FONT_SIZE - 1, "color": BAND_TEXT_COLOR},
        )
    for i, (name, (x, y, text)) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=list(y),
                mode="markers",
                name=name,
                marker={
                    "size": 13,
                    "color": MARKER_COLORS[i % len(MARKER_COLORS)],
                    "line": {"color": "#ffffff", "width": 1},
                    "symbol": MARKER_SYMBOLS[i % len(MARKER_SYMBOLS)],
                },
                text=list(text),
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(
        separators=",.",
        height=120 + 60 * len(rows),
        font={"size": FONT_SIZE},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0, "font": {"size": FONT_SIZE - 1}},
        hoverlabel={"font": {"size": FONT_SIZE}},
    )
    fig.update_xaxes(
        title={"text": x_title, "font": {"size": FONT_SIZE}},
        tickfont={"size": FONT_SIZE - 1},
        tickformat="%d/%m",
        dtick="M1",
        range=[dt.date(year, 1, 1) - dt.timedelta(days=3), dt.date(year, 12, 31) + dt.timedelta(days=3)],
        gridcolor=GRID_COLOR,
    )
    fig.update_yaxes(
        title={"text": y_title, "font": {"size": FONT_SIZE}},
        tickfont={"size": FONT_SIZE - 1},
        categoryorder="array",
        categoryarray=list(reversed(rows)),
        gridcolor=GRID_COLOR,
    )
    return fig
