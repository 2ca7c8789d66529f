"""Streamlit's own English words read in Vietnamese in the Vietnamese interface (issue 15, item 11): the file
uploader, the multiselect's "Select all", the "Page not found" dialog, the form's Enter hint, the skip link."""

from __future__ import annotations

from .conftest import wait_for_app

ENGLISH = (
    "Upload",
    "per file",
    "Drag and drop",
    "Select all",
    "options available",
    "Page not found",
    "does not seem to exist",
    "Press Enter",
    "Skip to main content",
    "Stop",
    "Running...",
    "Rerun",
    "Settings",
    "Record",
    "Made with",
)


def _english_in(text: str) -> list[str]:
    return [w for w in ENGLISH if w in text]


def test_streamlit_widgets_speak_vietnamese(server, page, tmp_path):
    # The login form: its Enter hint, the skip link.
    page.goto(f"{server}/nhap-du-lieu")
    wait_for_app(page, login=None)
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.wait_for_timeout(500)
    assert _english_in(page.inner_text("body")) == []
    wait_for_app(page)  # signs in; the import page opens

    uploader = page.locator('[data-testid="stFileUploaderDropzone"]').first
    text = uploader.inner_text()
    assert "Chọn tệp" in text and "Tối đa 50 MB mỗi tệp • CSV, XLSX" in text, text
    assert _english_in(text) == []

    page.goto(f"{server}/yeu-cau?as_of=2024-06-30")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stMultiSelect"]')
    page.locator('[data-testid="stMultiSelect"]').first.locator("input").click()
    dropdown = page.locator('[data-testid="stMultiSelectDropdown"]')
    dropdown.wait_for()
    page.wait_for_timeout(300)
    assert "Chọn tất cả" in dropdown.inner_text()
    assert _english_in(page.inner_text("body")) == []
    page.keyboard.press("Escape")

    page.goto(f"{server}/khong-co-trang-nay")
    dialog = page.locator('[data-testid="stDialog"]')
    dialog.wait_for(timeout=30_000)
    # The page's script translates as soon as it is on the page (a fraction of a second after the dialog opens).
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=stDialog]') || {}).innerText?.includes('Không có trang này')",
        timeout=10_000,
    )
    text = dialog.inner_text()
    assert "Không có trang này" in text and "Ứng dụng mở trang chính" in text, text
    assert _english_in(page.inner_text("body")) == []
    page.screenshot(path=str(tmp_path / "page-not-found.png"))
    page.keyboard.press("Escape")

    # The main menu (top right).
    page.locator('[data-testid="stMainMenu"]').click()
    menu = page.locator('[data-testid="stMainMenuPopover"]')
    menu.wait_for()
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMainMenuPopover]')?.innerText?.includes('Quay video màn hình')",
        timeout=10_000,
    )
    assert "Làm bằng Streamlit" in menu.inner_text() and _english_in(menu.inner_text()) == [], menu.inner_text()
