"""Import of the data contract's CSV/XLSX files: read, check every rule, then upsert all or nothing. No Streamlit."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planboard import codes, db, fmt, locks
from planboard.plan import Plan

# --- Messages (Vietnamese; a later i18n pass may move them to the locale files) -------------------------------------
MESSAGES = {
    "path_missing": "Không tìm thấy tệp hoặc thư mục '{path}'.",
    "folder_empty": "Thư mục '{path}' không có tệp .csv hoặc .xlsx nào.",
    "no_files": "Chưa chọn tệp nào để nhập.",
    "file_too_big": "Tệp quá lớn ({size:.1f} MB), giới hạn là {limit:.0f} MB. Hãy chia thành nhiều tệp nhỏ hơn.",
    "too_many_rows": "Bảng có {rows} dòng dữ liệu, vượt giới hạn {limit} dòng. Hãy chia thành nhiều tệp nhỏ hơn.",
    "unsupported_type": "Không nhận loại tệp '{ext}'. Trong Excel chọn Lưu thành (Save As) 'CSV UTF-8' (.csv) "
    "hoặc 'Excel Workbook' (.xlsx).",
    "unknown_file": "Không biết tệp '{name}' thuộc bảng nào. Đặt tên tệp theo tên bảng: {tables} (ví dụ "
    "'Người cao tuổi.csv'), hoặc dùng một tệp Excel có mỗi trang tính mang tên một bảng.",
    "unknown_sheet": "Không biết trang tính '{sheet_name}' thuộc bảng nào. Đặt tên trang tính theo tên bảng: {tables}.",
    "table_twice": "Bảng '{table}' có ở nhiều nơi trong lần nhập này ({places}). Mỗi bảng chỉ nhập từ một tệp "
    "hoặc một trang tính.",
    "bad_encoding": "Không đọc được bảng mã của tệp (chỉ nhận UTF-8, UTF-16 hoặc Windows-1258; không nhận TCVN3/VNI). "
    "Mở tệp bằng Excel, chọn Lưu thành (Save As) → 'CSV UTF-8 (Comma delimited)' rồi nhập lại.",
    "bad_xlsx": "Không mở được tệp Excel (tệp hỏng hoặc không phải .xlsx). Mở bằng Excel và lưu lại thành "
    "'Excel Workbook' (.xlsx).",
    "xlsx_too_big": "Tệp Excel quá lớn khi mở ra ({what}), giới hạn là {limit}. Tệp có thể đã bị làm hỏng, hoặc quá "
    "nhiều dữ liệu cho một tệp: hãy chia thành nhiều tệp nhỏ hơn hoặc lưu thành 'CSV UTF-8' (.csv).",
    "empty_file": "Tệp trống: không có dòng nào. Cần một dòng tiêu đề và các dòng dữ liệu.",
    "no_header": "Không tìm thấy dòng tiêu đề (không phải bảng dữ liệu). Dòng tiêu đề cần tên cột theo mẫu, ví dụ: "
    "{examples}.",
    "csv_shape": "Dòng này có {saw} ô, nhiều hơn dòng tiêu đề ({expected} ô). Kiểm tra dấu phân cách và dấu ngoặc "
    "kép, hoặc lưu lại từ Excel thành 'CSV UTF-8'.",
    "csv_broken": "Không đọc được tệp CSV. Kiểm tra dấu phân cách và dấu ngoặc kép, hoặc lưu lại từ Excel thành "
    "'CSV UTF-8'.",
    "unknown_column": "Cột không xác định '{value}'. Bảng {table} có các cột: {columns}. Sửa tên cột hoặc xóa cột này "
    "(cột STT được bỏ qua).",
    "unnamed_column": "Cột thứ {index} có dữ liệu nhưng không có tên cột. Thêm tên cột theo mẫu hoặc xóa cột này.",
    "duplicate_column": "Cột '{value}' trùng với cột '{other}' (cùng là '{label}'). Chỉ giữ một cột.",
    "missing_key_column": "Thiếu cột bắt buộc '{label}' ({code}).",
    "missing_column": "Thiếu cột bắt buộc '{label}' ({code}): cần cho bản ghi mới, ví dụ mã '{new_key}' ở dòng {new_row} "
    "chưa có trong cơ sở dữ liệu.",
    "required": "Thiếu giá trị bắt buộc cho '{label}'.",
    "date_invalid": "Ngày không hợp lệ: '{value}'. Nhập ngày dạng dd/mm/yyyy, ví dụ 30/06/2024.",
    "birth_invalid": "Ngày sinh không hợp lệ: '{value}'. Nhập dd/mm/yyyy, mm/yyyy hoặc năm 4 chữ số, "
    "ví dụ 30/06/1950, 06/1950 hoặc 1950.",
    "date_two_digit_year": "Năm phải đủ 4 chữ số: '{value}'. Nhập ngày dạng dd/mm/yyyy, ví dụ 30/06/2024.",
    "date_impossible": "Ngày không có thật: '{value}'. Nhập ngày dạng dd/mm/yyyy (ngày trước, tháng sau), "
    "ví dụ 30/06/2024.",
    "date_before_1900": "Ngày trước năm 1900: '{value}'. Kiểm tra lại năm.",
    "date_future": "Ngày ở tương lai: '{value}' (hôm nay là {today}). Kiểm tra lại ngày.",
    "date_number": "Ô ngày chứa một con số: '{value}'. Nhập ngày dạng dd/mm/yyyy, ví dụ 30/06/2024 "
    "(trong Excel: định dạng ô kiểu Ngày).",
    "date_month_first": "Cột ngày này ghi tháng trước ngày (mm/dd/yyyy), ví dụ '{value}', nên cả cột bị từ chối. "
    "Nhập ngày dạng dd/mm/yyyy (ngày trước, tháng sau), ví dụ 30/06/2024.",
    "int_invalid": "Không phải số nguyên: '{value}'. Nhập số nguyên không âm, ví dụ 500000 hoặc 500.000.",
    "int_negative": "Số âm không hợp lệ: '{value}'. Nhập số nguyên từ 0 trở lên.",
    "int_too_big": "Số quá lớn: '{value}' (tối đa {limit}).",
    "bool_invalid": "Giá trị có/không không hợp lệ: '{value}'. Nhập có/không (hoặc x, c/k, 1/0, yes/no).",
    "code_invalid": "Giá trị không hợp lệ cho '{label}': '{value}'. Chọn một trong: {choices}.",
    "duplicate_key": "Mã trùng: '{value}' đã có ở dòng {first}. Mỗi mã chỉ được một dòng.",
    "duplicate_pair": "Cặp (mã hoạt động, mã nhân viên) trùng: '{value}' đã có ở dòng {first}. Mỗi người chỉ một "
    "dòng cho mỗi lớp.",
    "ref_resident": "Mã đối tượng '{value}' không có trong danh sách người cao tuổi (cơ sở dữ liệu hoặc bảng "
    "Người cao tuổi trong lần nhập này). Nhập người cao tuổi trước hoặc sửa mã.",
    "ref_event": "Mã hoạt động '{value}' không có trong danh sách hoạt động (cơ sở dữ liệu hoặc bảng Hoạt động trong "
    "lần nhập này). Cần một hoạt động loại 'Lớp tập huấn, bồi dưỡng nghiệp vụ TGPL' (tap_huan).",
    "ref_event_type": "Hoạt động '{value}' là loại '{event_type}', không phải lớp tập huấn. Danh sách tập huấn chỉ nhận "
    "hoạt động loại 'Lớp tập huấn, bồi dưỡng nghiệp vụ TGPL' (tap_huan).",
    "ref_staff": "Mã nhân viên '{value}' không có trong danh sách nhân sự (cơ sở dữ liệu hoặc bảng Nhân sự trong lần "
    "nhập này). Nhập nhân sự trước hoặc sửa mã.",
    "status_needs_date": "Trạng thái '{status}' cần có '{label}' ({code}). Nhập ngày này hoặc sửa trạng thái.",
    "date_order": "'{label}' ({later}) không được trước '{other_label}' ({earlier}).",
    "elderly_gt_participants": "Số người cao tuổi được tiếp cận ({elderly}) không được lớn hơn số người tham dự "
    "({participants}).",
    "activity_mismatch": "Mục kế hoạch '{value}' không khớp loại hoạt động '{event_type}' (thuộc mục {expected}). "
    "Để trống hoặc ghi {expected}.",
    "locked_month": "Tháng {month} đã khóa số liệu ({lock}): không thêm, sửa hoặc xóa bản ghi của tháng này. Chỉ Quản "
    "trị được nhập vào tháng đã khóa, với lý do ghi rõ.",
    "unit_not_allowed": "Bạn chỉ được nhập dữ liệu của bộ phận {unit}; dòng này thuộc bộ phận {other}.",
    "center_unknown": "Cơ sở '{value}' không có trong hệ thống. Ghi mã hoặc tên một cơ sở: {centers}.",
    "center_not_allowed": "Bạn không được nhập dữ liệu cho cơ sở {other}; bạn chỉ được nhập cho: {centers}.",
    "center_no_plan": "Cơ sở {other} chưa có kế hoạch năm {year} trong lần nhập này nên không kiểm tra được bộ phận và "
    "loại hoạt động. Nhập riêng các dòng của cơ sở này (chọn cơ sở đó khi nhập) hoặc sửa cột cơ sở.",
    "ref_resident_center": "Mã đối tượng '{value}' là người cao tuổi của cơ sở {other}, không phải của cơ sở {center} "
    "(cơ sở của dòng này). Một yêu cầu chỉ gắn với người cao tuổi cùng cơ sở.",
    "ref_event_center": "Mã hoạt động '{value}' là hoạt động của cơ sở {other}, không phải của cơ sở {center} (cơ sở "
    "của dòng này). Danh sách tập huấn chỉ gắn với lớp tập huấn cùng cơ sở.",
    "ref_staff_center": "Mã nhân viên '{value}' là nhân sự của cơ sở {other}, không phải của cơ sở {center} (cơ sở của "
    "dòng này). Danh sách tập huấn chỉ gắn với nhân sự cùng cơ sở.",
    "too_many_problems": "Còn {count} lỗi khác chưa liệt kê. Sửa các lỗi trên rồi nhập lại để xem tiếp.",
    "progress_read": "Đang đọc {name}…",
    "progress_check": "Đang kiểm tra dữ liệu…",
    "progress_write": "Đang ghi vào cơ sở dữ liệu…",
    "progress_done": "Xong.",
}

TABLE_NAMES = ", ".join(f"'{codes.TABLE_LABELS[t]}'" for t in codes.TABLES)  # file and sheet names the importer knows
VN_TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving
SKIP_HEADER = "stt"
TOTAL_LABELS = ("tong cong", "cong")
HEADER_SCAN_ROWS = 30
HEAD_CHARS = 65536  # the header row is looked for in a CSV's first characters
INSTRUCTION_SHEETS = ("huong dan",)  # folded names of a workbook's instructions sheet (templates.py), not a table
CSV_EXTS = (".csv", ".txt", ".tsv")
XLSX_EXTS = (".xlsx", ".xlsm")
TRUE_WORDS = {"co", "c", "x", "1", "true", "yes"}
FALSE_WORDS = {"khong", "k", "0", "false", "no"}
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


# --- Public result types --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass(frozen=True)
class TableCounts:
    added: int
    updated: int
    unchanged: int


@dataclass
class ImportResult:
    problems: list[Problem]
    counts: dict[str, TableCounts]
    files: list[tuple[str, str]]
    written: bool
    centers: list[str] = field(default_factory=list)  # the centers the rows belong to (the import's own if none)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_rows: int = 2_000_000
    max_problems: int = 1000  # more are counted in one closing line, so a wholly wrong file stays readable
    # An .xlsx is a zip: 1 MB can inflate to hundreds of MB of XML (a "zip bomb"). Checked from the archive's own
    # directory and each sheet's declared size before anything is parsed. A real workbook's XML packs 5–20 times.
    max_xlsx_unzipped_bytes: int = 500 * 1024 * 1024
    max_xlsx_ratio: int = 100
    max_xlsx_cells: int = 10_000_000


# --- The contract's columns -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    code: str
    label: str
    kind: str  # id, text, date, birth, int, bool, or a code list: gender, unit, legal_field, ...
    required: bool = False
    default: object = None  # what an empty cell means for a column with a default
    future_ok: bool = False
    max_value: int = INT64_MAX


def _c(code, label, kind, **kw) -> Column:
    return Column(code, label, kind, **kw)


TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "residents": (
        _c("resident_id", "Mã đối tượng", "id", required=True),
        _c("full_name", "Họ và tên", "text", required=True),
        _c("gender", "Giới tính", "gender", required=True),
        _c("birth_date", "Ngày sinh", "birth", required=True),
        _c("admitted_on", "Ngày tiếp nhận", "date", required=True),
        _c("left_on", "Ngày rời Trung tâm", "date", future_ok=True),
        _c("department", "Bộ phận quản lý", "unit", default="CSKC"),
        _c("is_meritorious", "Người có công với cách mạng", "bool", default=False),
        _c("is_poor_household", "Hộ nghèo", "bool", default=False),
        _c("has_financial_hardship", "Khó khăn về tài chính", "bool", default=False),
        _c("is_violence_victim", "Bị bạo lực, bạo hành, ngược đãi", "bool", default=False),
        _c("ethnicity", "Dân tộc", "text"),
    ),
    "cases": (
        _c("case_id", "Mã vụ việc", "id", required=True),
        _c("resident_id", "Mã đối tượng", "id", required=True),
        _c("requested_on", "Ngày yêu cầu", "date", required=True),
        _c("department", "Bộ phận tiếp nhận", "unit", required=True),
        _c("legal_field", "Lĩnh vực", "legal_field", required=True),
        _c("aid_form", "Hình thức", "aid_form"),
        _c("priority", "Diện ưu tiên", "priority"),
        _c("provider", "Tổ chức thực hiện", "text"),
        _c("referred_on", "Ngày chuyển yêu cầu", "date"),
        _c("accepted_on", "Ngày thụ lý", "date"),
        _c("closed_on", "Ngày kết thúc", "date"),
        _c("status", "Trạng thái", "status", required=True),
        _c("fee_charged", "Chi phí người được trợ giúp phải trả (đồng)", "int", default=0),
        _c("notes", "Ghi chú", "text"),
    ),
    "events": (
        _c("event_id", "Mã hoạt động", "id", required=True),
        _c("event_type", "Loại hoạt động", "event_type", required=True),
        _c("activity", "Mục kế hoạch", "activity"),
        _c("held_on", "Ngày thực hiện", "date", required=True),
        _c("department", "Bộ phận chủ trì", "unit", required=True),
        _c("title", "Nội dung", "text", required=True),
        _c("document_number", "Số ký hiệu văn bản", "text"),
        _c("participants", "Số người tham dự", "int", max_value=INT32_MAX),
        _c("elderly_reached", "Số người cao tuổi được tiếp cận", "int", max_value=INT32_MAX),
        _c("notes", "Ghi chú", "text"),
    ),
    "staff": (
        _c("staff_id", "Mã nhân viên", "id", required=True),
        _c("full_name", "Họ và tên", "text", required=True),
        _c("department", "Bộ phận", "unit", required=True),
        _c("is_legal_aid_worker", "Làm công tác TGPL", "bool", required=True),
        _c("active_from", "Ngày bắt đầu", "date"),
        _c("active_to", "Ngày kết thúc", "date", future_ok=True),
    ),
    "training": (
        _c("event_id", "Mã hoạt động", "id", required=True),
        _c("staff_id", "Mã nhân viên", "id", required=True),
        _c("completed", "Hoàn thành", "bool", default=True),
    ),
}
# Optional in every table (docs/centers.md): the center a row belongs to, as its code or name. A file without it puts
# its rows into the import's center; an empty cell means the same.
CENTER = Column("center", "Cơ sở", "center")
CENTER_HEADERS = ("center", "Cơ sở", "Mã cơ sở")
KEYS = {
    "residents": ("resident_id",),
    "cases": ("case_id",),
    "events": ("event_id",),
    "staff": ("staff_id",),
    "training": ("event_id", "staff_id"),
}
# (later, earlier): the later date may not come before the earlier one (data contract, cross-field rules).
DATE_ORDER = {
    "residents": (("left_on", "admitted_on"),),
    "cases": (
        ("referred_on", "requested_on"),
        ("accepted_on", "requested_on"),
        ("closed_on", "requested_on"),
        ("closed_on", "accepted_on"),
    ),
    "staff": (("active_to", "active_from"),),
}
# Columns the cross-field rules read, with stored values for those a file leaves out.
CROSS_CHECKED = {
    "residents": ("admitted_on", "left_on"),
    "cases": ("status", "requested_on", "referred_on", "accepted_on", "closed_on"),
    "events": ("participants", "elderly_reached"),
    "staff": ("active_from", "active_to"),
    "training": (),
}
STATUS_NEEDS = (("accepted_on", codes.NEEDS_ACCEPTED_ON), ("closed_on", codes.NEEDS_CLOSED_ON))
# Write order: referenced tables first (only matters for reading back within the transaction).
TABLE_ORDER = codes.TABLES


def fold(text: object) -> str:
    """Matching key of a header, code or label: NFC, no diacritics, đ = d, lower case, '_' = space, spaces collapsed."""
    t = unicodedata.normalize("NFC", str(text)).replace("đ", "d").replace("Đ", "D")
    t = "".join(ch for ch in unicodedata.normalize("NFD", t) if not unicodedata.combining(ch))
    return " ".join(t.replace("_", " ").lower().split())


def table_of_name(name: str) -> str | None:
    """The table a file stem or sheet name stands for (its code or Vietnamese label), else None."""
    key = fold(name)
    for table in codes.TABLES:
        if key in (fold(table), fold(codes.TABLE_LABELS[table])):
            return table
    return None


def _column(table: str, code: str) -> Column:
    return CENTER if code == CENTER.code else next(c for c in TABLE_COLUMNS[table] if c.code == code)


def _header_map(table: str) -> dict[str, str]:
    out = {fold(h): CENTER.code for h in CENTER_HEADERS}
    for c in TABLE_COLUMNS[table]:
        out[fold(c.code)] = c.code
        out[fold(c.label)] = c.code
    return out


def code_choices(plan: Plan) -> dict[str, dict[str, str]]:
    """Each code list's codes with their labels (units and event types from the plan)."""
    return {
        "gender": codes.GENDERS,
        "unit": {u.code: u.label for u in plan.units},
        "legal_field": codes.LEGAL_FIELDS,
        "aid_form": codes.AID_FORMS,
        "priority": codes.PRIORITIES,
        "status": codes.CASE_STATUSES,
        "event_type": {e.code: e.label for e in plan.event_types},
        "activity": {a.code: a.short_title for a in plan.activities},
    }


