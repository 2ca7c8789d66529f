"""Masking of personal data (names, notes, violence-victim flags) in tables shown or exported. No SQL, no Streamlit.

One function, so the access-control layer can decide by role in one place: `mask(df, columns, allowed)`."""

from __future__ import annotations

import pandas as pd

MASK = "***"

# Columns of the data contract marked "personal data", plus the resident's name wherever a query joins it.
PERSONAL_COLUMNS = ("full_name", "notes", "is_violence_victim")


def mask(df: pd.DataFrame, columns: list[str] | tuple[str, ...] = PERSONAL_COLUMNS, allowed: bool = True) -> pd.DataFrame:
    """A copy of df in which the given personal columns read '***' (empty cells stay empty) unless `allowed`."""
    out = df.copy()
    if allowed:
        return out
    for c in columns:
        if c in out.columns:
            out[c] = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else MASK for v in out[c]]
    return out
