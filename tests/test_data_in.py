"""Data in: templates round-trip through the importer, entry-form saves and deletes with the edit log, backup and
restore (real files, CLI included), and the import page with a real upload in AppTest."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile

import duckdb
import pytest
from conftest import ROOT, add_case, add_event, add_resident, add_staff, add_training, run_cli, sign_in
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from planboard import backup, db, edits, ingest, templates
from planboard.codes import TABLES


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _snapshot(con) -> dict[str, list[tuple]]:
    return {t: _rows(con, f"select * from {t} order by all") for t in TABLES}


# --- Templates --------------------------------------------------------------------------------------------------------
def test_the_english_template_keeps_the_contract_sheets_and_imports_as_is(con, plan):
    # The instructions and list headers in the reader's language; the tables' sheets and headers are the contract's
    # (Vietnamese), and the importer passes over the instructions sheet whatever its language.
    data = templates.workbook_bytes(plan, "en")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Instructions", "Người cao tuổi", "Yêu cầu TGPL", "Hoạt động", "Nhân sự", "Tập huấn"]
    lists = [c.value for c in wb["Instructions"]["A"] if c.value in ("Gender", "Status", "Yes/no", "Giới tính")]
    assert lists == ["Gender", "Status", "Yes/no"]
    formulas = {str(dv.sqref): dv.formula1 for dv in wb["Yêu cầu TGPL"].data_validations.dataValidation}
    assert formulas["L2:L1001"].startswith("='Instructions'!$B$")  # status
    result = ingest.import_files(con, plan, [("template.xlsx", data)])
    assert result.problems == [] and result.counts["cases"] == ingest.TableCounts(2, 0, 0)  # the two example rows


def test_xlsx_template_filled_with_openpyxl_imports_the_values(con, plan):
    wb = load_workbook(io.BytesIO(templates.workbook_bytes(plan)))
    assert wb.sheetnames == ["Hướng dẫn", "Người cao tuổi", "Yêu cầu TGPL", "Hoạt động", "Nhân sự", "Tập huấn"]
    ws = wb["Yêu cầu TGPL"]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Mã vụ việc", "Mã đối tượng", "Ngày yêu cầu", "Bộ phận tiếp nhận"]
    # Dropdowns on the code columns point at the lists on the instructions sheet; dates are formatted dd/mm/yyyy.
    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert formulas["L2:L1001"].startswith("='Hướng dẫn'!$B$")  # status
    assert ws["C2"].number_format == "dd/mm/yyyy"
    # Replace the examples by two hand-written requests of a new resident (labels and codes both accepted).
    res = wb["Người cao tuổi"]
    res.delete_rows(2, 2)
    res.append(
        [
            "NCT-T1",
            "Võ Thị Thử",
            "Nữ",
            dt.date(1944, 7, 1),
            dt.date(2023, 5, 2),
            None,
            "Bộ phận Chăm sóc Khẩn cấp và dài hạn",
            "không",
            "có",
            "không",
            "không",
            "Kinh",
        ]
    )
    ws.delete_rows(2, 2)
    ws.append(
        [
            "YC-T1",
            "NCT-T1",
            dt.date(2024, 4, 2),
            "CTXH",
            "Đất đai",
            "Tư vấn pháp luật",
            None,
            None,
            None,
            dt.date(2024, 4, 3),
            dt.date(2024, 4, 30),
            "Hoàn thành",
            0,
            None,
        ]
    )
    ws.append(
        [
            "YC-T2",
            "NCT-T1",
            "15/05/2024",
            "CTXH",
            "dan_su",
            None,
            None,
            None,
            None,
            None,
            None,
            "tiep_nhan",
            "500.000",
            "chờ hồ sơ",
        ]
    )
    for name in ("Hoạt động", "Nhân sự", "Tập huấn"):
        del wb[name]
    out = io.BytesIO()
    wb.save(out)
    result = ingest.import_files(con, plan, [("mau.xlsx", out.getvalue())])
    assert result.problems == [] and result.written
    assert result.counts["cases"] == ingest.TableCounts(2, 0, 0)
    assert _rows(con, "select resident_id, gender, birth_date, department, is_poor_household from residents") == [
        ("NCT-T1", "nu", dt.date(1944, 7, 1), "CSKC", True)
    ]
    assert _rows(
        con,
        "select case_id, requested_on, legal_field, aid_form, accepted_on, closed_on, status, "
        "fee_charged, notes from cases order by case_id",
    ) == [
        (
            "YC-T1",
            dt.date(2024, 4, 2),
            "dat_dai",
            "tu_van",
            dt.date(2024, 4, 3),
            dt.date(2024, 4, 30),
            "hoan_thanh",
            0,
            None,
        ),
        ("YC-T2", dt.date(2024, 5, 15), "dan_su", None, None, None, "tiep_nhan", 500000, "chờ hồ sơ"),
    ]


def test_untouched_xlsx_template_imports_its_examples(con, plan):
    result = ingest.import_files(con, plan, [("mau.xlsx", templates.workbook_bytes(plan))])
    assert result.ok, result.problems
    assert {t: (c.added, c.updated) for t, c in result.counts.items()} == {t: (2, 0) for t in TABLES}
    # The example event of type tap_huan takes activity 2; training VD-NV-02 is not completed.
    assert _rows(con, "select event_id, activity from events order by 1") == [("VD-HD-01", "2"), ("VD-HD-02", "4.1")]
    assert _rows(con, "select staff_id, completed from training order by 1") == [
        ("VD-NV-01", True),
        ("VD-NV-02", False),
    ]


def test_csv_templates_have_bom_and_import_cleanly(con, plan):
    with zipfile.ZipFile(io.BytesIO(templates.csv_zip(plan))) as z:
        files = [(n, z.read(n)) for n in z.namelist()]
    assert [n for n, _ in files] == [f"{t}.csv" for t in TABLES]
    assert all(b.startswith(b"\xef\xbb\xbf") for _, b in files)
    assert files[1][1].decode("utf-8-sig").splitlines()[0].startswith("Mã vụ việc,Mã đối tượng,Ngày yêu cầu")
    result = ingest.import_files(con, plan, files)
    assert result.ok, result.problems
    assert _rows(con, "select case_id, requested_on, status from cases order by 1") == [
        ("VD-YC-01", dt.date(2024, 2, 5), "hoan_thanh"),
        ("VD-YC-02", dt.date(2024, 3, 12), "dang_thuc_hien"),
    ]


def test_error_report_csv_has_bom_and_neutralises_formulas():
    p = ingest.Problem("cases.csv", None, 4, "status", "=HYPERLINK(1)", "Giá trị không hợp lệ")
    text = templates.problems_csv([p]).decode("utf-8-sig")
    assert text.splitlines() == [
        "Tệp,Trang tính,Dòng,Cột,Giá trị,Lỗi",
        "cases.csv,,4,status,'=HYPERLINK(1),Giá trị không hợp lệ",
    ]
    ws = load_workbook(io.BytesIO(templates.problems_xlsx([p]))).active
    assert [c.value for c in ws[2]] == ["cases.csv", None, 4, "status", "'=HYPERLINK(1)", "Giá trị không hợp lệ"]


# --- Entry forms -----------------------------------------------------------------------------------------------------
CASE = dict(
    case_id="F1",
    resident_id="R1",
    requested_on=dt.date(2024, 3, 1),
    department="CTXH",
    legal_field="dan_su",
    status="tiep_nhan",
    fee_charged=0,
)


def _edit_log(con) -> list[tuple]:
    return _rows(
        con, "select table_name, record_id, action, before_json, after_json, user_name from edit_log order by edit_id"
    )


def test_form_insert_then_update_are_logged_with_before_and_after(con, plan):
    add_resident(con, "R1")
    r = edits.save_record(con, plan, "cases", CASE, user="Lan")
    assert (r.problems, r.action) == ([], "insert")
    r = edits.save_record(
        con,
        plan,
        "cases",
        {**CASE, "status": "hoan_thanh", "accepted_on": dt.date(2024, 3, 2), "closed_on": dt.date(2024, 3, 9)},
        user="Lan",
    )
    assert (r.problems, r.action) == ([], "update")
    assert _rows(con, "select status, accepted_on, closed_on from cases") == [
        ("hoan_thanh", dt.date(2024, 3, 2), dt.date(2024, 3, 9))
    ]
    log = _edit_log(con)
    assert [(t, i, a, u) for t, i, a, _, _, u in log] == [
        ("cases", "F1", "insert", "Lan"),
        ("cases", "F1", "update", "Lan"),
    ]
    assert log[0][3] is None and json.loads(log[0][4])["status"] == "tiep_nhan"
    before, after = json.loads(log[1][3]), json.loads(log[1][4])
    assert (before["status"], before["closed_on"]) == ("tiep_nhan", None)
    assert (after["status"], after["closed_on"]) == ("hoan_thanh", "2024-03-09")
    assert edits.changes(log[1][3], log[1][4]) == (
        "accepted_on: – → 2024-03-02; closed_on: – → 2024-03-09; status: tiep_nhan → hoan_thanh"
    )
    # Saving the same values again changes nothing and logs nothing.
    again = edits.save_record(
        con,
        plan,
        "cases",
        {**CASE, "status": "hoan_thanh", "accepted_on": dt.date(2024, 3, 2), "closed_on": dt.date(2024, 3, 9)},
    )
    assert again.action == "unchanged" and len(_edit_log(con)) == 2


def test_a_save_whose_log_cannot_be_written_is_not_saved(con, plan, monkeypatch):
    """The form's save and its edit-log row share one transaction: no save without its log."""
    add_resident(con, "R1")
    version = db.data_version(con)

    def broken_log(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(edits, "_log", broken_log)
    with pytest.raises(RuntimeError):
        edits.save_record(con, plan, "cases", CASE, user="Lan")
    assert _rows(con, "select count(*) from cases") == [(0,)]
    assert _edit_log(con) == [] and db.data_version(con) == version
    assert _rows(con, "select count(*) from import_log") == [(0,)]


def test_form_invalid_value_gives_the_importers_message_and_changes_nothing(con, plan):
    add_resident(con, "R1")
    add_case(con, "F1", "R1", dt.date(2024, 3, 1))
    before = _snapshot(con)
    version = db.data_version(con)
    bad = {**CASE, "status": "hoan_thanh"}  # hoan_thanh needs accepted_on and closed_on
    r = edits.save_record(con, plan, "cases", bad)
    via_import = ingest.import_files(con, plan, [("cases.csv", edits.one_row_csv("cases", bad))], dry_run=True)
    assert r.action is None
    assert [p.message for p in r.problems] == [p.message for p in via_import.problems]
    assert r.problems[0].message == (
        "Trạng thái 'Hoàn thành' cần có 'Ngày thụ lý' (accepted_on). Nhập ngày này hoặc sửa trạng thái."
    )
    assert _snapshot(con) == before and _edit_log(con) == [] and db.data_version(con) == version


def test_form_training_row_needs_a_training_event(con, plan):
    add_staff(con, "S1")
    add_event(con, "E1", "phat_thanh", dt.date(2024, 2, 1), plan)
    r = edits.save_record(con, plan, "training", {"event_id": "E1", "staff_id": "S1", "completed": True})
    assert r.problems[0].message.startswith("Hoạt động 'E1' là loại 'phat_thanh', không phải lớp tập huấn.")
    add_event(con, "T1", "tap_huan", dt.date(2024, 2, 1), plan)
    r = edits.save_record(con, plan, "training", {"event_id": "T1", "staff_id": "S1", "completed": False})
    assert r.action == "insert"
    assert _rows(con, "select * from training") == [("BTXH_BL", "T1", "S1", False)]
    assert _edit_log(con)[0][1] == "T1 / S1"


def test_delete_refused_when_referenced_allowed_and_logged_otherwise(con, plan):
    add_resident(con, "R1")
    add_case(con, "C1", "R1", dt.date(2024, 3, 1))
    add_staff(con, "S1")
    add_event(con, "T1", "tap_huan", dt.date(2024, 2, 1), plan)
    add_training(con, "T1", "S1")
    for table, rid, words in (
        ("residents", "R1", "1 dòng Yêu cầu TGPL"),
        ("staff", "S1", "1 dòng Tập huấn"),
        ("events", "T1", "1 dòng Tập huấn"),
    ):
        out = edits.delete_record(con, table, rid)
        assert not out.deleted
        assert out.message == f"Không xóa được '{rid}' vì còn {words} tham chiếu tới. Xóa hoặc sửa các dòng đó trước."
    assert _edit_log(con) == []
    version = db.data_version(con)
    out = edits.delete_record(con, "training", ("T1", "S1"), user="Minh")
    assert out.deleted and _rows(con, "select count(*) from training") == [(0,)]
    assert edits.delete_record(con, "events", "T1").deleted  # no longer referenced
    log = _edit_log(con)
    assert [(t, i, a) for t, i, a, *_ in log] == [("training", "T1 / S1", "delete"), ("events", "T1", "delete")]
    assert json.loads(log[0][3]) == {"center": "BTXH_BL", "event_id": "T1", "staff_id": "S1", "completed": True}
    assert log[0][4] is None
    assert db.data_version(con) == version + 2
    assert not edits.delete_record(con, "cases", "NOPE").deleted


def test_upload_limits_from_environment(monkeypatch):
    monkeypatch.setenv("PLANBOARD_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("PLANBOARD_MAX_ROWS", "100")
    limits = edits.upload_limits()
    assert (limits.max_file_bytes, limits.max_rows) == (2 * 2**20, 100)
    monkeypatch.setenv("PLANBOARD_MAX_UPLOAD_MB", "abc")
    assert edits.upload_limits().max_file_bytes == 50 * 2**20


# --- Backup and restore ----------------------------------------------------------------------------------------------
def test_backup_change_restore_brings_the_data_back(tmp_path):
    path = tmp_path / "live.duckdb"
    con = db.connect(path)
    add_resident(con, "R1", full_name="Trước")
    copy = backup.make_backup(con, path)
    assert copy.parent == tmp_path / "backups" and copy.name.startswith("live-")
    con.execute("update residents set full_name = 'Sau'")
    add_resident(con, "R2")
    db.close(path)
    safety = backup.restore(copy, path)
    con = db.connect(path)
    try:
        assert _rows(con, "select resident_id, full_name from residents") == [("R1", "Trước")]
    finally:
        db.close(path)
    # The replaced state was kept too, so a restore never loses data.
    with duckdb.connect(str(safety), read_only=True) as old:
        assert old.execute("select count(*) from residents").fetchone() == (2,)


def test_keep_last_n_backups(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANBOARD_KEEP_BACKUPS", "3")
    path = tmp_path / "live.duckdb"
    con = db.connect(path)
    try:
        made = [backup.make_backup(con, path) for _ in range(5)]
    finally:
        db.close(path)
    assert backup.backups_of(path) == made[-3:]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "live.duckdb"
    db.connect(path)
    db.close(path)
    junk = tmp_path / "notes.duckdb"
    junk.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    with pytest.raises(backup.BackupError) as e:
        backup.restore(junk, path)
    assert e.value.key == "restore_not_duckdb"
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as c:
        c.execute("create table residents (x int)")
    with pytest.raises(backup.BackupError) as e:
        backup.restore(other, path)
    assert e.value.key == "restore_missing_tables" and e.value.values["tables"] == "cases, events, staff, training"


def test_cli_template_backup_restore_round_trip(tmp_path):
    live = tmp_path / "live.duckdb"
    tpl = tmp_path / "mau.xlsx"
    out = run_cli("template", "--out", str(tpl))
    assert out.returncode == 0 and "Đã tạo mẫu nhập dữ liệu" in out.stdout
    out = run_cli("import", "--db", str(live), str(tpl))  # backup first, then the template's examples
    assert out.returncode == 0, out.stderr
    assert "Đã sao lưu trước khi nhập" in out.stdout and "Yêu cầu TGPL: thêm 2" in out.stdout
    saved = tmp_path / "saved.duckdb"
    out = run_cli("backup", "--db", str(live), "--out", str(saved))
    assert out.returncode == 0 and str(saved) in out.stdout
    with duckdb.connect(str(live)) as c:
        c.execute("delete from cases")
    out = run_cli("restore", "--db", str(live), str(saved))
    assert out.returncode == 0, out.stderr
    with duckdb.connect(str(live), read_only=True) as c:
        assert c.execute("select case_id from cases order by 1").fetchall() == [("VD-YC-01",), ("VD-YC-02",)]
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"PK\x03\x04 not a database")
    out = run_cli("restore", "--db", str(live), str(junk))
    assert out.returncode == 1 and "không phải là cơ sở dữ liệu DuckDB" in out.stderr and "Traceback" not in out.stderr


def test_cli_restore_refused_while_another_process_holds_the_database(tmp_path):
    live = tmp_path / "held.duckdb"
    saved = tmp_path / "saved.duckdb"
    assert run_cli("backup", "--db", str(live), "--out", str(saved)).returncode == 1  # no database yet: explained
    db.connect(live)
    db.close(live)
    assert run_cli("backup", "--db", str(live), "--out", str(saved)).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(live)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        out = run_cli("restore", "--db", str(live), str(saved))
        assert out.returncode == 1
        assert "ứng dụng (streamlit) đang mở tệp này" in out.stderr and "Traceback" not in out.stderr
        assert not list(tmp_path.glob(".*restoring"))
    finally:
        holder.kill()
        holder.wait()


# --- The import page (AppTest supports st.file_uploader) ------------------------------------------------------------
@pytest.fixture
def page_db(tmp_path, monkeypatch):
    path = tmp_path / "page.duckdb"
    con = db.connect(path)
    add_resident(con, "R1")
    monkeypatch.setenv("PLANBOARD_DB", str(path))
    yield path
    db.close(path)


def _page() -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=60))
    at.run()
    assert not at.exception
    return at


