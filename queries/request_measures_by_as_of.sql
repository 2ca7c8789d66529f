-- The plan's request measures, every indicator measured on legal-aid requests in one statement (the fixed cost of
-- planning a statement dominates at a center's size, bench/FINDINGS.md), read from case_facts
-- (queries/schema/050_case_facts.sql: each request with its resident's eligibility and priority, made once per data
-- version). For each variant (an indicator's measure), center and as-of date, over the requests with requested_on in
-- [$period_start, as_of]:
--   request_count      numerator = the number of requests, whatever their status or eligibility;
--   free_service_rate  denominator = the eligible requests (the resident's eligibility on requested_on: elderly and
--                      meritorious / poor household / financial hardship) not withdrawn by as_of; numerator = those
--                      served free by as_of (accepted_on <= as_of, fee_charged = 0, status not `tu_choi`). With
--                      priority_only, only priority requests (priority set, or the resident is meritorious or a
--                      victim of violence/abuse). person_count = distinct residents in the denominator;
--                      served_person_count = those all of whose requests in the denominator are served.
-- Grain: one row per variant, center and as-of date (variant, center, as_of, numerator, denominator,
-- person_count, served_person_count; the last three null for request_count); zeros included.
-- Parameters: $variants struct(key varchar, measure varchar, event_types varchar[], priority_only boolean)[] (each
--             indicator's measure under a key; event_types unused here),
--             $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (receiving unit code, null = all units).
with variants as (
    select
        v.variant.key as variant,
        v.variant.measure as measure,
        coalesce(v.variant.priority_only, false) as priority_only
    from unnest($variants::struct(key varchar, measure varchar, event_types varchar[], priority_only boolean)[])
        as v(variant)
),

grid as (
    select center, as_of
    from unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

requests as (
    select center, resident_id, requested_on, accepted_on, closed_on, status, fee_charged, is_eligible, is_priority
    from case_facts
    where list_contains($centers::varchar[], center)
      and requested_on >= $period_start::date
      and ($department::varchar is null or department = $department::varchar)
),

-- request_count: requests per day, summed up to each as-of date
daily as (
    select center, requested_on, count(*) as request_count
    from requests
    group by center, requested_on
),

requested as (
    select grid.center, grid.as_of, sum(daily.request_count) as request_count
    from grid
    join daily on daily.center = grid.center and daily.requested_on <= grid.as_of
    group by grid.center, grid.as_of
),

-- each eligible request at each as-of date: counted in A3 (not withdrawn by then) and served free by then
flagged as (
    select
        grid.center,
        grid.as_of,
        requests.resident_id,
        requests.is_priority,
        not coalesce(requests.status = 'rut_yeu_cau' and requests.closed_on <= grid.as_of, false) as counts,
        coalesce(
            requests.accepted_on <= grid.as_of and requests.fee_charged = 0 and requests.status <> 'tu_choi', false
        ) as is_served
    from grid
    join requests on requests.center = grid.center and requests.requested_on <= grid.as_of
    where requests.is_eligible
),

-- one pass, whatever the variants: each (center, as-of date, resident) with their counted requests and the served
-- ones among them, for all requests and for priority ones
persons as (
    select
        center,
        as_of,
        resident_id,
        count(*) filter (where counts) as counted_count,
        count(*) filter (where counts and is_served) as served_count,
        count(*) filter (where counts and is_priority) as priority_counted_count,
        count(*) filter (where counts and is_priority and is_served) as priority_served_count
    from flagged
    group by center, as_of, resident_id
),

totals as (
    select
        center,
        as_of,
        sum(counted_count) as counted_count,
        sum(served_count) as served_count,
        count(*) filter (where counted_count > 0) as person_count,
        count(*) filter (where counted_count > 0 and served_count = counted_count) as served_person_count,
        sum(priority_counted_count) as priority_counted_count,
        sum(priority_served_count) as priority_served_count,
        count(*) filter (where priority_counted_count > 0) as priority_person_count,
        count(*) filter (
            where priority_counted_count > 0 and priority_served_count = priority_counted_count
        ) as priority_served_person_count
    from persons
    group by center, as_of
),

final as (
    select
        variants.variant,
        grid.center,
        grid.as_of,
        coalesce(case
            when variants.measure = 'request_count' then requested.request_count
            when variants.priority_only then totals.priority_served_count
            else totals.served_count
        end, 0)::bigint as numerator,
        case when variants.measure = 'free_service_rate' then coalesce(case
            when variants.priority_only then totals.priority_counted_count else totals.counted_count
        end, 0) end::bigint as denominator,
        case when variants.measure = 'free_service_rate' then coalesce(case
            when variants.priority_only then totals.priority_person_count else totals.person_count
        end, 0) end::bigint as person_count,
        case when variants.measure = 'free_service_rate' then coalesce(case
            when variants.priority_only then totals.priority_served_person_count else totals.served_person_count
        end, 0) end::bigint as served_person_count
    from variants
    cross join grid
    left join requested on requested.center = grid.center and requested.as_of = grid.as_of
    left join totals on totals.center = grid.center and totals.as_of = grid.as_of
)

select * from final order by variant, center, as_of