def _code_lookup(kind: str, choices: dict[str, str]) -> dict[str, str]:
    lut = {}
    for code, label in choices.items():
        lut[fold(code)] = code
        lut[fold(label)] = code
    if kind == "gender":
        lut.update({fold(k): v for k, v in codes.GENDER_ALIASES.items()})
    if kind == "activity":
        lut.update({fold(code.replace(".", ",")): code for code in choices})
    return lut


def _today() -> dt.date:
    return dt.datetime.now(VN_TZ).date()


def _fmt_date(d) -> str:
    return "" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y")


# --- Problems -------------------------------------------------------------------------------------------------------
class _Problems:
    """Collects problems in file order, up to a limit; counts the rest."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: list[tuple[tuple, Problem]] = []
        self.extra = 0

    def __bool__(self) -> bool:
        return bool(self.items) or self.extra > 0

    def add(
        self,
        order: tuple,
        file: str,
        sheet: str | None,
        row: int | None,
        column: str | None,
        value: object,
        key: str,
        /,
        **fmt,
    ) -> None:
        if len(self.items) >= self.limit:
            self.extra += 1
            return
        text = None if value is None else str(value)
        if "table" in fmt:  # a table by its Vietnamese name in every message, never its internal code
            fmt["table"] = codes.TABLE_LABELS.get(fmt["table"], fmt["table"])
        message = MESSAGES[key].format(value=text, **fmt)
        self.items.append(((*order, -1 if row is None else row), Problem(file, sheet, row, column, text, message)))

    def add_rows(self, sheet: Sheet, column_code: str | None, rows, key: str, /, values=None, **fmt) -> None:
        """One problem per row number in `rows`; the value is the cell as written unless `values` gives it."""
        rows = list(rows)
        room = max(self.limit - len(self.items), 0)
        self.extra += max(len(rows) - room, 0)
        column = sheet.headers.get(column_code, column_code) if column_code else None
        for i, row in enumerate(rows[:room]):
            if values is not None:
                value = values[i]
            elif column_code in sheet.raw.columns:
                value = sheet.raw.at[row, column_code]
            else:
                value = None
            self.add(sheet.order, sheet.file, sheet.sheet, int(row), column, value, key, **fmt)

    def result(self) -> list[Problem]:
        out = [p for _, p in sorted(self.items, key=lambda item: item[0])]
        if self.extra:
            out.append(Problem("", None, None, None, None, MESSAGES["too_many_problems"].format(count=self.extra)))
        return out


# --- Reading files into sheets of text ------------------------------------------------------------------------------
@dataclass
class Sheet:
    """One table as read from a file or a worksheet: text cells, index = row numbers as Excel shows them."""

    file: str
    sheet: str | None
    table: str
    raw: pd.DataFrame  # columns = column codes, values = stripped NFC text ("" = empty)
    headers: dict[str, str] = field(default_factory=dict)  # code -> header as written
    order: tuple = (0, 0)


@dataclass
class _Grid:
    """Cells of a file before the header is known: text, row numbers from 1."""

    file: str
    sheet: str | None
    table: str | None
    cells: pd.DataFrame
    order: tuple


def _decode_as(data: bytes) -> tuple[str, str] | None:
    """Text of a CSV (not normalised) and its encoding: utf-8 (no BOM), utf-8-sig, utf-16 or cp1258; else None."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "utf-16"
        if b"\x00" in data[:4096]:
            return None
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = data.decode("cp1258")
            return (text, "cp1258") if _looks_vietnamese(unicodedata.normalize("NFC", text)) else None
    except UnicodeDecodeError:
        return None


