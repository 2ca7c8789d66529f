"""The monthly meeting brief (tóm tắt giao ban): structured data and Markdown, from kpis. No Streamlit.

Everything in it comes from `kpis.compute_many` at the report's as_of and the previous month end, so the
brief, the official report and the workbook read the same numbers as the dashboard. It is prose read by people:
indicators by their names, never by their codes, and a reference target in words, not by a '*'."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from .. import db, fmt, kpis, labels, meetings, org, pace, rollup
from ..codes import OCCASION_DAYS
from ..i18n import t
from ..kpis import Result
from ..periods import ROMAN, month_end, quarter_end, quarter_of, quarters_ended
from ..plan import Plan
from ..status import ORDER
from .period import ReportPeriod
from .text import level_text, target_words, value_text

BEHIND = ("khong_dat", "cham_tien_do", "can_chu_y")
COUNT_ORDER = ORDER + ("chua_co_du_lieu", "theo_doi")
CAMPAIGN_MEASURE = "event_type_count"


@dataclass(frozen=True)
class ActivityBrief:
    code: str
    title: str
    status: str
    lead: tuple[str, ...]
    headline: str
    lines: tuple[str, ...]  # one sentence per indicator


@dataclass(frozen=True)
class BehindItem:
    code: str
    status: str
    lead: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Brief:
    period: ReportPeriod
    department: str | None
    lang: str
    results: tuple[Result, ...]
    previous: tuple[Result, ...] | None
    activity_statuses: dict[str, str]
    status_counts: dict[str, int]  # activities per status, worst first, only statuses that occur
    title: str
    overall: str
    activities: tuple[ActivityBrief, ...]
    behind: tuple[BehindItem, ...]
    upcoming: tuple[str, ...]
    caveats: tuple[str, ...]
    by_center: tuple[str, ...] = ()  # a roll-up: one line per center (its statuses and what it must act on)

    def result(self, code: str) -> Result:
        return next(r for r in self.results if r.code == code)

    @property
    def markdown(self) -> str:
        tr = lambda key, **v: t(key, self.lang, **v)  # noqa: E731
        out = [f"### {self.title}", "", self.overall, "", f"#### {tr('reports.brief.section_activities')}", ""]
        for a in self.activities:
            out.append(f"- {a.headline}")
            out.extend(f"    - {line}" for line in a.lines)
        if self.by_center:
            out += ["", f"#### {tr('scope.report.section_by_center')}", ""]
            out += [f"- {line}" for line in self.by_center]
        out += ["", f"#### {tr('reports.brief.section_behind')}", ""]
        out += [f"- {b.text}" for b in self.behind] or [f"- {tr('reports.brief.nothing_behind')}"]
        out += ["", f"#### {tr('reports.brief.section_upcoming')}", ""]
        out += [f"- {u}" for u in self.upcoming] or [f"- {tr('reports.brief.nothing_upcoming')}"]
        if self.caveats:
            out += ["", f"#### {tr('reports.brief.section_caveats')}", ""]
            out += [f"- {c}" for c in self.caveats]
        return "\n".join(out) + "\n"


def _counts_text(counts: dict[str, int], lang: str) -> str:
    return ", ".join(f"{n} {labels.status(s, lang)}" for s, n in counts.items())


def _change_text(r: Result, since: meetings.Baseline | None, lang: str) -> str | None:
    """'tăng 2 so với ngày 31/08/2024' for a count; 'ngày 31/08/2024: 16/18 (88,9%)' for a rate; against the last
    meeting's frozen numbers 'tăng 3 so với cuộc họp giao ban ngày 05/06/2024' and, when the status moved,
    ', trạng thái Chậm tiến độ → Đúng tiến độ'."""
    change = None if since is None else since.change(r)
    if change is None:
        return None
    if since.meeting is None:
        when = t("reports.brief.since_date", lang, date=fmt.date(since.as_of))
    else:
        when = t("reports.brief.since_meeting", lang, date=fmt.date(since.meeting.held_on))
    if r.is_rate:
        text = t("reports.brief.change_rate", lang, since=when, value=value_text(change.before, lang))
    else:
        delta = change.now.numerator - change.before.numerator
        if delta == 0:
            text = t("reports.brief.change_none", lang, since=when)
        else:
            key = "reports.brief.change_up" if delta > 0 else "reports.brief.change_down"
            text = t(key, lang, n=fmt.number(abs(delta), lang=lang), since=when)
    if since.meeting is not None and change.status_changed:
        text += t(
            "reports.brief.status_moved",
            lang,
            before=labels.status(change.before.status, lang),
            now=labels.status(change.now.status, lang),
        )
    return text


def _short(r: Result, lang: str) -> str:
    """The indicator's name for a sentence, '(%)' dropped: the value already shows the percent."""
    return r.indicator.name(lang).removesuffix(" (%)")


