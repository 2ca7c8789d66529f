-- Events by activity, type, lead unit and month over [$period_start, $period_end]: how many were held, with the
-- participants and older persons reached (empty counts as 0).
-- Grain: one row per (activity, event_type, department, month) with at least one event.
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $department
--             varchar (lead unit, null = all), $activities varchar[] (plan activity codes, empty = all), $event_types
--             varchar[] (empty = all).
with selected as (
    select
        activity,
        event_type,
        department,
        month(held_on) as month,
        coalesce(participants, 0) as participants,
        coalesce(elderly_reached, 0) as elderly_reached
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, $activities::varchar[],
                         $event_types::varchar[])
),

final as (
    select
        activity,
        event_type,
        department,
        month,
        count(*) as event_count,
        sum(participants)::bigint as participant_count,
        sum(elderly_reached)::bigint as elderly_reached_count
    from selected
    group by activity, event_type, department, month
)

select * from final order by activity, event_type, department, month