def _vietnamese_letters() -> frozenset[str]:
    bases = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    letters = {unicodedata.normalize("NFC", b + t) for b in bases for t in tones}
    letters |= {x.upper() for x in letters} | {"đ", "Đ"}
    return frozenset(letters | set("–—‘’“”…°•€×\u00a0"))


_VN_LETTERS = _vietnamese_letters()


def _looks_vietnamese(text: str) -> bool:
    """Windows-1258 decodes almost any bytes; TCVN3/VNI text shows up as non-Vietnamese letters and symbols."""
    return all(ch in _VN_LETTERS for ch in set(text) if ord(ch) > 127)


def _known_headers() -> set[str]:
    out = {SKIP_HEADER}
    for table in codes.TABLES:
        out |= set(_header_map(table))
    return out


_KNOWN_HEADERS = _known_headers()


def _header_score(cells: list[str], known: set[str]) -> int:
    """How many cells of a row are known headers, if the row looks like a header row (else 0)."""
    filled = [fold(c) for c in cells if str(c).strip()]
    hits = sum(1 for c in filled if c in known and c != SKIP_HEADER)
    if hits >= 2 and 2 * sum(1 for c in filled if c in known) >= len(filled):
        return hits
    return 0


def _find_header(rows: list[list[str]], known: set[str]) -> int | None:
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _header_score(cells, known):
            return i
    return None


def _csv_grid(name: str, data: bytes, table: str | None, order: tuple, problems: _Problems) -> _Grid | None:
    head = _plain_utf8_head(data)
    if head is not None and head.strip():
        # The usual file, UTF-8 without BOM: DuckDB reads it while a second thread checks that the whole file is UTF-8
        # and NFC (GIL-bound, DuckDB's read is not); if it is not, the result is dropped and the file read as below.
        with ThreadPoolExecutor(max_workers=1) as pool:
            usable = pool.submit(_is_nfc_utf8, data)
            newlines = pool.submit(data.count, b"\n")  # after the check, still while DuckDB reads
            found = _csv_cells(name, head, data, table, order, newlines.result)
            if usable.result():
                return _grid_or_problem(found, name, order, problems)
    decoded = _decode_utf8(data)
    if decoded is None:
        problems.add(order, name, None, None, None, None, "bad_encoding")
        return None
    text, utf8 = decoded
    if not text.strip():
        problems.add(order, name, None, None, None, None, "empty_file")
        return None
    return _grid_or_problem(_csv_cells(name, text[:HEAD_CHARS], utf8, table, order), name, order, problems)


def _grid_or_problem(found: _Grid | tuple, name: str, order: tuple, problems: _Problems) -> _Grid | None:
    if isinstance(found, _Grid):
        return found
    row, key, fmt = found
    problems.add(order, name, None, row, None, None, key, **fmt)
    return None


def _csv_cells(
    name: str, head: str, utf8: bytes, table: str | None, order: tuple, newlines: Callable[[], int] | None = None
) -> _Grid | tuple:
    """The grid of a CSV given its first HEAD_CHARS characters (NFC) and its whole text as UTF-8: the header row is
    looked for in the head (delimiter and title rows), the body read by DuckDB. `newlines` gives utf8.count(b"\n") if
    it is being counted already. A problem comes back as (row, message key, format values)."""
    known = set(_header_map(table)) | {SKIP_HEADER} if table else _KNOWN_HEADERS
    best = None  # (score, delimiter, header record index, lines before it, header cells)
    for delim in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delim)
        lines_before = 0
        for i, cells in enumerate(reader):
            if i >= HEADER_SCAN_ROWS:
                break
            score = _header_score(cells, known)
            if score:
                if best is None or score > best[0]:
                    best = (score, delim, i, lines_before, cells)
                break
            lines_before = reader.line_num
    if best is None:
        return None, "no_header", {"examples": _examples(table)}
    _, delim, header_index, lines_before, header = best
    body = utf8 if lines_before == 0 else utf8[len(head[: _offset_after_lines(head, lines_before)].encode("utf-8")) :]
    cells = _read_csv_body(body, delim, len(header))
    lines = _line_count(body, newlines() if newlines and body is utf8 else None)
    if isinstance(cells, int) or len(cells) != lines:  # blank lines or quoted line breaks: look closer
        kept = _keep_blank_lines(body, delim, len(header))
        if kept is not body:
            body, cells = kept, _read_csv_body(kept, delim, len(header))
    if isinstance(cells, int):  # the record number (in the body) of a row longer than the header, or 0
        if cells:
            return (
                header_index + cells,
                "csv_shape",
                {"expected": len(header), "saw": _cells_in_record(body, delim, cells)},
            )
        return None, "csv_broken", {}
    cells.index = np.arange(len(cells)) + header_index + 1
    return _Grid(name, None, table, cells, order)


def _plain_utf8_head(data: bytes) -> str | None:
    """The first HEAD_CHARS characters of a file that starts as UTF-8 without BOM, else None."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        return None
    chunk = data[: HEAD_CHARS * 4]
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(chunk, final=len(chunk) == len(data))[:HEAD_CHARS]
    except UnicodeDecodeError:
        return None


def _is_nfc_utf8(data: bytes) -> bool:
    try:
        return unicodedata.is_normalized("NFC", data.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _decode_utf8(data: bytes) -> tuple[str, bytes] | None:
    """The CSV's NFC text and the same text as UTF-8 bytes (the file's own bytes when they already are)."""
    decoded = _decode_as(data)
    if decoded is None:
        return None
    text, encoding = decoded
    if unicodedata.is_normalized("NFC", text):
        return text, data if encoding == "utf-8" else text.encode("utf-8")
    text = unicodedata.normalize("NFC", text)
    return text, text.encode("utf-8")


_BLANK_LINE = re.compile(rb"(?:\r\n|\n|\r(?!\n))(?=\r\n|\n|\r)")


def _line_count(body: bytes, newlines: int | None = None) -> int:
    """Lines of a CSV body (LF, CRLF or CR line ends); as many records as lines = no blank line, no quoted line break.
    `newlines`: body.count(b"\n") when known."""
    ends = body.count(b"\n") if newlines is None else newlines
    ends = ends or body.count(b"\r")
    return ends + (0 if body.endswith((b"\n", b"\r")) else 1)


def _keep_blank_lines(body: bytes, delim: str, width: int) -> bytes:
    """DuckDB's reader skips empty lines; a blank line outside quotes becomes a row of empty cells instead, so the row
    numbers count it (as the file shows it). The body itself when it has no blank line."""
    if b"\n\n" not in body and b"\n\r\n" not in body and b"\r\r" not in body:
        return body
    ends = [m.end() for m in _BLANK_LINE.finditer(body)]
    filler = (delim * (width - 1)).encode("ascii") if width > 1 else b'""'
    parts, start, quotes = [], 0, 0
    for end in ends:
        quotes += body.count(b'"', start, end)
        parts.append(body[start:end])
        if quotes % 2 == 0:
            parts.append(filler)
        start = end
    parts.append(body[start:])
    return b"".join(parts)


_CSV_SHAPE = re.compile(r"Line: (\d+).*?Expected Number of Columns: (\d+) Found: (\d+)", re.S)


def _read_csv_body(body: bytes, delim: str, width: int) -> pd.DataFrame | int:
    """Cells of a CSV body (header row first) as stripped text with DuckDB's multi-threaded reader: short rows padded
    with empty cells, "" for empty. A problem comes back as the record number (from 1) of the first row longer than
    the header, or 0 for a file the reader cannot parse."""
    columns = {f"c{i}": "varchar" for i in range(width)}
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        f.write(body)
    try:
        con = _reader().cursor()
        try:
            for parallel in (True, False):
                try:
                    params = {"path": f.name, "delim": delim, "columns": columns, "parallel": parallel}
                    table = con.sql(db.sql("ingest_read_csv"), params=params).to_arrow_table()
                    break
                except duckdb.Error as e:
                    message = str(e)
                    if parallel and "parallel scanner does not support null_padding" in message:
                        continue  # quoted line breaks: the same reader, one thread
                    if not isinstance(e, duckdb.InvalidInputException):
                        raise
                    m = _CSV_SHAPE.search(message)
                    return int(m[1]) if m and int(m[3]) > int(m[2]) else 0
        finally:
            con.close()
    finally:
        Path(f.name).unlink(missing_ok=True)
    # pyarrow's trim is str.strip()'s (Unicode white space); DuckDB's trim with that character set is ~20x slower.
    arrays = [pc.utf8_trim_whitespace(table.column(i)) for i in range(width)]
    frame = pa.table(arrays, names=[str(i) for i in range(width)]).to_pandas(types_mapper=_STR_TYPES.get)
    frame.columns = range(width)
    return frame


@functools.cache
def _reader() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for reading CSV files (opening one costs ~25 ms; each read takes a cursor of it)."""
    return duckdb.connect()


