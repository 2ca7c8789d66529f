-- Annotations of some centers, optionally of one activity and of a date range, by date.
-- Grain: one row per annotation, by noted_on then id.
-- Parameters: $centers (varchar[]); $activity (varchar, null = every activity); $date_from, $date_to (date, null =
--             open).
with final as (
    select annotation_id, center, noted_on, activity, indicator, note, author, created_at
    from annotations
    where list_contains($centers::varchar[], center)
      and ($activity::varchar is null or activity = $activity::varchar)
      and ($date_from::date is null or noted_on >= $date_from::date)
      and ($date_to::date is null or noted_on <= $date_to::date)
)

select * from final order by noted_on, annotation_id
