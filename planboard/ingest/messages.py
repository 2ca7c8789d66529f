"""Import problems: where each one is, and its message from the locale files (keys ingest.*), in Vietnamese by
default and in any interface language on request. No SQL, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from planboard import codes, fmt
from planboard.i18n import DEFAULT_LANG, t

if TYPE_CHECKING:
    from planboard.ingest.read import Sheet

# Message values written as numbers in the reader's language (1.000 in Vietnamese, 1,000 in English).
NUMBER_PARAMS = frozenset({"size_mb", "limit_mb", "cells", "limit_cells", "ratio"})


def message(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The text of problem `key` in `lang`: a table by its name in that language, never its internal code."""
    if values.get("table") in codes.TABLES:
        values["table"] = t(f"codes.table.{values['table']}", lang)
    for name, value in values.items():
        if hasattr(value, "describe"):  # a value that says itself in a language (a period lock: locks.Lock)
            values[name] = value.describe(lang)
    for name in NUMBER_PARAMS & values.keys():
        values[name] = fmt.number(values[name], lang=lang)
    return t(f"ingest.{key}", lang, **values)


def fmt_date(d) -> str:
    """A date as a message shows it (dd/mm/yyyy); '' for none."""
    return "" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Problem:
    """One problem of an import: where (file, sheet, row as Excel numbers it, column as written), the cell's value,
    and what is wrong: `message` in Vietnamese, and its locale key with the values to say it in another language."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str
    key: str = ""  # under ingest. in the locale files; "" for a message given as text
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in `lang` (a problem made from a plain text stays as it was written)."""
        if not self.key:
            return self.message
        return message(self.key, lang, value=self.value, **dict(self.params))


class Problems:
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
        **values,
    ) -> None:
        if len(self.items) >= self.limit:
            self.extra += 1
            return
        text = None if value is None else str(value)
        problem = Problem(
            file, sheet, row, column, text, message(key, value=text, **values), key, tuple(values.items())
        )
        self.items.append(((*order, -1 if row is None else row), problem))

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
            text = message("too_many_problems", count=self.extra)
            out.append(Problem("", None, None, None, None, text, "too_many_problems", (("count", self.extra),)))
        return out
