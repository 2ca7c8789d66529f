-- How many accounts exist (none: the first start asks for an administrator).
-- Grain: one row.
-- Parameters: none.
select count(*) as user_count from users
