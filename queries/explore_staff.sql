-- The explore page's staff dataset: staff active at $as_of with every dimension the page may group or filter by,
-- as codes: unit, role ('yes' = legal-aid worker), training (this year's status as in people_staff: trained,
-- not_completed, not_trained, counting tap_huan events held in [$period_start, $as_of]).
-- planboard/explore.py wraps this query and groups it by whitelisted dimensions.
-- Grain: one row per staff member (staff_id).
-- Parameters: $as_of date (the as-of date), $period_start date (1 January of the plan year),
--             $department varchar (staff unit, null = all).
with courses as (
    select training.staff_id, bool_or(training.completed) as has_completed
    from training
    join events on events.event_id = training.event_id
    where events.event_type = 'tap_huan'
      and events.held_on between $period_start::date and $as_of::date
    group by training.staff_id
),

final as (
    select
        staff.staff_id,
        staff.department as unit,
        case when staff.is_legal_aid_worker then 'yes' else 'no' end as role,
        case
            when courses.has_completed then 'trained'
            when courses.staff_id is not null then 'not_completed'
            else 'not_trained'
        end as training
    from staff
    left join courses on courses.staff_id = staff.staff_id
    where coalesce(staff.active_from <= $as_of::date, true)
      and coalesce(staff.active_to >= $as_of::date, true)
      and ($department::varchar is null or staff.department = $department::varchar)
)

select * from final order by staff_id