def _cells_in_record(body: bytes, delim: str, number: int) -> int:
    """How many cells record `number` (from 1) of a CSV body has (the reader stops counting at one too many)."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline=""), delimiter=delim)
    return len(next(itertools.islice(reader, number - 1, None), []))


_STR = pd.StringDtype("pyarrow", na_value=np.nan)
_STR_TYPES = {pa.string(): _STR, pa.large_string(): _STR}


_LINE_END = re.compile(r"\r\n|\n|\r")


def _offset_after_lines(text: str, n: int) -> int:
    """Where line n + 1 starts: lines end as csv.reader counts them (CRLF, LF or a lone CR, as old Mac files do)."""
    pos = 0
    for _ in range(n):
        pos = _LINE_END.search(text, pos).end()
    return pos


def _xlsx_text(value: object) -> str:
    """One Excel cell as text: dates ISO (time dropped), whole numbers as digits, other numbers as written."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return unicodedata.normalize("NFC", str(value))


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _xlsx_too_big(data: bytes, limits: Limits) -> tuple[str, str] | None:
    """(what, limit) in words when the workbook would inflate past the limits, else None. First the zip's directory
    (declared sizes, which zipfile holds the content to: total and packing ratio) and each sheet's <dimension> (its
    first 64 KB inflated) — a bomb is refused there in milliseconds; then the cells are counted in each sheet's XML
    streamed 1 MB at a time (a <dimension> can be missing or lie; seconds, not minutes, and memory bounded), before
    anything is parsed. A broken zip is left to the parser."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None

    def mb(n: int) -> str:
        return f"{fmt.number(round(n / 2**20))} MB"

    def cells_over(n: int) -> tuple[str, str]:
        return f"{fmt.number(n)} ô", f"{fmt.number(limits.max_xlsx_cells)} ô"

    total = sum(m.file_size for m in members)
    if total > limits.max_xlsx_unzipped_bytes:
        return mb(total), mb(limits.max_xlsx_unzipped_bytes)
    for m in members:
        if m.file_size > 2**20 and m.file_size > limits.max_xlsx_ratio * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            return f"{m.filename}: {mb(m.file_size)}, nén {fmt.number(ratio)} lần", f"{limits.max_xlsx_ratio} lần"
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    try:
        declared = sum(_declared_cells(archive, m) for m in sheets)
        if declared > limits.max_xlsx_cells:
            return cells_over(declared)
        counted = 0
        for m in sheets:
            counted = _count_cells(archive, m, counted, limits.max_xlsx_cells)
            if counted > limits.max_xlsx_cells:  # counting stopped there: "more than"
                return f"hơn {fmt.number(limits.max_xlsx_cells)} ô", f"{fmt.number(limits.max_xlsx_cells)} ô"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    return None


def _declared_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Rows × columns of the sheet's <dimension ref="A1:P1048576"> (0 when it has none)."""
    with archive.open(member) as f:
        head = f.read(65536)
    found = _DIMENSION.search(head)
    if not found or not found.group(4):
        return 0
    rows = int(found.group(4)) - int(found.group(2) or 1) + 1
    cols = _column_number(found.group(3).decode()) - _column_number((found.group(1) or b"A").decode()) + 1
    return max(rows, 0) * max(cols, 0)


_PREFIX = re.compile(rb"<(\w+):worksheet\b")


def _count_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo, counted: int, limit: int) -> int:
    """`counted` plus the sheet's cell elements (<c …>, a styled empty one too: it costs the parser as much), read
    1 MB at a time; stops as soon as the total passes `limit`. One bytes.count per block (≈ 3 s for 260 MB of dense
    cells on this shared machine, a small share of what parsing them would take):
    "<c" also finds the few <col>/<cfRule> elements, which only errs on the side of the limit."""
    tail = b""
    with archive.open(member) as f:
        chunk = f.read(2**20)
        prefix = _PREFIX.search(chunk[:4096])
        tag = b"<" + prefix.group(1) + b":c" if prefix else b"<c"
        while chunk:
            block = tail + chunk
            # a tag cut by the block's end is found whole in the next block; the short tail never holds a whole one
            counted += block.count(tag) - tail.count(tag)
            if counted > limit:
                return counted
            tail = block[-(len(tag) - 1) :]
            chunk = f.read(2**20)
    return counted


def _xlsx_grids(
    name: str, data: bytes, table: str | None, order: tuple, problems: _Problems, limits: Limits = Limits()
) -> list[_Grid]:
    if (too_big := _xlsx_too_big(data, limits)) is not None:
        problems.add(order, name, None, None, None, None, "xlsx_too_big", what=too_big[0], limit=too_big[1])
        return []
    try:
        # read-only openpyxl (pandas' way) reads no more than the limit's rows: a sheet whose <dimension> lied stops there
        book = pd.read_excel(
            io.BytesIO(data),
            sheet_name=None,
            header=None,
            dtype=object,
            engine="openpyxl",
            keep_default_na=False,
            na_filter=False,
            nrows=limits.max_rows + 100,
        )
    except Exception:  # openpyxl raises many types for a broken or foreign file
        problems.add(order, name, None, None, None, None, "bad_xlsx")
        return []
    sheets = [(sheet, frame.map(_xlsx_text)) for sheet, frame in book.items()]
    sheets = [(sheet, cells) for sheet, cells in sheets if (cells.apply(lambda s: s.str.strip()) != "").any().any()]
    if not sheets:
        problems.add(order, name, None, None, None, None, "empty_file")
        return []
    grids = []
    for i, (sheet, frame) in enumerate(sheets):
        sheet_table = table_of_name(sheet)
        if sheet_table is None and table is not None and len(sheets) == 1:
            sheet_table = table
        if sheet_table is None and fold(sheet) in INSTRUCTION_SHEETS:
            continue
        if sheet_table is None:
            problems.add(
                (order[0], i), name, str(sheet), None, None, None, "unknown_sheet", sheet_name=sheet, tables=TABLE_NAMES
            )
            continue
        cells = frame
        cells.index = np.arange(len(cells)) + 1
        grids.append(_Grid(name, str(sheet), sheet_table, cells, (order[0], i)))
    return grids


def _examples(table: str | None) -> str:
    tables = [table] if table else ["residents"]
    return "; ".join(", ".join(c.label for c in TABLE_COLUMNS[t] if c.required) for t in tables)


def _sheet_of_grid(grid: _Grid, limits: Limits, problems: _Problems) -> Sheet | None:
    """Find the header row, map the headers to codes, drop title, empty and total rows."""
    # A CSV grid comes stripped, "" for empty (_read_csv_body); a worksheet's cells are stripped here.
    cells = grid.cells if grid.sheet is None else grid.cells.fillna("").astype(str).apply(lambda s: s.str.strip())
    hmap = _header_map(grid.table)
    if grid.sheet is None:
        header_at = cells.index[0]  # the CSV reader already found it
    else:
        found = _find_header(cells.to_numpy().tolist(), set(hmap) | {SKIP_HEADER})
        if found is None:
            problems.add(
                grid.order, grid.file, grid.sheet, None, None, None, "no_header", examples=_examples(grid.table)
            )
            return None
        header_at = cells.index[found]
    header = cells.loc[header_at]
    body = cells.iloc[cells.index.get_loc(header_at) + 1 :]
    data_columns = [p for p, written in header.items() if fold(written) != SKIP_HEADER]
    filled = (body[data_columns] != "").any(axis=1)  # a row numbered in STT but otherwise blank is empty too
    if not filled.all():
        body = body[filled]
    if len(body) and fold(next((v for v in body.iloc[-1] if v), "")) in TOTAL_LABELS:
        body = body.iloc[:-1]
    if len(body) > limits.max_rows:
        problems.add(
            grid.order, grid.file, grid.sheet, None, None, None, "too_many_rows", rows=len(body), limit=limits.max_rows
        )
        return None
    sheet = Sheet(grid.file, grid.sheet, grid.table, pd.DataFrame(index=body.index), {}, grid.order)
    keep: dict[str, object] = {}
    for position, written in header.items():
        key = fold(written)
        if key == SKIP_HEADER:
            continue
        if not written:
            filled = body[position] != ""
            if filled.any():
                problems.add(
                    grid.order,
                    grid.file,
                    grid.sheet,
                    int(filled.idxmax()),
                    None,
                    None,
                    "unnamed_column",
                    index=int(position) + 1,
                )
            continue
        code = hmap.get(key)
        if code is None:
            columns = ", ".join([c.label for c in TABLE_COLUMNS[grid.table]] + [CENTER.label])
            problems.add(
                grid.order,
                grid.file,
                grid.sheet,
                int(header_at),
                written,
                written,
                "unknown_column",
                table=grid.table,
                columns=columns,
            )
        elif code in keep:
            problems.add(
                grid.order,
                grid.file,
                grid.sheet,
                int(header_at),
                written,
                written,
                "duplicate_column",
                other=sheet.headers[code],
                label=_column(grid.table, code).label,
            )
        else:
            keep[code] = position
            sheet.headers[code] = written
    sheet.raw = body[list(keep.values())].set_axis(list(keep), axis=1) if keep else pd.DataFrame(index=body.index)
    missing = [k for k in KEYS[grid.table] if k not in sheet.headers]
    for key_code in missing:
        problems.add(
            grid.order,
            grid.file,
            grid.sheet,
            int(header_at),
            key_code,
            None,
            "missing_key_column",
            label=_column(grid.table, key_code).label,
            code=key_code,
        )
    return None if missing else sheet


