-- Explore-style breakdown (benchmark): events by event type × calendar month, with participants and elderly reached.
-- Grain: one row per (event_type, month) with at least one event held in [$period_start, $period_end].
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan
--             year), $period_end date (the as-of date),
--             $department varchar (lead unit code, null = all units).
with held as (
    select event_type, month(held_on) as month, participants, elderly_reached
    from events
    where list_contains($centers::varchar[], center)
      and held_on between $period_start::date and $period_end::date
      and ($department::varchar is null or department = $department::varchar)
),

final as (
    select
        event_type,
        month,
        count(*)::bigint as event_count,
        coalesce(sum(participants), 0)::bigint as participants,
        coalesce(sum(elderly_reached), 0)::bigint as elderly_reached
    from held
    group by event_type, month
)

select * from final order by event_type, month
