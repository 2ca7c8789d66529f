"""Values typed by one user are shown to another as text, never as Markdown or HTML: a record id that is a Markdown
image, an event title that is a link and an image. Every request the browser makes outside the app's own server is
recorded and refused (route interception), so a fetched pixel fails the test (Streamlit itself asks
fonts.gstatic.com for some material icons: refused too, and not the payload's). Own server on its own database."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, running_server, wait_for_app

OUTSIDE = "http://127.0.0.1:8629"  # nothing listens there: the payloads only have to make the browser ask
CASE_ID = f"Q![t]({OUTSIDE}/pixel.png)"
TITLE = f'<a href="{OUTSIDE}/a">bấm</a><img src="{OUTSIDE}/i.png"> **đậm** %{{x}}'
PROVIDER = f'<a href="{OUTSIDE}/p">Luật sư X</a>'  # free text: the explore page charts it by its name


@pytest.fixture(scope="module")
def planted_server(tmp_path_factory):
    """A demo database where a unit's staff has planted the payloads through the importer, served by a real server."""
    from planboard import db, ingest
    from planboard.plan import load_plan

    tmp = tmp_path_factory.mktemp("e2e_inject")
    path = tmp / "inject.duckdb"
    subprocess.run(
        [sys.executable, "-m", "planboard", "demo", "--single", "--db", str(path), "--scale", "1"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    cases = (
        "case_id,resident_id,requested_on,department,legal_field,status,provider\n"
        f'"{CASE_ID}",NCT002,02/04/2024,CTXH,dan_su,tiep_nhan,"{PROVIDER.replace(chr(34), chr(34) * 2)}"\n'
    )
    events = (
        "event_id,event_type,activity,held_on,department,title\n"
        f'HD-X,phat_thanh,4.1,20/07/2024,CTXH,"{TITLE.replace(chr(34), chr(34) * 2)}"\n'
    )
    con = db.connect(path)
    try:
        result = ingest.import_files(
            con,
            load_plan(),
            [("cases.csv", cases.encode()), ("events.csv", events.encode())],
            user="canbo",
            allowed_departments={"CTXH"},
        )
        assert result.written, result.problems
    finally:
        con.close()
    with running_server(path) as url:
        yield url


@pytest.fixture
def guarded(page, planted_server):
    """The page, with every request not to the app's server recorded and aborted."""
    outside: list[str] = []

    def handle(route):
        if route.request.url.startswith(planted_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.context.route("**/*", handle)
    return page, planted_server, outside


def test_record_id_in_the_entry_form_is_text(guarded):
    page, url, outside = guarded
    page.goto(f"{url}/nhap-du-lieu")
    wait_for_app(page, login=("admin", "demo-quantri"))
    page.get_by_role("tab", name="Nhập tay").click()
    wait_for_app(page)
    page.get_by_label("Tìm theo mã").fill("Q!")
    page.get_by_label("Tìm theo mã").press("Enter")
    wait_for_app(page)
    page.get_by_role("combobox", name="Bản ghi").click()
    page.get_by_role("option", name=CASE_ID).click()
    wait_for_app(page)
    # The header and the delete confirmation name the id as it was typed, and build no image or link from it.
    header = page.get_by_text("Sửa yêu cầu TGPL Q!")
    header.wait_for(timeout=20000)
    assert header.text_content().replace("\u2060", "") == f"Sửa yêu cầu TGPL {CASE_ID}"
    page.get_by_text("Xóa bản ghi này").click()
    confirm = page.get_by_text("Tôi chắc chắn muốn xóa")
    confirm.wait_for(timeout=20000)
    assert CASE_ID in confirm.text_content().replace("\u2060", "")
    planted = page.locator('img[src*="8629"], a[href*="8629"]')
    assert planted.count() == 0, planted.evaluate_all("els => els.map(e => e.parentElement.outerHTML)")
    page.wait_for_timeout(1000)
    assert [u for u in outside if "8629" in u] == [], outside


def test_event_title_in_the_timeline_hover_is_text(guarded):
    page, url, outside = guarded
    page.goto(f"{url}/hoat-dong?as_of=2024-12-31")
    wait_for_app(page, login=("admin", "demo-quantri"))
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30000)
    # Where the planted event's point is drawn, from the figure's own axes (the point alone on its day).
    spot = chart.evaluate("""gd => {
        for (const [c, trace] of gd.data.entries()) {
            const i = (trace.text || []).findIndex(t => t.includes('bấm'));
            if (i < 0) continue;
            const p = gd.calcdata[c][i], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            return {x: xa._offset + xa.c2p(p.x), y: ya._offset + ya.c2p(p.y)};
        }
        return null;
    }""")
    assert spot is not None
    box = chart.bounding_box()
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=10000)
    text = hover.text_content()
    assert '<a href="http://127.0.0.1:8629/a">bấm</a>' in text and "**đậm** %{x}" in text, text
    assert page.locator(".hoverlayer a").count() == 0
    page.wait_for_timeout(1000)
    assert [u for u in outside if "8629" in u] == [], outside


def test_provider_name_in_the_explore_chart_is_text(guarded):
    page, url, outside = guarded
    page.goto(f"{url}/kham-pha?ds=requests&by=provider&as_of=2024-12-31")
    wait_for_app(page, login=("admin", "demo-quantri"))
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30000)
    # The x axis names every provider: the planted one as its literal text, with no link drawn from it.
    ticks = chart.locator(".xtick text").all_text_contents()
    assert PROVIDER in ticks, ticks
    assert chart.locator("a").count() == 0
    page.wait_for_timeout(1000)
    assert [u for u in outside if "8629" in u] == [], outside
