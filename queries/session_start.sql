-- Start a signed-in session (the token's hash only; the token itself stays in the browser's cookie).
-- Grain: writes one row of sessions.
-- Parameters: $token_hash varchar (sha256 of the token), $username varchar, $now timestamp (started and last seen).
insert into sessions (token_hash, username, created_at, last_seen_at)
values ($token_hash, $username, $now, $now)
