-- Actions of some centers with the meeting they came from and their last note, optionally of one meeting or one
-- owner unit; overdue = due before $today and not done or cancelled.
-- Grain: one row per action, by due date.
-- Parameters: $centers (varchar[], null = every center); $meeting_id (bigint, null = every meeting); $owner_unit (varchar, null = every
--             unit); $action_id (bigint, null = every action); $today (date) the day overdue is judged on.
with chosen as (
    select actions.*
    from actions
    where ($centers::varchar[] is null or list_contains($centers::varchar[], actions.center))
      and ($meeting_id::bigint is null or actions.meeting_id = $meeting_id::bigint)
      and ($owner_unit::varchar is null or actions.owner_unit = $owner_unit::varchar)
      and ($action_id::bigint is null or actions.action_id = $action_id::bigint)
),

last_note as (
    select action_id, arg_max(note, note_id) as last_note, max(noted_on) as last_noted_on
    from action_notes
    where note is not null
    group by action_id
),

final as (
    select
        chosen.action_id,
        chosen.meeting_id,
        meetings.title as meeting_title,
        meetings.held_on as meeting_held_on,
        chosen.center,
        chosen.action_text,
        chosen.activity,
        chosen.indicator,
        chosen.owner_unit,
        chosen.owner_person,
        chosen.due_on,
        chosen.status,
        chosen.due_on < $today::date and chosen.status in ('chua_thuc_hien', 'dang_thuc_hien') as is_overdue,
        last_note.last_note,
        last_note.last_noted_on,
        chosen.created_by,
        chosen.created_at,
        chosen.updated_at
    from chosen
    join meetings on meetings.meeting_id = chosen.meeting_id
    left join last_note on last_note.action_id = chosen.action_id
)

select * from final order by due_on, action_id
