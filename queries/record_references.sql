-- How many rows of other tables (of the same center) point at one record: a resident from requests, a staff member
-- or a training event from training rows. Deleting a referenced record would leave rows pointing nowhere.
-- Grain: one row per referring table with at least one row pointing at the record.
-- Parameters: $table_name varchar (the record's table: residents, staff or events; any other has no referrers),
--             $center varchar (center code), $record_id varchar (the record's id).
with refs as (
    select 'cases' as ref_table, count(*) as ref_count
    from cases
    where $table_name = 'residents' and center = $center and resident_id = $record_id
    union all
    select 'training' as ref_table, count(*) as ref_count
    from training
    where $table_name = 'staff' and center = $center and staff_id = $record_id
    union all
    select 'training' as ref_table, count(*) as ref_count
    from training
    where $table_name = 'events' and center = $center and event_id = $record_id
)

select ref_table, ref_count from refs where ref_count > 0 order by ref_table
