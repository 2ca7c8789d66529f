-- The edit log: every record saved or deleted through the app's entry forms, with its values before and after. Idempotent.
-- Grain: one row per edit (insert, update or delete of one record).
create sequence if not exists edit_log_seq;

create table if not exists edit_log (
    edit_id bigint primary key default nextval('edit_log_seq'),
    edited_at timestamp not null default current_timestamp,
    user_name varchar,
    table_name varchar not null,
    record_id varchar not null,
    action varchar not null check (action in ('insert', 'update', 'delete')),
    before_json varchar,
    after_json varchar
);
