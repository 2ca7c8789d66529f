-- Bookkeeping: the import log and a data version that every write bumps (page caches key on it). Idempotent.
-- Grain: import_log one row per import; meta one row per key.
create sequence if not exists import_log_seq;

create table if not exists import_log (
    import_id bigint primary key default nextval('import_log_seq'),
    imported_at timestamp not null default current_timestamp,
    user_name varchar,
    source varchar not null,
    files varchar not null,
    sha256 varchar not null,
    added_count bigint not null,
    updated_count bigint not null,
    unchanged_count bigint not null,
    counts_json varchar not null
);

create table if not exists meta (
    key varchar primary key,
    value varchar not null
);

insert into meta (key, value) values ('data_version', '0') on conflict do nothing;
