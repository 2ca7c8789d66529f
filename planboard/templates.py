"""Downloadable templates of the data contract: one XLSX workbook (a sheet per table with Vietnamese headers, dropdown
lists, date formats, an instructions sheet, two example rows) and CSV files (UTF-8 with BOM). No Streamlit.

The headers, code lists and examples come from ingest.TABLE_COLUMNS and the plan, so a filled template imports
through the same rules; the instructions sheet is skipped by the importer (ingest.INSTRUCTION_SHEETS). The optional
center column (ingest.CENTER) is described there, not put in the sheets: a center's own staff never need it."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import codes, ingest
from .i18n import t
from .plan import Plan

SHEET_NAMES = dict(codes.TABLE_LABELS)  # Vietnamese sheet names; the importer also accepts the table codes
# The header of each code list on the instructions sheet: the column that takes its values.
LIST_HEADERS = {
    "gender": "contract.residents.gender",
    "unit": "contract.staff.department",
    "legal_field": "contract.cases.legal_field",
    "aid_form": "contract.cases.aid_form",
    "priority": "contract.cases.priority",
    "status": "contract.cases.status",
    "event_type": "contract.events.event_type",
    "activity": "contract.events.activity",
    "bool": "import_page.tpl_list_bool",
}
FORM_ROWS = 1000  # rows below the header that carry dropdowns and date formats
DATE_FORMAT = "dd/mm/yyyy"
REQUIRED_FILL = PatternFill("solid", fgColor="F6D5D9")
HEADER_FILL = PatternFill("solid", fgColor="E8EAED")
_D = dt.date

# Two example rows per table that pass every rule and refer to each other (cases -> residents, training -> events
# and staff). Codes are written as their Vietnamese labels, as a person would fill them in.
EXAMPLES: dict[str, list[dict]] = {
    "residents": [
        dict(
            resident_id="VD-NCT-01",
            full_name="Nguyễn Văn Mẫu",
            gender="nam",
            birth_date=_D(1948, 3, 15),
            admitted_on=_D(2020, 1, 10),
            department="CSKC",
            is_meritorious=True,
            is_poor_household=False,
            has_financial_hardship=True,
            is_violence_victim=False,
            ethnicity="Kinh",
        ),
        dict(
            resident_id="VD-NCT-02",
            full_name="Trần Thị Mẫu",
            gender="nu",
            birth_date=_D(1952, 9, 2),
            admitted_on=_D(2021, 6, 1),
            department="CSKC",
            is_meritorious=False,
            is_poor_household=True,
            has_financial_hardship=False,
            is_violence_victim=False,
            ethnicity="Khmer",
        ),
    ],
    "cases": [
        dict(
            case_id="VD-YC-01",
            resident_id="VD-NCT-01",
            requested_on=_D(2024, 2, 5),
            department="CTXH",
            legal_field="dan_su",
            aid_form="tu_van",
            priority="nguoi_co_cong",
            provider="Trung tâm TGPL nhà nước tỉnh Bạc Liêu",
            referred_on=_D(2024, 2, 6),
            accepted_on=_D(2024, 2, 7),
            closed_on=_D(2024, 2, 20),
            status="hoan_thanh",
            fee_charged=0,
        ),
        dict(
            case_id="VD-YC-02",
            resident_id="VD-NCT-02",
            requested_on=_D(2024, 3, 12),
            department="CTXH",
            legal_field="dat_dai",
            aid_form="ngoai_to_tung",
            referred_on=_D(2024, 3, 13),
            accepted_on=_D(2024, 3, 15),
            status="dang_thuc_hien",
            fee_charged=0,
        ),
    ],
    "events": [
        dict(
            event_id="VD-HD-01",
            event_type="tap_huan",
            activity="2",
            held_on=_D(2024, 3, 20),
            department="CTXH",
            title="Lớp tập huấn nghiệp vụ TGPL quý I",
            participants=25,
            elderly_reached=0,
        ),
        dict(
            event_id="VD-HD-02",
            event_type="phat_thanh",
            activity="4.1",
            held_on=_D(2024, 5, 6),
            department="HCTH",
            title="Phát thanh giới thiệu Luật Trợ giúp pháp lý",
            participants=120,
            elderly_reached=80,
        ),
    ],
    "staff": [
        dict(
            staff_id="VD-NV-01",
            full_name="Lê Văn Mẫu",
            department="CTXH",
            is_legal_aid_worker=True,
            active_from=_D(2020, 1, 1),
        ),
        dict(
            staff_id="VD-NV-02",
            full_name="Phạm Thị Mẫu",
            department="CSKC",
            is_legal_aid_worker=True,
            active_from=_D(2022, 3, 1),
        ),
    ],
    "training": [
        dict(event_id="VD-HD-01", staff_id="VD-NV-01", completed=True),
        dict(event_id="VD-HD-01", staff_id="VD-NV-02", completed=False),
    ],
}


def _choices(plan: Plan) -> dict[str, dict[str, str]]:
    out = ingest.code_choices(plan)
    out["activity"] = {a.code: a.code for a in plan.activities}  # the item number is what people write
    out["bool"] = {"co": codes.BOOL_TEXT[True], "khong": codes.BOOL_TEXT[False]}
    return out


def example_cell(plan: Plan, column: ingest.Column, value):
    """An example value as a person would write it: labels for codes, có/không, the date itself."""
    if value is None:
        return None
    if column.kind == "bool":
        return codes.BOOL_TEXT[bool(value)]
    if column.kind in ("id", "text", "date", "birth", "int"):
        return value
    return _choices(plan)[column.kind].get(value, value)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def csv_bytes(plan: Plan, table: str) -> bytes:
    """The CSV template of one table: UTF-8 with BOM (Excel opens it right), header labels, the example rows."""
    cols = ingest.TABLE_COLUMNS[table]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c.label for c in cols])
    for row in EXAMPLES[table]:
        w.writerow([_cell_text(example_cell(plan, c, row.get(c.code))) for c in cols])
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")


def csv_zip(plan: Plan) -> bytes:
    """The five CSV templates in one ZIP, each named after its table (residents.csv, …) as the importer expects."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for table in codes.TABLES:
            z.writestr(f"{table}.csv", csv_bytes(plan, table))
    return out.getvalue()


