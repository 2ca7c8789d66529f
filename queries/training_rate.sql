-- Legal-aid workers active at as_of (denominator) and those of them trained in [$period_start, as_of] (numerator):
-- at least one training row, completed (empty = completed), for a `tap_huan` event held in the period.
-- Under a unit filter only staff are filtered: courses of any unit count.
-- Grain: one row per as-of date (as_of, numerator, denominator).
-- Parameters: $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (staff unit code, null = all units).
with as_of_dates as (
    select unnest($as_of_dates::date[]) as as_of
),

workers as (
    select staff_id, active_from, active_to
    from staff
    where is_legal_aid_worker
      and ($department::varchar is null or department = $department::varchar)
),

first_training as (
    select training.staff_id, min(events.held_on) as first_trained_on
    from training
    join events on events.event_id = training.event_id
    where training.completed
      and events.event_type = 'tap_huan'
      and events.held_on >= $period_start::date
    group by training.staff_id
),

final as (
    select
        d.as_of,
        count(workers.staff_id) filter (where first_training.first_trained_on <= d.as_of)::bigint as numerator,
        count(workers.staff_id)::bigint as denominator
    from as_of_dates as d
    left join workers
        on (workers.active_from is null or workers.active_from <= d.as_of)
        and (workers.active_to is null or workers.active_to >= d.as_of)
    left join first_training on first_training.staff_id = workers.staff_id
    group by d.as_of
)

select * from final order by as_of
