"""Import of the data contract's CSV/XLSX files: read → parse → check → write, every rule checked, then all rows
upserted in one transaction or none. The package's modules follow the data's way through them; this file names
what the rest of the app uses. No Streamlit."""

from planboard.ingest.contract import (
    CENTER,
    CENTER_HEADERS,
    KEYS,
    TABLE_COLUMNS,
    Column,
    code_choices,
    fold,
    table_of_name,
)
from planboard.ingest.messages import Problem, message
from planboard.ingest.read import INSTRUCTION_SHEETS, Limits, Sheet, read_table_file
from planboard.ingest.run import import_files, import_paths
from planboard.ingest.write import ImportResult, TableCounts

__all__ = [
    "CENTER",
    "CENTER_HEADERS",
    "INSTRUCTION_SHEETS",
    "KEYS",
    "TABLE_COLUMNS",
    "Column",
    "ImportResult",
    "Limits",
    "Problem",
    "Sheet",
    "TableCounts",
    "code_choices",
    "fold",
    "import_files",
    "import_paths",
    "message",
    "read_table_file",
    "table_of_name",
]
