-- Key numbers of the requests register: the filtered requests (same filters and status at $as_of as
-- requests_register) counted: requests, distinct persons, eligible, served free (A3: accepted by as_of, no fee, not
-- refused), accepted with the median and mean days from request to acceptance, waiting (tiep_nhan / da_chuyen at
-- as_of) with the median and longest days pending, and overdue (waiting longer than $overdue_days).
-- Grain: one row.
-- Parameters: $period_start date, $period_end date (the period), $as_of date, $department varchar (null = all),
--             $statuses varchar[], $fields varchar[], $forms varchar[], $priorities varchar[], $providers varchar[]
--             (empty = all; '' = not given), $eligible boolean (null = all), $overdue_days integer.
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

measured as (
    select
        *,
        case when accepted_on <= $as_of::date then accepted_on - requested_on end as days_to_accept,
        case when status_on in ('tiep_nhan', 'da_chuyen') then $as_of::date - requested_on end as days_pending,
        coalesce(accepted_on <= $as_of::date and fee_charged = 0 and status_on <> 'tu_choi', false) as is_served
    from filtered
),

final as (
    select
        count(*) as request_count,
        count(distinct resident_id) as person_count,
        count(*) filter (where is_eligible) as eligible_count,
        count(*) filter (where is_served) as served_count,
        count(distinct resident_id) filter (where is_served) as served_person_count,
        count(days_to_accept) as accepted_count,
        median(days_to_accept) as median_days_to_accept,
        avg(days_to_accept) as mean_days_to_accept,
        count(days_pending) as waiting_count,
        median(days_pending) as median_days_pending,
        max(days_pending) as max_days_pending,
        count(*) filter (where days_pending > $overdue_days::integer) as overdue_count
    from measured
)

select * from final order by request_count
