"""Checks of an import against the database, inside its transaction: each sheet staged as a typed relation, then
the rules that need stored rows (required columns of new records, date order, status dates, references within a
center, the importer's units and centers). The SQL here is built from the contract's table and column names, never
from cell values. No Streamlit."""

from __future__ import annotations

from pathlib import PurePath

import duckdb
import pandas as pd

from planboard import codes
from planboard.ingest.contract import (
    CENTER,
    CROSS_CHECKED,
    DATE_ORDER,
    KEYS,
    STATUS_NEEDS,
    TABLE_COLUMNS,
    column_of,
    table_of_name,
)
from planboard.ingest.messages import Problems, fmt_date
from planboard.ingest.parse import Centers, Parsed, activity_of
from planboard.ingest.read import Sheet


def register(cur: duckdb.DuckDBPyConnection, parsed: Parsed) -> str:
    """The parsed rows as a view DuckDB reads (`__row`: the file's row number), handed over as an Arrow table: DuckDB
    scans Arrow columns in place, whereas a pandas frame's Arrow-backed text columns were converted to Python
    objects on every scan (measured: 0.9 s of a 10 s import of 260,000 rows)."""
    import pyarrow as pa

    name = f"_ingest_{parsed.sheet.table}"
    rows = pa.array(parsed.frame.index.to_numpy(dtype="int64"))
    table = pa.Table.from_pandas(parsed.frame, preserve_index=False)
    cur.register(name, table.add_column(0, "__row", rows))
    return name


def staged_sql(parsed: Parsed, name: str) -> str:
    """A select over the registered frame with each present column cast to the table's type."""
    table = parsed.sheet.table
    cols = ", ".join(f"cast({c} as {column_of(table, c).data_type}) as {c}" for c in parsed.frame.columns)
    return f"select __row, {cols} from {name}"


def join_on(table: str, left: str = "s", right: str = "t") -> str:
    """The same record: ids are unique within a center."""
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in ("center",) + KEYS[table])


def merged_rows(cur: duckdb.DuckDBPyConnection, parsed: Parsed, staged: str) -> pd.DataFrame:
    """Each file row with its values after the import: file values where present, else the stored ones."""
    table = parsed.sheet.table
    present = set(parsed.frame.columns)
    cols = "".join(f", {'s' if c in present else 't'}.{c}" for c in CROSS_CHECKED[table])
    extra = ", t.event_type as __stored_event_type" if table == "events" else ""
    first_key = KEYS[table][0]
    sql = (
        f"select s.__row, t.{first_key} is not null as __exists{cols}{extra} "
        f"from ({staged}) s left join {table} t on {join_on(table)} order by s.__row"
    )
    merged = cur.execute(sql).df().set_index("__row")
    for c in CROSS_CHECKED[table]:
        if column_of(table, c).kind == "date":
            merged[c] = pd.to_datetime(merged[c])
    return merged


def check_merged(parsed: Parsed, merged: pd.DataFrame, problems: Problems) -> None:
    sheet = parsed.sheet
    present = set(parsed.frame.columns)
    _check_missing_columns(parsed, merged, problems)
    for later, earlier in DATE_ORDER.get(sheet.table, ()):
        if later not in present and earlier not in present:
            continue
        wrong = merged[later] < merged[earlier]
        rows = [
            r for r in merged.index[wrong.to_numpy()] if (r, later) not in parsed.bad and (r, earlier) not in parsed.bad
        ]
        code = later if later in present else earlier
        for r in rows:
            problems.add_rows(
                sheet,
                code,
                [r],
                "date_order",
                label=column_of(sheet.table, later).label,
                later=fmt_date(merged.at[r, later]),
                other_label=column_of(sheet.table, earlier).label,
                earlier=fmt_date(merged.at[r, earlier]),
            )
    if sheet.table == "cases":
        _check_status(parsed, merged, problems)
    if sheet.table == "events":
        _check_events(parsed, merged, problems)


