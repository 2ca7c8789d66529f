-- The history of one action: every dated note and status change, oldest first.
-- Grain: one row per note.
-- Parameters: $action_id (bigint).
with final as (
    select note_id, action_id, noted_on, noted_at, author, note, status_before, status_after
    from action_notes
    where action_id = $action_id
)

select * from final order by note_id
