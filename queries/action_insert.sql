-- A new action decided at a meeting; returns its id.
-- Grain: one row inserted.
-- Parameters: $meeting_id (bigint), $center (varchar) the owner unit's center, $action_text (varchar),
--             $activity (varchar, null), $indicator (varchar, null), $owner_unit (varchar), $owner_person (varchar,
--             null), $due_on (date), $created_by (varchar).
insert into actions (meeting_id, center, action_text, activity, indicator, owner_unit, owner_person, due_on,
                     created_by)
values ($meeting_id, $center, $action_text, $activity, $indicator, $owner_unit, $owner_person, $due_on, $created_by)
returning action_id
