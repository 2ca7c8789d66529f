-- Accounts and the audit trail (access control). Idempotent.
-- Grain: users one row per account; audit_log one row per audited action (login ok/failed, import, edit,
-- export of personal data, user change).
create table if not exists users (
    username varchar primary key,
    full_name varchar not null,
    role varchar not null,
    department varchar,
    password_hash varchar not null,
    is_active boolean not null default true,
    failed_count integer not null default 0,
    locked_until timestamp,
    is_demo boolean not null default false,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
);

create sequence if not exists audit_log_seq;

create table if not exists audit_log (
    audit_id bigint primary key default nextval('audit_log_seq'),
    logged_at timestamp not null default current_timestamp,
    username varchar,
    action varchar not null,
    is_ok boolean not null default true,
    detail varchar
);
