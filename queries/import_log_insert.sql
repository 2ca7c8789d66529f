-- Log one import (app, command line or entry form) in the same transaction as its rows.
-- Grain: writes one row of import_log.
-- Parameters: $user_name varchar (the signed-in account or the command line's --user, null if none),
--             $source varchar (app, cli, form, ...), $files varchar (JSON list of file names),
--             $sha256 varchar (the files' hashes, comma-separated), $added_count, $updated_count,
--             $unchanged_count bigint (rows over all tables), $counts_json varchar ({table: counts} as JSON),
--             $center varchar (the import's center(s), comma-separated when the files named several),
--             $import_id bigint, $imported_at timestamp (db.log_ids: the next id of import_log_seq, the
--             transaction's time; given, not defaults, because the shared lake has neither sequences nor defaults).
insert into import_log (
    import_id, imported_at, user_name, source, files, sha256, added_count, updated_count, unchanged_count,
    counts_json, center
)
values (
    $import_id, $imported_at, $user_name, $source, $files, $sha256, $added_count, $updated_count, $unchanged_count,
    $counts_json, $center
)
