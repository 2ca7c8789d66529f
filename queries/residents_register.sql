-- Residents with their age at $period_end (age_on), whether elderly and eligible for legal aid at $period_end
-- (is_eligible_on), whether still in care at $period_end, and their number of requests received in [$period_start,
-- $period_end].
-- With $include_left false only residents in care at $period_end (admitted by it, not left before it).
-- Grain: one row per resident (center, resident_id).
-- Parameters: $centers varchar[] (the centers shown), $period_end date (the date shown), $period_start date (1 January
--             of the plan year), $department varchar (managing unit, null = all), $include_left boolean (also those
--             who left or were admitted later), $row_limit integer (the first rows in the order below, null = all).
with requests as (
    select center, resident_id, count(*) as request_count
    from cases
    where list_contains($centers::varchar[], center)
      and requested_on between $period_start::date and $period_end::date
    group by center, resident_id
),

residents_at as (
    select
        residents.*,
        age_on(residents.birth_date, $period_end::date) as age,
        age_on(residents.birth_date, $period_end::date) >= 60 as is_elderly,
        is_eligible_on(residents.birth_date, $period_end::date, residents.is_meritorious, residents.is_poor_household,
                       residents.has_financial_hardship) as is_eligible,
        residents.admitted_on <= $period_end::date
            and coalesce(residents.left_on >= $period_end::date, true) as is_in_care,
        coalesce(requests.request_count, 0) as request_count
    from residents
    left join requests on requests.center = residents.center and requests.resident_id = residents.resident_id
    where list_contains($centers::varchar[], residents.center)
      and ($department::varchar is null or residents.department = $department::varchar)
),

final as (
    select
        center,
        resident_id,
        full_name,
        gender,
        birth_date,
        age,
        is_elderly,
        is_eligible,
        is_meritorious,
        is_poor_household,
        has_financial_hardship,
        is_violence_victim,
        department,
        admitted_on,
        left_on,
        is_in_care,
        request_count
    from residents_at
    where $include_left::boolean or is_in_care
)

select * from final order by center, resident_id limit $row_limit::integer