def read_table_file(
    name: str, data: bytes, *, order: int = 0, limits: Limits = Limits(), problems: _Problems | None = None
) -> tuple[list[Sheet], list[Problem]]:
    """Read one CSV/XLSX upload into sheets of text per table; unreadable parts become problems."""
    own = problems is None
    problems = problems or _Problems(limits.max_problems)
    sheets = _read(name, data, (order, 0), limits, problems)
    return sheets, problems.result() if own else []


def _read(name: str, data: bytes, order: tuple, limits: Limits, problems: _Problems) -> list[Sheet]:
    path = Path(name)
    ext = path.suffix.lower()
    table = table_of_name(path.stem)
    if len(data) > limits.max_file_bytes:
        problems.add(
            order,
            name,
            None,
            None,
            None,
            None,
            "file_too_big",
            size=len(data) / 2**20,
            limit=limits.max_file_bytes / 2**20,
        )
        return []
    if ext in XLSX_EXTS or data.startswith(b"PK\x03\x04"):
        grids = _xlsx_grids(name, data, table, order, problems, limits)
    elif ext in CSV_EXTS:
        if table is None:
            problems.add(order, name, None, None, None, None, "unknown_file", name=name, tables=TABLE_NAMES)
            return []
        grid = _csv_grid(name, data, table, order, problems)
        grids = [grid] if grid else []
    else:
        problems.add(order, name, None, None, None, None, "unsupported_type", ext=ext or name)
        return []
    sheets = []
    for grid in grids:
        sheet = _sheet_of_grid(grid, limits, problems)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


# --- Parsing text cells into typed values ---------------------------------------------------------------------------
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d+)" + _TIME)
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_YEAR = re.compile(r"\d{4}")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
_INT = re.compile(r"\d+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:,\d{3})+")
_NEGATIVE = re.compile(r"-\s*\d+(?:[.,]\d+)*")


