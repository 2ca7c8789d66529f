-- The monthly meeting (docs/meetings.md): meetings of a center or a province, and the numbers frozen when a meeting
-- is held. Frozen rows are only ever inserted (planboard/meetings.py never updates or deletes them). Idempotent.
-- Grain: meetings one row per meeting; meeting_numbers one row per (meeting, center or roll-up, unit or the center
-- level, indicator).
create sequence if not exists meeting_seq;

create table if not exists meetings (
    meeting_id bigint primary key default nextval('meeting_seq'),
    scope_kind varchar not null check (scope_kind in ('center', 'province')),
    scope_code varchar not null,
    held_on date not null,
    title varchar not null,
    chair varchar,
    attendees varchar,
    as_of date not null,
    notes varchar,
    created_by varchar,
    created_at timestamp not null default current_timestamp,
    frozen_at timestamp,
    frozen_by varchar,
    data_version bigint
);

-- center null: the roll-up of a province meeting; department null: the center level (Toàn Trung tâm).
create table if not exists meeting_numbers (
    meeting_id bigint not null,
    position integer not null,
    center varchar,
    department varchar,
    indicator varchar not null,
    activity varchar not null,
    value double,
    numerator bigint not null,
    denominator bigint,
    expected_now double,
    target_year double,
    status varchar not null,
    data_version bigint not null,
    frozen_at timestamp not null,
    primary key (meeting_id, position)
);
