-- The legal-aid requests behind activity 3: requests received in [$period_start, $period_end], each with the flags
-- of the A3 definitions at $period_end: eligible (resident elderly and meritorious / poor household / financial
-- hardship on requested_on), priority (priority set, or resident meritorious or a victim of violence/abuse),
-- withdrawn (rut_yeu_cau closed by $period_end), served (accepted by $period_end, no fee, not refused). Status and
-- dates as of $period_end (requests_as_of: nothing later shown as happened). No personal names. Eligibility and
-- priority as stored per request in case_facts (schema/050: no join with residents).
-- Grain: one row per request (center, case_id, requested_on, department, legal_field, aid_form, priority, status,
-- accepted_on, closed_on, is_eligible, is_priority, is_withdrawn, is_served).
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan year),
--             $period_end date (the as-of date), $department varchar (receiving unit code, null = all units),
--             $shown_from date, $shown_to date (the rows returned: received in this part of the period, flags still at
--             $period_end), $row_limit integer (the first rows in the order below, null = all). Every row also carries
--             the counts of all rows returned without the limit: row_count, counted_count (eligible and not withdrawn:
--             the A3 denominator) and served_count (of those, served free).
with requests as (
    select
        cases.center,
        cases.case_id,
        cases.requested_on,
        cases.department,
        cases.legal_field,
        cases.aid_form,
        cases.priority,
        cases.status,
        cases.accepted_on,
        cases.closed_on,
        cases.fee_charged,
        cases.is_eligible,
        cases.is_priority
    from requests_as_of($period_end::date, p_source := 'case_facts') as cases
    where cases.has_resident
      and list_contains($centers::varchar[], cases.center)
      and cases.requested_on between $period_start::date and $period_end::date
      and ($department::varchar is null or cases.department = $department::varchar)
),

flagged as (
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
        coalesce(accepted_on <= $period_end::date and fee_charged = 0 and status <> 'tu_choi', false) as is_served
    from requests
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
