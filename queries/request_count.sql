-- Number of legal-aid requests with requested_on in [$period_start, as_of], whatever their status or eligibility.
-- Grain: one row per as-of date (as_of, numerator, denominator = null).
-- Parameters: $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units).
with as_of_dates as (
    select unnest($as_of_dates::date[]) as as_of
),

daily as (
    select requested_on, count(*) as request_count
    from cases
    where ($department::varchar is null or department = $department::varchar)
      and requested_on >= $period_start::date
    group by requested_on
),

final as (
    select
        d.as_of,
        coalesce(sum(daily.request_count), 0)::bigint as numerator,
        null::bigint as denominator
    from as_of_dates as d
    left join daily on daily.requested_on <= d.as_of
    group by d.as_of
)

select * from final order by as_of
