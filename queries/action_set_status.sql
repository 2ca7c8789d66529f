-- Move an action to a status (its history row is written beside it by planboard/actions.py).
-- Grain: at most one row updated.
-- Parameters: $action_id (bigint), $status (varchar).
update actions
set status = $status, updated_at = current_timestamp
where action_id = $action_id
