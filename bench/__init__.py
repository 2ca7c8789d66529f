"""Performance at scale: the demo year repeated N times, measured through the real importer, the indicator core,
the named queries and the pages, side by side with a pandas baseline of the same 13 indicators.

Modules, one job each: `data` (scaled tables → CSV files), `clock` (timing and memory sampling), `baseline`
(the pandas way), `app_pages` (server render of every page with AppTest), `run` (the measurements of one size),
`report` (RESULTS.md and the ratio lines). Run with `python -m bench` (see `python -m bench --help`). The bench's
own statements (not the app's) are the .sql files of this folder, run by path: `db.query(con, SQL / "row_counts.sql")`."""

from pathlib import Path

SQL = Path(__file__).resolve().parent
