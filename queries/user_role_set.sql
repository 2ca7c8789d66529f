-- Change an account's role and unit.
-- Grain: updates at most one row of users; returns the username when the account exists.
-- Parameters: $username varchar, $role varchar, $department varchar (unit code, null for none).
update users
set role = $role, department = $department, updated_at = current_timestamp
where username = $username
returning username
