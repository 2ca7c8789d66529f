-- Failed sign-ins in a row per (client address, name typed), which the sign-in throttle reads (auth.login). In the
-- database, not in one server's memory, so every app server of a shared install (and a restart) sees the same count.
-- Grain: one row per (client, username) with a failure since its last success. Idempotent.
create table if not exists sign_in_failures (
    client varchar not null,
    username varchar not null,
    failures integer not null,
    last_at double precision not null,  -- seconds since the epoch (auth._clock) of the last failure
    primary key (client, username)
);
