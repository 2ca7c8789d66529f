-- The plan's event measures, every indicator measured on events in one statement (the fixed cost of planning a
-- statement dominates at a center's size, bench/FINDINGS.md): for each variant (an indicator's measure and event
-- types), center and as-of date, over the events of those types held in [$period_start, as_of]:
--   event_count          the number of events;
--   event_month_count    the number of distinct calendar months with at least one event;
--   event_type_count     the number of distinct event types (occasions) with at least one event;
--   elderly_reached_sum  the sum of elderly_reached (empty = 0).
-- Grain: one row per variant, center and as-of date (variant, center, as_of, numerator, denominator = null); zeros
-- included.
-- Parameters: $variants struct(key varchar, measure varchar, event_types varchar[], priority_only boolean)[] (each
--             indicator's measure and event types under a key; priority_only unused here),
--             $centers varchar[] (center codes; every one gets its rows, zeros included),
--             $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units).
with grid as (
    select v.variant.key as variant, v.variant.measure as measure, v.variant.event_types as event_types, center, as_of
    from unnest($variants::struct(key varchar, measure varchar, event_types varchar[], priority_only boolean)[])
        as v(variant)
    cross join unnest($centers::varchar[]) as c(center)
    cross join unnest($as_of_dates::date[]) as d(as_of)
),

daily as (  -- the events per day and type (event_days, made once per data version: schema/050)
    select center, event_type, held_on, event_count, elderly_reached
    from event_days
    where list_contains($centers::varchar[], center)
      and department is not distinct from $department::varchar
      and held_on >= $period_start::date
),

final as (
    select
        grid.variant,
        grid.center,
        grid.as_of,
        case any_value(grid.measure)
            when 'event_count' then coalesce(sum(daily.event_count), 0)
            when 'event_month_count' then count(distinct date_trunc('month', daily.held_on))
            when 'event_type_count' then count(distinct daily.event_type)
            when 'elderly_reached_sum' then coalesce(sum(daily.elderly_reached), 0)
        end::bigint as numerator,
        null::bigint as denominator
    from grid
    left join daily
        on daily.center = grid.center
        and daily.held_on <= grid.as_of
        and list_contains(grid.event_types, daily.event_type)
    group by grid.variant, grid.center, grid.as_of
)

select * from final order by variant, center, as_of
