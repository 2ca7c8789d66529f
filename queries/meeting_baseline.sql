-- The meeting "since the last meeting" compares with when a view shows the numbers at a date: the latest frozen
-- meeting of a scope held by that date whose numbers are from before it (and not before the plan year's start).
-- Grain: at most one row.
-- Parameters: $scope_kind (varchar), $scope_code (varchar), $as_of (date) the date shown, $year_start (date).
with frozen as (
    select meeting_id, as_of, held_on
    from meetings
    where scope_kind = $scope_kind
      and scope_code = $scope_code
      and frozen_at is not null
      and as_of < $as_of::date
      and as_of >= $year_start::date
      and held_on <= $as_of::date
),

final as (
    select * from frozen
    order by as_of desc, held_on desc, meeting_id desc
    limit 1
)

select meeting_id from final order by meeting_id
