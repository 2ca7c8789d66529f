-- The five tables of the data contract (docs: data contract, centers). Idempotent.
-- Every row belongs to a center (centers.center_code); identifiers are unique within a center, so every key
-- starts with `center` and every reference resolves within the same center.
-- Grain: residents one row per (center, resident); cases one per (center, legal-aid request); events one per
-- (center, activity held); staff one per (center, staff member); training one per (center, event, staff member).
create table if not exists residents (
    center varchar not null,
    resident_id varchar not null,
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
    ethnicity varchar,
    primary key (center, resident_id)
);

create table if not exists cases (
    center varchar not null,
    case_id varchar not null,
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
    notes varchar,
    primary key (center, case_id)
);

create table if not exists events (
    center varchar not null,
    event_id varchar not null,
    event_type varchar not null,
    activity varchar not null,
    held_on date not null,
    department varchar not null,
    title varchar not null,
    document_number varchar,
    participants integer,
    elderly_reached integer,
    notes varchar,
    primary key (center, event_id)
);

create table if not exists staff (
    center varchar not null,
    staff_id varchar not null,
    full_name varchar not null,
    department varchar not null,
    is_legal_aid_worker boolean not null,
    active_from date,
    active_to date,
    primary key (center, staff_id)
);

create table if not exists training (
    center varchar not null,
    event_id varchar not null,
    staff_id varchar not null,
    completed boolean not null default true,
    primary key (center, event_id, staff_id)
);
