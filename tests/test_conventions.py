"""House-style checks: SQL file headers, locale completeness, the core never imports Streamlit."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

from planboard import labels
from planboard.i18n import LANGS, catalog

SQL_FILES = sorted((ROOT / "queries").rglob("*.sql"))


def test_every_sql_file_starts_with_a_header_comment():
    assert SQL_FILES
    for f in SQL_FILES:
        first = f.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("-- ") and len(first) > 10, f


def test_query_files_state_their_grain_and_parameters():
    for f in (ROOT / "queries").glob("*.sql"):
        header = "\n".join(line for line in f.read_text(encoding="utf-8").splitlines() if line.startswith("--"))
        assert "Grain:" in header, f
        used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", re.sub(r"--.*", "", f.read_text(encoding="utf-8"))))
        for p in used:
            assert f"${p}" in header, f"{f.name}: ${p} not documented in the header"


def test_locales_have_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGS}
    assert keys["vi"] == keys["en"], keys["vi"] ^ keys["en"]


def test_core_never_imports_streamlit():
    for f in (ROOT / "planboard").glob("*.py"):
        assert "import streamlit" not in f.read_text(encoding="utf-8"), f


def test_pages_hold_no_sql():
    for f in list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        text = f.read_text(encoding="utf-8").lower()
        assert not re.search(r"\bselect\b.+\bfrom\b", text), f


def test_vietnamese_code_labels_in_the_locale_are_the_contracts():
    from planboard import codes

    vi = catalog("vi")
    for kind, table in codes.KINDS.items():
        assert {k: vi[f"codes.{kind}.{k}"] for k in table} == table, kind
        assert labels.code(kind, next(iter(table)), "en") != "", kind
    assert labels.code("case_status", "tu_choi", "en") == "Refused"
    assert labels.code("case_status", "tu_choi") == "Từ chối"


VIETNAMESE = re.compile("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹăâđêôơư]", re.I)
# Modules whose words all come from the locale files (issue 16): the pages, the plan's errors, the command line's help
# and messages, the labels of codes, pace and the card and chart builders.
LOCALISED = [
    *sorted((ROOT / "pages").glob("*.py")),
    *(ROOT / "planboard" / f"{m}.py" for m in ("plan", "cli", "labels", "pace", "status", "kpis")),
    *(ROOT / "planboard" / "ui" / f"{m}.py" for m in ("cards", "charts", "records", "components", "data")),
]


def vietnamese_literals(path) -> list[tuple[int, str]]:
    """(line, text) of each string literal with Vietnamese letters, docstrings aside (they describe, not show)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and VIETNAMESE.search(node.value)
    ]


def test_user_facing_words_of_these_modules_live_in_the_locale_files():
    for f in LOCALISED:
        assert vietnamese_literals(f) == [], f


def test_cursors_are_closed_by_db_cursor_not_by_hand():
    # One context manager (db.cursor, db.transaction, db.snapshot) closes every cursor; a hand-written
    # `cur = con.cursor()` followed by try/finally close is the pattern it replaced.
    hand = re.compile(r"=\s*[\w.()]+\.cursor\(\)\n\s*try:")
    for f in (ROOT / "planboard").rglob("*.py"):
        if f.name != "db.py":
            assert not hand.search(f.read_text(encoding="utf-8")), f


def test_account_and_session_modules_hold_no_sql():
    # Their statements are named queries in queries/ (user_*.sql, session*.sql, audit_log_insert.sql); the entry
    # forms' statements too, except those built per contract table from its key columns.
    literal = re.compile(r"""\bexecute\(\s*f?["'](select|insert|update|delete|with)\b""", re.I)
    for name in ("auth.py", "sessions.py", "ui/auth.py"):
        assert not literal.search((ROOT / "planboard" / name).read_text(encoding="utf-8")), name
    plain = re.compile(r"""\bexecute\(\s*["'](select|insert|update|delete|with)\b""", re.I)
    assert not plain.search((ROOT / "planboard" / "edits.py").read_text(encoding="utf-8"))
