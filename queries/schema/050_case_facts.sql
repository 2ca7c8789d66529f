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
