"""The official report (.docx) in the layout of Decree 30/2020/NĐ-CP, from the same numbers as the dashboard.

A4, margins 20/20/30/15 mm (top/bottom/left/right), Times New Roman 13 pt (East-Asian and complex-script
fonts set too, so Vietnamese renders in every Word). No Streamlit."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from .. import fmt, labels
from ..i18n import t
from ..periods import today_vn
from ..plan import Plan
from . import brief as brief_mod
from . import charts
from . import series as series_mod
from . import settings as settings_mod
from .period import ReportPeriod
from .settings import ReportSettings
from .text import level_text, target_text, value_text

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
# Indicators drawn in the progress chart: those with quarterly levels leadership follows month by month.
CHART_CODES = ("A3_MIEN_PHI", "A41_PHAT_THANH", "A41_HOP", "A2_TAP_HUAN")
# No code column: a signed report names its indicators (the codes are for the workbook and the machine output).
TABLE_COLUMNS = ("stt", "indicator", "value", "expected", "target", "status")
# 165 mm: the A4 width less the 30 + 15 mm margins. Each number column holds its longest unbreakable text at 11 pt
# ('STT', '100,0%', '> 80,0%', '(100,0%) ·', 'Chậm tiến') with the cells' 1.9 mm paddings; the names take the rest.
TABLE_WIDTHS_MM = (13, 64, 29, 20, 20, 19)
HEADER_WIDTHS_MM = (68, 97)
SIGNATURE_WIDTHS_MM = (85, 80)
DOTS = "." * 120


def vn_date_line(place: str, d: dt.date) -> str:
    """'Bạc Liêu, ngày 05 tháng 7 năm 2024': days below 10 and months 1, 2 take a leading 0 (Decree 30, App. I)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return t("reports.docx.date_line", "vi", place=place, day=f"{d.day:02d}", month=month, year=d.year)


def _set_fonts(style_or_run_element, name: str = FONT) -> None:
    rpr = style_or_run_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    """Fixed column widths, set on the grid and on every cell (Word reads one, LibreOffice the other)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for col, w in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def _para(
    container,
    text: str = "",
    *,
    bold=False,
    italic=False,
    underline=False,
    size: float | None = None,
    align=None,
    space_after: float = 0,
    indent_mm: float | None = None,
    keep_with_next: bool = False,
):
    p = container.add_paragraph()
    p.paragraph_format.keep_with_next = keep_with_next or None  # a heading or a title stays with what follows
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    if indent_mm is not None:
        p.paragraph_format.first_line_indent = Mm(indent_mm)
    return p


def _body(doc, text: str, **kw):
    kw.setdefault("space_after", 6)
    kw.setdefault("indent_mm", 10)
    p = _para(doc, text, **kw)
    p.alignment = kw.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    return p


def _cell_text(
    cell,
    text: str,
    *,
    bold=False,
    italic=False,
    underline=False,
    size: float = BODY_PT,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
    keep_with_next: bool = False,
):
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.paragraph_format.keep_with_next = keep_with_next or None
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p


def _page_setup(doc) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)


def _header(
    doc, plan: Plan, settings: ReportSettings, issued_on: dt.date, number_key: str = "reports.docx.number"
) -> None:
    """The two-column heading of Decree 30: agency, issuer and the document's number; nation, motto, place and date.
    `number_key`: the number's form by kind of document (a report: Số: …/BC-…)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, HEADER_WIDTHS_MM)
    left, right = table.rows[0].cells
    _cell_text(left, plan.parent_agency.upper(), size=12, first=True)
    _cell_text(left, plan.issuer.upper(), bold=True, size=12)
    _cell_text(left, "–––––––", size=10)
    number = settings.number.strip() or "\u00a0" * 6
    _cell_text(left, t(number_key, "vi", number=number, short=plan.issuer_short), size=BODY_PT)
    _cell_text(right, t("reports.docx.nation", "vi"), bold=True, size=12, first=True)
    _cell_text(right, t("reports.docx.motto", "vi"), bold=True, underline=True, size=BODY_PT)
    _cell_text(right, "")
    _cell_text(right, vn_date_line(plan.issued_at, issued_on), italic=True, size=BODY_PT)


def _indicator_table(doc, results, lang: str) -> None:
    table = doc.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The header and the first rows keep with the next row: the title above never ends a page alone.
    for cell, key in zip(table.rows[0].cells, TABLE_COLUMNS, strict=True):
        _cell_text(cell, t(f"reports.docx.col_{key}", lang), bold=True, size=TABLE_PT, first=True, keep_with_next=True)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    status_col = TABLE_COLUMNS.index("status")
    for i, r in enumerate(results, start=1):
        values = (
            str(i),
            r.indicator.name(lang),
            value_text(r, lang),
            level_text(r, r.expected_now, lang),
            target_text(r, lang),
            labels.status(r.status, lang),
        )
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never cut across two pages
        for j, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if j == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(
                cell,
                text,
                size=TABLE_PT,
                align=align,
                first=True,
                keep_with_next=i <= 2,
                bold=(j == status_col and r.status in brief_mod.BEHIND),
            )
    _widths(table, TABLE_WIDTHS_MM)


