"""Display pieces of the leadership pages (activity cards, progress bars, status counts, the action list, the
quarter scorecard) as pure functions returning HTML or text, so they are unit-testable. No SQL."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass
from fractions import Fraction

from .. import fmt, labels, pace
from ..i18n import catalog, t
from ..kpis import Result
from ..meetings import Baseline
from ..periods import quarter_end, quarter_of, quarter_start
from ..plan import Activity, Indicator, Plan
from ..status import ORDER
from .components import STATUS_COLORS, level_text, status_pill, value_text

DARK = "#24292f"
MUTED = "#57606a"
TRACK = "#eaeef2"
# Best first, as leadership reads a summary line ("2 Đạt · 3 Đúng tiến độ · 1 Chậm tiến độ").
COUNT_ORDER = tuple(reversed(ORDER)) + ("chua_co_du_lieu", "theo_doi")
# What needs action, worst first; "no data" last because it may simply mean no request yet.
ACTION_ORDER = ("khong_dat", "cham_tien_do", "can_chu_y", "chua_co_du_lieu")


def _e(text: str) -> str:
    return html.escape(str(text))


def _text_color(code: str) -> str:
    return DARK if code == "chua_co_du_lieu" else "#ffffff"


def key_indicator(plan: Plan, activity: str) -> Indicator:
    """The indicator a card shows large: the activity's first one with a Center target (else its first one)."""
    inds = plan.indicators_of(activity)
    return next((i for i in inds if i.target is not None), inds[0])


# --- status counts -------------------------------------------------------------------------------------------


def count_pill(code: str, n: int, lang: str = "vi") -> str:
    """A pill with the number and the status word, in the status colour."""
    return (
        f'<span style="background:{STATUS_COLORS[code]};color:{_text_color(code)};padding:3px 12px;'
        f'border-radius:999px;font-weight:600;white-space:nowrap;margin-right:6px">'
        f"{n} {_e(labels.status(code, lang))}</span>"
    )


def status_counts(statuses: dict[str, str]) -> list[tuple[str, int]]:
    """[(status, how many activities)] best first, only the statuses that occur."""
    values = list(statuses.values())
    return [(c, values.count(c)) for c in COUNT_ORDER if values.count(c)]


def status_counts_text(statuses: dict[str, str], lang: str = "vi") -> str:
    """'2 Đạt · 3 Đúng tiến độ · 1 Chậm tiến độ' (the words; colours come with status_counts_html)."""
    return " · ".join(f"{n} {labels.status(c, lang)}" for c, n in status_counts(statuses))


def status_counts_html(statuses: dict[str, str], lang: str = "vi") -> str:
    pills = "".join(count_pill(c, n, lang) for c, n in status_counts(statuses))
    return f'<div style="font-size:1.1rem;line-height:2.2" aria-label="{_e(status_counts_text(statuses, lang))}">{pills}</div>'


# --- progress bar --------------------------------------------------------------------------------------------


def share_of_target(r: Result) -> Fraction | None:
    """value ÷ target_year (1 = the year target reached), uncapped; None without a target or a value."""
    if r.target_year is None or r.value is None or not r.target_year:
        return None
    return r.value / Fraction(str(r.target_year))


def tick_position(expected: float | None, target_year: float | None) -> float | None:
    """Where the expected-now tick sits on the bar, in % of its width (12 of 24 -> 50.0)."""
    if expected is None or not target_year:
        return None
    return max(0.0, min(100.0, 100.0 * float(expected) / float(target_year)))


def fill_width(r: Result) -> float:
    """The bar's filled width in % (capped at 100)."""
    share = share_of_target(r)
    return 0.0 if share is None else max(0.0, min(100.0, 100.0 * float(share)))


