"""Pace of an indicator against its plan: the level it must reach by a date, how far it is from that level and each
quarter's own part of a cumulative series (indicators.md, "Status"). Status, cards, charts and the brief all ask
here. No SQL, no Streamlit."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .periods import quarter_of, quarters_ended
from .plan import Target

if TYPE_CHECKING:  # kpis builds its Results with this module's levels: no import back at run time
    from .kpis import Result


@dataclass(frozen=True)
class Level:
    """A level the indicator is compared with: T_c ('expected', the last ended quarter's; T_0 = 0), T_q ('due', the
    running quarter's) or the year's. Only the year level (T_4, or any level of a continuous target) carries the
    target's own op; the quarter levels before it are reached at '>='."""

    kind: str  # 'expected', 'due' or 'year'
    value: float
    op: str  # '>=' or '>'


def exact(x: float | int) -> Fraction:
    """A target as an exact fraction (80 -> 80, 66.5 -> 133/2)."""
    return Fraction(str(x))


def meets(value: Fraction, level: Level) -> bool:
    return value > exact(level.value) if level.op == ">" else value >= exact(level.value)


def year_level(target: Target) -> Level:
    return Level("year", target.target_year, target.op)


def quarter_level(target: Target, q: int, kind: str = "due") -> Level:
    """T_q (T_0 = 0); a continuous target's level is its year level in every quarter."""
    if target.continuous:
        return Level(kind, target.target_year, target.op)
    if q == 0:
        return Level(kind, 0, ">=")
    return Level(kind, target.quarter_targets[q - 1], target.op if q == 4 else ">=")


def expected_level(target: Target, as_of: dt.date) -> Level:
    """T_c: the level of the last quarter ended by as_of (expected_now)."""
    return quarter_level(target, quarters_ended(as_of), "expected")


def due_level(target: Target, as_of: dt.date) -> Level:
    """T_q: the level of the quarter as_of falls in (due_quarter)."""
    return quarter_level(target, quarter_of(as_of), "due")


# The level an indicator of each "behind" status has failed to reach, so the one it must reach now.
LEVEL_OF_STATUS = {"cham_tien_do": expected_level, "can_chu_y": due_level, "khong_dat": lambda t, _d: year_level(t)}


def level_to_reach(r: Result) -> Level | None:
    """The level a behind indicator must reach (None when it is not behind or has no target)."""
    target = r.indicator.target_for(r.department)
    if target is None or r.status not in LEVEL_OF_STATUS:
        return None
    return LEVEL_OF_STATUS[r.status](target, r.as_of)


def count_needed(numerator: int, level: Level) -> int:
    """How many more a count needs to meet the level: 16 against ≥ 18 -> 2; 5 against > 5 -> 1."""
    need = math.floor(level.value) + 1 if level.op == ">" else math.ceil(level.value)
    return max(0, need - numerator)


def rate_needed(numerator: int, denominator: int, level: Level) -> int:
    """How many more in the numerator (same denominator) a rate needs to meet level %.

    9/12 against ≥ 100%: 12 needed, 3 more. 7/9 against > 80%: 80 × 9 / 100 = 7,2 → 8 needed, 1 more."""
    share = exact(level.value) * denominator / 100
    need = math.floor(share) + 1 if level.op == ">" else math.ceil(share)
    return max(0, min(need, denominator) - numerator)


@dataclass(frozen=True)
class Gap:
    level: Level
    count: int  # how many more (events, served requests, trained people) reach the level
    points: float | None  # for a rate, percentage points below the level


def gap(r: Result) -> Gap | None:
    """How far a behind indicator is from the level it must reach (None when not behind, without a target, or a
    rate without a denominator)."""
    level = level_to_reach(r)
    if level is None:
        return None
    if r.is_rate:
        if not r.denominator:
            return None
        points = max(0.0, float(level.value) - float(r.value or 0))
        return Gap(level, rate_needed(r.numerator, r.denominator, level), points)
    return Gap(level, count_needed(r.numerator, level), None)


def increments(cumulative: Sequence[float | None]) -> list[float | None]:
    """Each quarter's own part of a cumulative series: T_k − T_{k−1} (T_0 = 0); None stays None."""
    out: list[float | None] = []
    previous: float = 0  # an int stays an int: counts read '4', not '4,0'
    for value in cumulative:
        if value is None:
            out.append(None)
            continue
        out.append(value - previous)
        previous = value
    return out


def increment_targets(target: Target | None) -> list[float] | None:
    """Each quarter's own target, T_q − T_{q−1} ([6, 12, 18, 24] -> [6, 6, 6, 6]); None for a continuous target
    (its level is not added up over quarters) or none."""
    if target is None or target.continuous:
        return None
    return increments(target.quarter_targets)  # type: ignore[return-value]
