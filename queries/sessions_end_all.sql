-- End every session of an account except one (its own tab after a password change; '' keeps none).
-- Grain: deletes the account's rows of sessions; returns one row per session ended.
-- Parameters: $username varchar, $keep_hash varchar (sha256 of the token to keep, '' for none).
delete from sessions where username = $username and token_hash <> $keep_hash returning 1 as ended
