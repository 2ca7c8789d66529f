-- Event ids for the entry forms' pickers: those whose id contains $search (case-insensitive, '' = all), of the types
-- $event_types (null = every type), of the units in $departments, each with the number of matching events in all;
-- the first $row_limit in id order, or most recent first with $recent_first (a training row's course).
-- Grain: one row per event (event_id).
-- Ids are unique within a center: $centers varchar[] (the form's center, null = every center) narrows them.
-- Parameters: $search varchar (part of the id, '' = all), $event_types varchar[] (null = every type),
--             $departments varchar[] (lead units the user may edit, null = every unit), $recent_first boolean
--             (order by held_on descending, then id), $row_limit integer (the first ids, null = all).
with final as (
    select
        event_id,
        held_on,
        count(*) over () as match_count
    from events
    where ($centers::varchar[] is null or list_contains($centers::varchar[], center))
      and ($event_types::varchar[] is null or list_contains($event_types::varchar[], event_type))
      and ($departments::varchar[] is null or list_contains($departments::varchar[], department))
      and contains(lower(event_id), lower(coalesce($search::varchar, '')))
)

select * from final
order by case when $recent_first::boolean then held_on end desc nulls last, event_id
limit $row_limit::integer
