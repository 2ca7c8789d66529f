-- Enable or disable an account (its failures and lock cleared).
-- Grain: updates at most one row of users; returns the username when the account exists.
-- Parameters: $username varchar, $is_active boolean.
update users
set is_active = $is_active, failed_count = 0, locked_until = null, updated_at = current_timestamp
where username = $username
returning username
