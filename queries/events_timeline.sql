-- The events timeline: events held in [$period_start, $period_end] of the chosen activities and types, one point
-- per day, activity, lead unit and event type (a register of 600,000 events is a few hundred points), with the
-- title when the point is a single event. Same filter as events_register.sql.
-- Grain: one row per (held_on, activity, department, event_type).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $department
--             varchar (lead unit, null = all), $activities varchar[] (plan activity codes, empty = all), $event_types
--             varchar[] (empty = all).
with selected as (
    select
        held_on,
        activity,
        department,
        event_type,
        title
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, $activities::varchar[],
                         $event_types::varchar[])
),

final as (
    select
        held_on,
        activity,
        department,
        event_type,
        count(*) as event_count,
        case when count(*) = 1 then min(title) end as title
    from selected
    group by held_on, activity, department, event_type
)

select * from final order by held_on, activity, department, event_type