def _check_missing_columns(parsed: Parsed, merged: pd.DataFrame, problems: Problems) -> None:
    """A required column may be left out of a file that only updates existing records, not one that adds records."""
    sheet = parsed.sheet
    new = merged.index[~merged["__exists"].to_numpy(dtype=bool)]
    if not len(new):
        return
    first = new[0]
    key = " / ".join(str(parsed.frame.at[first, k]) for k in KEYS[sheet.table])
    for col in TABLE_COLUMNS[sheet.table]:
        if col.required and col.code not in parsed.frame and col.code not in KEYS[sheet.table]:
            problems.add(
                sheet.order,
                sheet.file,
                sheet.sheet,
                None,
                col.code,
                None,
                "missing_column",
                label=col.label,
                code=col.code,
                new_key=key,
                new_row=int(first),
            )


def _check_status(parsed: Parsed, merged: pd.DataFrame, problems: Problems) -> None:
    present = set(parsed.frame.columns)
    for date_code, statuses in STATUS_NEEDS:
        if "status" not in present and date_code not in present:
            continue
        wrong = merged["status"].isin(statuses).to_numpy() & merged[date_code].isna().to_numpy()
        code = "status" if "status" in present else date_code
        col = column_of("cases", date_code)
        for r in merged.index[wrong]:
            if (r, date_code) in parsed.bad:
                continue
            status = codes.CASE_STATUSES[merged.at[r, "status"]]
            problems.add_rows(
                parsed.sheet, code, [r], "status_needs_date", status=status, label=col.label, code=date_code
            )


def _check_events(parsed: Parsed, merged: pd.DataFrame, problems: Problems) -> None:
    present = set(parsed.frame.columns)
    frame = parsed.frame
    if "participants" in present or "elderly_reached" in present:
        p = merged["participants"].astype("Float64")
        e = merged["elderly_reached"].astype("Float64")
        wrong = (e > p).fillna(False).to_numpy(dtype=bool)
        code = "elderly_reached" if "elderly_reached" in present else "participants"
        for r in merged.index[wrong]:
            problems.add_rows(
                parsed.sheet,
                code,
                [r],
                "elderly_gt_participants",
                elderly=int(merged.at[r, "elderly_reached"]),
                participants=int(merged.at[r, "participants"]),
            )
    if "activity" in present and "event_type" not in present:
        expected = activity_of(parsed, merged["__stored_event_type"])
        given = frame["activity"].reindex(merged.index)
        wrong = (given.notna() & expected.notna() & (given != expected)).to_numpy(dtype=bool)
        for r in merged.index[wrong]:
            problems.add_rows(
                parsed.sheet,
                "activity",
                [r],
                "activity_mismatch",
                event_type=merged.at[r, "__stored_event_type"],
                expected=expected[r],
            )
        frame["activity"] = given.where(given.notna(), expected).reindex(frame.index).astype("str")


def check_references(
    cur: duckdb.DuckDBPyConnection,
    staged: dict[str, str],
    parsed: dict[str, Parsed],
    problems: Problems,
    centers: Centers,
) -> None:
    """References resolve within the row's center; one found only in another center is named as such."""
    if "cases" in staged and "resident_id" in parsed["cases"].frame:
        _report_refs(
            cur,
            parsed["cases"].sheet,
            staged["cases"],
            "resident_id",
            "residents",
            staged.get("residents"),
            "ref_resident",
            problems,
            centers,
            parsed,
        )
    if "training" not in staged:
        return
    training = parsed["training"].sheet
    _report_refs(
        cur,
        training,
        staged["training"],
        "staff_id",
        "staff",
        staged.get("staff"),
        "ref_staff",
        problems,
        centers,
        parsed,
    )
    events = "select center, event_id, event_type from events"
    if "events" in staged and "event_type" in parsed["events"].frame:
        ev = f"select center, event_id, event_type from ({staged['events']}) where event_id is not null"
        events = (
            f"select center, event_id, event_type from events e where not exists "
            f"(select 1 from ({ev}) n where n.center = e.center and n.event_id = e.event_id) union all {ev}"
        )
    # a training row names a course: an event of a training type of the plans (Plan.training_types)
    named = {e.code: e.label for plan in centers.plans.values() for e in plan.event_types}
    courses = sorted({code for plan in centers.plans.values() for code in plan.training_types})
    rows = cur.execute(
        f"select s.__row, e.event_type from ({staged['training']}) s left join ({events}) e using (center, event_id) "
        f"where s.event_id is not null and not coalesce(list_contains($courses::varchar[], e.event_type), false) "
        f"order by s.__row",
        {"courses": courses},
    ).fetchall()
    allowed = ", ".join(f"'{named[c]}' ({c})" for c in courses)
    for row, event_type in rows:
        if event_type is not None:
            problems.add_rows(training, "event_id", [row], "ref_event_type", event_type=event_type, training=allowed)
    missing = [row for row, event_type in rows if event_type is None]
    if missing and not _knock_on(training, "event_id", "events", missing, problems, parsed):
        _report_elsewhere(
            cur, training, staged["training"], "event_id", events, missing, "ref_event", problems, centers
        )