def test_page_bad_file_shows_every_problem_and_blocks_the_import(page_db):
    at = _page()
    bad = (
        b"case_id,resident_id,requested_on,department,legal_field,status\n"
        b"X1,R1,31/02/2024,CTXH,dan_su,tiep_nhan\nX2,R9,01/03/2024,CTXH,dan_su,xong\n"
    )
    at.file_uploader[0].set_value(("cases.csv", bad, "text/csv")).run()
    assert not at.exception
    assert at.error[0].value.startswith("Có 3 lỗi nên chưa thể nhập.")
    frame = at.table[0].value  # a static table: every message read whole
    assert list(frame.columns) == ["Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Lỗi"]
    # Rows as Excel numbers them: the header is row 1.
    assert list(zip(frame["Dòng"], frame["Cột"], frame["Giá trị"], strict=True)) == [
        (2, "requested_on", "31/02/2024"),
        (3, "status", "xong"),
        (3, "resident_id", "R9"),
    ]
    confirm = next(b for b in at.button if b.label == "Xác nhận nhập")
    assert confirm.disabled


def test_page_good_file_preview_then_confirm_writes_it(page_db):
    at = _page()
    good = (
        "Mã vụ việc,Mã đối tượng,Ngày yêu cầu,Bộ phận tiếp nhận,Lĩnh vực,Trạng thái\n"
        "P1,R1,02/04/2024,CTXH,Dân sự,Đã tiếp nhận\nP2,R1,03/04/2024,CTXH,dat_dai,tiep_nhan\n"
    ).encode()
    at.file_uploader[0].set_value(("cases.csv", good, "text/csv")).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.metric] == ["2", "0", "0"]
    assert at.dataframe[0].value.values.tolist() == [["Yêu cầu TGPL", 2, 0, 0]]
    con = db.connect(page_db)
    assert _rows(con, "select count(*) from cases") == [(0,)]  # a preview writes nothing
    version = db.data_version(con)
    next(b for b in at.button if b.label == "Xác nhận nhập").click().run()
    assert not at.exception
    # The file name is the uploader's text, escaped for Markdown (AppTest shows the Markdown source).
    assert at.success[0].value.startswith("Đã nhập xong (cases\\.csv): Yêu cầu TGPL: thêm 2, cập nhật 0, không đổi 0.")
    assert _rows(con, "select case_id, requested_on, legal_field from cases order by 1") == [
        ("P1", dt.date(2024, 4, 2), "dan_su"),
        ("P2", dt.date(2024, 4, 3), "dat_dai"),
    ]
    assert db.data_version(con) == version + 1  # every page's cache key moves on
    assert len(backup.backups_of(page_db)) == 1
    log = at.dataframe[-1].value
    # Who imported: the signed-in account (sign_in's username 'test'), no longer a name typed into a box.
    assert log.iloc[0]["Người thực hiện"] == "test" and log.iloc[0]["Tệp"] == "cases.csv"
    assert log.iloc[0]["Thêm mới"] == "2" and log.iloc[0]["Nguồn"] == "Ứng dụng"


