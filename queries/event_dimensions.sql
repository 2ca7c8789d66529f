-- The explore page's events dataset: events held in [$period_start, $period_end] with every dimension the page may
-- group or filter by, as codes: unit (lead unit), quarter, month, activity, event_type; and the participants and
-- older persons reached (empty = 0) for sums.
-- planboard/explore.py wraps this query and groups it by whitelisted dimensions.
-- Grain: one row per event (center, event_id).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $department
--             varchar (lead unit, null = all).
with selected as (
    select *
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, []::varchar[], []::varchar[])
),

final as (
    select
        center,
        event_id,
        department as unit,
        quarter(held_on) as quarter,
        month(held_on) as month,
        activity,
        event_type,
        coalesce(participants, 0) as participants,
        coalesce(elderly_reached, 0) as elderly_reached
    from selected
)

select * from final order by center, event_id
