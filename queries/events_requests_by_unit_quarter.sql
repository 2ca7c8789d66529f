-- Events held (any type, by lead unit) and legal-aid requests received (any status, by receiving unit) per unit and
-- quarter of [$period_start, $period_end]; every given unit and every quarter of the period appears, 0 when empty.
-- Grain: one row per unit and quarter (department, quarter, event_count, request_count), units in the given order.
-- Parameters: $centers varchar[] (the one center whose units these are), $period_start date (1 January of the plan
--             year), $period_end date (the as-of date, same year), $departments varchar[] (unit codes of the grid, in
--             the plan's order; one code for one unit).
with units as (
    select unnest($departments::varchar[]) as department
),

quarters as (
    select unnest(generate_series(quarter($period_start::date), quarter($period_end::date))) as quarter
),

event_totals as (
    select department, quarter(held_on) as quarter, count(*) as event_count
    from events_filtered($centers::varchar[],
                         $period_start::date, $period_end::date, null, []::varchar[], []::varchar[])
    group by department, quarter(held_on)
),

request_totals as (
    select department, quarter(requested_on) as quarter, count(*) as request_count
    from cases
    where list_contains($centers::varchar[], center)
      and requested_on between $period_start::date and $period_end::date
    group by department, quarter(requested_on)
),

final as (
    select
        units.department,
        quarters.quarter::integer as quarter,
        coalesce(event_totals.event_count, 0)::bigint as event_count,
        coalesce(request_totals.request_count, 0)::bigint as request_count
    from units
    cross join quarters
    left join event_totals
        on event_totals.department = units.department and event_totals.quarter = quarters.quarter
    left join request_totals
        on request_totals.department = units.department and request_totals.quarter = quarters.quarter
)

select * from final order by list_position($departments::varchar[], department), quarter
