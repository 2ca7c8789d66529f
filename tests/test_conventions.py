"""House-style checks: SQL file headers, locale completeness, the core never imports Streamlit."""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict

import pytest
from conftest import ROOT

from planboard import i18n, labels
from planboard.i18n import LANGS, catalog

SQL_FILES = sorted([*(ROOT / "queries").rglob("*.sql"), *(ROOT / "bench").glob("*.sql")])
NAMED_QUERIES = [*(ROOT / "queries").glob("*.sql"), *(ROOT / "bench").glob("*.sql")]  # one statement each, $params


def test_every_sql_file_starts_with_a_header_comment():
    assert SQL_FILES
    for f in SQL_FILES:
        first = f.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith("-- ") and len(first) > 10, f


def test_query_files_state_their_grain_and_parameters():
    for f in NAMED_QUERIES:
        lines = f.read_text(encoding="utf-8").splitlines()
        header = "\n".join(itertools.takewhile(lambda line: line.startswith("--"), lines))  # the leading comment
        assert "Grain:" in header, f
        used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", re.sub(r"--.*", "", f.read_text(encoding="utf-8"))))
        for p in used:
            assert f"${p}" in header, f"{f.name}: ${p} not documented in the header"


def test_the_benchs_statements_live_in_bench_not_among_the_apps_queries():
    # queries/ holds what the app runs, named by what it returns; the bench's own statements are bench/*.sql
    assert (ROOT / "bench" / "row_counts.sql").exists()
    assert [f.name for f in (ROOT / "queries").rglob("bench*.sql")] == []


def empty_final_steps(text: str) -> list[str]:
    """The CTEs a `final as (select * from x)` step only renames (the step x itself should be called final)."""
    return re.findall(r"\bfinal\s+as\s*\(\s*select\s+\*\s+from\s+(\w+)\s*\)", re.sub(r"--.*", "", text), re.I)


def test_the_empty_final_step_check_sees_one():
    assert empty_final_steps("with x as (select 1)\n, final as (\n    select * from x\n)\nselect * from final") == ["x"]
    # a final step that orders and limits does something
    assert empty_final_steps("final as (select * from x order by a limit 1) select * from final") == []


def test_no_query_has_an_empty_final_step():
    assert {f.name: empty_final_steps(f.read_text(encoding="utf-8")) for f in SQL_FILES} == {
        f.name: [] for f in SQL_FILES
    }


def _params(text: str) -> set[str]:
    return set(re.findall(r"\$([a-z_][a-z0-9_]*)", re.sub(r"--.*", "", text)))


def test_a_period_ends_at_period_end():
    # One name for a period's end: a range is [$period_start, $period_end] (house style), and a state read on the
    # period's last day is read at $period_end too. $as_of is only a date whose state is read when it is not the end
    # of the file's period (the requests register: the period is a chosen quarter, the status at the date shown),
    # so a file with a period and $as_of also has $period_end. ($as_of_dates is the indicators' grid: each ends a
    # window of its own.)
    for f in NAMED_QUERIES:
        used = _params(f.read_text(encoding="utf-8"))
        if {"period_start", "as_of"} <= used:
            assert "period_end" in used, f"{f.name}: a period ends at $period_end, not $as_of"


def test_the_events_of_a_period_are_filtered_once_in_the_events_filtered_macro():
    # queries/schema/041_events_filtered.sql holds the filter (centers, period, unit, activities, types); a query
    # that writes its own `held_on between` would drift from it
    own = [f.name for f in (ROOT / "queries").glob("*.sql") if "held_on between" in re.sub(r"--.*", "", f.read_text())]
    assert own == []


def test_locales_have_the_same_keys():
    keys = {lang: set(catalog(lang)) for lang in LANGS}
    assert keys["vi"] == keys["en"], keys["vi"] ^ keys["en"]


def test_a_text_said_in_several_places_is_written_once():
    # Keys holding the same texts in both languages (issue 16: "Trạng thái" under 15 keys) are one text under [common]
    # that the places' keys name ("@common.status"). The same Vietnamese under keys whose English differs is two words
    # ("Hoạt động": an activity of the plan, the events register), not a copy.
    vi, en = i18n.written("vi"), i18n.written("en")
    places = defaultdict(list)
    for key, text in vi.items():
        if i18n.shared_key(text) is None and i18n.shared_key(en[key]) is None:
            places[(text, en[key])].append(key)
    assert {texts: keys for texts, keys in places.items() if len(keys) > 1} == {}
    assert sum(i18n.shared_key(text) is not None for text in vi.values()) > 300  # the 352 places of 108 texts


def test_a_shared_text_reads_as_the_key_it_names(tmp_path, monkeypatch):
    assert catalog("vi")["requests.col_status"] == catalog("vi")["common.status"] == "Trạng thái"
    assert catalog("en")["requests.col_status"] == "Status"
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx.toml").write_text(
        '[common]\nword = "Từ"\n[page]\na = "@common.word"\nb = "@page.a"\nc = "@ mail"\n'
    )
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    try:
        assert catalog("xx") == {"common.word": "Từ", "page.a": "Từ", "page.b": "Từ", "page.c": "@ mail"}
        (tmp_path / "xx" / "bad.toml").write_text('[bad]\nmissing = "@common.nothing"\n')
        i18n.catalog.cache_clear(), i18n.written.cache_clear()
        with pytest.raises(ValueError, match="bad.missing stands for common.nothing, which is missing"):
            catalog("xx")
    finally:
        i18n.catalog.cache_clear(), i18n.written.cache_clear()


