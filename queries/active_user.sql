-- An enabled account as the app knows a signed-in user (never the password hash).
-- Grain: at most one row.
-- Parameters: $username varchar.
select username, full_name, role, department, scope_kind, scope_code
from users
where username = $username and is_active
