-- Staff with their legal-aid role, active dates, whether active at $period_end, and this year's training status (A2):
-- trained = a completed training row (empty = completed) for a training event held in [$period_start, $period_end];
-- not_completed = training rows in that window but none completed; not_trained = none.
-- Grain: one row per staff member (center, staff_id).
-- Parameters: $centers varchar[] (the centers shown), $period_end date (the date shown), $period_start date (1 January
--             of the plan year), $department varchar (staff unit, null = all), $only_workers boolean (only legal-aid
--             workers), $row_limit integer (the first rows in the order below, null = all), $training_types varchar[]
--             (the plan's training event types: Plan.training_types).
with final as (
    select
        center,
        staff_id,
        full_name,
        department,
        is_legal_aid_worker,
        active_from,
        active_to,
        is_active,
        course_count,
        training_status
    from staff_training_at($centers::varchar[], $training_types::varchar[], $period_start::date, $period_end::date)
    where ($department::varchar is null or department = $department::varchar)
      and (not $only_workers::boolean or is_legal_aid_worker)
)

select * from final order by is_legal_aid_worker desc, department, center, staff_id limit $row_limit::integer
