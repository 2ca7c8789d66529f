-- Staff with their legal-aid role, active dates, whether active at $as_of, and this year's training status
-- (A2): trained = a completed training row (empty = completed) for a tap_huan event held in [$period_start,
-- $as_of]; not_completed = training rows in that window but none completed; not_trained = none.
-- Grain: one row per staff member (staff_id).
-- Parameters: $as_of date (the as-of date), $period_start date (1 January of the plan year),
--             $department varchar (staff unit, null = all), $only_workers boolean (only legal-aid workers),
--             $row_limit integer (the first rows in the order below, null = all).
with courses as (
    select
        training.staff_id,
        bool_or(training.completed) as has_completed,
        count(*) as course_count
    from training
    join events on events.event_id = training.event_id
    where events.event_type = 'tap_huan'
      and events.held_on between $period_start::date and $as_of::date
    group by training.staff_id
),

final as (
    select
        staff.staff_id,
        staff.full_name,
        staff.department,
        staff.is_legal_aid_worker,
        staff.active_from,
        staff.active_to,
        coalesce(staff.active_from <= $as_of::date, true)
            and coalesce(staff.active_to >= $as_of::date, true) as is_active,
        coalesce(courses.course_count, 0) as course_count,
        case
            when courses.has_completed then 'trained'
            when courses.staff_id is not null then 'not_completed'
            else 'not_trained'
        end as training_status
    from staff
    left join courses on courses.staff_id = staff.staff_id
    where ($department::varchar is null or staff.department = $department::varchar)
      and (not $only_workers::boolean or staff.is_legal_aid_worker)
)

select * from final order by is_legal_aid_worker desc, department, staff_id limit $row_limit::integer
