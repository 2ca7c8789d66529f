-- The events timeline: events held in [$period_start, $period_end] of the chosen activities and types, one point
-- per day, activity, lead unit and event type (a register of 600,000 events is a few hundred points), with the
-- title when the point is a single event. Same filter as events_register.sql.
-- Grain: one row per (held_on, activity, department, event_type).
-- Parameters: $period_start date, $period_end date (the period), $department varchar (lead unit, null = all),
--             $activities varchar[] (plan activity codes, empty = all), $event_types varchar[] (empty = all).
with selected as (
    select
        held_on,
        activity,
        department,
        event_type,
        title
    from events
    where held_on between $period_start::date and $period_end::date
      and ($department::varchar is null or department = $department::varchar)
      and (len($activities::varchar[]) = 0 or list_contains($activities::varchar[], activity))
      and (len($event_types::varchar[]) = 0 or list_contains($event_types::varchar[], event_type))
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
