-- The numbers frozen at a meeting, in the order they were frozen (center level first, then each unit; for a
-- province the roll-up first, then each center).
-- Grain: one row per (center or roll-up, unit or center level, indicator).
-- Parameters: $meeting_id (bigint).
with final as (
    select
        meeting_id,
        position,
        center,
        department,
        indicator,
        activity,
        value,
        numerator,
        denominator,
        expected_now,
        target_year,
        status,
        data_version,
        frozen_at
    from meeting_numbers
    where meeting_id = $meeting_id
)

select * from final order by position
