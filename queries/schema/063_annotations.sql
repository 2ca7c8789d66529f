-- Annotations (docs/meetings.md): a dated note on an activity, or on one of its indicators, of one center ("đợt cao
-- điểm 06/6", "thiếu cán bộ tháng 7"), drawn as a marker on that indicator's charts and listed with the records of
-- its date. Rows are only inserted. Idempotent.
-- Grain: one row per annotation; indicator null = the whole activity (every indicator of it).
create sequence if not exists annotation_seq;

create table if not exists annotations (
    annotation_id bigint primary key default nextval('annotation_seq'),
    center varchar not null,
    noted_on date not null,
    activity varchar not null,
    indicator varchar,
    note varchar not null,
    author varchar,
    created_at timestamp not null default current_timestamp
);
