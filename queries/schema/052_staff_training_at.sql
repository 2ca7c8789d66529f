-- "Trained", defined once (A2's rule): a completed training row (empty = completed) for a training event (one of
-- the plan's training types: Plan.training_types, the A2 indicator's event types) held in the period.
-- staff_courses(...) gives each staff member's courses in [p_period_start, p_period_end]; training_rate,
-- workers_training and staff_training_at (below) all read it. After schema/050: DuckDB binds a table macro when it is
-- made, and this one reads the derived training_courses. Idempotent.
-- Grain: staff_courses one row per staff member with at least one course in the window (center, staff_id,
-- course_count, has_completed, first_trained_on = the first completed course's date, null if none completed).
-- Parameters: p_centers varchar[] (a training row counts only with its own center's event), p_training_types
--             varchar[] (the event types that are courses), p_period_start date, p_period_end date.
create or replace macro staff_courses(p_centers, p_training_types, p_period_start, p_period_end) as table
select
    center,
    staff_id,
    count(*) as course_count,
    bool_or(completed) as has_completed,
    min(held_on) filter (where completed) as first_trained_on
from training_courses  -- each training row with its event, made once per data version (schema/050)
where list_contains(p_centers::varchar[], center)
  and list_contains(p_training_types::varchar[], event_type)
  and held_on between p_period_start::date and p_period_end::date
group by center, staff_id;

-- staff_training_at(...): each staff member with whether they are active at p_as_of and this year's training
-- status (trained = staff_courses' has_completed; not_completed = courses in the window but none completed;
-- not_trained = none), so the staff register, its key numbers and the explore dataset agree.
-- Grain: one row per staff member (center, staff_id) of p_centers: all columns of staff, plus is_active,
-- course_count, training_status.
-- Parameters: p_centers varchar[] (the centers shown), p_training_types varchar[] (the event types that are
--             courses), p_period_start date (1 January of the plan year), p_as_of date.
create or replace macro staff_training_at(p_centers, p_training_types, p_period_start, p_as_of) as table
with courses as (
    select * from staff_courses(p_centers, p_training_types, p_period_start, p_as_of)
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
