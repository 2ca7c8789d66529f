-- Add an account (the caller checked the name is free and the password's rules, and hashed it).
-- Grain: writes one row of users.
-- Parameters: $username varchar, $full_name varchar, $role varchar, $department varchar (unit code or null),
--             $password_hash varchar (argon2), $is_demo boolean, $scope_kind varchar (center, province, all),
--             $scope_code varchar (the center or province code, null for all).
insert into users (username, full_name, role, department, password_hash, is_demo, scope_kind, scope_code)
values ($username, $full_name, $role, $department, $password_hash, $is_demo, $scope_kind, $scope_code)
