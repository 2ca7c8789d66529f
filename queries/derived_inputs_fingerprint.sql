-- Fingerprint of every row and column the derived tables (schema/050_case_facts.sql) read: an order-free hash
-- (bit_xor of each row's hash) of cases and of residents, so a change made behind the app's back (another tool,
-- no data_version bump) still makes db.ensure_derived rebuild case_facts on open. One scan of each table, no join.
-- Grain: one row (cases_hash, residents_hash).
-- Parameters: none.
select
    (
        select coalesce(bit_xor(hash(cases)), 0)  -- the whole row: case_facts keeps every column of cases
        from cases
    ) as cases_hash,
    (
        select coalesce(bit_xor(hash(
            center, resident_id, gender, birth_date, is_meritorious, is_poor_household, has_financial_hardship,
            is_violence_victim
        )), 0)
        from residents
    ) as residents_hash
