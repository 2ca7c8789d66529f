"""Calendar arithmetic of a plan year: quarters, month ends, clipping, Vietnam's today. No SQL, no Streamlit."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROMAN = ("I", "II", "III", "IV")


def today_vn() -> dt.date:
    return dt.datetime.now(VN_TZ).date()


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_end(year: int, q: int) -> dt.date:
    month = 3 * q
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_start(year: int, q: int) -> dt.date:
    return dt.date(year, 3 * q - 2, 1)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarters_ended(as_of: dt.date) -> int:
    """c: the number of quarters of as_of's year that have ended on or before as_of (2 on 30/06)."""
    return sum(1 for q in range(1, 5) if quarter_end(as_of.year, q) <= as_of)


def month_ends(year: int, upto: dt.date | None = None) -> list[dt.date]:
    """The month ends of the year up to `upto`, with `upto` itself last when it is not a month end."""
    ends = [month_end(year, m) for m in range(1, 13)]
    if upto is None:
        return ends
    out = [e for e in ends if e <= upto]
    if not out or out[-1] != upto:
        out.append(upto)
    return out


def previous_month_end(as_of: dt.date) -> dt.date:
    """The last day of the month before as_of's month."""
    return as_of.replace(day=1) - dt.timedelta(days=1)


def half_year_end(year: int, cutoff: tuple[int, int]) -> dt.date:
    return dt.date(year, *cutoff)
