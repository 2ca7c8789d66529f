"""Vietnamese number, percent, date and period formats (1.234; 75,0%; 30/06/2024; Quý II/2024). No Streamlit."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from .i18n import t
from .periods import ROMAN

SMALL_SAMPLE = 10


def number(x: float | int | Fraction | None, decimals: int = 0, lang: str = "vi") -> str:
    """1234.5 -> '1.234,5' (vi) or '1,234.5' (en); None -> '–'."""
    if x is None:
        return "–"
    x = float(x)
    if decimals == 0 and not x.is_integer():
        decimals = 1
    text = f"{x:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(x: float | Fraction | None, decimals: int = 1, lang: str = "vi") -> str:
    """75 -> '75,0%'."""
    if x is None:
        return "–"
    return f"{number(round(float(x), decimals), decimals, lang)}%"


def rate(numerator: int, denominator: int | None, lang: str = "vi") -> str:
    """'3/4 (75,0%)'; a zero denominator shows '0/0 (–)'."""
    if not denominator:
        return f"{number(numerator, lang=lang)}/{number(denominator or 0, lang=lang)} (–)"
    return f"{number(numerator, lang=lang)}/{number(denominator, lang=lang)} ({percent(Fraction(100 * numerator, denominator), lang=lang)})"


def is_small(denominator: int | None) -> bool:
    return denominator is not None and 0 < denominator < SMALL_SAMPLE


def date(d: dt.date | None, lang: str = "vi") -> str:
    if d is None:
        return "–"
    return d.strftime("%d/%m/%Y")


def month_label(year: int, month: int, lang: str = "vi") -> str:
    return t("fmt.month", lang, month=month, year=year)


def quarter_label(year: int, q: int, lang: str = "vi") -> str:
    return t("fmt.quarter", lang, roman=ROMAN[q - 1], year=year)
