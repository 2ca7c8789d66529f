"""The meeting commands (docs/meetings.md, "Command line"): hold, list, show, action add/list/update, lock, unlock,
and import's --lock-reason, run in-process on a real database file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from conftest import add_event

from planboard import cli

D = dt.date


def run(capsys, db_file, *args) -> tuple[int, str, str]:
    code = cli.main(
        [*args[:2], "--db", str(db_file), *args[2:]]
        if args[0] in ("meeting", "action")
        else [args[0], "--db", str(db_file), *args[1:]]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def test_hold_list_show_a_meeting(con, db_file, capsys):
    for i in range(7):
        add_event(con, f"PT{i}", "phat_thanh", D(2024, 5, 1 + i))
    code, out, err = run(capsys, db_file, "meeting", "hold", "--date", "2024-06-05", "--chair", "Giám đốc")
    assert code == 0, err
    assert out.strip() == 'Đã mở cuộc họp số 1 "Giao ban tháng 6/2024" và chốt 91 số liệu đến ngày 31/05/2024.'
    code, out, _ = run(capsys, db_file, "meeting", "list")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["meeting_id"], row["title"], row["scope"], row["as_of"]) == (
        "1",
        "Giao ban tháng 6/2024",
        "center:BTXH_BL",
        "2024-05-31",
    )
    code, out, _ = run(capsys, db_file, "meeting", "show", "1")
    lines = out.splitlines()
    assert lines[0] == "center,unit,indicator,activity,value,numerator,denominator,expected_now,target_year,status"
    assert len(lines) == 1 + 91
    # the center level has an empty unit; 7 broadcasts by 31/05 against Q1's 6: on pace
    assert "BTXH_BL,,A41_PHAT_THANH,4.1,7,7,,6,24,dung_tien_do" in lines
    code, out, _ = run(capsys, db_file, "meeting", "show", "1", "--format", "json")
    rows = json.loads(out)
    assert rows[5] == {
        "center": "BTXH_BL",
        "unit": None,
        "indicator": "A41_PHAT_THANH",
        "activity": "4.1",
        "value": 7,
        "numerator": 7,
        "denominator": None,
        "expected_now": 6,
        "target_year": 24,
        "status": "dung_tien_do",
    }
    code, _, err = run(capsys, db_file, "meeting", "show", "9")
    assert code == 1 and err.strip() == "Không có cuộc họp số 9."


def test_actions_from_the_command_line(con, db_file, capsys, monkeypatch):
    assert run(capsys, db_file, "meeting", "hold", "--date", "2024-06-05")[0] == 0
    code, _, err = run(
        capsys,
        db_file,
        "action",
        "add",
        "--meeting",
        "1",
        "--text",
        "Bổ sung phát thanh",
        "--due",
        "2024-06-01",
        "--unit",
        "CTXH",
    )
    assert code == 1 and "trước ngày họp 05/06/2024" in err
    code, out, err = run(
        capsys,
        db_file,
        "action",
        "add",
        "--meeting",
        "1",
        "--text",
        "Bổ sung phát thanh",
        "--due",
        "2024-06-30",
        "--unit",
        "CTXH",
        "--indicator",
        "A41_PHAT_THANH",
    )
    assert code == 0, err
    assert out.strip() == "Đã giao nhiệm vụ số 1 cho bộ phận CTXH, hạn 30/06/2024."
    code, out, err = run(capsys, db_file, "action", "update", "1", "--status", "dang_thuc_hien", "--note", "Đã liên hệ")
    assert (code, out.strip()) == (0, "Đã cập nhật nhiệm vụ số 1: Đang thực hiện.")
    code, out, _ = run(capsys, db_file, "action", "list", "--format", "json")
    [a] = json.loads(out)
    assert (a["owner_unit"], a["status"], a["activity"], a["last_note"]) == (
        "CTXH",
        "dang_thuc_hien",
        "4.1",
        "Đã liên hệ",
    )
    monkeypatch.setenv("PLANBOARD_LANG", "en")  # the status word in the command line's language too
    code, out, err = run(capsys, db_file, "action", "update", "1", "--status", "dang_thuc_hien", "--note", "Gọi lại")
    assert (code, out.strip()) == (0, "Action 1 updated: In progress."), err
    monkeypatch.delenv("PLANBOARD_LANG")


def test_lock_unlock_and_import_with_a_reason(con, db_file, capsys, tmp_path):
    code, out, err = run(capsys, db_file, "lock", "--through", "2024-05")
    assert (code, out.strip()) == (0, "Đã khóa số liệu đến hết tháng 5/2024 (BTXH_BL): 5 tháng mới khóa.")
    f = tmp_path / "events.csv"
    f.write_text(
        "event_id,event_type,held_on,department,title\nN1,phat_thanh,20/05/2024,CTXH,Phát thanh\n", encoding="utf-8"
    )
    code, _, err = run(capsys, db_file, "import", str(f))
    assert code == 1 and "Tháng 5/2024 đã khóa số liệu" in err
    code, _, err = run(capsys, db_file, "import", "--lock-reason", "Bổ sung theo công văn", str(f))
    assert code == 0, err
    assert con.execute("select count(*) from audit_log where action = 'lock_override'").fetchone()[0] == 1
    code, _, err = run(capsys, db_file, "unlock", "--through", "2024-05", "--reason", " ")
    assert code == 1 and "lý do" in err
    code, out, _ = run(capsys, db_file, "unlock", "--through", "2024-05", "--reason", "Sửa số liệu")
    assert out.strip() == "Đã mở khóa các tháng đến hết tháng 5/2024 (BTXH_BL): 5 tháng."
    code, _, err = run(capsys, db_file, "lock", "--through", "2024-13")
    assert code == 1 and "YYYY-MM" in err


def test_minutes_from_the_command_line(con, db_file, capsys, tmp_path):
    assert run(capsys, db_file, "meeting", "hold", "--date", "2024-06-05")[0] == 0
    out_file = tmp_path / "tb.docx"
    code, out, err = run(capsys, db_file, "meeting", "minutes", "1", "--out", str(out_file))
    assert code == 0, err
    assert out.strip() == f'Đã ghi thông báo kết luận cuộc họp "Giao ban tháng 6/2024" vào {out_file}.'
    assert out_file.read_bytes()[:2] == b"PK"  # a .docx is a zip
