-- An account with what signing in checks: its password hash and whether it is enabled.
-- Grain: at most one row.
-- Parameters: $username varchar.
select username, full_name, role, department, password_hash, is_active, scope_kind, scope_code
from users
where username = $username
