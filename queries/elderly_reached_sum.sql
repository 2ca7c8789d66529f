-- Sum of elderly_reached (empty = 0) over events of the given types held in [$period_start, as_of].
-- Grain: one row per center and as-of date (center, as_of, numerator, denominator = null).
-- Parameters: $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units), $event_types varchar[].
with grid as (
    select center, as_of
    from unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

daily as (
    select center, held_on, sum(coalesce(elderly_reached, 0)) as elderly_reached
    from events
    where list_contains($centers::varchar[], center)
      and list_contains($event_types::varchar[], event_type)
      and ($department::varchar is null or department = $department::varchar)
      and held_on >= $period_start::date
    group by center, held_on
),

final as (
    select
        grid.center,
        grid.as_of,
        coalesce(sum(daily.elderly_reached), 0)::bigint as numerator,
        null::bigint as denominator
    from grid
    left join daily on daily.center = grid.center and daily.held_on <= grid.as_of
    group by grid.center, grid.as_of
)

select * from final order by center, as_of
