-- The events register (the events page, and the report workbook's events sheet): events held in
-- [$period_start, $period_end] of the chosen activities and types, with the month and quarter they fall in.
-- Grain: one row per event (center, event_id).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $department
--             varchar (lead unit, null = all), $activities varchar[] (plan activity codes, empty = all), $event_types
--             varchar[] (empty = all), $row_limit integer (the first rows in the order below, null = all).
with selected as (
    select
        center,
        event_id,
        held_on,
        month(held_on) as month,
        quarter(held_on) as quarter,
        activity,
        event_type,
        department,
        title,
        document_number,
        participants,
        elderly_reached,
        notes
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, $department::varchar, $activities::varchar[],
                         $event_types::varchar[])
)

select * from selected order by held_on, center, event_id limit $row_limit::integer
