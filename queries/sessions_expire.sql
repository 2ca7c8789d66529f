-- End every session idle since before the cut (run when a session starts, so the table stays small).
-- Grain: deletes the rows of sessions last seen before $cut.
-- Parameters: $cut timestamp (now minus the idle limit).
delete from sessions where last_seen_at < $cut