def test_core_never_imports_streamlit():
    core = [f for f in (ROOT / "planboard").rglob("*.py") if "ui" not in f.relative_to(ROOT / "planboard").parts]
    assert {f.parent.name for f in core} >= {"planboard", "reports", "ingest"}
    for f in core:
        assert not re.search(r"^\s*(import|from) streamlit\b", f.read_text(encoding="utf-8"), re.M), f


_SQL = re.compile(
    r"\bselect\b.*?\bfrom\b|\bwith\s+\w+\s+as\s*\(|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b",
    re.I | re.S,
)


def string_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal of a Python source, docstrings aside (they describe, not show); adjacent
    literals come joined (a text written over several lines), an f-string as its literal parts joined."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    parts = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
    out = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in parts:
            continue
        if isinstance(node, ast.JoinedStr):
            out.append((node.lineno, "".join(v.value for v in node.values if isinstance(v, ast.Constant))))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
    return out


def sql_in(source: str) -> list[str]:
    """The string literals of a Python source that read as SQL, each whole (a statement over several lines too)."""
    return [text for _, text in string_literals(source) if _SQL.search(text)]


def test_the_sql_check_sees_statements_over_several_lines():
    source = 'q = (\n    "select unit, count(*) "\n    "from cases group by unit"\n)\nr = f"""\nSELECT *\nFROM {t}"""\n'
    assert sql_in(source) == ["select unit, count(*) from cases group by unit", "\nSELECT *\nFROM "]
    assert sql_in('st.selectbox("Chọn từ danh sách", options)\nst.caption("Select a unit from the list")') == [
        "Select a unit from the list"
    ]  # English text can read as SQL: pages take their text from the locale files, so none is there


def test_pages_hold_no_sql():
    for f in list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        assert sql_in(f.read_text(encoding="utf-8")) == [], f


def test_vietnamese_code_labels_in_the_locale_are_the_contracts():
    from planboard import codes

    vi = catalog("vi")
    for kind, table in codes.KINDS.items():
        assert {k: vi[f"codes.{kind}.{k}"] for k in table} == table, kind
        assert labels.code(kind, next(iter(table)), "en") != "", kind
    assert labels.code("case_status", "tu_choi", "en") == "Refused"
    assert labels.code("case_status", "tu_choi") == "Từ chối"


VIETNAMESE = re.compile("[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.I)
# Every module a user's words could come from: the words live in the locale files (issue 16), Vietnamese first.
CODE = sorted([*(ROOT / "planboard").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])
# Vietnamese that is data or letters, not a message: (file, top-level name) -> why. "*" is the whole file.
NOT_MESSAGES = {
    ("planboard/demo.py", "*"): "the demo generator's fictional people, places and notes",
    ("planboard/auth.py", "DEMO_ACCOUNTS"): "the demo accounts' names, written into demo databases only",
    ("planboard/templates.py", "EXAMPLES"): "the import template's example rows, filled in as a person would",
    ("planboard/auth.py", "check_password_rules"): "the range of letters a password must hold one of",
    ("planboard/ingest/read.py", "_vietnamese_letters"): "the letters that tell a cp1258 file from a wrong decoding",
    ("planboard/ingest/contract.py", "fold"): "đ matched as d in headers and codes",
}


def vietnamese_literals(path) -> list[tuple[int, str]]:
    """(line, text) of each string literal with Vietnamese letters, docstrings aside (they describe, not show), and
    those of the top-level definitions NOT_MESSAGES names."""
    source = path.read_text(encoding="utf-8")
    name = path.relative_to(ROOT).as_posix()
    if (name, "*") in NOT_MESSAGES:
        return []
    skipped = set()
    for node in ast.parse(source).body:
        targets = getattr(node, "targets", None) or [getattr(node, "target", None)]  # x = …, or x: type = …
        names = [getattr(node, "name", None)] + [getattr(x, "id", None) for x in targets]
        if any((name, n) in NOT_MESSAGES for n in names if n):
            skipped |= set(range(node.lineno, node.end_lineno + 1))
    return [(n, text) for n, text in string_literals(source) if VIETNAMESE.search(text) and n not in skipped]


def test_user_facing_words_live_in_the_locale_files():
    assert len(CODE) > 80 and ROOT / "planboard" / "ingest" / "read.py" in CODE
    for f in CODE:
        assert vietnamese_literals(f) == [], f
    # the check sees a message in any kind of literal, and not a docstring
    source = 'def f():\n    """Trả về."""\n    return f"Không nhập được {n} tệp" + "có"\n'
    assert [text for _, text in string_literals(source) if VIETNAMESE.search(text)] == ["Không nhập được  tệp", "có"]


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


def test_views_and_pages_take_their_colours_from_the_palette():
    # The palette (ui.md) is written in display.py and used by the chart, card and table builders; a page or a view
    # writing a hex colour is a second copy of it (meeting_view's overdue red was one, issue 16).
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    views = [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    views += [ROOT / "planboard" / "ui" / f"{m}.py" for m in ("meeting_view", "annotation_view", "records", "filters")]
    for f in views:
        assert not hex_colour.search(f.read_text(encoding="utf-8")), f
