"""Parsing a sheet's text cells into typed values (dates day first, whole numbers, yes/no, codes or their labels,
centers), each bad cell a problem; the event's plan activity derived from its type; duplicate ids. No SQL, no
Streamlit."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planboard.ingest.contract import CENTER, KEYS, PLAN_KINDS, Column, code_choices, code_lookup, column_of, fold
from planboard.ingest.messages import Problems, fmt_date
from planboard.ingest.read import Sheet
from planboard.plan import Plan

VN_TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving
TRUE_WORDS = {"co", "c", "x", "1", "true", "yes"}
FALSE_WORDS = {"khong", "k", "0", "false", "no"}
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
class Centers:
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


@dataclass
class Parsed:
    """A sheet's typed values (index = row numbers) plus the rows whose value is unusable, and the plan each group of
    rows was checked against (one group unless the file names several centers)."""

    sheet: Sheet
    frame: pd.DataFrame
    bad: set[tuple[int, str]] = field(default_factory=set)
    groups: list[tuple[Plan, pd.Index]] = field(default_factory=list)
    centers: list[str] = field(default_factory=list)  # the centers of its rows, as the groups


def parse_sheet(sheet: Sheet, plan: Plan, today: dt.date, problems: Problems, centers: Centers) -> Parsed:
    frame = pd.DataFrame(index=sheet.raw.index)
    parsed = Parsed(sheet, frame)
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
        col = column_of(sheet.table, code)
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


def _parse_centers(sheet: Sheet, centers: Centers, problems: Problems, parsed: Parsed) -> pd.Series:
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
    sheet: Sheet, col: Column, s: pd.Series, choices: dict, today: dt.date, problems: Problems, parsed: Parsed
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
        _report(sheet, col, filled.index, errors, problems, parsed, today=fmt_date(today))
        return out.astype("datetime64[us]")
    if kind == "int":
        values, errors = _by_unique(filled, lambda t: _int_of(t, col.max_value), "Int64")
        _report(sheet, col, filled.index, errors, problems, parsed, limit=col.max_value)
    elif kind == "bool":
        values, errors = _by_unique(filled, _bool_of, "boolean")
        _report(sheet, col, filled.index, errors, problems, parsed)
    else:
        lut = code_lookup(kind, choices[kind])
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
    sheet: Sheet, col: Column, index: pd.Index, errors: np.ndarray | None, problems: Problems, parsed: Parsed, **fmt
) -> None:
    if errors is None or not len(errors):
        return
    for key in pd.unique(errors[pd.notna(errors)]):
        rows = index[errors == key]
        problems.add_rows(sheet, col.code, rows, key, **fmt)
        parsed.bad |= {(r, col.code) for r in rows}


def activity_of(parsed: Parsed, event_types: pd.Series) -> pd.Series:
    """The plan activity of each row's event type, from the plan of the row's center."""
    parts = [
        event_types.loc[event_types.index.intersection(rows)].map({e.code: e.activity for e in p.event_types})
        for p, rows in parsed.groups
    ]
    return pd.concat(parts).reindex(event_types.index) if len(parts) > 1 else parts[0]


def _derive_activity(parsed: Parsed, problems: Problems) -> None:
    """activity follows event_type: given must match, empty is filled in from the plan."""
    frame, sheet = parsed.frame, parsed.sheet
    if "event_type" not in frame:
        return
    expected = activity_of(parsed, frame["event_type"])
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


def _check_duplicates(parsed: Parsed, problems: Problems) -> None:
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


def local_today() -> dt.date:
    """Today in Vietnam (the server may run on UTC): a date after it is in the future."""
    return dt.datetime.now(VN_TZ).date()