def _indicator_line(r: Result, prev: meetings.Baseline | None, lang: str) -> str:
    text = t("reports.brief.indicator", lang, label=_short(r, lang), value=value_text(r, lang))
    if r.target_year is not None:
        text += t(
            "reports.brief.indicator_target",
            lang,
            expected=level_text(r, r.expected_now, lang),
            target=target_words(r, lang),
            status=labels.status(r.status, lang),
        )
    change = _change_text(r, prev, lang)
    if change:
        text += "; " + change
    return text + "."


def _behind_item(plan: Plan, r: Result, lang: str) -> BehindItem:
    lead = tuple(labels.unit_names(plan, plan.activity(r.indicator.activity).lead, lang))
    g = pace.gap(r)
    level = g.level.value if g is not None else None
    if r.status == "khong_dat":
        when = t("reports.brief.when_year", lang, year=plan.year)
    elif r.status == "cham_tien_do":
        when = (
            t("reports.brief.when_continuous", lang)
            if r.indicator.target_for(r.department).continuous
            else t(
                "reports.brief.when_quarter_end",
                lang,
                quarter=fmt.quarter_label(plan.year, quarters_ended(r.as_of), lang),
            )
        )
    else:  # can_chu_y: the current quarter closes within 30 days
        q = quarter_of(r.as_of)
        when = t(
            "reports.brief.when_by",
            lang,
            date=fmt.date(quarter_end(plan.year, q)),
            quarter=fmt.quarter_label(plan.year, q, lang),
        )
    gap = ""
    if not r.is_rate and g is not None and g.count:
        gap = t("reports.brief.gap", lang, n=fmt.number(g.count, lang=lang))
    text = t(
        "reports.brief.behind",
        lang,
        status=labels.status(r.status, lang),
        label=_short(r, lang),
        value=value_text(r, lang),
        level=level_text(r, level, lang),
        when=when,
        gap=gap,
        lead="; ".join(lead),
    )
    return BehindItem(code=r.code, status=r.status, lead=lead, text=text)


def _upcoming(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    results: list[Result],
    as_of: dt.date,
    department: str | None,
    lang: str,
    centers: list[str],
) -> list[str]:
    out: list[str] = []
    # The campaign occasions of the plan (06/6 in Q2; 01/10 and the October month in Q4) not yet held.
    occasion_types = sorted(
        {
            et
            for ind in plan.indicators
            if ind.measure == CAMPAIGN_MEASURE
            for et in ind.event_types
            if et in OCCASION_DAYS
        }
    )
    if occasion_types:
        rows = db.query_rows(
            con,
            "events_by_type",
            centers=centers,
            event_types=occasion_types,
            period_start=plan.start,
            period_end=as_of,
            department=department,
        )
        type_labels = {e.code: e.label for e in plan.event_types}
        for event_type, count, _first in rows:
            if count:
                continue
            month, day = OCCASION_DAYS[event_type]
            start = dt.date(plan.year, month, day)
            last = month_end(plan.year, month) if event_type == "thang_10" else start
            quarter = fmt.quarter_label(plan.year, quarter_of(start), lang)
            when = (
                t("reports.brief.month_of", lang, month=month, year=plan.year)
                if event_type == "thang_10"
                else fmt.date(start)
            )
            key = "reports.brief.campaign_due" if as_of <= last else "reports.brief.campaign_missed"
            out.append((start, t(key, lang, label=type_labels[event_type], when=when, quarter=quarter)))
        out = [text for _, text in sorted(out)]
    # The next quarter level still to reach (the quarter containing as_of, or the next one at a quarter end).
    q = quarter_of(as_of) + (1 if as_of == quarter_end(plan.year, quarter_of(as_of)) else 0)
    if q <= 4:
        due_date = quarter_end(plan.year, q)
        items = []
        for r in results:
            target = r.indicator.target_for(department)
            if target is None or target.continuous or r.value is None or r.status == "dat":
                continue
            level = pace.quarter_level(target, q)
            if level.value > 0 and not pace.meets(r.value, level):
                items.append(
                    t(
                        "reports.brief.level_item",
                        lang,
                        label=_short(r, lang),
                        level=level_text(r, level.value, lang),
                        value=value_text(r, lang),
                    )
                )
        if items:
            out.append(
                t(
                    "reports.brief.quarter_due",
                    lang,
                    date=fmt.date(due_date),
                    roman=ROMAN[q - 1],
                    quarter=fmt.quarter_label(plan.year, q, lang),
                    items="; ".join(items),
                )
            )
    return out


def _caveats(results: list[Result], lang: str) -> list[str]:
    out = [
        t(
            "reports.brief.small_sample",
            lang,
            label=_short(r, lang),
            value=value_text(r, lang),
            denominator=fmt.number(r.denominator, lang=lang),
        )
        for r in results
        if r.is_rate and fmt.is_small(r.denominator)
    ]
    if any(r.indicator.source == "assumed" and r.target_year is not None for r in results):
        out.append(t("reports.brief.assumed", lang))
    return out


