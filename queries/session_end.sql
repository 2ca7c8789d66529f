-- End one session (logout, or an expired one found in use).
-- Grain: deletes at most one row of sessions.
-- Parameters: $token_hash varchar (sha256 of the token).
delete from sessions where token_hash = $token_hash
