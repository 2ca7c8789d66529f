-- Accounts for the user-management page (never the password hash).
-- Grain: one row per account.
-- Parameters: none.
with final as (
    select username, full_name, role, department, scope_kind, scope_code, is_active, failed_count, locked_until, is_demo, created_at,
           updated_at
    from users
)

select * from final order by username
