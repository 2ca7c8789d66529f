-- Lock the months of a center from $month_from through $month_to (first days of months); months already locked keep
-- their lock. Written in the SQL that DuckDB and PostgreSQL share (the shared mode runs it in PostgreSQL).
-- Grain: one row inserted per month not yet locked.
-- Parameters: $center (varchar), $month_from (date), $month_to (date), $locked_by (varchar), $meeting_id (bigint,
--             null = not after a meeting).
insert into period_locks (center, month, locked_by, meeting_id)
select $center, month::date, $locked_by, $meeting_id
from generate_series($month_from::date, $month_to::date, interval '1 month') as months(month)
on conflict do nothing
