"""Reading an import's files: CSV (any of the encodings Vietnamese offices save) or XLSX (each sheet a table, checked
for zip bombs first) into sheets of text cells per table, header row found and mapped to column codes. No Streamlit."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import itertools
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

from planboard import codes, db
from planboard.i18n import LANGS, t
from planboard.ingest.contract import CENTER, KEYS, TABLE_COLUMNS, column_of, fold, header_map, table_of_name
from planboard.ingest.messages import Problem, Problems

TABLE_NAMES = ", ".join(f"'{codes.TABLE_LABELS[t]}'" for t in codes.TABLES)  # file and sheet names the importer knows
SKIP_HEADER = "stt"
TOTAL_LABELS = ("tong cong", "cong")
HEADER_SCAN_ROWS = 30
HEAD_CHARS = 65536  # the header row is looked for in a CSV's first characters
# Folded names of a workbook's instructions sheet (templates.py writes it in the reader's language), not a table.
INSTRUCTION_SHEETS = tuple(fold(t("import_page.tpl_sheet_instructions", lang)) for lang in LANGS)
CSV_EXTS = (".csv", ".txt", ".tsv")
XLSX_EXTS = (".xlsx", ".xlsm")


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


# When none are given (the command line, scripts): files of any size and length — the 50 MB / 2,000,000-row limits
# are the page's, for uploads (edits.upload_limits reads them from the environment); a workbook's zip-bomb checks
# stay, as they guard the parser, not the size of the data.
DEFAULT_LIMITS = Limits(max_file_bytes=2**60, max_rows=10**12)


@dataclass
class Sheet:
    """One table as read from a file or a worksheet: text cells, index = row numbers as Excel shows them."""

    file: str
    sheet: str | None
    table: str
    raw: pd.DataFrame  # columns = column codes, values = stripped NFC text ("" = empty)
    headers: dict[str, str] = field(default_factory=dict)  # code -> header as written
    order: tuple = (0, 0)


def emptied(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of no rows with `frame`'s columns and types that holds none of its memory (a slice such as
    frame.iloc[:0] of Arrow-backed text keeps the whole buffers alive)."""
    return pd.DataFrame({c: pd.Series([], dtype=frame[c].dtype) for c in frame.columns}, index=frame.index[:0].copy())


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
        out |= set(header_map(table))
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


def _csv_grid(name: str, data: bytes, table: str | None, order: tuple, problems: Problems) -> _Grid | None:
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


def _grid_or_problem(found: _Grid | tuple, name: str, order: tuple, problems: Problems) -> _Grid | None:
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
    known = set(header_map(table)) | {SKIP_HEADER} if table else _KNOWN_HEADERS
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
        with db.cursor(_reader()) as con:
            for parallel in (True, False):
                try:
                    params = {"path": f.name, "delim": delim, "columns": columns, "parallel": parallel}
                    # execute (materialised by DuckDB's threads), not sql (a lazy relation): 3x faster to Arrow
                    table = con.execute(db.sql("ingest_read_csv"), params).to_arrow_table()
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


def _xlsx_too_big(data: bytes, limits: Limits) -> tuple[str, dict] | None:
    """(message key, its values) when the workbook would inflate past the limits, else None. First the zip's
    directory (declared sizes, which zipfile holds the content to: total and packing ratio) and each sheet's
    <dimension> (its first 64 KB inflated) — a bomb is refused there in milliseconds; then the cells are counted in
    each sheet's XML streamed 1 MB at a time (a <dimension> can be missing or lie; seconds, not minutes, and memory
    bounded), before anything is parsed. A broken zip is left to the parser."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None

    def mb(n: int) -> int:
        return round(n / 2**20)

    total = sum(m.file_size for m in members)
    if total > limits.max_xlsx_unzipped_bytes:
        return "xlsx_unzipped", {"size_mb": mb(total), "limit_mb": mb(limits.max_xlsx_unzipped_bytes)}
    for m in members:
        if m.file_size > 2**20 and m.file_size > limits.max_xlsx_ratio * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            values = {"member": m.filename, "size_mb": mb(m.file_size), "ratio": ratio, "limit": limits.max_xlsx_ratio}
            return "xlsx_packed", values
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    try:
        declared = sum(_declared_cells(archive, m) for m in sheets)
        if declared > limits.max_xlsx_cells:
            return "xlsx_cells", {"cells": declared, "limit_cells": limits.max_xlsx_cells}
        counted = 0
        for m in sheets:
            counted = _count_cells(archive, m, counted, limits.max_xlsx_cells)
            if counted > limits.max_xlsx_cells:  # counting stopped there: "more than"
                return "xlsx_more_cells", {"limit_cells": limits.max_xlsx_cells}
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
    name: str, data: bytes, table: str | None, order: tuple, problems: Problems, limits: Limits = DEFAULT_LIMITS
) -> list[_Grid]:
    if (too_big := _xlsx_too_big(data, limits)) is not None:
        problems.add(order, name, None, None, None, None, too_big[0], **too_big[1])
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


def _sheet_of_grid(grid: _Grid, limits: Limits, problems: Problems) -> Sheet | None:
    """Find the header row, map the headers to codes, drop title, empty and total rows."""
    # A CSV grid comes stripped, "" for empty (_read_csv_body); a worksheet's cells are stripped here.
    cells = grid.cells if grid.sheet is None else grid.cells.fillna("").astype(str).apply(lambda s: s.str.strip())
    hmap = header_map(grid.table)
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
                label=column_of(grid.table, code).label,
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
            label=column_of(grid.table, key_code).label,
            code=key_code,
        )
    return None if missing else sheet


def read_table_file(
    name: str, data: bytes, *, order: int = 0, limits: Limits = DEFAULT_LIMITS, problems: Problems | None = None
) -> tuple[list[Sheet], list[Problem]]:
    """Read one CSV/XLSX upload into sheets of text per table; unreadable parts become problems."""
    own = problems is None
    problems = problems or Problems(limits.max_problems)
    sheets = read_sheets(name, data, (order, 0), limits, problems)
    return sheets, problems.result() if own else []


def read_sheets(name: str, data: bytes, order: tuple, limits: Limits, problems: Problems) -> list[Sheet]:
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


def one_sheet_per_table(sheets: list[Sheet], problems: Problems) -> dict[str, Sheet]:
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
