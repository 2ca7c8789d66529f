-- One entry of an action's history: a dated progress note and/or a status change, with its author.
-- Grain: one row inserted.
-- Parameters: $action_id (bigint), $noted_on (date), $author (varchar), $note (varchar, null),
--             $status_before (varchar, null), $status_after (varchar, null).
insert into action_notes (action_id, noted_on, author, note, status_before, status_after)
values ($action_id, $noted_on, $author, $note, $status_before, $status_after)
