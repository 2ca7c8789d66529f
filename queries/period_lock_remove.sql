-- Unlock every locked month of a center up to and including $month_to (the first day of a month).
-- Grain: one row deleted per month unlocked; returns the months unlocked.
-- Parameters: $center (varchar), $month_to (date).
delete from period_locks
where center = $center and month <= $month_to::date
returning month
