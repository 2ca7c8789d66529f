-- Key numbers of the events register: events held in [$period_start, $period_end] of the chosen activities and
-- types, their participants and elderly reached (empty counts as 0), and the months with at least one event.
-- Same filter as events_register.sql.
-- Grain: one row (the whole filtered set).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $department
--             varchar (lead unit, null = all), $activities varchar[] (plan activity codes, empty = all), $event_types
--             varchar[] (empty = all).
with selected as (
    select
        held_on,
        participants,
        elderly_reached
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, $activities::varchar[],
                         $event_types::varchar[])
),

final as (
    select
        count(*) as event_count,
        coalesce(sum(participants), 0) as participant_count,
        coalesce(sum(elderly_reached), 0) as elderly_reached_count,
        count(distinct month(held_on)) as month_count
    from selected
)

select * from final order by event_count
