-- The most recent record edits made through the entry forms, newest first, with values before and after.
-- Grain: one row per edit.
-- Parameters: $limit (integer) how many edits to return; $centers varchar[] the centers whose edits to show (null =
--             every center; an edit logged before centers existed, center null, shows to everyone).
with recent as (
    select
        edit_id,
        edited_at,
        user_name,
        table_name,
        record_id,
        action,
        before_json,
        after_json,
        center
    from edit_log
    where $centers::varchar[] is null or center is null or list_contains($centers::varchar[], center)
),

final as (
    select * from recent
    order by edit_id desc
    limit $limit
)

select * from final order by edit_id desc
