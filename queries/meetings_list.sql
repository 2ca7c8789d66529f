-- The meetings of some centers' scopes (a center's own, and its province's), newest first, with whether frozen
-- (every column of meetings, in the table's order).
-- Grain: one row per meeting.
-- Parameters: $centers (varchar[]) the centers whose meetings to list; $provinces (varchar[]) the provinces whose
--             meetings to list.
with final as (
    select *
    from meetings
    where (scope_kind = 'center' and list_contains($centers::varchar[], scope_code))
       or (scope_kind = 'province' and list_contains($provinces::varchar[], scope_code))
)

select * from final order by held_on desc, meeting_id desc
