-- Cells of one CSV body as text (the importer reads every CSV through this; planboard/ingest/ checks them).
-- Grain: one row per record of the file from its header row on, in file order; c0..cN = the cells, '' = empty
-- (a row shorter than the header is padded with ''; a longer one is an error naming its line).
-- Parameters: $path varchar (a temporary UTF-8 copy of the body), $delim varchar (',', ';' or a tab),
--             $columns struct (c0 .. cN as 'varchar', N + 1 = the header row's cells),
--             $parallel boolean (false for files with line breaks inside quoted cells).
select coalesce(columns(*), '')
from read_csv(
    $path,
    delim = $delim,
    quote = '"',
    escape = '"',
    header = false,
    auto_detect = false,
    columns = $columns,
    null_padding = true,
    strict_mode = true,
    parallel = $parallel
)
