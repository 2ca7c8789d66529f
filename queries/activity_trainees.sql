-- The people behind activity 2: legal-aid workers active at $period_end and whether each was trained, i.e. has a
-- completed (empty = completed) training row for a `tap_huan` event held in [$period_start, $period_end].
-- Under a unit filter only staff are filtered: courses of any unit count (as in training_rate). No personal names.
-- Grain: one row per legal-aid worker (staff_id, department, first_trained_on, is_trained).
-- Parameters: $period_start date (1 January of the plan year), $period_end date (the as-of date),
--             $department varchar (staff unit code, null = all units).
with workers as (
    select staff_id, department
    from staff
    where is_legal_aid_worker
      and (active_from is null or active_from <= $period_end::date)
      and (active_to is null or active_to >= $period_end::date)
      and ($department::varchar is null or department = $department::varchar)
),

first_training as (
    select training.staff_id, min(events.held_on) as first_trained_on
    from training
    join events on events.event_id = training.event_id
    where training.completed
      and events.event_type = 'tap_huan'
      and events.held_on between $period_start::date and $period_end::date
    group by training.staff_id
),

final as (
    select
        workers.staff_id,
        workers.department,
        first_training.first_trained_on,
        first_training.first_trained_on is not null as is_trained
    from workers
    left join first_training on first_training.staff_id = workers.staff_id
)

select * from final order by staff_id
