-- case_facts: each legal-aid request with what A3 needs of its resident, decided once per data version: whether the
-- resident was eligible on requested_on (elderly and meritorious / poor household / financial hardship) and whether
-- the request is a priority one (priority set, or the resident is meritorious or a victim of violence/abuse). Both
-- depend only on the request and its resident, never on the as-of date, so the 400k × 1.2M join at 10,000 centres
-- runs once per write instead of once per indicator, as-of date and unit. `case_facts_live()` is the one definition, the table its stored copy, made again
-- when the database is opened and what it reads has changed (db.ensure_derived: rows written by another tool are picked up at the next start) and by
-- db.bump_data_version, which runs this file inside every writing transaction. Idempotent.
-- Grain: one row per request (center, case_id, resident_id, department, requested_on, accepted_on, closed_on, status,
-- fee_charged, is_eligible, is_priority; a request whose resident is missing is neither eligible nor, unless its
-- priority is set, a priority one), so request counts read it too (queries/request_measures_by_as_of.sql).
-- Parameters: none.
create or replace macro case_facts_live() as table
select
    cases.center,
    cases.case_id,
    cases.resident_id,
    cases.department,
    cases.requested_on,
    cases.accepted_on,
    cases.closed_on,
    cases.status,
    cases.fee_charged,
    coalesce(is_eligible_on(residents.birth_date, cases.requested_on, residents.is_meritorious,
                            residents.is_poor_household, residents.has_financial_hardship), false) as is_eligible,
    coalesce(is_priority_request(cases.priority, residents.is_meritorious, residents.is_violence_victim),
             false) as is_priority
from cases
left join residents on residents.center = cases.center and residents.resident_id = cases.resident_id;

create or replace table case_facts as select * from case_facts_live();
