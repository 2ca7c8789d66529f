-- The five tables of the data contract (shared/spec/data-contract.md). Idempotent.
-- Grain: residents one row per resident; cases one per legal-aid request; events one per activity held;
-- staff one per staff member; training one per (event, staff member).
create table if not exists residents (
    resident_id varchar primary key,
    full_name varchar not null,
    gender varchar not null,
    birth_date date not null,
    admitted_on date not null,
    left_on date,
    department varchar not null default 'CSKC',
    is_meritorious boolean not null default false,
    is_poor_household boolean not null default false,
    has_financial_hardship boolean not null default false,
    is_violence_victim boolean not null default false,
    ethnicity varchar
);

create table if not exists cases (
    case_id varchar primary key,
    resident_id varchar not null,
    requested_on date not null,
    department varchar not null,
    legal_field varchar not null,
    aid_form varchar,
    priority varchar,
    provider varchar,
    referred_on date,
    accepted_on date,
    closed_on date,
    status varchar not null,
    fee_charged bigint not null default 0,
    notes varchar
);

create table if not exists events (
    event_id varchar primary key,
    event_type varchar not null,
    activity varchar not null,
    held_on date not null,
    department varchar not null,
    title varchar not null,
    document_number varchar,
    participants integer,
    elderly_reached integer,
    notes varchar
);

create table if not exists staff (
    staff_id varchar primary key,
    full_name varchar not null,
    department varchar not null,
    is_legal_aid_worker boolean not null,
    active_from date,
    active_to date
);

create table if not exists training (
    event_id varchar not null,
    staff_id varchar not null,
    completed boolean not null default true,
    primary key (event_id, staff_id)
);