def progress_bar_html(r: Result, lang: str = "vi") -> str:
    """A bar toward the year target in the status colour, a dark tick at the expected-now level, and the words."""
    if r.target_year is None:
        return ""
    color = STATUS_COLORS[r.status]
    width = fill_width(r)
    tick = tick_position(r.expected_now, r.target_year)
    share = share_of_target(r)
    share_text = "–" if share is None else fmt.percent(100 * share, 0, lang)
    caption = t("overview.of_target", lang, share=share_text)
    tick_html = ""
    if tick is not None:
        tick_html = (
            f'<div title="{_e(t("overview.tick_title", lang))}" style="position:absolute;left:{tick:.1f}%;'
            f"top:-5px;width:4px;height:24px;background:{DARK};transform:translateX(-50%);"
            f'border-radius:1px"></div>'
        )
    return (
        f'<div role="img" aria-label="{_e(caption)} · {_e(labels.status(r.status, lang))}" '
        f'style="position:relative;height:14px;background:{TRACK};border-radius:7px;margin:14px 0 6px">'
        f'<div style="width:{width:.1f}%;height:100%;background:{color};border-radius:7px"></div>{tick_html}</div>'
        f'<div style="font-size:0.9rem;color:{MUTED}">{_e(caption)} · '
        f'<b style="color:{color if r.status != "chua_co_du_lieu" else MUTED}">{_e(labels.status(r.status, lang))}</b></div>'
    )


# --- change since the last meeting or the previous month end ---------------------------------------------------------------------


def _signed(x: float, decimals: int, lang: str) -> str:
    sign = "+" if x > 0 else "−" if x < 0 else "±"
    return sign + fmt.number(round(abs(x), decimals), decimals, lang)


def change_text(r: Result, previous: Baseline | Result | None, lang: str = "vi") -> str:
    """'+3 so với 31/05/2024' (count) or '+8,3 điểm % so với 31/05/2024' (rate) against the previous month end (a
    Baseline, or that date's Result); against the last meeting's frozen numbers '+3 so với cuộc họp ngày 05/06/2024'
    and, when the status moved, ' · Chậm tiến độ → Đúng tiến độ'; '' when there is nothing to compare with (January,
    or a rate without a denominator at either date)."""
    baseline = Baseline.recomputed([previous]) if isinstance(previous, Result) else previous
    change = None if baseline is None else baseline.change(r)
    if change is None:
        return ""
    meeting = baseline.meeting
    when = (
        fmt.date(baseline.as_of, lang)
        if meeting is None
        else t("overview.since_meeting", lang, date=fmt.date(meeting.held_on, lang))
    )
    if r.is_rate:
        if change.delta is None:
            return ""
        diff = float(change.delta)
        if round(diff, 1) == 0:
            text = t("overview.change_none", lang, date=when)
        else:
            text = t("overview.change_pp", lang, delta=_signed(diff, 1, lang), date=when)
    else:
        diff = change.now.numerator - change.before.numerator
        if diff == 0:
            text = t("overview.change_none", lang, date=when)
        else:
            text = t("overview.change", lang, delta=_signed(diff, 0, lang), date=when)
    if meeting is not None and change.status_changed:
        text += f" · {labels.status(change.before.status, lang)} → {labels.status(change.now.status, lang)}"
    return text


# --- activity card -------------------------------------------------------------------------------------------


def target_line(r: Result, lang: str = "vi") -> str:
    """'Mục tiêu năm: 24 · Cần đạt đến nay: 12' (+ ' · mục tiêu tham chiếu' for an assumed target)."""
    if r.target_year is None:
        return t("overview.no_target", lang)
    text = t(
        "overview.target_line", lang, year=level_text(r, r.target_year, lang), now=level_text(r, r.expected_now, lang)
    )
    if r.indicator.source == "assumed":
        text += f" · {t('overview.assumed', lang)}"
    return text


def role_of(a: Activity, unit: str | None) -> str | None:
    """'lead', 'coordinating' or None: the unit's role in the activity."""
    if unit is None:
        return None
    if unit in a.lead:
        return "lead"
    if unit in a.coordinating:
        return "coordinating"
    return None


