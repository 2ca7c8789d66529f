-- After a right password: failures and lock cleared, and the hash replaced when argon2's settings changed
-- (null keeps the stored one).
-- Grain: updates at most one row of users.
-- Parameters: $username varchar, $password_hash varchar (a new hash, or null to keep the stored one).
update users
set password_hash = coalesce($password_hash, password_hash), failed_count = 0, locked_until = null
where username = $username
