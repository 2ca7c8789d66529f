"""How one indicator result reads in a report: value with counts, levels, targets. No SQL, no Streamlit.

The texts come from planboard.display, shared with the pages; names of codes from planboard.labels."""

from __future__ import annotations

from ..display import level_text, target_text, target_words, value_text  # noqa: F401  (re-exported for reports)
