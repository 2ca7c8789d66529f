-- Decisions and actions of the monthly meeting (docs/meetings.md) and their dated progress notes (the history: who
-- wrote what when, and any status change it made). Idempotent.
-- Grain: actions one row per action; action_notes one row per note or status change of an action.
create sequence if not exists action_seq;

create table if not exists actions (
    action_id bigint primary key default nextval('action_seq'),
    meeting_id bigint not null,
    center varchar not null,
    action_text varchar not null,
    activity varchar,
    indicator varchar,
    owner_unit varchar not null,
    owner_person varchar,
    due_on date not null,
    status varchar not null default 'chua_thuc_hien'
        check (status in ('chua_thuc_hien', 'dang_thuc_hien', 'hoan_thanh', 'huy')),
    created_by varchar,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
);

create sequence if not exists action_note_seq;

create table if not exists action_notes (
    note_id bigint primary key default nextval('action_note_seq'),
    action_id bigint not null,
    noted_on date not null,
    noted_at timestamp not null default current_timestamp,
    author varchar,
    note varchar,
    status_before varchar,
    status_after varchar
);
