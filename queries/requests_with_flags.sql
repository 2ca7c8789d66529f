-- The legal-aid requests behind activity 3: requests received in [$period_start, $period_end], each with the flags
-- of the A3 definitions at $period_end: eligible (resident elderly and meritorious / poor household / financial
-- hardship on requested_on), priority (priority set, or resident meritorious or a victim of violence/abuse),
-- withdrawn (rut_yeu_cau closed by $period_end), served (accepted by $period_end, no fee, not refused). Status and
-- dates as of $period_end (requests_as_of: nothing later shown as happened). No personal names. Eligibility and
-- priority as stored per request in case_facts (schema/050: no join with residents). The requests and "served" are
-- the register's (requests_filtered, schema/051) with no filter but the unit.
-- Grain: one row per request (center, case_id, requested_on, department, legal_field, aid_form, priority, status,
-- accepted_on, closed_on, is_eligible, is_priority, is_withdrawn, is_served).
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan year),
--             $period_end date (the as-of date), $department varchar (receiving unit code, null = all units),
--             $shown_from date, $shown_to date (the rows returned: received in this part of the period, flags still at
--             $period_end), $row_limit integer (the first rows in the order below, null = all). Every row also carries
--             the counts of all rows returned without the limit: row_count, counted_count (eligible and not withdrawn:
--             the A3 denominator) and served_count (of those, served free).
with flagged as (
    select
        center,
        case_id,
        requested_on,
        department,
        legal_field,
        aid_form,
        priority,
        status,
        accepted_on,
        closed_on,
        is_eligible,
        is_priority,
        coalesce(status = 'rut_yeu_cau' and closed_on <= $period_end::date, false) as is_withdrawn,
        is_served
    from requests_filtered($centers::varchar[],
                           $period_start::date, $period_end::date, $period_end::date, $department::varchar,
                           []::varchar[], []::varchar[], []::varchar[], []::varchar[], []::varchar[], null, null)
    where requested_on between $shown_from::date and $shown_to::date
),

totals as (
    select
        count(*) as row_count,
        count(*) filter (where is_eligible and not is_withdrawn) as counted_count,
        count(*) filter (where is_eligible and not is_withdrawn and is_served) as served_count
    from flagged
),

final as (
    select flagged.*, totals.*
    from flagged
    cross join totals
)

select * from final order by requested_on, center, case_id limit $row_limit::integer
