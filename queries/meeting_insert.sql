-- A new meeting (not yet frozen); returns its id.
-- Grain: one row inserted.
-- Parameters: $scope_kind ('center' | 'province'), $scope_code (varchar), $held_on (date), $title (varchar),
--             $chair (varchar), $attendees (varchar), $as_of (date), $notes (varchar), $created_by (varchar).
insert into meetings (scope_kind, scope_code, held_on, title, chair, attendees, as_of, notes, created_by)
values ($scope_kind, $scope_code, $held_on, $title, $chair, $attendees, $as_of, $notes, $created_by)
returning meeting_id
