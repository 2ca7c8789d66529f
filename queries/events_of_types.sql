-- The events behind an activity's numbers: events of the given types held in [$period_start, $period_end].
-- Grain: one row per event (center, event_id, held_on, event_type, activity, department, title, participants,
-- elderly_reached, document_number).
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan year),
--             $period_end date (the as-of date), $department varchar (lead unit code, null = all units), $event_types
--             varchar[] (the activity's types), $row_limit integer (the first rows in the order below, null = all;
--             row_count counts them all).
with selected as (
    select
        center,
        event_id,
        held_on,
        event_type,
        activity,
        department,
        title,
        participants,
        elderly_reached,
        document_number
    from events
    where list_contains($centers::varchar[], center)
      and list_contains($event_types::varchar[], event_type)
      and held_on between $period_start::date and $period_end::date
      and ($department::varchar is null or department = $department::varchar)
),

final as (
    select
        *,
        count(*) over () as row_count
    from selected
)

select * from final order by held_on, center, event_id limit $row_limit::integer