def activity_card_html(
    plan: Plan,
    a: Activity,
    act_status: str,
    results: dict[str, Result],
    previous: Baseline | None,
    lang: str = "vi",
    unit: str | None = None,
    unit_results: dict[str, Result] | None = None,
) -> str:
    """One activity card: number and short title, lead units, status pill, the key figure large, target and
    expected-now small, progress bar, change since the last meeting (or month end), the other indicators small; under a unit
    filter also the unit's role and its contribution to the key figure."""
    key = key_indicator(plan, a.code)
    r = results[key.code]
    small = ""
    if r.is_rate and fmt.is_small(r.denominator):
        small = (
            f' <span style="font-size:0.95rem;color:{MUTED};font-weight:400">· {_e(t("fmt.small_sample", lang))}</span>'
        )
    figure = fmt.rate(r.numerator, r.denominator, lang) if r.is_rate else fmt.number(r.numerator, lang=lang)
    change = change_text(r, previous, lang)
    # Blocks that wrap differently from card to card (title, indicator label, target line) keep a two-line minimum
    # height, so the key figures and bars of a row of cards line up; the pill has its own line, so a long title is
    # not squeezed into three lines beside it on a laptop.
    parts = [
        f'<div style="font-size:1.2rem;font-weight:700;min-height:2.6em;line-height:1.3">'
        f"{_e(a.code)}. {_e(a.name(lang))}</div>",
        f'<div style="margin-top:6px">{status_pill(act_status, lang)}</div>',
        f'<div style="font-size:0.95rem;color:{MUTED};margin-top:4px">'
        f"{_e(t('overview.lead', lang, units=labels.unit_shorts(plan, a.lead)))}</div>",
    ]
    role = role_of(a, unit)
    if unit is not None:
        role_text = t(f"overview.role_{role or 'none'}", lang, unit=plan.unit(unit).short)
        parts.append(f'<div style="font-size:0.95rem;color:{DARK};margin-top:2px"><b>{_e(role_text)}</b></div>')
    parts += [
        f'<div style="font-size:0.95rem;color:{MUTED};margin-top:10px;line-height:1.5;min-height:3em">'
        f"{_e(key.name(lang))}</div>",
        f'<div style="font-size:2.1rem;font-weight:700;color:{DARK};line-height:1.2">{_e(figure)}{small}</div>',
        f'<div style="font-size:0.95rem;color:{MUTED};line-height:1.5;min-height:3em">{_e(target_line(r, lang))}</div>',
        progress_bar_html(r, lang),
    ]
    if change:
        parts.append(f'<div style="font-size:0.95rem;color:{DARK};margin-top:4px">{_e(change)}</div>')
    if unit is not None and unit_results and key.code in unit_results:
        ur = unit_results[key.code]
        contrib = t("overview.contribution", lang, unit=plan.unit(unit).short, value=value_text(ur, lang))
        if ur.status != "theo_doi":
            contrib += f" · {labels.status(ur.status, lang)}"
        parts.append(f'<div style="font-size:0.95rem;color:{DARK};margin-top:4px">{_e(contrib)}</div>')
    others = [i for i in plan.indicators_of(a.code) if i.code != key.code]
    if others:
        rows = "".join(other_indicator_html(results[i.code], lang) for i in others)
        parts.append(f'<div style="margin-top:10px;border-top:1px solid {TRACK};padding-top:6px">{rows}</div>')
    return "".join(parts)


def other_indicator_html(r: Result, lang: str = "vi") -> str:
    """A small line: label — value · status word (in its colour)."""
    color = STATUS_COLORS[r.status] if r.status != "chua_co_du_lieu" else MUTED
    return (
        f'<div style="font-size:0.9rem;color:{MUTED};line-height:1.4;margin-top:3px">'
        f'{_e(r.indicator.name(lang))}: <b style="color:{DARK}">{_e(value_text(r, lang))}</b> · '
        f'<b style="color:{color}">{_e(labels.status(r.status, lang))}</b></div>'
    )


