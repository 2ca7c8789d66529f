"""User-facing text from the locale files (Vietnamese first, English second). No SQL, no Streamlit."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


@cache
def catalog(lang: str) -> dict[str, str]:
    """Flat {dotted.key: text} of one locale file."""
    with open(LOCALES / f"{lang}.toml", "rb") as f:
        data = tomllib.load(f)
    flat: dict[str, str] = {}

    def walk(prefix: str, node) -> None:
        for k, v in node.items():
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict):
                walk(key, v)
            else:
                flat[key] = v

    walk("", data)
    return flat


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text for key in lang (falling back to Vietnamese), with {placeholders} filled."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key)
    if text is None:
        raise KeyError(f"missing locale key: {key}")
    return text.format(**values) if values else text
