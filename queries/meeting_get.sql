-- One meeting by its id (every column of meetings, in the table's order, as meetings_list).
-- Grain: one row (none when the id is unknown).
-- Parameters: $meeting_id (bigint).
with final as (
    select * from meetings where meeting_id = $meeting_id
)

select * from final order by meeting_id
