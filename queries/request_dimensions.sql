-- The explore page's requests dataset: requests received in [$period_start, $period_end] (and by $as_of) with
-- every dimension the page may group or filter by, as codes: unit, quarter, month, field, form, status (at
-- $as_of: requests_as_of), priority, gender, eligibility (on requested_on), provider.
-- planboard/explore.py wraps this query and groups it by whitelisted dimensions.
-- Grain: one row per request (center, case_id).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $as_of date,
--             $department varchar (receiving unit, null = all).
with requests as (
    select
        cases.*,
        residents.gender as resident_gender,
        is_eligible_on(residents.birth_date, cases.requested_on, residents.is_meritorious,
                       residents.is_poor_household, residents.has_financial_hardship) as is_eligible
    from requests_as_of($as_of::date) as cases
    join residents on residents.center = cases.center and residents.resident_id = cases.resident_id
    where list_contains($centers::varchar[], cases.center)
      and cases.requested_on between $period_start::date and $period_end::date
      and ($department::varchar is null or cases.department = $department::varchar)
),

final as (
    select
        center,
        case_id,
        resident_id,
        department as unit,
        quarter(requested_on) as quarter,
        month(requested_on) as month,
        legal_field as field,
        coalesce(aid_form, '') as form,
        status,
        coalesce(priority, '') as priority,
        resident_gender as gender,
        case when is_eligible then 'yes' else 'no' end as eligibility,
        coalesce(provider, '') as provider
    from requests
)

select * from final order by center, case_id