def _date_of(text: str, birth: bool) -> tuple[dt.date | None, str | None]:
    """A date from text, or the message key of what is wrong ('date_month_first' for mm/dd order)."""
    invalid = "birth_invalid" if birth else "date_invalid"
    if m := _ISO.fullmatch(text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.fullmatch(text):
        d, mo, year = int(m[1]), int(m[3]), m[4]
        if len(year) <= 2:
            return None, "date_two_digit_year"
        if len(year) != 4:
            return None, invalid
        y = int(year)
        if 12 < mo <= 31 and 1 <= d <= 12:
            return None, "date_month_first"
    elif birth and (m := _MONTH_YEAR.fullmatch(text)):
        y, mo, d = int(m[2]), int(m[1]), 1
    elif birth and _YEAR.fullmatch(text):
        y, mo, d = int(text), 1, 1
    elif _NUMBER.fullmatch(text):
        return None, "date_number"
    else:
        return None, invalid
    if y < 1900:
        return None, "date_before_1900"
    try:
        return dt.date(y, mo, d), None
    except ValueError:
        return None, "date_impossible"


def _int_of(text: str, limit: int) -> tuple[int | None, str | None]:
    if _INT.fullmatch(text):
        value = int(text.replace(".", "").replace(",", ""))
        return (value, None) if value <= limit else (None, "int_too_big")
    if _NEGATIVE.fullmatch(text):
        return None, "int_negative"
    return None, "int_invalid"


def _bool_of(text: str) -> tuple[bool | None, str | None]:
    key = fold(text)
    if key in TRUE_WORDS:
        return True, None
    if key in FALSE_WORDS:
        return False, None
    return None, "bool_invalid"


def _by_unique(
    s: pd.Series, parse: Callable[[str], tuple[object, str | None]], dtype: str
) -> tuple[pd.Series, np.ndarray | None]:
    """Parse each distinct value once (files repeat dates and codes a lot); return typed values and error keys per row
    (None when no value has an error: most columns, so they skip the per-row work)."""
    positions, uniques = pd.factorize(s, sort=False)
    results = [parse(u) for u in uniques]
    values = pd.Series([r[0] for r in results], dtype=object)
    values = (pd.to_datetime(values) if dtype.startswith("datetime") else values).astype(dtype)
    values = values.take(positions).set_axis(s.index)
    if all(r[1] is None for r in results):
        return values, None
    errors = np.array([r[1] for r in results] + [None], dtype=object)[:-1]
    return values, errors[positions]


@dataclass(frozen=True)
class _Centers:
    """The centers of one import: the import's own (rows of a file without a center column), those the database
    knows ({code: name}), those the importer may write (None = all) and each one's plan for the import's year."""

    default: str
    known: dict[str, str]
    allowed: frozenset[str] | None
    plans: dict[str, Plan]
    year: int

    def listing(self, codes_: object) -> str:
        return ", ".join(f"{c} ({self.known[c]})" if c in self.known else str(c) for c in sorted(codes_))

    def lookup(self) -> dict[str, str]:
        lut = {}
        for code, name in self.known.items():
            lut[fold(name)] = code
        for code in self.known:  # a code wins over another center's name
            lut[fold(code)] = code
        return lut


# Code lists that come from a center's plan: rows of several centers are parsed against each one's plan.
PLAN_KINDS = ("unit", "event_type", "activity")


@dataclass
class _Parsed:
    """A sheet's typed values (index = row numbers) plus the rows whose value is unusable, and the plan each group of
    rows was checked against (one group unless the file names several centers)."""

    sheet: Sheet
    frame: pd.DataFrame
    bad: set[tuple[int, str]] = field(default_factory=set)
    groups: list[tuple[Plan, pd.Index]] = field(default_factory=list)
    centers: list[str] = field(default_factory=list)  # the centers of its rows, as the groups


def _parse_sheet(sheet: Sheet, plan: Plan, today: dt.date, problems: _Problems, centers: _Centers) -> _Parsed:
    frame = pd.DataFrame(index=sheet.raw.index)
    parsed = _Parsed(sheet, frame)
    if CENTER.code in sheet.raw.columns:
        frame[CENTER.code] = _parse_centers(sheet, centers, problems, parsed)
        parsed.centers = list(pd.unique(frame[CENTER.code]))
        parsed.groups = [
            (centers.plans.get(c, plan), frame.index[(frame[CENTER.code] == c).to_numpy()]) for c in parsed.centers
        ]
    else:
        frame.insert(0, CENTER.code, centers.default)
        parsed.centers = [centers.default]
        parsed.groups = [(plan, frame.index)]
    choices = code_choices(parsed.groups[0][0])
    for code in sheet.raw.columns:
        if code == CENTER.code:
            continue
        col = _column(sheet.table, code)
        if col.kind in PLAN_KINDS and len(parsed.groups) > 1:
            parts = [
                _parse_column(sheet, col, sheet.raw[code].loc[rows], code_choices(p), today, problems, parsed)
                for p, rows in parsed.groups
            ]
            frame[code] = pd.concat(parts).reindex(frame.index)
        else:
            frame[code] = _parse_column(sheet, col, sheet.raw[code], choices, today, problems, parsed)
    if sheet.table == "events":
        _derive_activity(parsed, problems)
    _check_duplicates(parsed, problems)
    return parsed


def _parse_centers(sheet: Sheet, centers: _Centers, problems: _Problems, parsed: _Parsed) -> pd.Series:
    """The center column: a code or name (matched like codes), empty = the import's center. A center the database
    does not know, one outside the importer's allowed set, or one without a plan in this import is a problem; such a
    row is checked further as a row of the import's center (nothing is written anyway)."""
    s = sheet.raw[CENTER.code]
    lut = centers.lookup()
    values, errors = _by_unique(
        s, lambda t: (lut.get(fold(t), centers.default), None if t == "" or fold(t) in lut else "center_unknown"), "str"
    )
    _report(sheet, CENTER, s.index, errors, problems, parsed, centers=centers.listing(centers.known))
    for c in pd.unique(values):
        rows = s.index[(values == c).to_numpy()]
        rows = [r for r in rows if (r, CENTER.code) not in parsed.bad]
        if c not in centers.known:  # only the import's own center can get here (an empty cell)
            problems.add_rows(
                sheet,
                CENTER.code,
                rows,
                "center_unknown",
                values=[c] * len(rows),
                centers=centers.listing(centers.known),
            )
            parsed.bad |= {(r, CENTER.code) for r in rows}
        elif centers.allowed is not None and c not in centers.allowed:
            problems.add_rows(
                sheet,
                CENTER.code,
                rows,
                "center_not_allowed",
                other=centers.listing([c]),
                centers=centers.listing(centers.allowed),
            )
            parsed.bad |= {(r, CENTER.code) for r in rows}
        elif c not in centers.plans:
            problems.add_rows(sheet, CENTER.code, rows, "center_no_plan", other=centers.listing([c]), year=centers.year)
            parsed.bad |= {(r, CENTER.code) for r in rows}
    return values.astype("str")


def _parse_column(
    sheet: Sheet, col: Column, s: pd.Series, choices: dict, today: dt.date, problems: _Problems, parsed: _Parsed
) -> pd.Series:
    empty = (s == "").to_numpy()
    some_empty = bool(empty.any())
    if col.required and some_empty:
        rows = s.index[empty]
        problems.add_rows(sheet, col.code, rows, "required", label=col.label)
        parsed.bad |= {(r, col.code) for r in rows}
    filled = s[~empty] if some_empty else s
    kind = col.kind
    if kind in ("id", "text"):
        return s.where(~empty, None).astype("str") if some_empty else s
    if kind in ("date", "birth"):
        future = None if col.future_ok else today  # a future date keeps its value, as before, with its error

        def parse_date(t: str) -> tuple[dt.date | None, str | None]:
            value, error = _date_of(t, kind == "birth")
            return (
                (value, "date_future")
                if future is not None and value is not None and value > future
                else (value, error)
            )

        values, errors = _by_unique(filled, parse_date, "datetime64[us]")
        out = values.reindex(s.index) if some_empty else values
        month_first = None if errors is None else errors == "date_month_first"
        if month_first is not None and month_first.any():
            row = filled.index[month_first][0]
            problems.add_rows(sheet, col.code, [row], "date_month_first")
            parsed.bad |= {(r, col.code) for r in s.index}
            return pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
        _report(sheet, col, filled.index, errors, problems, parsed, today=_fmt_date(today))
        return out.astype("datetime64[us]")
    if kind == "int":
        values, errors = _by_unique(filled, lambda t: _int_of(t, col.max_value), "Int64")
        _report(sheet, col, filled.index, errors, problems, parsed, limit=col.max_value)
    elif kind == "bool":
        values, errors = _by_unique(filled, _bool_of, "boolean")
        _report(sheet, col, filled.index, errors, problems, parsed)
    else:
        lut = _code_lookup(kind, choices[kind])
        values, errors = _by_unique(
            filled, lambda t: (lut.get(fold(t)), None if fold(t) in lut else "code_invalid"), "str"
        )
        text = ", ".join(f"{k} ({v})" for k, v in choices[kind].items())
        _report(sheet, col, filled.index, errors, problems, parsed, label=col.label, choices=text)
    if not some_empty:
        return values
    out = values.reindex(s.index)
    if col.default is not None:
        out = out.where(pd.Series(~empty, index=s.index), col.default)
    return out


def _report(
    sheet: Sheet, col: Column, index: pd.Index, errors: np.ndarray | None, problems: _Problems, parsed: _Parsed, **fmt
) -> None:
    if errors is None or not len(errors):
        return
    for key in pd.unique(errors[pd.notna(errors)]):
        rows = index[errors == key]
        problems.add_rows(sheet, col.code, rows, key, **fmt)
        parsed.bad |= {(r, col.code) for r in rows}


def _activity_of(parsed: _Parsed, event_types: pd.Series) -> pd.Series:
    """The plan activity of each row's event type, from the plan of the row's center."""
    parts = [
        event_types.loc[event_types.index.intersection(rows)].map({e.code: e.activity for e in p.event_types})
        for p, rows in parsed.groups
    ]
    return pd.concat(parts).reindex(event_types.index) if len(parts) > 1 else parts[0]


def _derive_activity(parsed: _Parsed, problems: _Problems) -> None:
    """activity follows event_type: given must match, empty is filled in from the plan."""
    frame, sheet = parsed.frame, parsed.sheet
    if "event_type" not in frame:
        return
    expected = _activity_of(parsed, frame["event_type"])
    if "activity" in frame:
        given = frame["activity"]
        wrong = given.notna() & expected.notna() & (given != expected)
        for row in frame.index[wrong.to_numpy()]:
            problems.add_rows(
                sheet,
                "activity",
                [row],
                "activity_mismatch",
                event_type=frame.at[row, "event_type"],
                expected=expected[row],
            )
            parsed.bad.add((row, "activity"))
        frame["activity"] = given.where(given.notna(), expected).astype("str")
    else:
        frame["activity"] = expected.astype("str")


def _check_duplicates(parsed: _Parsed, problems: _Problems) -> None:
    """Ids are unique within a center: a file naming several centers may hold the same id once per center."""
    ids = list(KEYS[parsed.sheet.table])
    if not all(k in parsed.frame for k in ids):
        return
    keys = ([CENTER.code] if len(parsed.groups) > 1 else []) + ids
    if len(keys) == 1 and parsed.frame[keys[0]].is_unique:  # the usual case: one hash pass, ~8x faster than below
        return
    frame = parsed.frame[keys].dropna()
    dup = frame.duplicated(keep="first")
    if not dup.any():
        return
    first = frame.reset_index().groupby(keys, sort=False)["index"].transform("first").set_axis(frame.index)
    rows = frame.index[dup.to_numpy()]
    values = [" / ".join(str(v) for v in frame.loc[r, ids]) for r in rows]
    key = "duplicate_pair" if len(ids) > 1 else "duplicate_key"
    for row, value in zip(rows, values, strict=True):
        problems.add_rows(parsed.sheet, ids[-1], [row], key, values=[value], first=int(first[row]))


# --- Database checks and writing ------------------------------------------------------------------------------------
def _db_types(cur: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = cur.execute(
        "select column_name, data_type from information_schema.columns where table_schema = 'main' and table_name = $t",
        {"t": table},
    ).fetchall()
    return dict(rows)


def _register(cur: duckdb.DuckDBPyConnection, parsed: _Parsed) -> str:
    name = f"_ingest_{parsed.sheet.table}"
    frame = parsed.frame.copy()
    frame.insert(0, "__row", frame.index.astype("int64"))
    cur.register(name, frame.reset_index(drop=True))
    return name


def _staged_sql(cur: duckdb.DuckDBPyConnection, parsed: _Parsed, name: str) -> str:
    """A select over the registered frame with each present column cast to the table's type."""
    types = _db_types(cur, parsed.sheet.table)
    cols = ", ".join(f"cast({c} as {types[c]}) as {c}" for c in parsed.frame.columns)
    return f"select __row, {cols} from {name}"


def _join_on(table: str, left: str = "s", right: str = "t") -> str:
    """The same record: ids are unique within a center."""
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in ("center",) + KEYS[table])


def _merged(cur: duckdb.DuckDBPyConnection, parsed: _Parsed, staged: str) -> pd.DataFrame:
    """Each file row with its values after the import: file values where present, else the stored ones."""
    table = parsed.sheet.table
    present = set(parsed.frame.columns)
    cols = "".join(f", {'s' if c in present else 't'}.{c}" for c in CROSS_CHECKED[table])
    extra = ", t.event_type as __stored_event_type" if table == "events" else ""
    first_key = KEYS[table][0]
    sql = (
        f"select s.__row, t.{first_key} is not null as __exists{cols}{extra} "
        f"from ({staged}) s left join {table} t on {_join_on(table)} order by s.__row"
    )
    merged = cur.execute(sql).df().set_index("__row")
    for c in CROSS_CHECKED[table]:
        if _column(table, c).kind == "date":
            merged[c] = pd.to_datetime(merged[c])
    return merged


def _check_merged(parsed: _Parsed, merged: pd.DataFrame, problems: _Problems) -> None:
    sheet = parsed.sheet
    present = set(parsed.frame.columns)
    _check_missing_columns(parsed, merged, problems)
    for later, earlier in DATE_ORDER.get(sheet.table, ()):
        if later not in present and earlier not in present:
            continue
        wrong = merged[later] < merged[earlier]
        rows = [
            r for r in merged.index[wrong.to_numpy()] if (r, later) not in parsed.bad and (r, earlier) not in parsed.bad
        ]
        code = later if later in present else earlier
        for r in rows:
            problems.add_rows(
                sheet,
                code,
                [r],
                "date_order",
                label=_column(sheet.table, later).label,
                later=_fmt_date(merged.at[r, later]),
                other_label=_column(sheet.table, earlier).label,
                earlier=_fmt_date(merged.at[r, earlier]),
            )
    if sheet.table == "cases":
        _check_status(parsed, merged, problems)
    if sheet.table == "events":
        _check_events(parsed, merged, problems)


def _check_missing_columns(parsed: _Parsed, merged: pd.DataFrame, problems: _Problems) -> None:
    """A required column may be left out of a file that only updates existing records, not one that adds records."""
    sheet = parsed.sheet
    new = merged.index[~merged["__exists"].to_numpy(dtype=bool)]
    if not len(new):
        return
    first = new[0]
    key = " / ".join(str(parsed.frame.at[first, k]) for k in KEYS[sheet.table])
    for col in TABLE_COLUMNS[sheet.table]:
        if col.required and col.code not in parsed.frame and col.code not in KEYS[sheet.table]:
            problems.add(
                sheet.order,
                sheet.file,
                sheet.sheet,
                None,
                col.code,
                None,
                "missing_column",
                label=col.label,
                code=col.code,
                new_key=key,
                new_row=int(first),
            )


def _check_status(parsed: _Parsed, merged: pd.DataFrame, problems: _Problems) -> None:
    present = set(parsed.frame.columns)
    for date_code, statuses in STATUS_NEEDS:
        if "status" not in present and date_code not in present:
            continue
        wrong = merged["status"].isin(statuses).to_numpy() & merged[date_code].isna().to_numpy()
        code = "status" if "status" in present else date_code
        col = _column("cases", date_code)
        for r in merged.index[wrong]:
            if (r, date_code) in parsed.bad:
                continue
            status = codes.CASE_STATUSES[merged.at[r, "status"]]
            problems.add_rows(
                parsed.sheet, code, [r], "status_needs_date", status=status, label=col.label, code=date_code
            )


def _check_events(parsed: _Parsed, merged: pd.DataFrame, problems: _Problems) -> None:
    present = set(parsed.frame.columns)
    frame = parsed.frame
    if "participants" in present or "elderly_reached" in present:
        p = merged["participants"].astype("Float64")
        e = merged["elderly_reached"].astype("Float64")
        wrong = (e > p).fillna(False).to_numpy(dtype=bool)
        code = "elderly_reached" if "elderly_reached" in present else "participants"
        for r in merged.index[wrong]:
            problems.add_rows(
                parsed.sheet,
                code,
                [r],
                "elderly_gt_participants",
                elderly=int(merged.at[r, "elderly_reached"]),
                participants=int(merged.at[r, "participants"]),
            )
    if "activity" in present and "event_type" not in present:
        expected = _activity_of(parsed, merged["__stored_event_type"])
        given = frame["activity"].reindex(merged.index)
        wrong = (given.notna() & expected.notna() & (given != expected)).to_numpy(dtype=bool)
        for r in merged.index[wrong]:
            problems.add_rows(
                parsed.sheet,
                "activity",
                [r],
                "activity_mismatch",
                event_type=merged.at[r, "__stored_event_type"],
                expected=expected[r],
            )
        frame["activity"] = given.where(given.notna(), expected).reindex(frame.index).astype("str")


def _check_references(
    cur: duckdb.DuckDBPyConnection,
    staged: dict[str, str],
    parsed: dict[str, _Parsed],
    problems: _Problems,
    centers: _Centers,
) -> None:
    """References resolve within the row's center; one found only in another center is named as such."""
    if "cases" in staged and "resident_id" in parsed["cases"].frame:
        _report_refs(
            cur,
            parsed["cases"].sheet,
            staged["cases"],
            "resident_id",
            "residents",
            staged.get("residents"),
            "ref_resident",
            problems,
            centers,
        )
    if "training" not in staged:
        return
    training = parsed["training"].sheet
    _report_refs(
        cur, training, staged["training"], "staff_id", "staff", staged.get("staff"), "ref_staff", problems, centers
    )
    events = "select center, event_id, event_type from events"
    if "events" in staged and "event_type" in parsed["events"].frame:
        ev = f"select center, event_id, event_type from ({staged['events']}) where event_id is not null"
        events = (
            f"select center, event_id, event_type from events e where not exists "
            f"(select 1 from ({ev}) n where n.center = e.center and n.event_id = e.event_id) union all {ev}"
        )
    rows = cur.execute(
        f"select s.__row, e.event_type from ({staged['training']}) s left join ({events}) e using (center, event_id) "
        f"where s.event_id is not null and e.event_type is distinct from 'tap_huan' order by s.__row"
    ).fetchall()
    for row, event_type in rows:
        if event_type is not None:
            problems.add_rows(training, "event_id", [row], "ref_event_type", event_type=event_type)
    missing = [row for row, event_type in rows if event_type is None]
    if missing:
        _report_elsewhere(
            cur, training, staged["training"], "event_id", events, missing, "ref_event", problems, centers
        )


def _report_refs(
    cur: duckdb.DuckDBPyConnection,
    sheet: Sheet,
    staged: str,
    column: str,
    table: str,
    also: str | None,
    key: str,
    problems: _Problems,
    centers: _Centers,
) -> None:
    known = f"select center, {column} from {table}"
    if also:
        known += f" union all select center, {column} from ({also})"
    rows = _unknown_refs(cur, staged, column, known)
    if rows:
        _report_elsewhere(cur, sheet, staged, column, known, rows, key, problems, centers)


def _report_elsewhere(
    cur: duckdb.DuckDBPyConnection,
    sheet: Sheet,
    staged: str,
    column: str,
    known: str,
    rows: list[int],
    key: str,
    problems: _Problems,
    centers: _Centers,
) -> None:
    """Rows whose reference is not in their center: 'not found', or 'belongs to center X' when another center has it."""
    found = cur.execute(
        f"select s.__row, s.center, string_agg(distinct k.center, ',' order by k.center) from ({staged}) s "
        f"left join ({known}) k on k.{column} = s.{column} and k.center <> s.center "
        f"where list_contains($rows, s.__row) group by all order by s.__row",
        {"rows": rows},
    ).fetchall()
    for row, center, others in found:
        if others is None:
            problems.add_rows(sheet, column, [row], key)
        else:
            problems.add_rows(
                sheet,
                column,
                [row],
                f"{key}_center",
                other=centers.listing(others.split(",")),
                center=centers.listing([center]),
            )


def _sql_text(value: str | None) -> str:
    """A constant of the contract (a column default, never user input) as an SQL literal."""
    return "null" if value is None else "'" + str(value).replace("'", "''") + "'"


def _check_departments(
    cur: duckdb.DuckDBPyConnection,
    staged: dict[str, str],
    parsed: dict[str, _Parsed],
    allowed: set[str],
    centers: _Centers,
    problems: _Problems,
) -> None:
    """Unit staff write only their unit's rows: a row's unit after the import and, for an existing record, its stored
    unit must both be in `allowed` (so nobody moves another unit's record into theirs). A training row counts as its
    staff member's unit, taken from the same import's staff rows or else the database."""
    names = {u.code: u.short for p in centers.plans.values() for u in p.units}
    unit_text = ", ".join(names.get(u, u) for u in sorted(allowed))
    allowed_list = sorted(allowed) or [""]  # an empty list has no type in SQL; '' is no unit's code
    for table, p in parsed.items():
        if table == "training":
            continue
        present = "department" in p.frame.columns
        default = next((c.default for c in TABLE_COLUMNS[table] if c.code == "department"), None)
        new = "s.department" if present else f"coalesce(t.department, {_sql_text(default)})"
        rows = cur.execute(
            f"select s.__row, {new} as new_unit, t.department as old_unit from ({staged[table]}) s "
            f"left join {table} t on {_join_on(table)} "
            f"where ({new} is not null and not list_contains($allowed, {new})) "
            f"or (t.department is not null and not list_contains($allowed, t.department)) order by s.__row",
            {"allowed": allowed_list},
        ).fetchall()
        for row, new_unit, old_unit in rows:
            other = old_unit if old_unit is not None and old_unit not in allowed else new_unit
            problems.add_rows(
                p.sheet,
                "department" if present else KEYS[table][0],
                [row],
                "unit_not_allowed",
                unit=unit_text,
                other=names.get(other, other),
            )
    if "training" not in parsed or "staff_id" not in parsed["training"].frame:
        return
    imported = ""
    if "staff" in staged and "department" in parsed["staff"].frame:
        imported = (
            f"left join (select center, staff_id, department from ({staged['staff']})) n "
            f"on n.center = s.center and n.staff_id = s.staff_id "
        )
    unit = "coalesce(n.department, st.department)" if imported else "st.department"
    rows = cur.execute(
        f"select s.__row, {unit} as unit from ({staged['training']}) s {imported}"
        f"left join staff st on st.center = s.center and st.staff_id = s.staff_id "
        f"where {unit} is not null and not list_contains($allowed, {unit}) order by s.__row",
        {"allowed": allowed_list},
    ).fetchall()
    for row, other in rows:
        problems.add_rows(
            parsed["training"].sheet,
            "staff_id",
            [row],
            "unit_not_allowed",
            unit=unit_text,
            other=names.get(other, other),
        )


def _unknown_refs(cur: duckdb.DuckDBPyConnection, staged: str, column: str, known: str) -> list[int]:
    """Rows whose `column` is not among the `known` (center, column) pairs of their center."""
    rows = cur.execute(
        f"select s.__row from ({staged}) s where s.{column} is not null and not exists "
        f"(select 1 from ({known}) k where k.center = s.center and k.{column} = s.{column}) "
        f"order by s.__row"
    ).fetchall()
    return [r for (r,) in rows]


def _changed(table: str, present: list[str]) -> str:
    cols = [c for c in present if c not in KEYS[table]]
    if not cols:
        return "false"
    return "(" + " or ".join(f"s.{c} is distinct from t.{c}" for c in cols) + ")"


def _counts(cur: duckdb.DuckDBPyConnection, table: str, present: list[str], staged: str) -> TableCounts:
    first_key = KEYS[table][0]
    changed = _changed(table, present)
    added, updated, unchanged = cur.execute(
        f"select count(*) filter (where t.{first_key} is null), "
        f"count(*) filter (where t.{first_key} is not null and {changed}), "
        f"count(*) filter (where t.{first_key} is not null and not {changed}) "
        f"from ({staged}) s left join {table} t on {_join_on(table)}"
    ).fetchone()
    return TableCounts(int(added), int(updated), int(unchanged))


def _write(cur: duckdb.DuckDBPyConnection, table: str, present: list[str], staged: str, counts: TableCounts) -> None:
    """Update the present columns of existing rows that differ, then insert the new rows (defaults for the rest);
    `counts` (from _counts, same transaction) lets a statement that would change nothing be skipped."""
    sets = [c for c in present if c not in KEYS[table]]
    if sets and counts.updated:
        assignments = ", ".join(f"{c} = s.{c}" for c in sets)
        cur.execute(
            f"update {table} t set {assignments} from ({staged}) s "
            f"where {_join_on(table)} and {_changed(table, present)}"
        )
    if not counts.added:
        return
    cols = ", ".join(present)
    # The anti-join stays even when every row is new: measured, the plain insert into the keyed table is slower.
    cur.execute(
        f"insert into {table} ({cols}) select {cols} from ({staged}) s "
        f"where not exists (select 1 from {table} t where {_join_on(table)})"
    )


def _log(cur: duckdb.DuckDBPyConnection, user: str | None, source: str, result: ImportResult) -> None:
    """One import_log row; `center` holds the import's center(s), comma-separated when the files named several."""
    counts, files = result.counts, result.files
    totals = [sum(getattr(c, f) for c in counts.values()) for f in ("added", "updated", "unchanged")]
    cur.execute(
        "insert into import_log (user_name, source, files, sha256, added_count, updated_count, unchanged_count, "
        "counts_json, center) values ($user, $source, $files, $sha, $added, $updated, $unchanged, $counts, $center)",
        {
            "user": user,
            "source": source,
            "files": json.dumps([n for n, _ in files], ensure_ascii=False),
            "sha": ",".join(h for _, h in files),
            "added": totals[0],
            "updated": totals[1],
            "unchanged": totals[2],
            "counts": json.dumps({t: vars(c) for t, c in counts.items()}),
            "center": ",".join(result.centers),
        },
    )


# --- The two entry points -------------------------------------------------------------------------------------------
def import_files(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    files: list[tuple[str, bytes]],
    *,
    dry_run: bool = False,
    user: str | None = None,
    source: str = "app",
    limits: Limits = Limits(),
    progress: Callable[[float, str], None] | None = None,
    allowed_departments: set[str] | None = None,
    before_commit: Callable[[duckdb.DuckDBPyConnection, ImportResult], None] | None = None,
    center: str | None = None,
    allowed_centers: set[str] | None = None,
    plans: dict[str, Plan] | None = None,
    lock_override: locks.Override | None = None,
) -> ImportResult:
    """Import uploaded files (name, content): every problem at once, or all rows in one transaction.

    allowed_departments: the units whose rows this user may write (None = all); any other row is a problem.
    center: the center of rows whose file has no center column, or an empty cell in it (None: the plan's only
    center); `plan` is that center's plan of the import's year.
    allowed_centers: the centers this user may write (None = all); a row of another center is a problem.
    plans: other centers' plans of the same year ({center: plan}); a file's rows naming another center are checked
    against its plan (units, event types), and a center without one here is a problem.
    lock_override: an administrator's reason to write into locked months (planboard/locks.py), audited.
    before_commit(cursor, result): more writes that must share the import's transaction (an entry form's edit log),
    called after the rows are written, only when the import is written."""
    return _import(
        con,
        plan,
        list(files),
        _Problems(limits.max_problems),
        dry_run=dry_run,
        user=user,
        source=source,
        limits=limits,
        progress=progress,
        allowed_departments=allowed_departments,
        before_commit=before_commit,
        center=center,
        allowed_centers=allowed_centers,
        plans=plans,
        lock_override=lock_override,
    )


def import_paths(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    paths: list[str | Path],
    *,
    dry_run: bool = False,
    user: str | None = None,
    source: str = "cli",
    limits: Limits = Limits(),
    allowed_departments: set[str] | None = None,
    center: str | None = None,
    allowed_centers: set[str] | None = None,
    plans: dict[str, Plan] | None = None,
    lock_override: locks.Override | None = None,
) -> ImportResult:
    """Import files, folders of files, or a workbook from disk; same rules as import_files."""
    problems = _Problems(limits.max_problems)
    files: list[tuple[str, bytes]] = []
    for i, p in enumerate(_expand(paths, problems)):
        if p.stat().st_size > limits.max_file_bytes:
            problems.add(
                (i, 0),
                p.name,
                None,
                None,
                None,
                None,
                "file_too_big",
                size=p.stat().st_size / 2**20,
                limit=limits.max_file_bytes / 2**20,
            )
            continue
        files.append((p.name, p.read_bytes()))
    return _import(
        con,
        plan,
        files,
        problems,
        dry_run=dry_run,
        user=user,
        source=source,
        limits=limits,
        allowed_departments=allowed_departments,
        center=center,
        allowed_centers=allowed_centers,
        plans=plans,
        lock_override=lock_override,
    )


def _expand(paths: list[str | Path], problems: _Problems) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in CSV_EXTS + XLSX_EXTS and not f.name.startswith(("~$", "."))
            )
            if not found:
                problems.add((-1, 0), str(p), None, None, None, None, "folder_empty", path=p)
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            problems.add((-1, 0), str(p), None, None, None, None, "path_missing", path=p)
    return out