def _report_refs(
    cur: duckdb.DuckDBPyConnection,
    sheet: Sheet,
    staged: str,
    column: str,
    table: str,
    also: str | None,
    key: str,
    problems: Problems,
    centers: Centers,
    parsed: dict[str, Parsed],
) -> None:
    known = f"select center, {column} from {table}"
    if also:
        known += f" union all select center, {column} from ({also})"
    rows = _unknown_refs(cur, staged, column, known)
    if rows and not _knock_on(sheet, column, table, rows, problems, parsed):
        _report_elsewhere(cur, sheet, staged, column, known, rows, key, problems, centers)


def _failed_in_this_import(problems: Problems, parsed: dict[str, Parsed], table: str) -> str | None:
    """The file (and sheet) of `table` in this import that already has a problem — refused whole (too big,
    unreadable, a workbook that could not be opened) or rows in error — else None."""
    sheet = parsed[table].sheet if table in parsed else None
    for _, p in problems.items:
        if sheet is not None and (p.file, p.sheet) == (sheet.file, sheet.sheet):
            return p.file + (f" / {p.sheet}" if p.sheet else "")
        if sheet is None and p.sheet is None and p.row is None and p.file:
            named = table_of_name(PurePath(p.file).stem)
            if named == table or (named is None and PurePath(p.file).suffix.lower() in (".xlsx", ".xlsm")):
                return p.file
    return None


def _knock_on(
    sheet: Sheet, column: str, table: str, rows: list[int], problems: Problems, parsed: dict[str, Parsed]
) -> bool:
    """References not found into a table whose own file in this same import already failed: one problem saying
    so (how many rows, the first ids), not one per row burying the error that matters. True when said."""
    failed = _failed_in_this_import(problems, parsed, table)
    if failed is None:
        return False
    ids = [str(sheet.raw.at[r, column]) for r in rows[:5]] if column in sheet.raw.columns else []
    problems.add(
        sheet.order,
        sheet.file,
        sheet.sheet,
        None,
        sheet.headers.get(column, column),
        None,
        "ref_after_error",
        count=len(rows),
        table=table,
        file=failed,
        first=", ".join(ids) + (", …" if len(rows) > len(ids) else ""),
    )
    return True


def _report_elsewhere(
    cur: duckdb.DuckDBPyConnection,
    sheet: Sheet,
    staged: str,
    column: str,
    known: str,
    rows: list[int],
    key: str,
    problems: Problems,
    centers: Centers,
) -> None:
    """Rows whose reference is not in their center: 'not found', or 'belongs to center X' when another center has it."""
    found = cur.execute(
        f"select s.__row, s.center, string_agg(distinct k.center, ',' order by k.center) from ({staged}) s "
        f"left join ({known}) k on k.{column} = s.{column} and k.center <> s.center "
        f"where list_contains($rows, s.__row) group by all order by s.__row",
        {"rows": rows},
    ).fetchall()
    for row, center, others in found:
        if others is None:
            problems.add_rows(sheet, column, [row], key)
        else:
            problems.add_rows(
                sheet,
                column,
                [row],
                f"{key}_center",
                other=centers.listing(others.split(",")),
                center=centers.listing([center]),
            )


def _sql_text(value: str | None) -> str:
    """A constant of the contract (a column default, never user input) as an SQL literal."""
    return "null" if value is None else "'" + str(value).replace("'", "''") + "'"


