-- requests_filtered(...): the requests registers' shared filter, as a table macro so the register, its key numbers
-- and its breakdowns (queries/requests_*.sql) filter and derive exactly the same way. Idempotent.
-- Grain: one row per request (center, case_id) received in [p_period_start, p_period_end] and by p_as_of that passes
-- every filter, read through requests_as_of(p_as_of, p_source := 'case_facts') (039: status and dates as of
-- p_as_of, nothing later shown as happened; 050: the resident's facts stored per request: no join with residents),
-- with the resident's sex, age_at_request, art. 7 groups and is_eligible (on requested_on), status_on (= that
-- status), days_to_accept, days_pending (while waiting at as_of), is_overdue (waiting longer than p_overdue_days)
-- and is_served (accepted by as_of, no fee, not refused). Requests whose resident is missing are left out.
-- Parameters: p_centers varchar[] (the centers shown: only their requests), p_period_start date, p_period_end date,
--             p_as_of date, p_department varchar (null = all),
--             p_statuses, p_fields, p_forms, p_priorities, p_providers varchar[] (empty = all; '' = not given),
--             p_eligible boolean (null = all), p_overdue_days integer (waiting longer than this is overdue; the
--             status 'qua_han' in p_statuses picks the overdue requests, alongside any real status chosen).
create or replace macro requests_filtered(p_centers, p_period_start, p_period_end, p_as_of, p_department, p_statuses,
                                          p_fields, p_forms, p_priorities, p_providers, p_eligible,
                                          p_overdue_days) as table
with requests as (
    select
        *,
        status as status_on
    from requests_as_of(p_as_of::date, p_source := 'case_facts')
    where has_resident
      and list_contains(p_centers::varchar[], center)
      and requested_on between p_period_start::date and p_period_end::date
),

dated as (
    select
        *,
        case when status_on in ('tiep_nhan', 'da_chuyen') then p_as_of::date - requested_on end as days_pending
    from requests
),

filtered as (
    select *
    from dated
    where (p_department::varchar is null or department = p_department::varchar)
      and (len(p_statuses::varchar[]) = 0 or list_contains(p_statuses::varchar[], status_on)
           or (list_contains(p_statuses::varchar[], 'qua_han') and days_pending > p_overdue_days::integer))
      and (len(p_fields::varchar[]) = 0 or list_contains(p_fields::varchar[], legal_field))
      and (len(p_forms::varchar[]) = 0 or list_contains(p_forms::varchar[], coalesce(aid_form, '')))
      and (len(p_priorities::varchar[]) = 0 or list_contains(p_priorities::varchar[], coalesce(priority, '')))
      and (len(p_providers::varchar[]) = 0 or list_contains(p_providers::varchar[], coalesce(provider, '')))
      and (p_eligible::boolean is null or is_eligible = p_eligible::boolean)
)

select
    *,
    case when accepted_on <= p_as_of::date then accepted_on - requested_on end as days_to_accept,
    coalesce(days_pending > p_overdue_days::integer, false) as is_overdue,
    coalesce(accepted_on <= p_as_of::date and fee_charged = 0 and status_on <> 'tu_choi', false) as is_served
from filtered;
