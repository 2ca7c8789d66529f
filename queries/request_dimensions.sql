-- The explore page's requests dataset: requests received in [$period_start, $period_end] (and by $as_of) with
-- every dimension the page may group or filter by, as codes: unit, quarter, month, field, form, status (at
-- $as_of: requests_as_of), priority, gender, eligibility (on requested_on), provider; the resident's gender and
-- eligibility as stored per request in case_facts (schema/050: no join with residents). The requests are the
-- register's (requests_filtered, schema/051) with no filter but the unit.
-- planboard/explore.py wraps this query and groups it by whitelisted dimensions.
-- Grain: one row per request (center, case_id).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $as_of date,
--             $department varchar (receiving unit, null = all).
with requests as (
    select *
    from requests_filtered($centers::varchar[],
                           $period_start::date, $period_end::date, $as_of::date, $department::varchar,
                           []::varchar[], []::varchar[], []::varchar[], []::varchar[], []::varchar[], null, null)
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
        gender,
        case when is_eligible then 'yes' else 'no' end as eligibility,
        coalesce(provider, '') as provider
    from requests
)

select * from final order by center, case_id
