-- Events held in [$period_start, $as_of] for the report's records sheet, in date order.
-- Grain: one row per event.
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan year),
--             $as_of date (report date), $department varchar (unit code, null = all units).
with final as (
    select
        center,
        event_id,
        held_on,
        activity,
        event_type,
        department,
        title,
        document_number,
        participants,
        elderly_reached,
        notes
    from events_filtered($centers::varchar[], $period_start::date, $as_of::date, $department::varchar, [], [])
)

select * from final order by held_on, center, event_id
