-- Key numbers of the requests register: the filtered requests (same filters and status at $as_of as
-- requests_register) counted: requests, distinct persons, eligible, served free (A3: accepted by as_of, no fee, not
-- refused), accepted with the median and mean days from request to acceptance, waiting (tiep_nhan / da_chuyen at
-- as_of) with the median and longest days pending, and overdue (waiting longer than $overdue_days).
-- Grain: one row.
-- Parameters: $centers varchar[] (the centers shown), $period_start date, $period_end date (the period), $as_of date,
--             $department varchar (null = all), $statuses varchar[], $fields varchar[], $forms varchar[], $priorities
--             varchar[], $providers varchar[] (empty = all; '' = not given), $eligible boolean (null = all),
--             $overdue_days integer.
with filtered as (
    select *
    from requests_filtered($centers::varchar[],
                           $period_start::date, $period_end::date, $as_of::date, $department::varchar,
                           $statuses::varchar[], $fields::varchar[], $forms::varchar[], $priorities::varchar[],
                           $providers::varchar[], $eligible::boolean, $overdue_days::integer)
),

final as (
    select
        count(*) as request_count,
        count(distinct (center, resident_id)) as person_count,
        count(*) filter (where is_eligible) as eligible_count,
        count(*) filter (where is_served) as served_count,
        count(distinct (center, resident_id)) filter (where is_served) as served_person_count,
        count(days_to_accept) as accepted_count,
        median(days_to_accept) as median_days_to_accept,
        avg(days_to_accept) as mean_days_to_accept,
        count(days_pending) as waiting_count,
        median(days_pending) as median_days_pending,
        max(days_pending) as max_days_pending,
        count(*) filter (where is_overdue) as overdue_count
    from filtered
)

select * from final order by request_count
