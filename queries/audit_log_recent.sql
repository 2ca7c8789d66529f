-- The most recent audit rows, newest first, optionally for one action.
-- Grain: one row per audited action.
-- Parameters: $action varchar (null = every action), $row_limit integer (how many rows at most).
with final as (
    select audit_id, logged_at, username, action, is_ok, detail
    from audit_log
    where ($action::varchar is null or action = $action::varchar)
)

select * from final order by logged_at desc, audit_id desc limit $row_limit::integer