def _column_note(plan: Plan, table: str, col: ingest.Column, lang: str) -> str:
    parts = [
        f"{col.label} ({col.code})",
        t("import_page.tpl_required" if col.required else "import_page.tpl_optional", lang),
    ]
    if col.kind in ("date", "birth"):
        parts.append(t("import_page.tpl_note_birth" if col.kind == "birth" else "import_page.tpl_note_date", lang))
    elif col.kind == "int":
        parts.append(t("import_page.tpl_note_int", lang))
    elif col.kind in _choices(plan):
        parts.append(t("import_page.tpl_note_list", lang))
    if col.default is not None:
        parts.append(t("import_page.tpl_note_default", lang, value=_cell_text(example_cell(plan, col, col.default))))
    if col.code in ingest.KEYS[table]:
        parts.append(t("import_page.tpl_note_key", lang))
    return "\n".join(parts)


def _instructions(ws, plan: Plan, lang: str) -> dict[str, str]:
    """Write the instructions and the code lists; return each list's cell range for the dropdowns."""
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 22
    ws["A1"] = t("import_page.tpl_title", lang, plan=plan.number)
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for line in t("import_page.tpl_steps", lang).strip().splitlines():
        ws.cell(row=row, column=1, value=line.strip())
        row += 1
    ws.cell(row=row, column=1, value=t("import_page.tpl_center", lang, centers=", ".join(plan.centers)))
    row += 1
    row += 1
    ws.cell(row=row, column=1, value=t("import_page.tpl_sheets", lang)).font = Font(bold=True)
    row += 1
    for table in codes.TABLES:
        ws.cell(row=row, column=1, value=SHEET_NAMES[table])
        ws.cell(row=row, column=2, value=t(f"import_page.tpl_about_{table}", lang))
        row += 1
    row += 1
    ws.cell(row=row, column=1, value=t("import_page.tpl_lists", lang)).font = Font(bold=True)
    row += 1
    ranges = {}
    for kind, choices in _choices(plan).items():
        ws.cell(row=row, column=1, value=t(LIST_HEADERS[kind], lang)).font = Font(bold=True)
        first = row
        for code, label in choices.items():
            ws.cell(row=row, column=2, value=label)
            ws.cell(row=row, column=3, value=code)
            row += 1
        ranges[kind] = f"'{ws.title}'!$B${first}:$B${row - 1}"
        row += 1
    return ranges


