-- Number of distinct calendar months in [$period_start, as_of] with at least one event of the given types.
-- Grain: one row per center and as-of date (center, as_of, numerator, denominator = null).
-- Parameters: $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units), $event_types varchar[].
with grid as (
    select center, as_of
    from unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

months as (
    select center, date_trunc('month', held_on) as month_start, min(held_on) as first_held_on
    from events
    where list_contains($centers::varchar[], center)
      and list_contains($event_types::varchar[], event_type)
      and ($department::varchar is null or department = $department::varchar)
      and held_on >= $period_start::date
    group by center, month_start
),

final as (
    select
        grid.center,
        grid.as_of,
        count(months.month_start)::bigint as numerator,
        null::bigint as denominator
    from grid
    left join months on months.center = grid.center and months.first_held_on <= grid.as_of
    group by grid.center, grid.as_of
)

select * from final order by center, as_of
