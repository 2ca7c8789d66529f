-- Key numbers of the staff register (staff_register.sql, same rows and training status): legal-aid workers active at
-- $period_end and how many of them are trained, not completed, not trained this year (A2), and the register's row
-- counts (every staff member; only legal-aid workers, active or not).
-- Grain: one row (the whole filtered set).
-- Parameters: $centers varchar[] (the centers shown), $period_end date (the date shown), $period_start date (1 January
--             of the plan year), $department varchar (staff unit, null = all), $training_types varchar[] (the plan's
--             training event types: Plan.training_types).
with staff_at as (
    select is_legal_aid_worker, is_active, training_status
    from staff_training_at($centers::varchar[], $training_types::varchar[], $period_start::date, $period_end::date)
    where ($department::varchar is null or department = $department::varchar)
),

final as (
    select
        count(*) as row_count,
        count(*) filter (where is_legal_aid_worker) as legal_aid_row_count,
        count(*) filter (where is_legal_aid_worker and is_active) as worker_count,
        count(*) filter (where is_legal_aid_worker and is_active and training_status = 'trained') as trained_count,
        count(*) filter (where is_legal_aid_worker and is_active and training_status = 'not_completed')
            as not_completed_count,
        count(*) filter (where is_legal_aid_worker and is_active and training_status = 'not_trained')
            as not_trained_count
    from staff_at
)

select * from final order by row_count
