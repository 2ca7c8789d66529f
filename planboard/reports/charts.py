"""Charts for the printed report as PNG bytes, drawn offline with matplotlib. No SQL, no Streamlit.

DejaVu Sans is used because it has the Vietnamese glyphs (Liberation Sans lacks some). Colours follow
ui.md: the status palette (always with the status word), actual values in a neutral dark colour,
targets dashed."""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # offline, no display

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .. import fmt, labels  # noqa: E402
from ..display import ACTUAL_COLOR, STATUS_COLORS, TARGET_COLOR  # noqa: E402  (one palette, ui.md)
from ..i18n import t  # noqa: E402
from ..kpis import Result  # noqa: E402
from ..periods import quarter_end  # noqa: E402

STATUS_ORDER = ("khong_dat", "cham_tien_do", "can_chu_y", "dung_tien_do", "dat", "chua_co_du_lieu", "theo_doi")
FONT = "DejaVu Sans"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _style() -> dict:
    return {
        "font.family": FONT,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _vi_number(x: float, _pos=None, lang: str = "vi") -> str:
    return fmt.number(round(x, 1), lang=lang)


def status_counts_png(results: list[Result], lang: str = "vi") -> bytes:
    """Horizontal bars: how many indicators are in each status, each bar labelled with its word and count."""
    counts = [(s, sum(1 for r in results if r.status == s)) for s in STATUS_ORDER]
    counts = [(s, n) for s, n in counts if n]
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(6.3, 0.45 * len(counts) + 1.0))
        words = [labels.status(s, lang) for s, _ in counts]
        ax.barh(words, [n for _, n in counts], color=[STATUS_COLORS[s] for s, _ in counts])
        for i, (_, n) in enumerate(counts):
            ax.text(n + 0.1, i, str(n), va="center", fontweight="bold")
        ax.invert_yaxis()
        ax.set_xlabel(t("reports.chart.indicator_count", lang))
        ax.set_title(t("reports.chart.status_title", lang, n=len(results)))
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_xlim(0, max(n for _, n in counts) + 1)
        return _png(fig)


def _target_path(series: list[Result], year: int) -> tuple[list[dt.date], list[float]] | None:
    target = series[-1].indicator.target
    if target is None:
        return None
    if target.continuous:
        return [dt.date(year, 1, 1), dt.date(year, 12, 31)], [target.target_year, target.target_year]
    dates = [dt.date(year, 1, 1)] + [quarter_end(year, q) for q in range(1, 5)]
    return dates, [0.0, *target.quarter_targets]


def progress_png(series_by_code: dict[str, list[Result]], year: int, lang: str = "vi") -> bytes:
    """Small multiples: the cumulative actual at each month end against the cumulative quarter targets."""
    codes = list(series_by_code)
    cols = 2
    rows = (len(codes) + cols - 1) // cols
    with plt.rc_context(_style()):
        fig, axes = plt.subplots(rows, cols, figsize=(6.5, 3.0 * rows), squeeze=False)
        for ax in axes.flat[len(codes) :]:
            ax.set_visible(False)
        for ax, code in zip(axes.flat, codes, strict=False):
            series = series_by_code[code]
            last = series[-1]
            xs = [r.as_of for r in series]
            ys = [None if r.value is None else float(r.value) for r in series]
            path = _target_path(series, year)
            if path:
                ax.plot(*path, linestyle="--", color=TARGET_COLOR, linewidth=1.5, label=t("reports.chart.target", lang))
            ax.plot(
                xs,
                ys,
                color=ACTUAL_COLOR,
                marker="o",
                markersize=3.5,
                linewidth=2,
                label=t("reports.chart.actual", lang),
            )
            name = textwrap.fill(last.indicator.name(lang).removesuffix(" (%)"), 46)  # a name, not the code
            ax.set_title(
                f"{name}\n{labels.status(last.status, lang)}: {_short_value(last, lang)}",
                color=STATUS_COLORS[last.status],
                fontsize=9,
            )
            ax.set_xlim(dt.date(year, 1, 1), dt.date(year, 12, 31))
            ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(3, 6, 9, 12), bymonthday=-1))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, p: _vi_number(x, p, lang)))
            ax.set_ylabel("%" if last.is_rate else t("reports.chart.count", lang))
            ax.set_ylim(bottom=0)
            ax.grid(axis="y", color="#d0d7de", linewidth=0.6)
        handles, names = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, names, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, -0.02))
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        return _png(fig)


def _short_value(r: Result, lang: str) -> str:
    if r.is_rate:
        return fmt.rate(r.numerator, r.denominator, lang)
    return fmt.number(r.numerator, lang=lang)
