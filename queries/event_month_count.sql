-- Number of distinct calendar months in [$period_start, as_of] with at least one event of the given types.
-- Grain: one row per as-of date (as_of, numerator, denominator = null).
-- Parameters: $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units), $event_types varchar[].
with as_of_dates as (
    select unnest($as_of_dates::date[]) as as_of
),

months as (
    select date_trunc('month', held_on) as month_start, min(held_on) as first_held_on
    from events
    where list_contains($event_types::varchar[], event_type)
      and ($department::varchar is null or department = $department::varchar)
      and held_on >= $period_start::date
    group by month_start
),

final as (
    select
        d.as_of,
        count(months.month_start)::bigint as numerator,
        null::bigint as denominator
    from as_of_dates as d
    left join months on months.first_held_on <= d.as_of
    group by d.as_of
)

select * from final order by as_of
