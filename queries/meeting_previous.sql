-- The latest frozen meeting of a scope whose numbers are at or before a date (the meeting to compare with), other
-- than a given one.
-- Grain: at most one row.
-- Parameters: $scope_kind (varchar), $scope_code (varchar), $as_of (date), $exclude_id (bigint, null = none).
with frozen as (
    select meeting_id, as_of, held_on, frozen_at
    from meetings
    where scope_kind = $scope_kind
      and scope_code = $scope_code
      and frozen_at is not null
      and as_of <= $as_of::date
      and meeting_id is distinct from $exclude_id::bigint
),

final as (
    select * from frozen
    order by as_of desc, held_on desc, meeting_id desc
    limit 1
)

select meeting_id from final order by meeting_id