# --- what needs action ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionItem:
    result: Result
    level: float | None  # the level the indicator should be at
    level_kind: str  # 'expected', 'due', 'year' or 'none'
    gap: int | None  # how many more (events, served requests, trained people) reach the level
    gap_points: float | None  # for a rate, percentage points below the level

    @property
    def code(self) -> str:
        return self.result.code


def action_item(r: Result) -> ActionItem | None:
    """The action row of an indicator that needs it (statuses of ACTION_ORDER), else None."""
    if r.status not in ACTION_ORDER:
        return None
    g = pace.gap(r)
    if g is None:
        return ActionItem(r, None, "none", None, None)
    return ActionItem(r, g.level.value, g.level.kind, g.count, g.points)


def action_items(results: list[Result]) -> list[ActionItem]:
    """Everything that needs action, worst status first, then the largest shortfall relative to its level."""
    items = [i for i in (action_item(r) for r in results) if i is not None]

    def shortfall(i: ActionItem) -> float:
        if i.level in (None, 0):
            return 0.0
        if i.gap_points is not None:
            return i.gap_points / float(i.level)
        return (i.gap or 0) / float(i.level)

    return sorted(items, key=lambda i: (ACTION_ORDER.index(i.result.status), -shortfall(i)))


def noun(code: str, lang: str = "vi") -> str:
    """The word a gap counts in for this indicator ('buổi'), from the locale; '' when the plan's code has none."""
    return catalog(lang).get(f"overview.noun.{code}") or catalog("vi").get(f"overview.noun.{code}") or ""


def gap_text(item: ActionItem, lang: str = "vi") -> str:
    """'còn thiếu 2 buổi' / 'còn thiếu 3 yêu cầu được đáp ứng (25,0 điểm %)'."""
    if item.level_kind == "none":
        return t("overview.gap_no_data", lang)
    n = item.gap or 0
    text = t("overview.gap", lang, n=fmt.number(n, lang=lang), noun=noun(item.code, lang)).replace("  ", " ").strip()
    if item.gap_points is not None:
        text += " " + t("overview.gap_points", lang, points=fmt.number(round(item.gap_points, 1), 1, lang))
    return text


def level_line(item: ActionItem, plan: Plan, lang: str = "vi") -> str:
    """'Kết quả 0 · Cần đạt đến nay: 1 · còn thiếu 1 văn bản'."""
    r = item.result
    parts = [t("overview.action_value", lang, value=value_text(r, lang))]
    if item.level_kind == "due":
        q = quarter_of(r.as_of)
        parts.append(
            t(
                "overview.level_due",
                lang,
                quarter=fmt.quarter_label(r.as_of.year, q, lang),
                level=level_text(r, item.level, lang),
            )
        )
    elif item.level_kind in ("expected", "year"):
        parts.append(t(f"overview.level_{item.level_kind}", lang, level=level_text(r, item.level, lang)))
    parts.append(gap_text(item, lang))
    return " · ".join(parts)


def action_row_html(item: ActionItem, plan: Plan, lang: str = "vi") -> str:
    """One row of 'Cần xử lý': status pill, indicator, value vs level and gap, the lead units of its activity."""
    r = item.result
    a = plan.activity(r.indicator.activity)
    return (
        f'<div style="line-height:1.45">{status_pill(r.status, lang)} '
        f'<span style="font-size:1.05rem;font-weight:600">{_e(a.code)} · {_e(r.indicator.name(lang))}</span>'
        f'<div style="font-size:1rem;color:{DARK};margin-top:2px">{_e(level_line(item, plan, lang))}</div>'
        f'<div style="font-size:0.95rem;color:{MUTED}">{_e(t("overview.responsible", lang, units=labels.unit_shorts(plan, a.lead)))}</div>'
        f"</div>"
    )


