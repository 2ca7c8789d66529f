-- The columns of some tables, in table order (the SQL console's cheat sheet).
-- Grain: one row per column of the named tables, ordered by table name then column position.
-- Parameters: $tables varchar[] (table names).
select table_name, column_name
from information_schema.columns
where list_contains($tables::varchar[], table_name)
order by table_name, ordinal_position
