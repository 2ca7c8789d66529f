-- requests_as_of(p_as_of): the legal-aid requests as they stood at p_as_of, the one definition of "a request as of a
-- date D" (data-contract.md) that every page, export and report reads instead of the cases table: a request exists
-- from requested_on; its status at D is its closing status (hoan_thanh, rut_yeu_cau, tu_choi) once closed_on <= D,
-- else dang_thuc_hien once accepted_on <= D, else da_chuyen once referred_on <= D (or recorded da_chuyen without a
-- date), else tiep_nhan; a date after D is empty (it had not happened at D). Idempotent.
-- Grain: one row per request (case_id) with requested_on <= p_as_of; every column of p_source, with status,
-- referred_on, accepted_on and closed_on as of p_as_of.
-- Parameters: p_as_of date, p_source (default 'cases'; 'case_facts': the same requests with their residents' facts,
--             schema/050, no join to make).
create or replace macro requests_as_of(p_as_of, p_source := 'cases') as table
select
    * replace (
        case
            when status in ('hoan_thanh', 'rut_yeu_cau', 'tu_choi') and coalesce(closed_on <= p_as_of::date, true)
                then status
            when accepted_on <= p_as_of::date then 'dang_thuc_hien'
            when referred_on <= p_as_of::date then 'da_chuyen'
            when status = 'da_chuyen' and referred_on is null then 'da_chuyen'
            else 'tiep_nhan'
        end as status,
        case when referred_on <= p_as_of::date then referred_on end as referred_on,
        case when accepted_on <= p_as_of::date then accepted_on end as accepted_on,
        case when closed_on <= p_as_of::date then closed_on end as closed_on
    )
from query_table(p_source)
where requested_on <= p_as_of::date;
