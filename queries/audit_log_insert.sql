-- Append one row to the audit trail: who did what, whether it succeeded, details as JSON.
-- Grain: writes one row of audit_log.
-- Parameters: $username varchar (who, null when unknown), $action varchar (login, user_add, ...),
--             $is_ok boolean (it succeeded), $detail varchar (JSON object of details, null for none).
insert into audit_log (username, action, is_ok, detail)
values ($username, $action, $is_ok, $detail)
