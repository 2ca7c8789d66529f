-- The event ids of one center for the entry form's pickers, newest first (a training row needs a training event).
-- Grain: one row per event.
-- Parameters: $center varchar (center code), $event_type varchar (one event type, null = every type).
select event_id
from events
where center = $center
  and ($event_type::varchar is null or event_type = $event_type::varchar)
order by held_on desc, event_id
