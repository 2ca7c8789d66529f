-- Resident ids for the entry forms' pickers: those whose id contains $search (case-insensitive, '' = all), of the
-- units in $departments, the first $row_limit in id order, each with the number of matching residents in all.
-- Grain: one row per resident (resident_id).
-- Ids are unique within a center: $centers varchar[] (the form's center, null = every center) narrows them.
-- Parameters: $search varchar (part of the id, '' = all), $departments varchar[] (managing units, null = every
--             unit), $row_limit integer (the first ids, null = all).
with final as (
    select
        resident_id,
        count(*) over () as match_count
    from residents
    where ($centers::varchar[] is null or list_contains($centers::varchar[], center))
      and ($departments::varchar[] is null or list_contains($departments::varchar[], department))
      and contains(lower(resident_id), lower(coalesce($search::varchar, '')))
)

select * from final order by resident_id limit $row_limit::integer
