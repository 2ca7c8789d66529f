-- The explore page's residents dataset: residents in care at $as_of (admitted by it, not left before it) with every
-- dimension the page may group or filter by, as codes: unit, gender, eligibility (at $as_of), age_group (under 60,
-- 60-69, 70-79, 80 and over at $as_of), meritorious, poor_household, hardship ('yes' / 'no').
-- planboard/explore.py wraps this query and groups it by whitelisted dimensions.
-- Grain: one row per resident (center, resident_id).
-- Parameters: $centers varchar[] (the centers shown), $as_of date (the as-of date), $department varchar (managing unit,
--             null = all).
with in_care as (
    select
        *,
        age_on(birth_date, $as_of::date) as age,
        is_eligible_on(birth_date, $as_of::date, is_meritorious, is_poor_household,
                       has_financial_hardship) as is_eligible
    from residents
    where list_contains($centers::varchar[], center)
      and admitted_on <= $as_of::date
      and coalesce(left_on >= $as_of::date, true)
      and ($department::varchar is null or department = $department::varchar)
),

final as (
    select
        center,
        resident_id,
        department as unit,
        gender,
        case when is_eligible then 'yes' else 'no' end as eligibility,
        case
            when age < 60 then 'lt60'
            when age < 70 then '60_69'
            when age < 80 then '70_79'
            else '80_plus'
        end as age_group,
        case when is_meritorious then 'yes' else 'no' end as meritorious,
        case when is_poor_household then 'yes' else 'no' end as poor_household,
        case when has_financial_hardship then 'yes' else 'no' end as hardship
    from in_care
)

select * from final order by center, resident_id
