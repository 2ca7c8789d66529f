-- Benchmark check: how many rows each of the five contract tables holds after an import (all centers).
-- Grain: one row per table (table_name, row_count).
-- Parameters: none.
select 'residents' as table_name, count(*) as row_count from residents
union all select 'cases', count(*) from cases
union all select 'events', count(*) from events
union all select 'staff', count(*) from staff
union all select 'training', count(*) from training
