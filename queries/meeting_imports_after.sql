-- The imports (app, command line, entry forms) that wrote rows of some centers after a time: the candidates for what
-- changed a meeting's numbers after they were frozen. An import logged without a center counts for every center.
-- Grain: one row per import that added or updated rows.
-- Parameters: $after (timestamp) the freeze time; $centers (varchar[]) the meeting's centers.
with final as (
    select import_id, imported_at, user_name, source, files, added_count, updated_count
    from import_log
    where imported_at > $after::timestamp
      and added_count + updated_count > 0
      and (center is null or list_contains($centers::varchar[], center))
)

select * from final order by imported_at, import_id
