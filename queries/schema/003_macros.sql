-- Shared definitions from the data contract as macros, so every query computes them the same way. Idempotent.
-- age_on(b, d): age in completed years on d of a person born b (a 29 February birthday is reached on 1 March).
create or replace macro age_on(b, d) as
    year(d) - year(b) - case when month(d) * 100 + day(d) < month(b) * 100 + day(b) then 1 else 0 end;

-- is_eligible_on: elderly (age >= 60) and meritorious, poor household or financial hardship (Law on Legal Aid art. 7).
create or replace macro is_eligible_on(b, d, meritorious, poor, hardship) as
    age_on(b, d) >= 60 and (meritorious or poor or hardship);

-- is_priority_request: a priority legal-aid request (A3_UU_TIEN): its priority is set, or its resident is
-- meritorious or a victim of violence/abuse.
create or replace macro is_priority_request(priority, meritorious, violence_victim) as
    coalesce(priority, '') <> '' or meritorious or violence_victim;
