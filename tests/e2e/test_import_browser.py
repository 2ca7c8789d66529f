"""One real upload through the browser: a bad file shows its problems, a good one previews and is written on confirm.
Own server on its own database, so the shared demo server's numbers stay untouched."""

from __future__ import annotations

import pytest

from .conftest import CUT_JS, TABLE_CELLS, own_demo_server, wait_for_app


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    with own_demo_server(tmp_path_factory, "e2e_import") as server:
        yield server


def test_upload_bad_then_good_file(import_server, page):
    url, db, tmp = import_server
    bad = tmp / "bad" / "cases.csv"
    bad.parent.mkdir()
    bad.write_text(
        "case_id,resident_id,requested_on,department,legal_field,status\nX1,NCT001,31/02/2024,CTXH,dan_su,tiep_nhan\n",
        encoding="utf-8",
    )
    good = tmp / "good" / "cases.csv"
    good.parent.mkdir()
    good.write_text(
        "Mã vụ việc,Mã đối tượng,Ngày yêu cầu,Bộ phận tiếp nhận,Lĩnh vực,Trạng thái\n"
        "YC-E2E-1,NCT001,02/04/2024,CTXH,Dân sự,Đã tiếp nhận\n",
        encoding="utf-8",
    )
    page.goto(f"{url}/nhap-du-lieu")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("Có 1 lỗi nên chưa thể nhập.").wait_for(timeout=30000)
    wait_for_app(page)
    assert page.get_by_role("button", name="Xác nhận nhập").is_disabled()
    page.goto(f"{url}/nhap-du-lieu")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    page.get_by_text("Không có lỗi.").wait_for(timeout=30000)
    wait_for_app(page)
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_text("Đã nhập xong (cases.csv): Yêu cầu TGPL: thêm 1").wait_for(timeout=30000)
    wait_for_app(page)
    # The import log on the same page now lists this one import (the server holds the database file).
    page.get_by_text("1 lần nhập gần nhất").wait_for(timeout=30000)


def test_a_corrected_file_replaces_the_failed_one_of_the_same_name(import_server, page):
    url, db, tmp = import_server
    bad = tmp / "bad2" / "cases.csv"
    bad.parent.mkdir()
    bad.write_text(
        "case_id,resident_id,requested_on,department,legal_field,status\nX2,NCT001,31/02/2024,CTXH,dan_su,tiep_nhan\n",
        encoding="utf-8",
    )
    good = tmp / "good2" / "cases.csv"
    good.parent.mkdir()
    good.write_text(
        "Mã vụ việc,Mã đối tượng,Ngày yêu cầu,Bộ phận tiếp nhận,Lĩnh vực,Trạng thái\n"
        "YC-E2E-2,NCT001,03/04/2024,CTXH,Dân sự,Đã tiếp nhận\n",
        encoding="utf-8",
    )
    page.goto(f"{url}/nhap-du-lieu")
    wait_for_app(page)
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    dropzone.set_input_files(str(bad))
    page.get_by_text("Có 1 lỗi nên chưa thể nhập.").wait_for(timeout=30000)
    wait_for_app(page)
    # the message column is read whole (a data grid cut it at its width)
    assert page.evaluate(CUT_JS, TABLE_CELLS) == []
    assert "Ngày không có thật: '31/02/2024'" in page.locator('[data-testid="stTable"]').inner_text()
    # no reload: the corrected file is dropped next to the failed one and takes its place
    dropzone.set_input_files(str(good))
    page.get_by_text("Không có lỗi.").wait_for(timeout=30000)
    wait_for_app(page)
    body = page.inner_text("body")
    assert "Tệp mới thay cho tệp cùng tên đã chọn trước: cases.csv" in body
    assert "có ở nhiều nơi" not in body and "'cases'" not in body
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.get_by_text("Đã nhập xong (cases.csv): Yêu cầu TGPL: thêm 1").wait_for(timeout=30000)
