-- A new annotation of one center's activity or indicator; returns its id.
-- Grain: one row inserted.
-- Parameters: $center (varchar), $noted_on (date) the day it is about, $activity (varchar), $indicator (varchar, null
--             = the whole activity), $note (varchar), $author (varchar).
insert into annotations (center, noted_on, activity, indicator, note, author)
values ($center, $noted_on, $activity, $indicator, $note, $author)
returning annotation_id