# --- quarter scorecard ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterCell:
    quarter: int
    date: dt.date | None  # the date read (quarter end, or as_of in the running quarter); None = not yet
    result: Result | None
    partial: bool  # the running quarter, read at as_of
    increment: int | None  # the count added during the quarter (None for rates or quarters not begun)
    increment_target: float | None


def quarter_dates(plan: Plan, as_of: dt.date) -> dict[int, dt.date]:
    """{quarter: the date its cell is read at} for the quarters begun by as_of (the running one at as_of)."""
    return {q: min(quarter_end(plan.year, q), as_of) for q in range(1, 5) if quarter_start(plan.year, q) <= as_of}


def quarter_cells(plan: Plan, by_date: dict[dt.date, list[Result]], as_of: dt.date) -> dict[str, list[QuarterCell]]:
    """{indicator code: [cell of Quý I..IV]} from results at the quarter dates (data.indicators_many)."""
    dates = quarter_dates(plan, as_of)
    out: dict[str, list[QuarterCell]] = {}
    for idx, ind in enumerate(plan.indicators):
        results = [by_date[dates[q]][idx] for q in range(1, 5) if q in dates]
        assert all(r.code == ind.code for r in results)
        counts = None if ind.kind == "rate" else pace.increments([r.numerator for r in results])
        targets = (
            None if ind.kind == "rate" or not results else pace.increment_targets(ind.target_for(results[0].department))
        )
        cells = []
        for q in range(1, 5):
            if q not in dates:
                cells.append(QuarterCell(q, None, None, False, None, None))
                continue
            d = dates[q]
            inc = None if counts is None else counts[q - 1]
            inc_target = None if targets is None else targets[q - 1]
            cells.append(QuarterCell(q, d, results[q - 1], d < quarter_end(plan.year, q), inc, inc_target))
        out[ind.code] = cells
    return out


def cumulative_cell_text(cell: QuarterCell, lang: str = "vi") -> tuple[str, list[str]]:
    """(main text, small lines) of a cumulative cell: ('16 / 18', ['Chậm tiến độ']) for a count;
    ('14/16 (87,5%)', ['cần 100,0%', 'Chậm tiến độ · đến 15/08']) for a rate."""
    if cell.result is None:
        return "—", [t("quarters.not_yet", lang)]
    r = cell.result
    level = r.due_quarter if r.target_year is not None else None
    lines = []
    if r.is_rate:
        main = fmt.rate(r.numerator, r.denominator, lang)
        sub = [t("fmt.small_sample", lang)] if fmt.is_small(r.denominator) else []
        if level is not None:
            sub.append(t("quarters.level", lang, level=level_text(r, level, lang)))
        if sub:
            lines.append(" · ".join(sub))
    else:
        main = fmt.number(r.numerator, lang=lang)
        if level is not None:
            main += f" / {level_text(r, level, lang)}"
    status_line = labels.status(r.status, lang)
    if cell.partial:
        status_line += " · " + t("quarters.until", lang, date=cell.date.strftime("%d/%m"))
    return main, lines + [status_line]


def increment_cell_text(cell: QuarterCell, lang: str = "vi") -> tuple[str, list[str]]:
    """(main, small lines) of an increment cell: ('4 / 6', ['thiếu 2']); rates are cumulative only."""
    if cell.result is None:
        return "—", [t("quarters.not_yet", lang)]
    if cell.increment is None:
        return "–", [t("quarters.rate_cumulative", lang)]
    main = fmt.number(cell.increment, lang=lang)
    if cell.increment_target is None:
        small = t("quarters.no_quarter_target", lang)
    else:
        main += f" / {fmt.number(cell.increment_target, lang=lang)}"
        short = cell.increment_target - cell.increment
        small = (
            t("quarters.inc_ok", lang) if short <= 0 else t("quarters.inc_short", lang, n=fmt.number(short, lang=lang))
        )
    if cell.partial:
        small += " · " + t("quarters.until", lang, date=cell.date.strftime("%d/%m"))
    return main, [small]


