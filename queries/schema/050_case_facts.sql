-- case_facts: each legal-aid request with what the pages and A3 need of its resident, decided once per data version:
-- whether the resident was eligible on requested_on (elderly and meritorious / poor household / financial hardship),
-- whether the request is a priority one (priority set, or the resident is meritorious or a victim of violence/abuse),
-- and the resident's sex, age on requested_on and art. 7 groups. All of it depends only on the request and its
-- resident, never on the as-of date, so the 400k × 1.2M join at 10,000 centres runs once per write instead of once
-- per indicator, as-of date, unit and requests-page query (the page reads requests_as_of(…, 'case_facts'): every
-- column of cases is here too). `case_facts_live()` is the one definition, the table its stored copy, made again
-- when the database is opened and what it reads has changed (db.ensure_derived: rows written by another tool are
-- picked up at the next start) and by db.bump_data_version, which runs this file inside every writing transaction.
-- Idempotent.
-- Grain: one row per request: every column of cases, then has_resident (its resident, in the same center, exists),
-- is_eligible, is_priority, gender, age_at_request, is_meritorious, is_poor_household, has_financial_hardship (a
-- request whose resident is missing is neither eligible nor, unless its priority is set, a priority one; its
-- resident's columns are empty), so request counts read it too (queries/request_measures_by_as_of.sql).
-- Parameters: none.
create or replace macro case_facts_live() as table
select
    cases.*,
    residents.resident_id is not null as has_resident,
    coalesce(is_eligible_on(residents.birth_date, cases.requested_on, residents.is_meritorious,
                            residents.is_poor_household, residents.has_financial_hardship), false) as is_eligible,
    coalesce(is_priority_request(cases.priority, residents.is_meritorious, residents.is_violence_victim),
             false) as is_priority,
    residents.gender,
    age_on(residents.birth_date, cases.requested_on) as age_at_request,
    residents.is_meritorious,
    residents.is_poor_household,
    residents.has_financial_hardship
from cases
left join residents on residents.center = cases.center and residents.resident_id = cases.resident_id;

create or replace table case_facts as select * from case_facts_live();

-- request_days: A3's and the request count's changes per day, made from case_facts with it (same rule, same writes),
-- so the request measures (queries/request_measures_by_as_of.sql) sum a few rows per day up to each as-of date instead
-- of grouping every request per resident at every as-of date (400k requests at 10,000 centres' worth of data). Each
-- request counts in the plan year it was asked in, from requested_on; an eligible one counts in A3 until it is
-- withdrawn (status rut_yeu_cau, from closed_on) and is served free from accepted_on (fee_charged 0, status not
-- tu_choi); a resident counts as a person while one of their requests counts, and as a fully served one while all
-- of those are served. Every such change is one row's delta here, for every unit (department null) and for the
-- request's own unit, for all requests and for the priority ones (priority_only).
-- Grain: one row per center, year (of requested_on), department (null = every unit), priority_only and day with a
-- change: requested (new requests; in the priority_only = false rows only), counted, served, persons,
-- served_persons (each the change on that day: the level at D is the sum of the changes up to D).
create or replace table request_days as
with requests as (
    select
        center,
        department,
        resident_id,
        year(requested_on) as year,
        requested_on,
        is_eligible,
        is_priority,
        -- (greatest ignores an empty date: each is empty when its date is)
        case when fee_charged = 0 and status <> 'tu_choi' and accepted_on is not null
            then greatest(accepted_on, requested_on) end as served_from,
        case when status = 'rut_yeu_cau' and closed_on is not null then greatest(closed_on, requested_on) end
            as counted_until
    from case_facts
    where requested_on is not null
),

scoped as (  -- each request under every unit and under its own one
    select null::varchar as scope, * from requests
    union all
    select department as scope, * from requests where department is not null
),

counted as (  -- the eligible requests A3 counts: all of them, and the priority ones again
    select scope, center, year, resident_id, requested_on, served_from, counted_until, false as priority_only
    from scoped
    where is_eligible
    union all
    select scope, center, year, resident_id, requested_on, served_from, counted_until, true as priority_only
    from scoped
    where is_eligible and is_priority
),

-- a resident with one request in the scope is a person exactly while that request counts, and a fully served one while
-- it is served: the request's own changes, no window. Residents with more requests (their changes below) need the
-- levels of all of theirs after each day.
shared as (
    select scope, center, year, priority_only, resident_id
    from counted
    group by scope, center, year, priority_only, resident_id
    having count(*) > 1
),

marked as (
    select counted.*, shared.resident_id is null as single
    from counted
    left join shared
        on shared.scope is not distinct from counted.scope  -- (null: every unit)
        and shared.center = counted.center
        and shared.year = counted.year
        and shared.priority_only = counted.priority_only
        and shared.resident_id = counted.resident_id
),

changes as (  -- counting (c) from requested_on until withdrawn; served and counting (s) from served_from until then
    select scope, center, year, priority_only, resident_id, single, requested_on as day, 1 as c, 0 as s from marked
    union all
    select scope, center, year, priority_only, resident_id, single, counted_until, -1, 0
    from marked
    where counted_until is not null
    union all
    select scope, center, year, priority_only, resident_id, single, served_from, 0, 1
    from marked
    where served_from is not null
    union all
    select scope, center, year, priority_only, resident_id, single, greatest(served_from, counted_until), 0, -1
    from marked
    where served_from is not null and counted_until is not null
),

resident_levels as (  -- the other residents' counting and served requests after each day of change (before it: less
    -- that day's c and s)
    select
        scope,
        center,
        year,
        priority_only,
        day,
        sum(c) as c,
        sum(s) as s,
        sum(sum(c)) over resident as counting,
        sum(sum(s)) over resident as served
    from changes
    where not single
    group by scope, center, year, priority_only, resident_id, day
    window resident as (partition by scope, center, year, priority_only, resident_id order by day)
),

resident_changes as (  -- whether the resident is a person, and a fully served one, after the day less before it
    select scope, center, year, priority_only, day, c, s, c as persons, s as served_persons
    from changes
    where single
    union all
    select
        scope, center, year, priority_only, day, c, s,
        (counting > 0)::integer - (counting - c > 0)::integer,
        (counting > 0 and served = counting)::integer - (counting - c > 0 and served - s = counting - c)::integer
    from resident_levels
),

all_changes as (
    select scope, center, year, priority_only, day, 0 as requested, c, s, persons, served_persons
    from resident_changes
    union all
    select scope, center, year, false, requested_on, 1, 0, 0, 0, 0 from scoped
)

select
    center,
    year,
    scope as department,
    priority_only,
    day,
    sum(requested)::bigint as requested,
    sum(c)::bigint as counted,
    sum(s)::bigint as served,
    sum(persons)::bigint as persons,
    sum(served_persons)::bigint as served_persons
from all_changes
group by center, year, scope, priority_only, day;

-- training_courses: each training row with its event's type and date (the training event it names, in its center), made
-- with case_facts once per data version, so "trained" (the staff_courses macro, schema/052) reads one table instead of
-- joining every training row with every event at each call (120k x 630k rows at 10,000 centres' worth of data).
-- Grain: one row per training row whose event exists (center, staff_id, event_id, completed, event_type, held_on).
create or replace table training_courses as
select training.center, training.staff_id, training.event_id, training.completed, events.event_type, events.held_on
from training
join events on events.center = training.center and events.event_id = training.event_id;

-- event_days: the events of each center per day and type with the elderly they reached, for every unit (department
-- null) and per unit, made with case_facts once per data version, so the event measures
-- (queries/event_measures_by_as_of.sql) read a few rows per day instead of every event at each call.
-- Grain: one row per center, department (null = every unit), event_type and held_on with an event (event_count,
-- elderly_reached: the sum of elderly_reached, empty = 0).
create or replace table event_days as
with scoped as (  -- each event under every unit and under its own one
    select null::varchar as scope, center, event_type, held_on, elderly_reached from events
    union all
    select department, center, event_type, held_on, elderly_reached from events where department is not null
)

select
    center,
    scope as department,
    event_type,
    held_on,
    count(*) as event_count,
    sum(coalesce(elderly_reached, 0)) as elderly_reached
from scoped
where held_on is not null
group by center, scope, event_type, held_on;
