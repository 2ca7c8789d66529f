"""The scaled demo year written as the five contract CSV files, exactly as a user would hand them to the importer."""

from __future__ import annotations

from pathlib import Path

import duckdb

from planboard import db, demo
from planboard.codes import TABLES


def write_csvs(folder: Path, n: int, seed: int = 2024) -> dict[str, int]:
    """demo.build(seed) scaled by n → <folder>/<table>.csv (header = column codes); return row counts.

    The frames go through an in-memory DuckDB with the real schema first, so every column has its contract type
    (integers stay integers, booleans are true/false, dates ISO, empty = not given)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = demo.scale(demo.build(seed), n)
    con = duckdb.connect()
    try:
        db.apply_schema(con)
        counts = demo.write(con, tables)
        del tables
        for name in TABLES:
            # the files of one center, as a center exports them (no `center` column: the import names the center)
            con.execute(
                f"copy (select * exclude (center) from {name}) to '{folder / (name + '.csv')}' (header, delimiter ',')"
            )
    finally:
        con.close()
    return counts


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.data FOLDER N [SEED]`: run in a child process so the frames' memory stays out of the
    measuring process's peak."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    counts = write_csvs(Path(args[0]), int(args[1]), int(args[2]) if len(args) > 2 else 2024)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
