-- Explore-style breakdown (benchmark): legal-aid requests by receiving unit × quarter × legal field, with status mix.
-- Grain: one row per (department, quarter, legal_field) with at least one request in [$period_start, $period_end].
-- Parameters: $centers varchar[] (the centers shown: only their rows), $period_start date (1 January of the plan
--             year), $period_end date (the as-of date),
--             $department varchar (unit code, null = all units).
with requests as (
    select department, quarter(requested_on) as quarter, legal_field, status
    from cases
    where list_contains($centers::varchar[], center)
      and requested_on between $period_start::date and $period_end::date
      and ($department::varchar is null or department = $department::varchar)
),

final as (
    select
        department,
        quarter,
        legal_field,
        count(*)::bigint as request_count,
        count(*) filter (where status = 'hoan_thanh')::bigint as completed_count,
        count(*) filter (where status in ('tiep_nhan', 'da_chuyen', 'dang_thuc_hien'))::bigint as open_count
    from requests
    group by department, quarter, legal_field
)

select * from final order by department, quarter, legal_field