def test_form_picker_queries_search_limit_and_units(con):
    """The entry forms' pickers read at most row_limit ids (a search finds the others) and count every match."""
    for i in range(1, 6):
        add_resident(con, f"R{i}", department="CTXH" if i <= 3 else "CSKC")
        add_case(con, f"C{i}", f"R{i}", dt.date(2024, 3, i), department="CTXH" if i <= 3 else "CSKC")
    add_staff(con, "S1")
    add_staff(con, "S2", department="CSKC")
    add_event(con, "T1", "tap_huan", dt.date(2024, 4, 1), department="HCTH")
    add_event(con, "T2", "tap_huan", dt.date(2024, 5, 1), department="HCTH")
    add_event(con, "E1", "phat_thanh", dt.date(2024, 6, 1))
    add_training(con, "T1", "S1")
    add_training(con, "T2", "S2")
    # Another center's records with the same ids: never in this center's pickers.
    add_resident(con, "R1", center="TT_X")
    add_case(con, "C1", "R1", dt.date(2024, 3, 1), center="TT_X")
    add_staff(con, "S1", center="TT_X")
    add_event(con, "T1", "tap_huan", dt.date(2024, 4, 1), center="TT_X")
    add_training(con, "T1", "S1", center="TT_X")

    def ids(name, **kw):
        frame = db.query(
            con, name, **{"search": "", "departments": None, "row_limit": None, "centers": ["BTXH_BL"], **kw}
        )
        return frame.iloc[:, 0].tolist(), (int(frame["match_count"].iloc[0]) if len(frame) else 0)

    assert ids("requests_ids") == (["C1", "C2", "C3", "C4", "C5"], 5)
    assert ids("requests_ids", row_limit=2) == (["C1", "C2"], 5)  # the first two, five in all
    assert ids("requests_ids", departments=["CTXH"], row_limit=2) == (["C1", "C2"], 3)
    assert ids("requests_ids", search="c4") == (["C4"], 1)  # case-insensitive part of the id
    assert ids("requests_ids", search="X") == ([], 0)
    assert ids("residents_ids", departments=["CSKC"]) == (["R4", "R5"], 2)
    assert ids("staff_ids", departments=["CTXH"]) == (["S1"], 1)
    # A training row's course: tap_huan events, most recent first.
    assert ids("events_ids", event_types=["tap_huan"], recent_first=True) == (["T2", "T1"], 2)
    assert ids("events_ids", event_types=None, recent_first=False) == (["E1", "T1", "T2"], 3)
    # Training rows are their staff member's unit.
    frame = db.query(con, "training_ids", search="", departments=["CSKC"], row_limit=None, centers=None)
    assert list(frame[["event_id", "staff_id"]].itertuples(index=False, name=None)) == [("T2", "S2")]
    assert db.query(con, "training_ids", search="t1 / s", departments=None, row_limit=None, centers=["BTXH_BL"])[
        "event_id"
    ].tolist() == ["T1"]
    # The other center's, and every center's (null).
    assert ids("requests_ids", centers=["TT_X"]) == (["C1"], 1)
    assert ids("requests_ids", centers=None) == (["C1", "C1", "C2", "C3", "C4", "C5"], 6)
    assert ids("events_ids", centers=["TT_X"], event_types=None, recent_first=False) == (["T1"], 1)
    assert ids("residents_ids", centers=["TT_X"]) == (["R1"], 1)
    assert ids("staff_ids", centers=["TT_X"]) == (["S1"], 1)
    assert ids("training_ids", centers=["TT_X"]) == (["T1"], 1)


def test_page_form_picker_searches_by_id(page_db):
    con = db.connect(page_db)
    for i in range(1, 13):
        add_case(con, f"YC{i:03d}", "R1", dt.date(2024, 3, 1))
    at = _page()
    picker = at.selectbox(key="imp_pick_cases")
    assert [o for o in picker.options if o.startswith("YC")] == [f"YC{i:03d}" for i in range(1, 13)]
    at.text_input(key="imp_search_cases").set_value("yc01").run()
    assert not at.exception
    assert [o for o in at.selectbox(key="imp_pick_cases").options if o.startswith("YC")] == ["YC010", "YC011", "YC012"]
    at.selectbox(key="imp_pick_cases").set_value(("YC011",)).run()
    assert not at.exception
    at.text_input(key="imp_search_cases").set_value("zz").run()  # the chosen record stays in the list
    assert [o for o in at.selectbox(key="imp_pick_cases").options if o.startswith("YC")] == ["YC011"]
    assert any('chứa "zz"' in c.value for c in at.caption)
