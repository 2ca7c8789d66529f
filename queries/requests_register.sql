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

-- the rows shown first, then the names of their residents (the filter itself never joins residents)
shown as (
    select *
    from filtered
    order by requested_on, center, case_id
    limit $row_limit::integer
),

final as (
    select
        shown.center,
        shown.case_id,
        shown.requested_on,
        shown.department,
        shown.resident_id,
        residents.full_name,
        shown.gender,
        shown.age_at_request,
        shown.is_eligible,
        shown.legal_field,
        shown.aid_form,
        shown.priority,
        shown.provider,
        shown.status_on as status,
        shown.referred_on,
        shown.accepted_on,
        shown.closed_on,
        shown.fee_charged,
        shown.days_to_accept,
        shown.days_pending,
        shown.is_overdue,
        shown.notes
    from shown
    join residents on residents.center = shown.center and residents.resident_id = shown.resident_id
)

select * from final order by requested_on, center, case_id
