-- Breakdowns of the filtered requests (same filters and status at $as_of as requests_register) in the style of
-- the Ministry of Justice legal-aid statistics: by sex, by eligible group (meritorious, poor household, financial
-- hardship, among eligible requests: a person may be in several groups), by aid form and by legal field. For each
-- group: requests, distinct persons, and persons served (with at least one request served free by as_of: accepted,
-- no fee, not refused).
-- Grain: one row per (dimension, group_code); dimension in gender, eligible_group, aid_form, legal_field;
-- group_code '' = not given.
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $as_of date,
--             $department varchar (null = all), $statuses varchar[], $fields varchar[], $forms varchar[], $priorities
--             varchar[], $providers varchar[] (empty = all; '' = not given), $eligible boolean (null = all),
--             $overdue_days integer (waiting longer is overdue: the status 'qua_han' in $statuses).
with filtered as (
    select *
    from requests_filtered($centers::varchar[],
                           $period_start::date, $period_end::date, $as_of::date, $department::varchar,
                           $statuses::varchar[], $fields::varchar[], $forms::varchar[], $priorities::varchar[],
                           $providers::varchar[], $eligible::boolean, $overdue_days::integer)
),

long as (
    select 1 as dimension_order, 'gender' as dimension, gender as group_code, case_id, center, resident_id, is_served
    from filtered
    union all
    select 2, 'eligible_group', 'is_meritorious', case_id, center, resident_id, is_served
    from filtered where is_eligible and is_meritorious
    union all
    select 2, 'eligible_group', 'is_poor_household', case_id, center, resident_id, is_served
    from filtered where is_eligible and is_poor_household
    union all
    select 2, 'eligible_group', 'has_financial_hardship', case_id, center, resident_id, is_served
    from filtered where is_eligible and has_financial_hardship
    union all
    select 3, 'aid_form', coalesce(aid_form, ''), case_id, center, resident_id, is_served
    from filtered
    union all
    select 4, 'legal_field', legal_field, case_id, center, resident_id, is_served
    from filtered
),

-- one row per (group, person: center and resident) first: two plain counts below instead of two count(distinct)
-- over every request
per_person as (
    select
        dimension_order,
        dimension,
        group_code,
        center,
        resident_id,
        count(*) as request_count,
        bool_or(is_served) as is_served
    from long
    group by dimension_order, dimension, group_code, center, resident_id
),

final as (
    select
        dimension_order,
        dimension,
        group_code,
        sum(request_count)::bigint as request_count,
        count(*) as person_count,
        count(*) filter (where is_served) as served_person_count
    from per_person
    group by dimension_order, dimension, group_code
)

select * from final order by dimension_order, request_count desc, group_code
