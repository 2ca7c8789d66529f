"""The data contract's columns and cross-field rules. Names, order, types, keys, required columns and defaults come
from the schema (queries/schema/001_tables.sql, the one definition); the header label a file may carry and what a
text column holds (an id, free text, a code list) are added here. No Streamlit."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import duckdb

from planboard import codes, db
from planboard.i18n import catalog
from planboard.plan import Plan

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    kind: str  # id, text, date, birth, int, bool, or a code list: gender, unit, legal_field, ...
    required: bool = False
    default: object = None  # what an empty cell means for a column with a default
    future_ok: bool = False
    max_value: int = INT64_MAX
    data_type: str = "VARCHAR"  # the table's type (a file's values are cast to it before the checks)


@dataclass(frozen=True)
class _Meaning:
    """What the schema cannot say about a column: for a text column what it holds (its header label is the locale's,
    vi/contract.toml)."""

    kind: str | None = None  # None: from the schema type (date, int, bool)
    future_ok: bool = False  # a date that may lie ahead (a planned leaving, a contract's end)
    derived: bool = False  # not null in the table but may be left empty in a file: the importer fills it in


_M = _Meaning
MEANINGS: dict[str, dict[str, _Meaning]] = {
    "residents": {
        "resident_id": _M("id"),
        "full_name": _M("text"),
        "gender": _M("gender"),
        "birth_date": _M("birth"),
        "admitted_on": _M(),
        "left_on": _M(future_ok=True),
        "department": _M("unit"),
        "is_meritorious": _M(),
        "is_poor_household": _M(),
        "has_financial_hardship": _M(),
        "is_violence_victim": _M(),
        "ethnicity": _M("text"),
    },
    "cases": {
        "case_id": _M("id"),
        "resident_id": _M("id"),
        "requested_on": _M(),
        "department": _M("unit"),
        "legal_field": _M("legal_field"),
        "aid_form": _M("aid_form"),
        "priority": _M("priority"),
        "provider": _M("text"),
        "referred_on": _M(),
        "accepted_on": _M(),
        "closed_on": _M(),
        "status": _M("status"),
        "fee_charged": _M(),
        "notes": _M("text"),
    },
    "events": {
        "event_id": _M("id"),
        "event_type": _M("event_type"),
        "activity": _M("activity", derived=True),  # from the event type when empty
        "held_on": _M(),
        "department": _M("unit"),
        "title": _M("text"),
        "document_number": _M("text"),
        "participants": _M(),
        "elderly_reached": _M(),
        "notes": _M("text"),
    },
    "staff": {
        "staff_id": _M("id"),
        "full_name": _M("text"),
        "department": _M("unit"),
        "is_legal_aid_worker": _M(),
        "active_from": _M(),
        "active_to": _M(future_ok=True),
    },
    "training": {
        "event_id": _M("id"),
        "staff_id": _M("id"),
        "completed": _M(),
    },
}
_KIND_OF_TYPE = {"DATE": "date", "BOOLEAN": "bool", "INTEGER": "int", "BIGINT": "int"}
_MAX_OF_TYPE = {"INTEGER": INT32_MAX, "BIGINT": INT64_MAX}


@cache
def _schema_columns() -> tuple[tuple, ...]:
    """The contract tables' columns as the schema file defines them, read from a scratch in-memory database."""
    scratch = duckdb.connect()
    try:
        scratch.execute((db.SCHEMA / "001_tables.sql").read_text(encoding="utf-8"))
        rows = scratch.execute(db.sql("contract_columns"), {"tables": list(codes.TABLES)}).fetchall()
        # a default is a constant of our own schema file (never user input): DuckDB gives its value
        return tuple(
            (*r[:5], None if r[4] is None else scratch.execute(f"select {r[4]}").fetchone()[0], r[5]) for r in rows
        )
    finally:
        scratch.close()


def _contract() -> tuple[dict[str, tuple[Column, ...]], dict[str, tuple[str, ...]]]:
    columns: dict[str, list[Column]] = {t: [] for t in codes.TABLES}
    keys: dict[str, list[str]] = {t: [] for t in codes.TABLES}
    for table, code, data_type, not_null, _, default, is_key in _schema_columns():
        meaning = MEANINGS[table][code]  # a schema column without a meaning here fails loudly at import
        kind = meaning.kind or _KIND_OF_TYPE[data_type]
        required = not_null and default is None and not meaning.derived
        columns[table].append(
            Column(
                code,
                catalog("vi")[f"contract.{table}.{code}"],  # the header a file carries: the contract is Vietnamese
                kind,
                required,
                default,
                meaning.future_ok,
                _MAX_OF_TYPE.get(data_type, INT64_MAX),
                data_type,
            )
        )
        if is_key:
            keys[table].append(code)
    missing = {t: set(m) - {c.code for c in columns[t]} for t, m in MEANINGS.items()}
    if any(missing.values()):
        raise RuntimeError(f"columns described in ingest/contract.py but not in the schema: {missing}")
    return {t: tuple(c) for t, c in columns.items()}, {t: tuple(k) for t, k in keys.items()}


TABLE_COLUMNS, KEYS = _contract()
# Optional in every table (docs/centers.md): the center a row belongs to, as its code or name. A file without it puts
# its rows into the import's center; an empty cell means the same.
CENTER = Column("center", catalog("vi")["contract.center.label"], "center")
CENTER_HEADERS = ("center", CENTER.label, catalog("vi")["contract.center.code_label"])
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
# Code lists that come from a center's plan: rows of several centers are parsed against each one's plan.
PLAN_KINDS = ("unit", "event_type", "activity")


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


def column_of(table: str, code: str) -> Column:
    return CENTER if code == CENTER.code else next(c for c in TABLE_COLUMNS[table] if c.code == code)


def header_map(table: str) -> dict[str, str]:
    """Folded header (a column's code or label) -> column code."""
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


def code_lookup(kind: str, choices: dict[str, str]) -> dict[str, str]:
    """Folded code or label (and the aliases a code list accepts) -> code."""
    lut = {}
    for code, label in choices.items():
        lut[fold(code)] = code
        lut[fold(label)] = code
    if kind == "gender":
        lut.update({fold(k): v for k, v in codes.GENDER_ALIASES.items()})
    if kind == "activity":
        lut.update({fold(code.replace(".", ",")): code for code in choices})
    return lut
