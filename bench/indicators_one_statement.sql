-- Benchmark reference (issue 17): the demo plan's 13 indicators of one center at one as-of date in ONE hand-written
-- statement over the contract tables (no derived table: requests are joined with residents here), one pass over
-- each table. `make bench` times kpis.compute against it and asserts both give the same numbers; the plan's event
-- types are written in by hand (a plan change makes that assertion fail, not the numbers drift).
-- Grain: one row, in this order: a1_van_ban, a2_numerator, a2_denominator, a3_numerator, a3_denominator,
-- a3_person_count, a3_served_person_count, a3p_* (the same four for priority requests), a3_yeu_cau, a41_phat_thanh,
-- a41_hop, a41_bao_cao, a4_luot_nct, a42_cao_diem, a5_kiem_tra, a5_huong_dan, a5_bao_cao.
-- Parameters: $center varchar (center code), $period_start date (1 January of the plan year), $period_end date.
with held as (
    select
        count(*) filter (where event_type = 'van_ban') as a1_van_ban,
        count(*) filter (where event_type = 'phat_thanh') as a41_phat_thanh,
        count(distinct date_trunc('month', held_on)) filter (
            where event_type in ('hop_thang', 'hop_quy', 'hop_nam')
        ) as a41_hop,
        count(*) filter (where event_type = 'bao_cao_tiep_can') as a41_bao_cao,
        coalesce(sum(coalesce(elderly_reached, 0)) filter (
            where event_type in (
                'phat_thanh', 'hop_thang', 'hop_quy', 'hop_nam', 'bao_cao_tiep_can', 'ngay_06_6', 'thang_10',
                'ngay_01_10'
            )
        ), 0) as a4_luot_nct,
        count(distinct event_type) filter (where event_type in ('ngay_06_6', 'thang_10', 'ngay_01_10')) as a42_cao_diem,
        count(*) filter (where event_type = 'kiem_tra') as a5_kiem_tra,
        count(*) filter (where event_type = 'huong_dan') as a5_huong_dan,
        count(*) filter (where event_type = 'bao_cao') as a5_bao_cao
    from events
    where center = $center::varchar and held_on between $period_start::date and $period_end::date
),

counted as (
    select
        cases.resident_id,
        cases.requested_on,
        coalesce(
            cases.accepted_on <= $period_end::date and cases.fee_charged = 0 and cases.status <> 'tu_choi', false
        ) as served,
        is_eligible_on(residents.birth_date, cases.requested_on, residents.is_meritorious,
                       residents.is_poor_household, residents.has_financial_hardship)
            and not coalesce(cases.status = 'rut_yeu_cau' and cases.closed_on <= $period_end::date, false) as counts,
        is_priority_request(cases.priority, residents.is_meritorious, residents.is_violence_victim) as priority
    from cases
    left join residents on residents.center = cases.center and residents.resident_id = cases.resident_id
    where cases.center = $center::varchar and cases.requested_on between $period_start::date and $period_end::date
),

persons as (
    select
        resident_id,
        count(*) filter (where counts) as n_all,
        count(*) filter (where counts and served) as s_all,
        count(*) filter (where counts and priority) as n_pri,
        count(*) filter (where counts and priority and served) as s_pri
    from counted
    group by resident_id
),

requested as (
    select
        (select count(*) from counted) as a3_yeu_cau,
        coalesce(sum(s_all), 0) as a3_numerator,
        coalesce(sum(n_all), 0) as a3_denominator,
        count(*) filter (where n_all > 0) as a3_person_count,
        count(*) filter (where n_all > 0 and s_all = n_all) as a3_served_person_count,
        coalesce(sum(s_pri), 0) as a3p_numerator,
        coalesce(sum(n_pri), 0) as a3p_denominator,
        count(*) filter (where n_pri > 0) as a3p_person_count,
        count(*) filter (where n_pri > 0 and s_pri = n_pri) as a3p_served_person_count
    from persons
),

trained as (
    select distinct training.staff_id
    from training
    join events on events.center = training.center and events.event_id = training.event_id
    where training.center = $center::varchar
      and training.completed
      and events.event_type = 'tap_huan'
      and events.held_on between $period_start::date and $period_end::date
),

workers as (
    select
        count(*) filter (where trained.staff_id is not null) as a2_numerator,
        count(*) as a2_denominator
    from staff
    left join trained on trained.staff_id = staff.staff_id
    where staff.center = $center::varchar
      and staff.is_legal_aid_worker
      and coalesce(staff.active_from <= $period_end::date, true)
      and coalesce(staff.active_to >= $period_end::date, true)
)

select
    a1_van_ban,
    a2_numerator,
    a2_denominator,
    a3_numerator,
    a3_denominator,
    a3_person_count,
    a3_served_person_count,
    a3p_numerator,
    a3p_denominator,
    a3p_person_count,
    a3p_served_person_count,
    a3_yeu_cau,
    a41_phat_thanh,
    a41_hop,
    a41_bao_cao,
    a4_luot_nct,
    a42_cao_diem,
    a5_kiem_tra,
    a5_huong_dan,
    a5_bao_cao
from held, requested, workers
