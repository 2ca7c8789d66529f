-- Mark a session as used now (it stays alive for another idle period).
-- Grain: updates at most one row of sessions.
-- Parameters: $token_hash varchar (sha256 of the token), $now timestamp.
update sessions set last_seen_at = $now where token_hash = $token_hash
