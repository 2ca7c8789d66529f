-- staff_training_at(...): each staff member with whether they are active at p_as_of and this year's training
-- status (A2's rule: trained = a completed training row (empty = completed) for a tap_huan event held in
-- [p_period_start, p_as_of]; not_completed = rows in that window but none completed; not_trained = none), as a
-- table macro so the staff register, its key numbers and the explore dataset agree. Idempotent.
-- Grain: one row per staff member (center, staff_id) of p_centers: all columns of staff, plus is_active,
-- course_count, training_status.
-- Parameters: p_centers varchar[] (the centers shown; a training row counts only with its center's event),
--             p_period_start date (1 January of the plan year), p_as_of date.
create or replace macro staff_training_at(p_centers, p_period_start, p_as_of) as table
with courses as (
    select
        training.center,
        training.staff_id,
        bool_or(training.completed) as has_completed,
        count(*) as course_count
    from training
    join events on events.center = training.center and events.event_id = training.event_id
    where list_contains(p_centers::varchar[], training.center)
      and events.event_type = 'tap_huan'
      and events.held_on between p_period_start::date and p_as_of::date
    group by training.center, training.staff_id
)

select
    staff.*,
    coalesce(staff.active_from <= p_as_of::date, true)
        and coalesce(staff.active_to >= p_as_of::date, true) as is_active,
    coalesce(courses.course_count, 0) as course_count,
    case
        when courses.has_completed then 'trained'
        when courses.staff_id is not null then 'not_completed'
        else 'not_trained'
    end as training_status
from staff
left join courses on courses.center = staff.center and courses.staff_id = staff.staff_id
where list_contains(p_centers::varchar[], staff.center);
