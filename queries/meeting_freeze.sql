-- Mark a meeting frozen, once: a meeting already frozen is left as it is and no row is returned.
-- Grain: at most one row updated.
-- Parameters: $meeting_id (bigint), $frozen_by (varchar), $data_version (bigint) the version the numbers were read at.
update meetings
set frozen_at = current_timestamp, frozen_by = $frozen_by, data_version = $data_version
where meeting_id = $meeting_id and frozen_at is null
returning frozen_at
