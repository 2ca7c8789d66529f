-- Training rows (course event, staff member) for the entry form's record picker: those whose 'event / staff' id
-- contains $search (case-insensitive, '' = all), of staff in the units in $departments (a training row is its
-- staff member's unit), the first $row_limit in key order, each with the number of matching rows in all.
-- Grain: one row per training row (event_id, staff_id).
-- Ids are unique within a center: $centers varchar[] (the form's center, null = every center) narrows them.
-- Parameters: $search varchar (part of 'event_id / staff_id', '' = all), $departments varchar[] (units the user may
--             edit, null = every unit), $row_limit integer (the first rows, null = all).
with final as (
    select
        training.event_id,
        training.staff_id,
        count(*) over () as match_count
    from training
    left join staff on staff.center = training.center and staff.staff_id = training.staff_id
    where ($centers::varchar[] is null or list_contains($centers::varchar[], training.center))
      and ($departments::varchar[] is null or list_contains($departments::varchar[], staff.department))
      and contains(lower(training.event_id || ' / ' || training.staff_id), lower(coalesce($search::varchar, '')))
)

select * from final order by event_id, staff_id limit $row_limit::integer
