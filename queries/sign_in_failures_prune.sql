-- Drop failures older than the longest wait (a wait never outlasts the lockout, so they say nothing any more): the
-- table holds recent guessing only, however many made-up names a flood types.
-- Grain: deletes rows of sign_in_failures. Parameters: $before double (seconds since the epoch).
delete from sign_in_failures
where last_at < $before
