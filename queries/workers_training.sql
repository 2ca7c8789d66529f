-- The people behind activity 2: legal-aid workers active at $period_end and whether each was trained in
-- [$period_start, $period_end] (the staff_courses macro: a completed training row for a training event).
-- Under a unit filter only staff are filtered: courses of any unit count (as in training_rate). No personal names.
-- Grain: one row per legal-aid worker (center, staff_id, department, first_trained_on, is_trained).
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan year),
--             $period_end date (the as-of date), $department varchar (staff unit code, null = all units), $shown_from
--             date, $shown_to date (only those first trained in this part of the period; null = every worker),
--             $row_limit integer (the first rows in the order below, null = all). Every row also carries row_count and
--             trained_count of all rows returned without the limit. $training_types varchar[] (the plan's training
--             event types: Plan.training_types).
with workers as (
    select center, staff_id, department
    from staff
    where list_contains($centers::varchar[], center)
      and is_legal_aid_worker
      and (active_from is null or active_from <= $period_end::date)
      and (active_to is null or active_to >= $period_end::date)
      and ($department::varchar is null or department = $department::varchar)
),

first_training as (
    select center, staff_id, first_trained_on
    from staff_courses($centers::varchar[], $training_types::varchar[], $period_start::date, $period_end::date)
    where has_completed
),

shown as (
    select
        workers.center,
        workers.staff_id,
        workers.department,
        first_training.first_trained_on,
        first_training.first_trained_on is not null as is_trained
    from workers
    left join first_training
        on first_training.center = workers.center and first_training.staff_id = workers.staff_id
    where $shown_from::date is null
       or first_training.first_trained_on between $shown_from::date and $shown_to::date
),

totals as (
    select
        count(*) as row_count,
        count(*) filter (where is_trained) as trained_count
    from shown
),

final as (
    select shown.*, totals.*
    from shown
    cross join totals
)

select * from final order by center, staff_id limit $row_limit::integer
