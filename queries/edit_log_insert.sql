-- Log one record saved or deleted through an entry form, in the same transaction as the change.
-- Grain: writes one row of edit_log.
-- Parameters: $user_name varchar (the signed-in account), $center varchar (the record's center),
--             $table_name varchar (residents, cases, events, staff or training), $record_id varchar (its key,
--             'E1 / S1' for a training row), $action varchar (insert, update or delete),
--             $before_json varchar, $after_json varchar (the record's values as JSON, null for none),
--             $edit_id bigint, $edited_at timestamp (db.log_ids: the next id of edit_log_seq, the transaction's
--             time; given, not defaults, because the shared lake has neither sequences nor defaults).
insert into edit_log (edit_id, edited_at, user_name, center, table_name, record_id, action, before_json, after_json)
values ($edit_id, $edited_at, $user_name, $center, $table_name, $record_id, $action, $before_json, $after_json)
