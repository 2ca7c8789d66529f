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
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, []::varchar[],
                         $event_types::varchar[])
    where len($event_types::varchar[]) > 0  -- an activity without event types has no events (the macro: empty = all)
),

final as (
    select
        *,
        count(*) over () as row_count
    from selected
)

select * from final order by held_on, center, event_id limit $row_limit::integer
