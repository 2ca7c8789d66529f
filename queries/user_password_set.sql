-- Set an account's password: its failures and lock are cleared, and it is no demo account any more.
-- Grain: updates at most one row of users; returns the username when the account exists.
-- Parameters: $username varchar, $password_hash varchar (argon2).
update users
set password_hash = $password_hash, failed_count = 0, locked_until = null, is_demo = false,
    updated_at = current_timestamp
where username = $username
returning username
