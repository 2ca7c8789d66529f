-- Period locks (docs/meetings.md, "khóa số liệu"): the months of a center whose records may no longer be added,
-- changed or deleted (planboard/locks.py), with who locked them, when, and after which meeting. Idempotent.
-- Grain: one row per (center, locked month); month = the month's first day.
create table if not exists period_locks (
    center varchar not null,
    month date not null,
    locked_at timestamp not null default current_timestamp,
    locked_by varchar,
    meeting_id bigint,
    primary key (center, month)
);
