-- Key numbers of the staff register (people_staff.sql, same rows and training status): legal-aid workers active at
-- $as_of and how many of them are trained, not completed, not trained this year (A2), and the register's row counts
-- (every staff member; only legal-aid workers, active or not).
-- Grain: one row (the whole filtered set).
-- Parameters: $as_of date (the as-of date), $period_start date (1 January of the plan year),
--             $department varchar (staff unit, null = all).
with courses as (
    select
        training.staff_id,
        bool_or(training.completed) as has_completed
    from training
    join events on events.event_id = training.event_id
    where events.event_type = 'tap_huan'
      and events.held_on between $period_start::date and $as_of::date
    group by training.staff_id
),

staff_at as (
    select
        staff.is_legal_aid_worker,
        coalesce(staff.active_from <= $as_of::date, true)
            and coalesce(staff.active_to >= $as_of::date, true) as is_active,
        case
            when courses.has_completed then 'trained'
            when courses.staff_id is not null then 'not_completed'
            else 'not_trained'
        end as training_status
    from staff
    left join courses on courses.staff_id = staff.staff_id
    where ($department::varchar is null or staff.department = $department::varchar)
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
