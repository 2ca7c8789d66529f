-- Forget failed sign-ins: of one (client, name) after a success, of one name from everywhere after an
-- administrator's reset ($client null), of everyone (both null).
-- Grain: deletes rows of sign_in_failures. Parameters: $client varchar or null, $username varchar or null.
delete from sign_in_failures
where ($client is null or client = $client) and ($username is null or username = $username)
