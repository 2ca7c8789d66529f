-- The requests register: legal-aid requests received in [$period_start, $period_end] (and by $as_of) that pass
-- every filter, each with its status at $as_of, the resident's eligibility on requested_on, the days to acceptance
-- and, while it waits (tiep_nhan / da_chuyen at $as_of), the days pending and whether it is overdue.
-- Status at as_of: a closing status once closed_on <= as_of, else dang_thuc_hien once accepted_on <= as_of,
-- else da_chuyen once referred_on <= as_of (or recorded da_chuyen without a date), else tiep_nhan.
-- Empty list = no filter; '' in $forms / $priorities / $providers stands for "not given".
-- Grain: one row per request (case_id).
-- Parameters: $period_start date, $period_end date (the period, within the plan year), $as_of date (the as-of
--             date), $department varchar (receiving unit, null = all), $statuses varchar[] (status at as_of),
--             $fields varchar[] (legal_field), $forms varchar[] (aid_form), $priorities varchar[] (priority),
--             $providers varchar[] (provider), $eligible boolean (null = all), $overdue_days integer (waiting
--             longer than this is overdue).
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

final as (
    select
        case_id,
        requested_on,
        department,
        resident_id,
        full_name,
        gender,
        age_at_request,
        is_eligible,
        legal_field,
        aid_form,
        priority,
        provider,
        status_on as status,
        referred_on,
        accepted_on,
        closed_on,
        fee_charged,
        case when accepted_on <= $as_of::date then accepted_on - requested_on end as days_to_accept,
        case when status_on in ('tiep_nhan', 'da_chuyen') then $as_of::date - requested_on end as days_pending,
        coalesce(status_on in ('tiep_nhan', 'da_chuyen')
                 and $as_of::date - requested_on > $overdue_days::integer, false) as is_overdue,
        notes
    from filtered
)

select * from final order by requested_on, case_id
