-- The remembered report settings (keys without a row take their defaults in planboard/reports/settings.py).
-- Grain: one row per stored setting key.
-- Parameters: none.
with final as (
    select key, value, updated_at
    from report_settings
)

select * from final order by key
