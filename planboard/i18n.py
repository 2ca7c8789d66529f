"""User-facing text from the locale files (Vietnamese first, English second). No SQL, no Streamlit."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


@cache
def written(lang: str) -> dict[str, str]:
    """Flat {dotted.key: value} of a language as its files write it: locales/<lang>.toml plus one file per page in
    locales/<lang>/. A value "@other.key" stands for the text of that key (a word many places say alike is written
    once, mostly under [common])."""
    flat: dict[str, str] = {}
    for path in [LOCALES / f"{lang}.toml", *sorted((LOCALES / lang).glob("*.toml"))]:
        with open(path, "rb") as f:
            _flatten("", tomllib.load(f), flat, path)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """Flat {dotted.key: text} of a language, each "@other.key" replaced by that key's text."""
    flat = written(lang)
    return {key: _resolve(flat, key) for key in flat}


def shared_key(text: str) -> str | None:
    """The key a locale value "@key" stands for (None for a text)."""
    return text[1:] if text.startswith("@") and " " not in text else None


def _resolve(flat: dict[str, str], key: str) -> str:
    seen = [key]
    while (other := shared_key(flat[seen[-1]])) is not None:
        if other not in flat or other in seen:
            why = "missing" if other not in flat else "a loop"
            raise ValueError(f"locale key {key} stands for {other}, which is {why}")
        seen.append(other)
    return flat[seen[-1]]


def _flatten(prefix: str, node: dict, flat: dict[str, str], path: Path) -> None:
    for k, v in node.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            _flatten(key, v, flat, path)
        elif key in flat:
            raise ValueError(f"locale key {key} defined twice ({path.name})")
        else:
            flat[key] = v


class Said(Exception):
    """An error said in words to whoever meets it: it carries its locale key (PREFIX.<key> unless the key is dotted)
    and values, so each reader gets it in their language (text(lang)); str() is the Vietnamese text (logs, audit).
    Plan, center, meeting/lock/annotation and database errors are Said."""

    PREFIX = ""

    def __init__(self, key: str, /, **values):
        self.code = key  # the short name tests and callers compare
        self.key = key if "." in key or not self.PREFIX else f"{self.PREFIX}.{key}"
        self.values = values
        super().__init__(self.text())

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.values)


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text for key in lang (falling back to Vietnamese), with {placeholders} filled."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key)
    if text is None:
        raise KeyError(f"missing locale key: {key}")
    return text.format(**values) if values else text