def _import(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    files: list[tuple[str, bytes]],
    problems: _Problems,
    *,
    dry_run: bool,
    user: str | None,
    source: str,
    limits: Limits,
    progress: Callable[[float, str], None] | None = None,
    allowed_departments: set[str] | None = None,
    before_commit: Callable | None = None,
    center: str | None = None,
    allowed_centers: set[str] | None = None,
    plans: dict[str, Plan] | None = None,
    lock_override: locks.Override | None = None,
) -> ImportResult:
    tick = progress or (lambda fraction, text: None)
    centers = _import_centers(con, plan, center, allowed_centers, plans)
    hashing = ThreadPoolExecutor(max_workers=1)  # sha256 releases the GIL: the hashes come while the files are read
    digests = [hashing.submit(lambda d: hashlib.sha256(d).hexdigest(), data) for _, data in files]
    hashing.shutdown(wait=False)
    if not files and not problems:
        problems.add((-1, 0), "", None, None, None, None, "no_files")
    sheets: list[Sheet] = []
    for i, (name, data) in enumerate(files):
        tick(0.4 * i / len(files), MESSAGES["progress_read"].format(name=name))
        sheets.extend(_read(name, data, (i, 0), limits, problems))
    tick(0.4, MESSAGES["progress_check"])
    result = ImportResult([], {}, [(name, d.result()) for (name, _), d in zip(files, digests, strict=True)], False)
    files.clear()  # read and hashed: the files' bytes (as large as the CSVs) need not stay for the checks and the write
    by_table = _one_sheet_per_table(sheets, problems)
    today = _today()
    parsed = {t: _parse_sheet(s, plan, today, problems, centers) for t, s in by_table.items()}
    _check_default_center(parsed, centers, problems)
    result.centers = sorted({c for p in parsed.values() for c in p.centers}) or [centers.default]
    cur = con.cursor()
    try:
        cur.begin()
        staged = {t: _staged_sql(cur, p, _register(cur, p)) for t, p in parsed.items()}
        for t, p in parsed.items():
            _check_merged(p, _merged(cur, p, staged[t]), problems)
            if t == "events":  # activity may have been filled in from stored event types
                staged[t] = _staged_sql(cur, p, _register(cur, p))
        _check_references(cur, staged, parsed, problems, centers)
        if allowed_departments is not None:
            _check_departments(cur, staged, parsed, set(allowed_departments), centers, problems)
        locks.check_import(cur, staged, parsed, problems, lock_override, write=not dry_run)  # period lock
        tick(0.7, MESSAGES["progress_write"])
        if not problems:
            for p in parsed.values():  # the cells as text only serve problem messages, and there is none to come
                p.sheet.raw = p.sheet.raw.iloc[:0]
            result.counts = {t: _counts(cur, t, list(parsed[t].frame.columns), staged[t]) for t in _ordered(parsed)}
            if not dry_run:
                _commit(cur, parsed, staged, result, user, source, before_commit)
        if not result.written:
            cur.rollback()
    except Exception:
        db.rollback(cur)
        raise
    finally:
        cur.close()
    result.problems = problems.result()
    tick(1.0, MESSAGES["progress_done"])
    return result


