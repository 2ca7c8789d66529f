-- The explore page's staff dataset: staff active at $period_end with every dimension the page may group or filter by,
-- as codes: unit, role ('yes' = legal-aid worker), training (this year's status as in staff_register: trained,
-- not_completed, not_trained, counting training events held in [$period_start, $period_end]).
-- planboard/explore.py wraps this query and groups it by whitelisted dimensions.
-- Grain: one row per staff member (center, staff_id).
-- Parameters: $centers varchar[] (the centers shown), $period_end date (the date shown), $period_start date (1 January
--             of the plan year), $department varchar (staff unit, null = all), $training_types varchar[] (the plan's
--             training event types: Plan.training_types).
with final as (
    select
        center,
        staff_id,
        department as unit,
        case when is_legal_aid_worker then 'yes' else 'no' end as role,
        training_status as training
    from staff_training_at($centers::varchar[], $training_types::varchar[], $period_start::date, $period_end::date)
    where is_active
      and ($department::varchar is null or department = $department::varchar)
)

select * from final order by center, staff_id
