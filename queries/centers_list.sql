-- Every center with its province, for pickers, scopes and the command line.
-- Grain: one row per center, ordered by province then center code.
-- Parameters: none.
with final as (
    select center_code, name, province_code, province_name, is_demo
    from centers
)

select * from final order by province_code, center_code