def workbook(plan: Plan, lang: str = "vi") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = t("import_page.tpl_sheet_instructions", lang)
    ranges = _instructions(ws, plan, lang)
    for table in codes.TABLES:
        sheet = wb.create_sheet(SHEET_NAMES[table])
        cols = ingest.TABLE_COLUMNS[table]
        for j, col in enumerate(cols, start=1):
            letter = get_column_letter(j)
            head = sheet.cell(row=1, column=j, value=col.label)
            head.font = Font(bold=True)
            head.fill = REQUIRED_FILL if col.required else HEADER_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
            head.comment = Comment(_column_note(plan, table, col, lang), "Planboard", width=300, height=140)
            sheet.column_dimensions[letter].width = max(14, min(40, len(col.label) + 4))
            span = f"{letter}2:{letter}{FORM_ROWS + 1}"
            kind = "bool" if col.kind == "bool" else col.kind
            if kind in ranges:
                dv = DataValidation(type="list", formula1=f"={ranges[kind]}", allow_blank=True, showErrorMessage=False)
                dv.add(span)
                sheet.add_data_validation(dv)
            if col.kind in ("date", "birth"):
                for r in range(2, FORM_ROWS + 2):
                    sheet.cell(row=r, column=j).number_format = DATE_FORMAT
            elif col.kind in ("id", "text", "activity"):
                for r in range(2, FORM_ROWS + 2):
                    sheet.cell(row=r, column=j).number_format = "@"  # ids stay text (no 12 -> 12.0, no lost zeros)
        for i, row in enumerate(EXAMPLES[table], start=2):
            for j, col in enumerate(cols, start=1):
                sheet.cell(row=i, column=j, value=example_cell(plan, col, row.get(col.code)))
        sheet.freeze_panes = "A2"
        sheet.row_dimensions[1].height = 45
    return wb


def workbook_bytes(plan: Plan, lang: str = "vi") -> bytes:
    out = io.BytesIO()
    workbook(plan, lang).save(out)
    return out.getvalue()


# --- The error report of a failed check (download from the import page) ---------------------------------------------
REPORT_COLUMNS = ("file", "sheet", "row", "column", "value", "message")


def _safe(value):
    """Neutralise text that a spreadsheet would run as a formula (data contract: no formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def problem_rows(problems: list[ingest.Problem], lang: str = "vi") -> list[tuple]:
    """(file, sheet, row as Excel numbers it, column, value, message in `lang`) per problem."""
    return [(p.file, p.sheet or "", p.row, p.column or "", p.value or "", p.text(lang)) for p in problems]


def report_headers(lang: str = "vi") -> list[str]:
    return [t(f"import_page.col_{c}", lang) for c in REPORT_COLUMNS]


def problems_csv(problems: list[ingest.Problem], lang: str = "vi") -> bytes:
    """The problems as CSV, UTF-8 with BOM so Excel shows the Vietnamese text right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(report_headers(lang))
    for row in problem_rows(problems, lang):
        w.writerow(["" if v is None else _safe(v) for v in row])
    return codecs.BOM_UTF8 + buf.getvalue().encode("utf-8")


def problems_xlsx(problems: list[ingest.Problem], lang: str = "vi") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = t("import_page.errors_header", lang)[:31]
    ws.append(report_headers(lang))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in problem_rows(problems, lang):
        ws.append([_safe(v) for v in row])
    for letter, width in zip("ABCDEF", (24, 16, 8, 24, 24, 100), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
