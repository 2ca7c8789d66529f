-- Events by activity, type, lead unit and month over [$period_start, $period_end]: how many were held, with the
-- participants and older persons reached (empty counts as 0).
-- Grain: one row per (activity, event_type, department, month) with at least one event.
-- Parameters: $period_start date, $period_end date (the period), $department varchar (lead unit, null = all),
--             $activities varchar[] (plan activity codes, empty = all), $event_types varchar[] (empty = all).
with selected as (
    select
        activity,
        event_type,
        department,
        month(held_on) as month,
        coalesce(participants, 0) as participants,
        coalesce(elderly_reached, 0) as elderly_reached
    from events
    where held_on between $period_start::date and $period_end::date
      and ($department::varchar is null or department = $department::varchar)
      and (len($activities::varchar[]) = 0 or list_contains($activities::varchar[], activity))
      and (len($event_types::varchar[]) = 0 or list_contains($event_types::varchar[], event_type))
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
