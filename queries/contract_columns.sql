-- The data contract's columns as the schema defines them: name, type, not null, default, and whether the column is
-- part of its table's primary key (planboard/ingest/contract.py reads this from a scratch in-memory database that
-- holds only queries/schema/001_tables.sql, so the file is the one definition of names, types and keys).
-- Grain: one row per column of each contract table, `center` excluded, by table name then column order.
-- Parameters: $tables varchar[] (the contract's tables).
with keys as (
    select table_name, unnest(constraint_column_names) as column_name
    from duckdb_constraints()
    where schema_name = 'main' and constraint_type = 'PRIMARY KEY' and list_contains($tables, table_name)
),

final as (
    select
        c.table_name,
        c.column_index,
        c.column_name,
        c.data_type,
        not c.is_nullable as is_not_null,
        c.column_default,
        k.column_name is not null as is_key
    from duckdb_columns() c
    left join keys k on k.table_name = c.table_name and k.column_name = c.column_name
    where c.schema_name = 'main' and list_contains($tables, c.table_name) and c.column_name <> 'center'
)

select table_name, column_name, data_type, is_not_null, column_default, is_key
from final
order by table_name, column_index
