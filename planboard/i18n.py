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
    """Flat {dotted.key: text} of a language: locales/<lang>.toml plus one file per page in locales/<lang>/."""
    flat: dict[str, str] = {}
    for path in [LOCALES / f"{lang}.toml", *sorted((LOCALES / lang).glob("*.toml"))]:
        with open(path, "rb") as f:
            _flatten("", tomllib.load(f), flat, path)
    return flat


def _flatten(prefix: str, node: dict, flat: dict[str, str], path: Path) -> None:
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            _flatten(key, v, flat, path)
        elif key in flat:
            raise ValueError(f"locale key {key} defined twice ({path.name})")
        else:
            flat[key] = v


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text for key in lang (falling back to Vietnamese), with {placeholders} filled."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key)
    if text is None:
        raise KeyError(f"missing locale key: {key}")
    return text.format(**values) if values else text
