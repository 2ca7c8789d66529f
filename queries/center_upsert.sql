-- Add a center, or rename it and its province (the code never changes: rows and plans name it).
-- A MERGE, not ON CONFLICT: in the shared mode centers live in the lake, which holds no key to conflict on.
-- Grain: writes one row of centers.
-- Parameters: $center_code varchar, $name varchar, $province_code varchar, $province_name varchar,
--             $is_demo boolean.
merge into centers
using (
    select
        $center_code::varchar as center_code,
        $name::varchar as name,
        $province_code::varchar as province_code,
        $province_name::varchar as province_name,
        $is_demo::boolean as is_demo
) as given
    on centers.center_code = given.center_code
when matched then update set
    name = given.name,
    province_code = given.province_code,
    province_name = given.province_name
when not matched then insert (center_code, name, province_code, province_name, is_demo)
values (given.center_code, given.name, given.province_code, given.province_name, given.is_demo)
