-- Count one more failed sign-in of (client, name typed) at $at.
-- Grain: inserts or updates one row of sign_in_failures.
-- Parameters: $client varchar, $username varchar, $at double (seconds since the epoch).
insert into sign_in_failures (client, username, failures, last_at)
values ($client, $username, 1, $at)
on conflict (client, username) do update set failures = sign_in_failures.failures + 1, last_at = excluded.last_at
