-- The locked months of some centers, with who locked them, when and after which meeting.
-- Grain: one row per (center, locked month).
-- Parameters: $centers (varchar[]).
with final as (
    select
        period_locks.center,
        period_locks.month,
        period_locks.locked_at,
        period_locks.locked_by,
        period_locks.meeting_id,
        meetings.title as meeting_title
    from period_locks
    left join meetings on meetings.meeting_id = period_locks.meeting_id
    where list_contains($centers::varchar[], period_locks.center)
)

select * from final order by center, month
