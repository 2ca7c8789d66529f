-- Signed-in sessions (a reload or a second tab of the same browser stays signed in). Idempotent.
-- Grain: one row per live session. The browser holds only a random token in an HttpOnly, Secure,
-- SameSite=Strict cookie; the table holds its SHA-256, so a copy of the database cannot sign anyone in.
-- A row ends by logout, by a password change, by disabling the account, or by being idle longer than
-- PLANBOARD_SESSION_MINUTES (checked against last_seen_at at every use).
create table if not exists sessions (
    token_hash varchar primary key,
    username varchar not null,
    created_at timestamp not null,
    last_seen_at timestamp not null
);
