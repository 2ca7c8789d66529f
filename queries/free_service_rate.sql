-- Eligible requests in [$period_start, as_of] not withdrawn by as_of (denominator) and those served free by as_of
-- (numerator: accepted_on <= as_of, fee_charged = 0, status not `tu_choi`). Eligibility is the resident's on
-- requested_on (elderly and meritorious / poor household / financial hardship). With $priority_only, only
-- priority requests (priority set, or the resident is meritorious or a victim of violence/abuse). Both flags come
-- from case_facts (queries/schema/050_case_facts.sql), made once per data version.
-- Also: person_count = distinct residents in the denominator; served_person_count = those all of whose requests
-- in the denominator are served.
-- Grain: one row per center and as-of date (center, as_of, numerator, denominator, person_count, served_person_count).
-- Parameters: $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (receiving unit code, null = all units), $priority_only boolean.
with grid as (
    select center, as_of
    from unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

requests as (
    select *
    from case_facts
    where list_contains($centers::varchar[], center)
      and requested_on >= $period_start::date
      and ($department::varchar is null or department = $department::varchar)
      and is_eligible
      and (not $priority_only::boolean or is_priority)
),

-- one pass: each (center, as-of date, resident) with their counted requests and how many of them are served
persons as (
    select
        grid.center,
        grid.as_of,
        requests.resident_id,
        count(*) as request_count,
        count(*) filter (
            where requests.accepted_on <= grid.as_of and requests.fee_charged = 0 and requests.status <> 'tu_choi'
        ) as served_count
    from grid
    join requests
        on requests.center = grid.center
        and requests.requested_on <= grid.as_of
        and not coalesce(requests.status = 'rut_yeu_cau' and requests.closed_on <= grid.as_of, false)
    group by grid.center, grid.as_of, requests.resident_id
),

totals as (
    select
        center,
        as_of,
        sum(served_count) as numerator,
        sum(request_count) as denominator,
        count(*) as person_count,
        count(*) filter (where served_count = request_count) as served_person_count
    from persons
    group by center, as_of
),

final as (
    select
        grid.center,
        grid.as_of,
        coalesce(totals.numerator, 0)::bigint as numerator,
        coalesce(totals.denominator, 0)::bigint as denominator,
        coalesce(totals.person_count, 0)::bigint as person_count,
        coalesce(totals.served_person_count, 0)::bigint as served_person_count
    from grid
    left join totals on totals.center = grid.center and totals.as_of = grid.as_of
)

select * from final order by center, as_of
