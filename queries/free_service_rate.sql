-- Eligible requests in [$period_start, as_of] not withdrawn by as_of (denominator) and those served free by as_of
-- (numerator: accepted_on <= as_of, fee_charged = 0, status not `tu_choi`). Eligibility is the resident's on
-- requested_on (elderly and meritorious / poor household / financial hardship). With $priority_only, only
-- priority requests (priority set, or the resident is meritorious or a victim of violence/abuse).
-- Also: person_count = distinct residents in the denominator; served_person_count = those all of whose requests
-- in the denominator are served.
-- Grain: one row per as-of date (as_of, numerator, denominator, person_count, served_person_count).
-- Parameters: $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (receiving unit code, null = all units), $priority_only boolean.
with as_of_dates as (
    select unnest($as_of_dates::date[]) as as_of
),

requests as (
    select
        cases.case_id,
        cases.resident_id,
        cases.requested_on,
        cases.accepted_on,
        cases.closed_on,
        cases.status,
        cases.fee_charged
    from cases
    join residents on residents.resident_id = cases.resident_id
    where cases.requested_on >= $period_start::date
      and ($department::varchar is null or cases.department = $department::varchar)
      and is_eligible_on(residents.birth_date, cases.requested_on, residents.is_meritorious,
                         residents.is_poor_household, residents.has_financial_hardship)
      and (not $priority_only::boolean
           or coalesce(cases.priority, '') <> ''
           or residents.is_meritorious
           or residents.is_violence_victim)
),

counted as (
    select
        d.as_of,
        requests.resident_id,
        requests.case_id,
        coalesce(requests.accepted_on <= d.as_of and requests.fee_charged = 0 and requests.status <> 'tu_choi',
                 false) as is_served
    from as_of_dates as d
    left join requests
        on requests.requested_on <= d.as_of
        and not coalesce(requests.status = 'rut_yeu_cau' and requests.closed_on <= d.as_of, false)
),

persons as (
    select as_of, resident_id, bool_and(is_served) as is_fully_served
    from counted
    where case_id is not null
    group by as_of, resident_id
),

request_totals as (
    select
        as_of,
        count(case_id) filter (where is_served)::bigint as numerator,
        count(case_id)::bigint as denominator
    from counted
    group by as_of
),

person_totals as (
    select as_of, count(*) as person_count, count(*) filter (where is_fully_served) as served_person_count
    from persons
    group by as_of
),

final as (
    select
        request_totals.as_of,
        request_totals.numerator,
        request_totals.denominator,
        coalesce(person_totals.person_count, 0)::bigint as person_count,
        coalesce(person_totals.served_person_count, 0)::bigint as served_person_count
    from request_totals
    left join person_totals on person_totals.as_of = request_totals.as_of
)

select * from final order by as_of
