-- The most recent imports (app, command line or entry form), newest first: who, when, files, sha256, counts.
-- Grain: one row per import.
-- Parameters: $limit (integer) how many imports to return.
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
        counts_json
    from import_log
),

final as (
    select * from recent
    order by import_id desc
    limit $limit
)

select * from final order by import_id desc
