-- Request ids for the entry form's record picker: those whose id contains $search (case-insensitive, '' = all), of
-- the units in $departments, the first $row_limit in id order, each with the number of matching requests in all
-- (the picker stays small however many requests there are; a search finds the others).
-- Grain: one row per request (case_id).
-- Ids are unique within a center: $centers varchar[] (the form's center, null = every center) narrows them.
-- Parameters: $search varchar (part of the id, '' = all), $departments varchar[] (receiving units the user may
--             edit, null = every unit), $row_limit integer (the first ids, null = all).
with final as (
    select
        case_id,
        count(*) over () as match_count
    from cases
    where ($centers::varchar[] is null or list_contains($centers::varchar[], center))
      and ($departments::varchar[] is null or list_contains($departments::varchar[], department))
      and contains(lower(case_id), lower(coalesce($search::varchar, '')))
)

select * from final order by case_id limit $row_limit::integer
