-- Add a center, or rename it and its province (the code never changes: rows and plans name it).
-- Grain: writes one row of centers.
-- Parameters: $center_code varchar, $name varchar, $province_code varchar, $province_name varchar,
--             $is_demo boolean.
insert into centers (center_code, name, province_code, province_name, is_demo)
values ($center_code, $name, $province_code, $province_name, $is_demo)
on conflict (center_code) do update set
    name = excluded.name,
    province_code = excluded.province_code,
    province_name = excluded.province_name
