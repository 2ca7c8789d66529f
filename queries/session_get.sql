-- The account of a session and when it was last used.
-- Grain: at most one row.
-- Parameters: $token_hash varchar (sha256 of the token).
select username, last_seen_at from sessions where token_hash = $token_hash
