"""The minutes of a monthly meeting, "Thông báo kết luận cuộc họp giao ban" (.docx), in the Decree 30 layout of the
official report (planboard/reports/docx_report.py builds both): the frozen numbers, the status changes since the
previous meeting, the decisions with owners and due dates, and the actions carried over. No Streamlit."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .. import actions, fmt, meetings
from ..i18n import t
from ..org import Center
from ..periods import today_vn
from ..plan import Plan
from . import docx_report as d
from .settings import ReportSettings

NUMBER_COLUMNS = ("stt", "code", "indicator", "value", "expected", "target", "status")
NUMBER_WIDTHS_MM = (11, 32, 52, 25, 15, 15, 15)
ACTION_COLUMNS = ("stt", "action", "owner", "due", "status")
ACTION_WIDTHS_MM = (11, 74, 35, 20, 25)


def value_text(n: meetings.Number, lang: str = "vi") -> str:
    return fmt.rate(n.numerator, n.denominator, lang) if n.denominator is not None else fmt.number(n.value, lang=lang)


def _table(doc, keys: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[float, ...]) -> None:
    table = doc.add_table(rows=1, cols=len(keys))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, keys, strict=True):
        d._cell_text(cell, t(f"minutes.col_{key}", "vi"), bold=True, size=d.TABLE_PT, first=True)
    for row in rows:
        for j, (cell, text) in enumerate(zip(table.add_row().cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if keys[j] in ("indicator", "action") else WD_ALIGN_PARAGRAPH.CENTER
            d._cell_text(cell, text, size=d.TABLE_PT, align=align, first=True)
    d._widths(table, widths)


def _owner(plan: Plan, a: actions.Action) -> str:
    unit = next((u.short for u in plan.units if u.code == a.owner_unit), a.owner_unit)
    return unit + (f" ({a.owner_person})" if a.owner_person else "")


def _action_rows(plan: Plan, found: list[actions.Action]) -> list[tuple[str, ...]]:
    rows = []
    for i, a in enumerate(found, start=1):
        state = actions.status_label(a.status)
        if a.is_overdue:
            state += f" ({t('actions.overdue')})"
        rows.append((str(i), a.text, _owner(plan, a), fmt.date(a.due_on), state))
    return rows


def _indicator(plan: Plan, code: str) -> str:
    found = next((i for i in plan.indicators if i.code == code), None)
    return code if found is None else found.label


def build_minutes(
    con: duckdb.DuckDBPyConnection,
    meeting: meetings.Meeting,
    plan: Plan,
    known: list[Center],
    settings: ReportSettings,
    issued_on: dt.date | None = None,
) -> bytes:
    """The minutes of a frozen meeting as .docx bytes (Vietnamese, the official form). `plan`: the plan that names
    the indicators and units; `settings`: the signer and recipients of the official report."""
    if not meeting.is_frozen:
        raise meetings.MeetingError("not_frozen", title=meeting.title)
    issued_on = issued_on or today_vn()
    scope = meeting.scope
    headline = meetings.headline_of(scope, meetings.frozen_numbers(con, meeting.meeting_id))
    before = meetings.previous(con, scope, meeting.as_of, exclude=meeting.meeting_id)
    changes = (
        []
        if before is None
        else [
            c
            for c in meetings.compare(
                meetings.headline_of(scope, meetings.frozen_numbers(con, before.meeting_id)), headline
            )
            if c.status_changed
        ]
    )
    centers = meeting.centers(known)
    everything = actions.list_actions(con, centers, today=issued_on)
    decided = [a for a in everything if a.meeting_id == meeting.meeting_id]
    carried = [
        a
        for a in everything
        if a.meeting_id != meeting.meeting_id and a.is_open and a.meeting_held_on <= meeting.held_on
    ]

    doc = Document()
    d._page_setup(doc)
    d._header(doc, plan, settings, issued_on, number_key="minutes.number")
    d._para(doc, "", space_after=6)
    d._para(doc, t("minutes.title"), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    d._para(doc, t("minutes.subject", title=meeting.title), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    d._body(
        doc,
        t(
            "minutes.intro",
            date=fmt.date(meeting.held_on),
            issuer=plan.issuer,
            title=meeting.title,
            chair=meeting.chair or "…",
            attendees=meeting.attendees or "…",
        ),
    )
    d._body(
        doc,
        t(
            "minutes.frozen",
            as_of=fmt.date(meeting.as_of),
            frozen_at=meeting.frozen_at.strftime("%H:%M %d/%m/%Y"),
            version=meeting.data_version,
        ),
        italic=True,
    )

    d._para(doc, t("minutes.section_numbers", date=fmt.date(meeting.as_of)), bold=True, space_after=6)
    _table(
        doc,
        NUMBER_COLUMNS,
        [
            (
                str(i),
                n.indicator,
                _indicator(plan, n.indicator),
                value_text(n),
                fmt.number(n.expected_now),
                fmt.number(n.target_year),
                t(f"status.{n.status}"),
            )
            for i, n in enumerate(headline, start=1)
        ],
        NUMBER_WIDTHS_MM,
    )

    d._para(doc, "", space_after=6)
    d._para(doc, t("minutes.section_changes"), bold=True, space_after=6)
    if before is None:
        d._body(doc, t("minutes.no_previous"))
    elif not changes:
        d._body(doc, t("minutes.no_changes", title=before.title))
    else:
        d._body(doc, t("minutes.changes_intro", title=before.title, date=fmt.date(before.held_on)), space_after=3)
        for c in changes:
            d._body(
                doc,
                "- "
                + t(
                    "minutes.change_line",
                    indicator=_indicator(plan, c.indicator),
                    before=t(f"status.{c.before.status}"),
                    now=t(f"status.{c.now.status}"),
                    value_before=value_text(c.before),
                    value_now=value_text(c.now),
                ),
                space_after=3,
            )

    for section, found, empty in (
        ("section_decisions", decided, "no_decisions"),
        ("section_carried", carried, "no_carried"),
    ):
        d._para(doc, t(f"minutes.{section}"), bold=True, space_after=6)
        if found:
            _table(doc, ACTION_COLUMNS, _action_rows(plan, found), ACTION_WIDTHS_MM)
        else:
            d._body(doc, t(f"minutes.{empty}"))
        d._para(doc, "", space_after=6)
    if meeting.notes:
        d._free_text(doc, meeting.notes)
    d._body(doc, t("minutes.closing", issuer=plan.issuer), space_after=12)
    d._signature(doc, plan, settings)

    doc.core_properties.title = f"{t('minutes.title')} {meeting.title}"
    doc.core_properties.author = plan.issuer
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def file_name(meeting: meetings.Meeting) -> str:
    """'thong-bao-ket-luan-giao-ban-2024-06-05.docx'."""
    return f"thong-bao-ket-luan-giao-ban-{meeting.held_on.isoformat()}.docx"
