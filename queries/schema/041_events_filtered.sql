-- events_filtered(...): the events of a period, filtered, written once as a table macro: every query that reads the
-- events held in a period (the register, its key numbers, timeline and month table, an activity's events, the
-- explore dataset, the unit grid, the brief's campaigns) selects them here, the same way. Idempotent.
-- Grain: one row per event (center, event_id) held in [p_period_start, p_period_end] that passes every filter (all
-- columns of events).
-- Parameters: p_centers varchar[] (the centers shown), p_period_start date, p_period_end date,
--             p_department varchar (null = all), p_activities varchar[], p_event_types varchar[] (empty = all).
create or replace macro events_filtered(p_centers, p_period_start, p_period_end, p_department, p_activities,
                                        p_event_types) as table
select *
from events
where list_contains(p_centers::varchar[], center)
  and held_on between p_period_start::date and p_period_end::date
  and (p_department::varchar is null or department = p_department::varchar)
  and (len(p_activities::varchar[]) = 0 or list_contains(p_activities::varchar[], activity))
  and (len(p_event_types::varchar[]) = 0 or list_contains(p_event_types::varchar[], event_type));
