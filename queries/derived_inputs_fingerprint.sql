-- Fingerprint of every row and column the derived tables (schema/050_case_facts.sql) read: an order-free hash
-- (bit_xor of each row's hash) of cases, residents, training and events (the columns training_courses and event_days read), so a
-- change made behind the app's back (another tool, no data_version bump) still makes db.ensure_derived make them again
-- on open. One scan of each table, no join.
-- Grain: one row (cases_hash, residents_hash, training_hash, events_hash).
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
    ) as residents_hash,
    (
        select coalesce(bit_xor(hash(center, staff_id, event_id, completed)), 0)
        from training
    ) as training_hash,
    (
        select coalesce(bit_xor(hash(center, event_id, event_type, held_on, department, elderly_reached)), 0)
        from events
    ) as events_hash
