-- The plan's request measures, every indicator measured on legal-aid requests in one statement (the fixed cost of
-- planning a statement dominates at a center's size, bench/FINDINGS.md), read from request_days
-- (queries/schema/050_case_facts.sql: the changes per day of each measure, made from case_facts once per data
-- version, so an as-of date sums a few rows per day instead of grouping every request per resident). For each
-- variant (an indicator's measure), center and as-of date, over the requests with requested_on in
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
--             $as_of_dates date[] (period ends, in the year of $period_start: Plan.clip),
--             $period_start date (1 January of the plan year: request_days counts each request in its own year),
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

days as (
    select *
    from request_days
    where list_contains($centers::varchar[], center)
      and year = year($period_start::date)
      and department is not distinct from $department::varchar
),

-- each measure's level at each as-of date: the sum of its changes up to then
levels as (
    select
        grid.center,
        grid.as_of,
        days.priority_only,
        sum(days.requested) as requested,
        sum(days.counted) as counted,
        sum(days.served) as served,
        sum(days.persons) as persons,
        sum(days.served_persons) as served_persons
    from grid
    join days on days.center = grid.center and days.day <= grid.as_of
    group by grid.center, grid.as_of, days.priority_only
),

final as (
    select
        variants.variant,
        grid.center,
        grid.as_of,
        coalesce(case
            when variants.measure = 'request_count' then requested.requested
            else rate.served
        end, 0)::bigint as numerator,
        case when variants.measure = 'free_service_rate' then coalesce(rate.counted, 0) end::bigint as denominator,
        case when variants.measure = 'free_service_rate' then coalesce(rate.persons, 0) end::bigint as person_count,
        case when variants.measure = 'free_service_rate' then coalesce(rate.served_persons, 0) end::bigint
            as served_person_count
    from variants
    cross join grid
    left join levels as requested
        on requested.center = grid.center and requested.as_of = grid.as_of and not requested.priority_only
    left join levels as rate
        on rate.center = grid.center and rate.as_of = grid.as_of and rate.priority_only = variants.priority_only
)

select * from final order by variant, center, as_of
