-- The requests register: legal-aid requests received in [$period_start, $period_end] (and by $as_of) that pass
-- every filter, each with its status at $as_of, the resident's eligibility on requested_on, the days to acceptance
-- and, while it waits (tiep_nhan / da_chuyen at $as_of), the days pending and whether it is overdue.
-- Status at as_of: a closing status once closed_on <= as_of, else dang_thuc_hien once accepted_on <= as_of,
-- else da_chuyen once referred_on <= as_of (or recorded da_chuyen without a date), else tiep_nhan.
-- Empty list = no filter; '' in $forms / $priorities / $providers stands for "not given".
-- Grain: one row per request (center, case_id).
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period, within the plan
--             year), $as_of date (the as-of date), $department varchar (receiving unit, null = all), $statuses
--             varchar[] (status at as_of; 'qua_han' = the overdue ones), $fields varchar[] (legal_field), $forms
--             varchar[] (aid_form), $priorities varchar[] (priority), $providers varchar[] (provider), $eligible
--             boolean (null = all), $overdue_days integer (waiting longer than this is overdue), $row_limit integer
--             (the first rows in the order below, null = all: the page shows a bounded number, the download holds
--             them all).
with filtered as (
    select *
    from requests_filtered($centers::varchar[],
                           $period_start::date, $period_end::date, $as_of::date, $department::varchar,
                           $statuses::varchar[], $fields::varchar[], $forms::varchar[], $priorities::varchar[],
                           $providers::varchar[], $eligible::boolean, $overdue_days::integer)
),

final as (
    select
        center,
        case_id,
        requested_on,
        department,
        resident_id,
        full_name,
        gender,
        age_at_request,
        is_eligible,
        legal_field,
        aid_form,
        priority,
        provider,
        status_on as status,
        referred_on,
        accepted_on,
        closed_on,
        fee_charged,
        days_to_accept,
        days_pending,
        is_overdue,
        notes
    from filtered
)

select * from final order by requested_on, center, case_id limit $row_limit::integer
