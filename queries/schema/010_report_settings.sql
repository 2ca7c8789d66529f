-- Report settings remembered between sessions (report number, signer, recipients, free-text sections). Idempotent.
-- Grain: one row per setting key (planboard/reports/settings.py lists the keys).
create table if not exists report_settings (
    key varchar primary key,
    value varchar not null,
    updated_at timestamp not null default current_timestamp
);
