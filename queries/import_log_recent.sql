-- The most recent imports (app, command line or entry form), newest first: who, when, files, sha256, counts.
-- Grain: one row per import.
-- Parameters: $limit (integer) how many imports to return; $centers varchar[] the centers whose imports to show
--             (null = every center): an import shows when any of its centers (comma-separated) is one of them; one
--             logged before centers existed (center null) shows to everyone.
with recent as (
    select
        import_id,
        imported_at,
        user_name,
        source,
        files,
        sha256,
        added_count,
        updated_count,
        unchanged_count,
        counts_json,
        center
    from import_log
    where $centers::varchar[] is null or center is null
       or list_has_any(string_split(center, ','), $centers::varchar[])
),

final as (
    select * from recent
    order by import_id desc
    limit $limit
)

select * from final order by import_id desc
