-- Number of events of the given types held in [$period_start, as_of], for each as-of date.
-- Grain: one row per as-of date (as_of, numerator, denominator = null).
-- Parameters: $as_of_dates date[] (period ends), $period_start date (1 January of the plan year),
--             $department varchar (unit code, null = all units), $event_types varchar[].
with as_of_dates as (
    select unnest($as_of_dates::date[]) as as_of
),

daily as (
    select held_on, count(*) as event_count
    from events
    where list_contains($event_types::varchar[], event_type)
      and ($department::varchar is null or department = $department::varchar)
      and held_on >= $period_start::date
    group by held_on
),

final as (
    select
        d.as_of,
        coalesce(sum(daily.event_count), 0)::bigint as numerator,
        null::bigint as denominator
    from as_of_dates as d
    left join daily on daily.held_on <= d.as_of
    group by d.as_of
)

select * from final order by as_of
