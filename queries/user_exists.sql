-- Whether an account of this name exists (a row) or not (no row).
-- Grain: at most one row.
-- Parameters: $username varchar (lower case).
select 1 as has_user from users where username = $username
