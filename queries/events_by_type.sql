-- Campaign occasions (event types of activity 4.2) held in [$period_start, $period_end]: how many events, first date.
-- Grain: one row per event type of $event_types (event_count 0 and first_held_on null when none was held).
-- Parameters: $centers varchar[] (the centers reported on), $event_types varchar[] (the occasions' event types),
--             $period_start date (1 January of the plan year), $period_end date (report date), $department varchar
--             (unit code, null = all units).
with wanted as (
    select unnest($event_types::varchar[]) as event_type
),

held as (
    select event_type, count(*) as event_count, min(held_on) as first_held_on
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, []::varchar[],
                         $event_types::varchar[])
    group by event_type
),

final as (
    select
        w.event_type,
        coalesce(h.event_count, 0)::bigint as event_count,
        h.first_held_on
    from wanted as w
    left join held as h on h.event_type = w.event_type
)

select * from final order by event_type
