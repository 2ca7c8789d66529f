-- The records saved or deleted through the entry forms after a time (what changed a meeting's numbers after they
-- were frozen). An edit logged without a center counts for every center.
-- Grain: one row per edit.
-- Parameters: $after (timestamp) the freeze time; $centers (varchar[]) the meeting's centers.
with final as (
    select edit_id, edited_at, user_name, table_name, record_id, action
    from edit_log
    where edited_at > $after::timestamp
      and (center is null or list_contains($centers::varchar[], center))
)

select * from final order by edited_at, edit_id
