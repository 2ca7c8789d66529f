-- Breakdowns of the filtered requests (same filters and status at $as_of as requests_register) in the style of
-- the Ministry of Justice legal-aid statistics: by sex, by eligible group (meritorious, poor household, financial
-- hardship, among eligible requests: a person may be in several groups), by aid form and by legal field. For each
-- group: requests, distinct persons, and persons served (with at least one request served free by as_of: accepted,
-- no fee, not refused).
-- Grain: one row per (dimension, group_code); dimension in gender, eligible_group, aid_form, legal_field;
-- group_code '' = not given.
-- Parameters: $period_start date, $period_end date (the period), $as_of date, $department varchar (null = all),
--             $statuses varchar[], $fields varchar[], $forms varchar[], $priorities varchar[], $providers varchar[]
--             (empty = all; '' = not given), $eligible boolean (null = all), $overdue_days integer (unused by the
--             counts, kept so the register's parameters apply unchanged).
with requests as (
    select
        cases.*,
        residents.full_name,
        residents.gender,
        residents.birth_date,
        residents.is_meritorious,
        residents.is_poor_household,
        residents.has_financial_hardship,
        residents.is_violence_victim
    from cases
    join residents on residents.resident_id = cases.resident_id
    where cases.requested_on between $period_start::date and $period_end::date
      and cases.requested_on <= $as_of::date
),

dated as (
    select
        *,
        age_on(birth_date, requested_on) as age_at_request,
        is_eligible_on(birth_date, requested_on, is_meritorious, is_poor_household,
                       has_financial_hardship) as is_eligible,
        case
            when status in ('hoan_thanh', 'rut_yeu_cau', 'tu_choi') and coalesce(closed_on <= $as_of::date, true)
                then status
            when accepted_on <= $as_of::date then 'dang_thuc_hien'
            when referred_on <= $as_of::date then 'da_chuyen'
            when status = 'da_chuyen' and referred_on is null then 'da_chuyen'
            else 'tiep_nhan'
        end as status_on
    from requests
),

filtered as (
    select *
    from dated
    where ($department::varchar is null or department = $department::varchar)
      and (len($statuses::varchar[]) = 0 or list_contains($statuses::varchar[], status_on))
      and (len($fields::varchar[]) = 0 or list_contains($fields::varchar[], legal_field))
      and (len($forms::varchar[]) = 0 or list_contains($forms::varchar[], coalesce(aid_form, '')))
      and (len($priorities::varchar[]) = 0 or list_contains($priorities::varchar[], coalesce(priority, '')))
      and (len($providers::varchar[]) = 0 or list_contains($providers::varchar[], coalesce(provider, '')))
      and ($eligible::boolean is null or is_eligible = $eligible::boolean)
),

served as (
    select
        *,
        coalesce(accepted_on <= $as_of::date and fee_charged = 0 and status_on <> 'tu_choi', false) as is_served,
        $overdue_days::integer as overdue_days
    from filtered
),

long as (
    select 1 as dimension_order, 'gender' as dimension, gender as group_code, case_id, resident_id, is_served
    from served
    union all
    select 2, 'eligible_group', 'is_meritorious', case_id, resident_id, is_served
    from served where is_eligible and is_meritorious
    union all
    select 2, 'eligible_group', 'is_poor_household', case_id, resident_id, is_served
    from served where is_eligible and is_poor_household
    union all
    select 2, 'eligible_group', 'has_financial_hardship', case_id, resident_id, is_served
    from served where is_eligible and has_financial_hardship
    union all
    select 3, 'aid_form', coalesce(aid_form, ''), case_id, resident_id, is_served
    from served
    union all
    select 4, 'legal_field', legal_field, case_id, resident_id, is_served
    from served
),

final as (
    select
        dimension_order,
        dimension,
        group_code,
        count(*) as request_count,
        count(distinct resident_id) as person_count,
        count(distinct resident_id) filter (where is_served) as served_person_count
    from long
    group by dimension_order, dimension, group_code
)

select * from final order by dimension_order, request_count desc, group_code
