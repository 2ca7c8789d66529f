-- Number of events of the given types held in [$period_start, as_of], for each as-of date and each variant (a set
-- of event types: one per indicator measured this way, so the plan's six event-count indicators are one statement).
-- Grain: one row per variant, center and as-of date (variant, center, as_of, numerator, denominator = null).
-- Parameters: $variants struct(key varchar, event_types varchar[])[] (each indicator's event types under a key),
--             $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units).
with grid as (
    select v.variant.key as variant, v.variant.event_types as event_types, center, as_of
    from unnest($variants::struct(key varchar, event_types varchar[])[]) as v(variant)
    cross join unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

daily as (
    select center, event_type, held_on, count(*) as event_count
    from events
    where list_contains($centers::varchar[], center)
      and ($department::varchar is null or department = $department::varchar)
      and held_on >= $period_start::date
    group by center, event_type, held_on
),

final as (
    select
        grid.variant,
        grid.center,
        grid.as_of,
        coalesce(sum(daily.event_count), 0)::bigint as numerator,
        null::bigint as denominator
    from grid
    left join daily
        on daily.center = grid.center
        and daily.held_on <= grid.as_of
        and list_contains(grid.event_types, daily.event_type)
    group by grid.variant, grid.center, grid.as_of
)

select * from final order by variant, center, as_of
