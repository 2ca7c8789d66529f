-- Remember one report setting: insert it, or replace the stored value of that key.
-- Grain: writes one row per setting key.
-- Parameters: $key varchar (setting key), $value varchar (its text).
insert into report_settings (key, value, updated_at)
values ($key::varchar, $value::varchar, current_timestamp)
on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