def _import_centers(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    center: str | None,
    allowed: set[str] | None,
    plans: dict[str, Plan] | None,
) -> _Centers:
    center = plan.only_center(center)
    cur = con.cursor()
    try:
        known = dict(cur.execute("select center_code, name from centers").fetchall())
    finally:
        cur.close()
    return _Centers(
        center, known, None if allowed is None else frozenset(allowed), {**(plans or {}), center: plan}, plan.year
    )


def _check_default_center(parsed: dict[str, _Parsed], centers: _Centers, problems: _Problems) -> None:
    """Rows of a file without a center column go to the import's center: it must exist and be the importer's."""
    if centers.default in centers.known and (centers.allowed is None or centers.default in centers.allowed):
        return
    for p in parsed.values():
        if CENTER.code in p.sheet.raw.columns:
            continue  # its cells name their center (an empty one was checked as the import's center)
        s = p.sheet
        if centers.default not in centers.known:
            problems.add(
                s.order,
                s.file,
                s.sheet,
                None,
                None,
                centers.default,
                "center_unknown",
                centers=centers.listing(centers.known),
            )
        else:
            problems.add(
                s.order,
                s.file,
                s.sheet,
                None,
                None,
                centers.default,
                "center_not_allowed",
                other=centers.listing([centers.default]),
                centers=centers.listing(centers.allowed),
            )


def _ordered(parsed: dict) -> list[str]:
    return [t for t in TABLE_ORDER if t in parsed]


def _commit(
    cur: duckdb.DuckDBPyConnection,
    parsed: dict[str, _Parsed],
    staged: dict[str, str],
    result: ImportResult,
    user: str | None,
    source: str,
    before_commit: Callable | None = None,
) -> None:
    for t in _ordered(parsed):
        c = result.counts[t]
        if c.added or c.updated:
            _write(cur, t, list(parsed[t].frame.columns), staged[t], c)
    if any(c.added or c.updated for c in result.counts.values()):
        db.bump_data_version(cur)
    _log(cur, user, source, result)
    if before_commit is not None:
        before_commit(cur, result)
    cur.commit()
    result.written = True


def _one_sheet_per_table(sheets: list[Sheet], problems: _Problems) -> dict[str, Sheet]:
    by_table: dict[str, list[Sheet]] = {}
    for s in sheets:
        by_table.setdefault(s.table, []).append(s)
    out = {}
    for table, group in by_table.items():
        if len(group) > 1:
            places = ", ".join(s.file + (f" / {s.sheet}" if s.sheet else "") for s in group)
            for s in group:
                problems.add(s.order, s.file, s.sheet, None, None, None, "table_twice", table=table, places=places)
        else:
            out[table] = group[0]
    return out
