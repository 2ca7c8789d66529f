"""Who sees what about one person, in tables shown or exported. No SQL, no Streamlit.

The rules, each written once here:
- `sees_records(user)`: may the user see any row about one person (a resident, a request, a staff member, a
  training)? Viewers (`xem`) never: they see aggregates only — no register, record table, chart point or download
  with one row per person, on any page or in the report workbook (README: "chỉ số tổng hợp").
- `allowed_rows(user, departments)`: row by row, may the user see that record's personal data? Admin and leadership
  every record, unit staff their own unit's; `mask(df, columns, allowed)` hides the rest as ***.
- `PERSONAL_COLUMNS`: every attribute of a person, not only the name: a record of another unit shows its codes,
  dates of the request and status, never who the person is or their age, origins or circumstances."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

MASK = "***"

# Every personal attribute a register or export can carry: name, birth date and age (at the as-of date or at the
# request), ethnicity, the resident's admission and leaving dates, the eligibility groups (meritorious, poor
# household, financial hardship), the violence-victim flag and what it implies (the request's priority 'bao_luc',
# is_priority), eligibility (it says the person is in one of those groups) and free-text notes.
PERSONAL_COLUMNS = (
    "full_name",
    "birth_date",
    "age",
    "age_at_request",
    "ethnicity",
    "admitted_on",
    "left_on",
    "is_meritorious",
    "is_poor_household",
    "has_financial_hardship",
    "is_violence_victim",
    "is_eligible",
    "priority",
    "is_priority",
    "notes",
)


# Columns whose emptiness itself tells something about the person (no priority: not a victim, not meritorious; no
# leaving date: still in care): masked even when empty, so a masked row does not show which ones are blank.
EMPTY_TELLS = ("priority", "left_on", "ethnicity")


def sees_records(user) -> bool:
    """May `user` (planboard.auth.User, or None when nobody is signed in) see rows about one person at all?"""
    return user is not None and user.can("view_records")


def is_masked(value) -> bool:
    return isinstance(value, str) and value == MASK


def shown(column: pd.Series, fn: Callable | None = None, integer: bool = False) -> pd.Series:
    """A column after mask() ready to show: *** stays ***, every other cell goes through fn (a label, yes/no).
    With no *** in it the column is returned as it is (fn applied; `integer`: as Int64), so numbers and dates keep
    their type; with one, it is text (numbers without decimals, empty stays empty)."""
    if not column.map(is_masked).any():
        if fn is not None:
            return column.map(fn)
        return column.astype("Int64") if integer else column

    def text(v):
        if is_masked(v):
            return v
        if fn is not None:
            return fn(v)
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return str(int(v)) if isinstance(v, (int, float, np.integer, np.floating)) else str(v)

    return column.map(text)


def _empty(v) -> bool:
    return v is None or (not isinstance(v, str) and not isinstance(v, (list, tuple)) and bool(pd.isna(v)))


def _row_flags(df: pd.DataFrame, allowed) -> np.ndarray:
    """`allowed` as one boolean per row of df: a bool for every row, or a sequence/Series (aligned by position)."""
    if isinstance(allowed, (bool, np.bool_)):
        return np.full(len(df), bool(allowed))
    if isinstance(allowed, pd.Series):
        if allowed.index.equals(df.index):
            flags = allowed
        else:
            flags = pd.Series(list(allowed))
        values = flags.to_numpy()
    else:
        values = np.asarray(list(allowed), dtype=object)
    if len(values) != len(df):
        raise ValueError(f"allowed has {len(values)} flags for {len(df)} rows")
    # Anything that is not exactly True (None, NA, False) hides the row: deny by default.
    return np.array([v is True or (isinstance(v, np.bool_) and bool(v)) for v in values], dtype=bool)


def mask(
    df: pd.DataFrame, columns: Sequence[str] = PERSONAL_COLUMNS, allowed: bool | Sequence[bool] | pd.Series = True
) -> pd.DataFrame:
    """A copy of df in which the given personal columns read '***' (empty cells stay empty, except EMPTY_TELLS) where
    not allowed.

    `allowed` is one decision for the whole table (bool) or one per row (a boolean sequence or Series of the
    table's length, in row order): rows whose flag is not True are masked."""
    out = df.copy()
    flags = _row_flags(out, allowed)
    if flags.all():
        return out
    for c in columns:
        if c in out.columns:
            keep_empty = c not in EMPTY_TELLS
            out[c] = [
                v if ok or (keep_empty and _empty(v)) else MASK for v, ok in zip(out[c].tolist(), flags, strict=True)
            ]
    return out


def allowed_rows(user, departments: pd.Series) -> pd.Series:
    """One flag per record: may `user` (planboard.auth.User) see this record's personal data, given its unit?"""
    flags = [bool(user.sees_personal_data_of(None if _empty(d) else str(d))) for d in departments.tolist()]
    return pd.Series(flags, index=departments.index, dtype=bool)


def any_masked(
    df: pd.DataFrame, allowed: bool | Sequence[bool] | pd.Series, columns: Sequence[str] = PERSONAL_COLUMNS
) -> bool:
    """Whether mask() hides at least one filled personal cell of df (so the page says why cells read ***)."""
    flags = _row_flags(df, allowed)
    if flags.all():
        return False
    for c in columns:
        if c in df.columns and any(not ok and not _empty(v) for v, ok in zip(df[c].tolist(), flags, strict=True)):
            return True
    return False


def shows_personal(
    df: pd.DataFrame, allowed: bool | Sequence[bool] | pd.Series, columns: Sequence[str] = PERSONAL_COLUMNS
) -> bool:
    """Whether df, after mask(), still holds at least one unmasked filled personal cell (an export to audit)."""
    flags = _row_flags(df, allowed)
    if not flags.any():
        return False
    for c in columns:
        if c in df.columns and any(ok and not _empty(v) for v, ok in zip(df[c].tolist(), flags, strict=True)):
            return True
    return False


def report_allowed(user) -> bool | tuple[str, ...]:
    """The report workbook's decision for `user`: True (admin, leadership: every record's personal data), a tuple of
    unit codes (unit staff: their own unit's records, the others read ***) or False (viewers: no sheet of records
    about persons at all, see sees_records)."""
    if not sees_records(user):
        return False
    if user.sees_personal_data_of(None):  # only roles that see every unit's personal data see a record without one
        return True
    if user.role == "can_bo" and user.department:
        return (user.department,)
    return False