def _center_lines(con, plans: dict[str, Plan], by_center: dict[str, list[Result]], lang: str) -> list[str]:
    """One line per center of a roll-up: its activities by status and the indicators it must act on."""
    names = {c.code: c.name for c in org.centers(con)}
    out = []
    for code, own in by_center.items():
        statuses = kpis.activity_statuses(plans[code], own)
        counts = {s: n for s in COUNT_ORDER if (n := sum(1 for v in statuses.values() if v == s))}
        behind = sorted((r for r in own if r.status in BEHIND), key=lambda r: ORDER.index(r.status))
        items = ", ".join(f"{r.code} ({labels.status(r.status, lang)}: {value_text(r, lang)})" for r in behind)
        out.append(
            t(
                "scope.report.center_line",
                lang,
                name=names.get(code, code),
                counts=_counts_text(counts, lang),
                behind=t("scope.report.center_behind", lang, items=items) if items else "",
            )
        )
    return out


def _rollup_caveats(con, roll: rollup.Rollup, lang: str) -> list[str]:
    names = {c.code: c.name for c in org.centers(con)}
    listed = lambda codes: ", ".join(names.get(c, c) for c in codes)  # noqa: E731
    out = [t("scope.report.rollup_note", lang, n=len(roll.centers), names=listed(roll.centers))]
    out += [t("scope.report.missing", lang, code=code, centers=listed(cs)) for code, cs in roll.missing.items()]
    out += [
        t("scope.report.target_note", lang, code=code, centers=listed(cs)) for code, cs in roll.target_notes.items()
    ]
    return out


def build(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    period: ReportPeriod,
    department: str | None = None,
    lang: str = "vi",
    center: str | None = None,
    plans: dict[str, Plan] | None = None,
    scope_label: str | None = None,
    scope: org.Scope | None = None,
) -> Brief:
    """The meeting brief of one center (None: the plan's only one) at the period's as_of (changes against the last
    meeting of its scope, else the previous month end: meetings.baseline). With `plans` ({center: its plan of the
    year}, several centers) the brief of their roll-up (rolled-up indicators, one line per center, the roll-up's
    notes); `scope_label` names it in the title, `scope` (a province) says whose meetings it compares with."""
    dates = [period.as_of] + ([period.previous] if period.previous else [])
    rolled = None
    if plans is not None and len(plans) > 1:
        centers = list(plans)
        rolled = rollup.compute_many(con, plans, dates)
        many = {d: r.results for d, r in rolled.items()}
    else:
        centers = [plan.only_center(center)]
        many = kpis.compute_many(con, plan, dates, department, centers[0])
    results = many[period.as_of]
    previous = many.get(period.previous) if period.previous else None
    if rolled is None:
        scope = org.Scope("center", centers[0])
    since = meetings.baseline(con, scope, period.as_of, period.start, lambda d: many[d], department)
    statuses = kpis.activity_statuses(plan, results)
    counts = {s: n for s in COUNT_ORDER if (n := sum(1 for v in statuses.values() if v == s))}
    ind_counts = {s: n for s in COUNT_ORDER if (n := sum(1 for r in results if r.status == s and s != "theo_doi"))}
    overall = t(
        "reports.brief.overall",
        lang,
        date=fmt.date(period.as_of),
        n=len(plan.activities),
        counts=_counts_text(counts, lang),
        n_ind=sum(ind_counts.values()),
        ind_counts=_counts_text(ind_counts, lang),
    )
    activities = []
    for a in plan.activities:
        lead = tuple(labels.unit_names(plan, a.lead, lang))
        headline = t(
            "reports.brief.activity",
            lang,
            code=a.code,
            title=a.name(lang),
            status=labels.status(statuses[a.code], lang),
            lead="; ".join(lead),
        )
        lines = tuple(_indicator_line(r, since, lang) for r in results if r.indicator.activity == a.code)
        activities.append(ActivityBrief(a.code, a.name(lang), statuses[a.code], lead, headline, lines))
    behind = sorted((r for r in results if r.status in BEHIND), key=lambda r: ORDER.index(r.status))
    title = t("reports.brief.title", lang, period=period.label(lang), date=fmt.date(period.as_of))
    if department:
        unit = plan.unit(department)
        title += " — " + unit.name(lang)
    if scope_label:
        title += " — " + scope_label
    caveats = _caveats(results, lang)
    if rolled is not None:
        caveats = _rollup_caveats(con, rolled[period.as_of], lang) + caveats
    return Brief(
        period=period,
        department=department,
        lang=lang,
        results=tuple(results),
        previous=tuple(previous) if previous else None,
        activity_statuses=statuses,
        status_counts=counts,
        title=title,
        overall=overall,
        activities=tuple(activities),
        behind=tuple(_behind_item(plan, r, lang) for r in behind),
        upcoming=tuple(_upcoming(con, plan, results, period.as_of, department, lang, centers)),
        caveats=tuple(caveats),
        by_center=tuple(_center_lines(con, plans, rolled[period.as_of].by_center, lang)) if rolled else (),
    )
