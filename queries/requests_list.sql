-- Legal-aid requests with requested_on in [$period_start, $period_end] for the report's records sheet, with the
-- resident's name and priority flags (personal columns: the caller masks them by role, planboard/privacy.py);
-- status and dates as of $period_end (requests_as_of: nothing later shown as happened).
-- Grain: one row per request (case).
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan year),
--             $period_end date (report date), $department varchar (unit code, null = all units).
with requests as (
    select *
    from requests_as_of($period_end::date)
    where list_contains($centers::varchar[], center)
      and requested_on between $period_start::date and $period_end::date
      and ($department::varchar is null or department = $department::varchar)
),

final as (
    select
        c.center,
        c.case_id,
        c.resident_id,
        r.full_name,
        c.requested_on,
        c.department,
        c.legal_field,
        c.aid_form,
        c.priority,
        coalesce(r.is_meritorious, false) as is_meritorious,
        coalesce(r.is_violence_victim, false) as is_violence_victim,
        c.provider,
        c.referred_on,
        c.accepted_on,
        c.closed_on,
        c.status,
        c.fee_charged,
        c.notes
    from requests as c
    left join residents as r on r.center = c.center and r.resident_id = c.resident_id
)

select * from final order by requested_on, center, case_id
