"""Masking of personal data (names, birth dates, notes, violence-victim flags) in tables shown or exported.
No SQL, no Streamlit.

The access-control layer decides by role in one place: `allowed_rows(user, departments)` says, row by row, whether
the signed-in user may see a record's personal data; `mask(df, columns, allowed)` hides what they may not."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

MASK = "***"

# Columns of the data contract marked "personal data" (full_name, notes, is_violence_victim), the birth date (with
# the name it identifies a person) and the request's priority ('bao_luc' says the same as is_violence_victim).
PERSONAL_COLUMNS = ("full_name", "birth_date", "notes", "is_violence_victim", "priority")


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


def mask(df: pd.DataFrame, columns: Sequence[str] = PERSONAL_COLUMNS,
         allowed: bool | Sequence[bool] | pd.Series = True) -> pd.DataFrame:
    """A copy of df in which the given personal columns read '***' (empty cells stay empty) where not allowed.

    `allowed` is one decision for the whole table (bool) or one per row (a boolean sequence or Series of the
    table's length, in row order): rows whose flag is not True are masked."""
    out = df.copy()
    flags = _row_flags(out, allowed)
    if flags.all():
        return out
    for c in columns:
        if c in out.columns:
            out[c] = [v if ok or _empty(v) else MASK for v, ok in zip(out[c].tolist(), flags, strict=True)]
    return out


def allowed_rows(user, departments: pd.Series) -> pd.Series:
    """One flag per record: may `user` (planboard.auth.User) see this record's personal data, given its unit?"""
    flags = [bool(user.sees_personal_data_of(None if _empty(d) else str(d))) for d in departments.tolist()]
    return pd.Series(flags, index=departments.index, dtype=bool)


def any_masked(df: pd.DataFrame, allowed: bool | Sequence[bool] | pd.Series,
               columns: Sequence[str] = PERSONAL_COLUMNS) -> bool:
    """Whether mask() hides at least one filled personal cell of df (so the page says why cells read ***)."""
    flags = _row_flags(df, allowed)
    if flags.all():
        return False
    for c in columns:
        if c in df.columns and any(not ok and not _empty(v) for v, ok in zip(df[c].tolist(), flags, strict=True)):
            return True
    return False


def shows_personal(df: pd.DataFrame, allowed: bool | Sequence[bool] | pd.Series,
                   columns: Sequence[str] = PERSONAL_COLUMNS) -> bool:
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
    unit codes (unit staff: their own unit's records, the others read ***) or False (viewers: every row masked)."""
    if user.sees_personal_data_of(None):  # only roles that see every unit's personal data see a record without one
        return True
    if user.role == "can_bo" and user.department:
        return (user.department,)
    return False