def check_departments(
    cur: duckdb.DuckDBPyConnection,
    staged: dict[str, str],
    parsed: dict[str, Parsed],
    allowed: set[str],
    centers: Centers,
    problems: Problems,
) -> None:
    """Unit staff write only their unit's rows: a row's unit after the import and, for an existing record, its stored
    unit must both be in `allowed` (so nobody moves another unit's record into theirs). A training row counts as its
    staff member's unit, taken from the same import's staff rows or else the database."""
    names = {u.code: u.short for p in centers.plans.values() for u in p.units}
    unit_text = ", ".join(names.get(u, u) for u in sorted(allowed))
    allowed_list = sorted(allowed) or [""]  # an empty list has no type in SQL; '' is no unit's code
    for table, p in parsed.items():
        if table == "training":
            continue
        present = "department" in p.frame.columns
        default = next((c.default for c in TABLE_COLUMNS[table] if c.code == "department"), None)
        new = "s.department" if present else f"coalesce(t.department, {_sql_text(default)})"
        rows = cur.execute(
            f"select s.__row, {new} as new_unit, t.department as old_unit from ({staged[table]}) s "
            f"left join {table} t on {join_on(table)} "
            f"where ({new} is not null and not list_contains($allowed, {new})) "
            f"or (t.department is not null and not list_contains($allowed, t.department)) order by s.__row",
            {"allowed": allowed_list},
        ).fetchall()
        for row, new_unit, old_unit in rows:
            other = old_unit if old_unit is not None and old_unit not in allowed else new_unit
            problems.add_rows(
                p.sheet,
                "department" if present else KEYS[table][0],
                [row],
                "unit_not_allowed",
                unit=unit_text,
                other=names.get(other, other),
            )
    if "training" not in parsed or "staff_id" not in parsed["training"].frame:
        return
    imported = ""
    if "staff" in staged and "department" in parsed["staff"].frame:
        imported = (
            f"left join (select center, staff_id, department from ({staged['staff']})) n "
            f"on n.center = s.center and n.staff_id = s.staff_id "
        )
    unit = "coalesce(n.department, st.department)" if imported else "st.department"
    rows = cur.execute(
        f"select s.__row, {unit} as unit from ({staged['training']}) s {imported}"
        f"left join staff st on st.center = s.center and st.staff_id = s.staff_id "
        f"where {unit} is not null and not list_contains($allowed, {unit}) order by s.__row",
        {"allowed": allowed_list},
    ).fetchall()
    for row, other in rows:
        problems.add_rows(
            parsed["training"].sheet,
            "staff_id",
            [row],
            "unit_not_allowed",
            unit=unit_text,
            other=names.get(other, other),
        )


def _unknown_refs(cur: duckdb.DuckDBPyConnection, staged: str, column: str, known: str) -> list[int]:
    """Rows whose `column` is not among the `known` (center, column) pairs of their center."""
    rows = cur.execute(
        f"select s.__row from ({staged}) s where s.{column} is not null and not exists "
        f"(select 1 from ({known}) k where k.center = s.center and k.{column} = s.{column}) "
        f"order by s.__row"
    ).fetchall()
    return [r for (r,) in rows]


def check_default_center(parsed: dict[str, Parsed], centers: Centers, problems: Problems) -> None:
    """Rows of a file without a center column go to the import's center: it must exist and be the importer's."""
    if centers.default in centers.known and (centers.allowed is None or centers.default in centers.allowed):
        return
    for p in parsed.values():
        if CENTER.code in p.sheet.raw.columns:
            continue  # its cells name their center (an empty one was checked as the import's center)
        s = p.sheet
        if centers.default not in centers.known:
            problems.add(
                s.order,
                s.file,
                s.sheet,
                None,
                None,
                centers.default,
                "center_unknown",
                centers=centers.listing(centers.known),
            )
        else:
            problems.add(
                s.order,
                s.file,
                s.sheet,
                None,
                None,
                centers.default,
                "center_not_allowed",
                other=centers.listing([centers.default]),
                centers=centers.listing(centers.allowed),
            )
