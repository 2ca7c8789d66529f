-- The failed sign-ins in a row of one (client, name typed), for the throttle's wait.
-- Grain: at most one row. Parameters: $client varchar, $username varchar.
select failures, last_at
from sign_in_failures
where client = $client and username = $username