_TD = "padding:8px 10px;border:1px solid #d0d7de;vertical-align:top"


def scorecard_html(plan: Plan, cells: dict[str, list[QuarterCell]], view: str = "cumulative", lang: str = "vi") -> str:
    """The scorecard as an HTML table: indicators × Quý I…IV. Cumulative cells carry the status colour AND word."""
    head = "".join(
        f'<th style="{_TD};text-align:center;min-width:7.5rem">{_e(fmt.quarter_label(plan.year, q, lang))}</th>'
        for q in range(1, 5)
    )
    rows = []
    for ind in plan.indicators:
        tds = []
        for cell in cells[ind.code]:
            if view == "cumulative":
                main, lines = cumulative_cell_text(cell, lang)
                code = cell.result.status if cell.result is not None else None
            else:
                main, lines = increment_cell_text(cell, lang)
                code = None
            if code is not None:
                style = f"background:{STATUS_COLORS[code]};color:{_text_color(code)}"
            else:
                style = f"background:#ffffff;color:{DARK if cell.result is not None else MUTED}"
            tds.append(
                f'<td style="{_TD};{style};text-align:center" data-status="{code or ""}">'
                f'<div style="font-size:1.1rem;font-weight:700">{_e(main)}</div>'
                + "".join(f'<div style="font-size:0.9rem">{_e(line)}</div>' for line in lines)
                + "</td>"
            )
        assumed = f' <span style="color:{MUTED};font-size:0.85rem">*</span>' if ind.source == "assumed" else ""
        rows.append(
            f'<tr><td style="{_TD};white-space:nowrap;font-weight:600">{_e(ind.code)}</td>'
            f'<td style="{_TD};font-size:0.95rem;min-width:14rem">{_e(ind.name(lang))}{assumed}</td>{"".join(tds)}</tr>'
        )
    return (
        f'<div style="overflow-x:auto"><table style="border-collapse:collapse;width:100%;font-size:1rem">'
        f'<thead><tr><th style="{_TD}">{_e(t("quarters.col_code", lang))}</th>'
        f'<th style="{_TD};text-align:left">{_e(t("quarters.col_indicator", lang))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def legend_html(lang: str = "vi") -> str:
    """The palette, each colour with its word."""
    return "".join(status_pill(c, lang) + " " for c in COUNT_ORDER)


def scorecard_csv(plan: Plan, cells: dict[str, list[QuarterCell]], lang: str = "vi") -> bytes:
    """The scorecard as CSV (UTF-8 with BOM so Excel reads Vietnamese), one row per indicator and quarter."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(
        [
            t(f"quarters.csv_{c}", lang)
            for c in (
                "code",
                "indicator",
                "quarter",
                "date",
                "value",
                "level",
                "status",
                "increment",
                "increment_target",
            )
        ]
    )
    for ind in plan.indicators:
        for cell in cells[ind.code]:
            r = cell.result
            if r is None:
                w.writerow(
                    [
                        ind.code,
                        ind.name(lang),
                        fmt.quarter_label(plan.year, cell.quarter, lang),
                        "",
                        "",
                        "",
                        t("quarters.not_yet", lang),
                        "",
                        "",
                    ]
                )
                continue
            level = r.due_quarter if r.target_year is not None else None
            w.writerow(
                [
                    ind.code,
                    ind.name(lang),
                    fmt.quarter_label(plan.year, cell.quarter, lang),
                    fmt.date(cell.date, lang),
                    value_text(r, lang),
                    "" if level is None else level_text(r, level, lang),
                    labels.status(r.status, lang),
                    "" if cell.increment is None else cell.increment,
                    "" if cell.increment_target is None else fmt.number(cell.increment_target, lang=lang),
                ]
            )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
