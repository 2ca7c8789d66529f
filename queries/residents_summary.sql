-- Key numbers of the residents register (residents_register.sql, same rows): residents in care at $period_end, of whom
-- elderly and eligible for legal aid at $period_end, residents with a request received in [$period_start, $period_end],
-- and the register's row count (with $include_left also those who left or were admitted later).
-- Grain: one row (the whole filtered set).
-- Parameters: $centers varchar[] (the centers shown), $period_end date (the date shown), $period_start date (1 January
--             of the plan year), $department varchar (managing unit, null = all), $include_left boolean (also those
--             who left or were admitted later).
with requesters as (
    select distinct center, resident_id
    from cases
    where list_contains($centers::varchar[], center)
      and requested_on between $period_start::date and $period_end::date
),

residents_at as (
    select
        age_on(residents.birth_date, $period_end::date) >= 60 as is_elderly,
        is_eligible_on(residents.birth_date, $period_end::date, residents.is_meritorious, residents.is_poor_household,
                       residents.has_financial_hardship) as is_eligible,
        residents.admitted_on <= $period_end::date
            and coalesce(residents.left_on >= $period_end::date, true) as is_in_care,
        requesters.resident_id is not null as has_requests
    from residents
    left join requesters
        on requesters.center = residents.center and requesters.resident_id = residents.resident_id
    where list_contains($centers::varchar[], residents.center)
      and ($department::varchar is null or residents.department = $department::varchar)
),

shown as (
    select * from residents_at where $include_left::boolean or is_in_care
),

final as (
    select
        count(*) as row_count,
        count(*) filter (where is_in_care) as in_care_count,
        count(*) filter (where is_in_care and is_elderly) as elderly_in_care_count,
        count(*) filter (where is_in_care and is_eligible) as eligible_in_care_count,
        count(*) filter (where has_requests) as with_requests_count
    from shown
)

select * from final order by row_count
