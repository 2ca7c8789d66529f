-- Org units (docs/centers.md): centers with their province, and the center of the logs and the scope of accounts.
-- A fresh database gets the one center BTXH_BL; an upgraded one keeps its rows under it (db.upgrade_to_centers).
-- Idempotent.
-- Grain: centers one row per center.
create table if not exists centers (
    center_code varchar primary key,
    name varchar not null,
    province_code varchar not null,
    province_name varchar not null,
    is_demo boolean not null default false,
    created_at timestamp not null default current_timestamp
);

insert into centers (center_code, name, province_code, province_name)
select 'BTXH_BL', 'Trung tâm Bảo trợ Xã hội tỉnh Bạc Liêu', 'BL', 'Bạc Liêu'
where not exists (select 1 from centers);

alter table import_log add column if not exists center varchar;

alter table edit_log add column if not exists center varchar;

-- scope_kind: 'center' (scope_code = a center; can_bo keeps `department` as their unit in it), 'province'
-- (scope_code = a province: all its centers) or 'all' (scope_code null: every center).
alter table users add column if not exists scope_kind varchar;

alter table users add column if not exists scope_code varchar;

update users
set scope_kind = 'center', scope_code = (select min(center_code) from centers)
where scope_kind is null;