def _picture(doc, png: bytes, width_mm: float, caption: str) -> None:
    p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2, keep_with_next=True)  # with its caption
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
    _para(doc, caption, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)


def _plain(text: str) -> str:
    return text.replace("**", "")


def _free_text(doc, text: str) -> None:
    """A free-text section as written on the report page; never a prompt such as '(Nêu khó khăn…)' (the page asks
    for the text before the download); left empty, a dotted line to write on."""
    lines = [line.strip() for line in settings_mod.written(text).splitlines() if line.strip()]
    for line in lines or [DOTS]:
        _body(doc, line)


def _signature(doc, plan: Plan, settings: ReportSettings) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, SIGNATURE_WIDTHS_MM)
    left, right = table.rows[0].cells
    _cell_text(
        left,
        t("reports.docx.recipients", "vi"),
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    for line in settings.recipient_lines():
        _cell_text(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_text(right, settings.signer_title.upper(), bold=True, size=BODY_PT, first=True)
    for _ in range(4):
        _cell_text(right, "")
    _cell_text(right, settings.signer, bold=True, size=BODY_PT)


def build_docx(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    period: ReportPeriod,
    settings: ReportSettings,
    department: str | None = None,
    issued_on: dt.date | None = None,
    center: str | None = None,
) -> bytes:
    """The report of one center (None: the plan's only one) as .docx bytes. The official form is Vietnamese whatever
    the page language."""
    lang = "vi"
    b = brief_mod.build(con, plan, period, department, lang, center=center)
    issued_on = issued_on or today_vn()
    doc = Document()
    _page_setup(doc)
    _header(doc, plan, settings, issued_on)

    subject_rest = plan.title.removeprefix(t("reports.docx.plan_word", lang)).strip()
    _para(doc, "", space_after=6)
    _para(doc, t("reports.docx.title", lang), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        doc,
        t("reports.docx.subject", lang, number=plan.number, issued=fmt.date(plan.issued_on), rest=subject_rest),
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(
        doc,
        t("reports.docx.subject_period", lang, period=period.label(lang), date=fmt.date(period.as_of)),
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=12,
    )
    _body(
        doc,
        t(
            "reports.docx.intro",
            lang,
            number=plan.number,
            issued=fmt.date(plan.issued_on),
            issuer=plan.issuer,
            rest=subject_rest,
            period=period.label(lang).lower(),
            start=fmt.date(period.start),
            date=fmt.date(period.as_of),
        ),
    )
    if department:
        _body(doc, t("reports.docx.unit_note", lang, unit=plan.unit(department).label), italic=True)

    _para(doc, t("reports.docx.section_results", lang), bold=True, space_after=6, keep_with_next=True)
    _body(doc, b.overall)
    for a, activity in zip(b.activities, plan.activities, strict=True):
        _para(
            doc,
            f"{activity.code}. {activity.title}",
            bold=True,
            space_after=3,
            indent_mm=10,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            keep_with_next=True,
        )
        _body(
            doc,
            t(
                "reports.docx.activity_status",
                lang,
                status=labels.status(a.status, lang),
                lead="; ".join(a.lead),
                time_frame=activity.time_frame,
            ),
            italic=True,
            space_after=3,
            keep_with_next=True,
        )
        for line in a.lines:
            _body(doc, f"- {line}", space_after=3)

    _para(
        doc,
        t("reports.docx.table_title", lang, date=fmt.date(period.as_of)),
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=6,
        keep_with_next=True,
    )
    _indicator_table(doc, list(b.results), lang)
    _para(doc, t("reports.docx.table_note", lang), italic=True, size=11, space_after=8)

    s = series_mod.build(con, plan, period.as_of, department, center)
    codes = [c for c in CHART_CODES if any(i.code == c for i in plan.indicators)]
    _picture(
        doc,
        charts.status_counts_png(list(b.results), lang),
        140,
        t("reports.docx.chart_status", lang, date=fmt.date(period.as_of)),
    )
    if codes:
        _picture(
            doc,
            charts.progress_png({c: s.of(c) for c in codes}, plan.year, lang),
            160,
            t("reports.docx.chart_progress", lang, date=fmt.date(period.as_of)),
        )

    _para(doc, t("reports.docx.section_focus", lang), bold=True, space_after=6, indent_mm=10, keep_with_next=True)
    for item in b.behind or ():
        _body(doc, "- " + _plain(item.text), space_after=3)
    if not b.behind:
        _body(doc, t("reports.brief.nothing_behind", lang))
    for item in b.upcoming:
        _body(doc, "- " + item, space_after=3)
    for c in b.caveats:
        _body(doc, c, italic=True, size=12, space_after=3)

    _para(doc, t("reports.docx.section_difficulties", lang), bold=True, space_after=6, keep_with_next=True)
    _free_text(doc, settings.difficulties)
    _para(doc, t("reports.docx.section_proposals", lang), bold=True, space_after=6, keep_with_next=True)
    _free_text(doc, settings.proposals)
    _body(doc, t("reports.docx.closing", lang, issuer=plan.issuer, period=period.label(lang).lower()), space_after=12)
    _signature(doc, plan, settings)

    doc.core_properties.title = t("reports.docx.title", lang) + " " + period.label(lang)
    doc.core_properties.author = plan.issuer
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
