-- Staff ids for the entry forms' pickers: those whose id contains $search (case-insensitive, '' = all), of the
-- units in $departments, the first $row_limit in id order, each with the number of matching staff in all.
-- Grain: one row per staff member (staff_id).
-- Ids are unique within a center: $centers varchar[] (the form's center, null = every center) narrows them.
-- Parameters: $search varchar (part of the id, '' = all), $departments varchar[] (staff units the user may edit,
--             null = every unit), $row_limit integer (the first ids, null = all).
with final as (
    select
        staff_id,
        count(*) over () as match_count
    from staff
    where ($centers::varchar[] is null or list_contains($centers::varchar[], center))
      and ($departments::varchar[] is null or list_contains($departments::varchar[], department))
      and contains(lower(staff_id), lower(coalesce($search::varchar, '')))
)

select * from final order by staff_id limit $row_limit::integer
