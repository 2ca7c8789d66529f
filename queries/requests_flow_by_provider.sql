-- Flow of requests by provider (the organisation carrying out the aid) over the period [$period_start,
-- $period_end]: carried over (requested before the period start and not closed before it), received in the
-- period, newly accepted in the period (accepted_on in it), closed in the period (closed_on in it), and still
-- open at the period end. Dates after $as_of do not count (requests_as_of: the register's view at $as_of; read over
-- case_facts, whose stored eligibility saves a join with residents).
-- Applies the register's filters except the period and status, which the flow itself is about.
-- Grain: one row per provider ('' = not given).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $as_of date,
--             $department varchar (null = all), $fields varchar[], $forms varchar[], $priorities varchar[], $providers
--             varchar[] (empty = all; '' = not given), $eligible boolean (null = all).
with requests as (
    select
        cases.case_id,
        coalesce(cases.provider, '') as provider,
        cases.requested_on,
        cases.accepted_on,
        cases.closed_on
    from requests_as_of($as_of::date, p_source := 'case_facts') as cases
    where cases.has_resident
      and list_contains($centers::varchar[], cases.center)
      and cases.requested_on <= $period_end::date
      and ($department::varchar is null or cases.department = $department::varchar)
      and (len($fields::varchar[]) = 0 or list_contains($fields::varchar[], cases.legal_field))
      and (len($forms::varchar[]) = 0 or list_contains($forms::varchar[], coalesce(cases.aid_form, '')))
      and (len($priorities::varchar[]) = 0 or list_contains($priorities::varchar[], coalesce(cases.priority, '')))
      and (len($providers::varchar[]) = 0 or list_contains($providers::varchar[], coalesce(cases.provider, '')))
      and ($eligible::boolean is null or cases.is_eligible = $eligible::boolean)
),

flags as (
    select
        provider,
        requested_on < $period_start::date
            and coalesce(closed_on >= $period_start::date, true) as is_carried_over,
        requested_on >= $period_start::date as is_received,
        coalesce(accepted_on between $period_start::date and $period_end::date, false) as is_accepted,
        coalesce(closed_on between $period_start::date and $period_end::date, false) as is_closed,
        coalesce(closed_on > $period_end::date, true) as is_open_at_end
    from requests
),

final as (
    select
        provider,
        count(*) filter (where is_carried_over) as carried_over_count,
        count(*) filter (where is_received) as received_count,
        count(*) filter (where is_accepted) as accepted_count,
        count(*) filter (where is_closed) as closed_count,
        count(*) filter (where is_open_at_end and (is_carried_over or is_received)) as open_at_end_count
    from flags
    group by provider
    having count(*) filter (where is_carried_over or is_received or is_accepted or is_closed) > 0
)

select * from final order by received_count desc, provider
