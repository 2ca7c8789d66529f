-- Legal-aid workers active at as_of (denominator) and those of them trained in [$period_start, as_of] (numerator):
-- a completed training row for a training event held in the period (the staff_courses macro).
-- Under a unit filter only staff are filtered: courses of any unit count.
-- Grain: one row per center and as-of date (center, as_of, numerator, denominator).
-- Parameters: $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (staff unit code, null = all units), $event_types varchar[] (the indicator's event
--             types: the training courses).
with grid as (
    select center, as_of
    from unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

workers as (
    select center, staff_id, active_from, active_to
    from staff
    where list_contains($centers::varchar[], center)
      and is_legal_aid_worker
      and ($department::varchar is null or department = $department::varchar)
),

first_training as (
    select center, staff_id, first_trained_on
    from staff_courses($centers::varchar[], $event_types::varchar[], $period_start::date,
                       list_max($as_of_dates::date[]))
    where has_completed
),

final as (
    select
        grid.center,
        grid.as_of,
        count(workers.staff_id) filter (where first_training.first_trained_on <= grid.as_of)::bigint as numerator,
        count(workers.staff_id)::bigint as denominator
    from grid
    left join workers
        on workers.center = grid.center
        and (workers.active_from is null or workers.active_from <= grid.as_of)
        and (workers.active_to is null or workers.active_to >= grid.as_of)
    left join first_training on first_training.center = workers.center and first_training.staff_id = workers.staff_id
    group by grid.center, grid.as_of
)

select * from final order by center, as_of
