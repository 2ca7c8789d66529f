"""Reports out: the meeting brief, the .docx report and the .xlsx workbook read the same numbers as `kpis`."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import subprocess
import tomllib
from dataclasses import replace

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, add_case, add_event, add_resident, run_cli, sign_in, to_pdf
from docx import Document
from docx.oxml.ns import qn
from streamlit.testing.v1 import AppTest

from planboard import db, demo, fmt, kpis, privacy, reports
from planboard.periods import today_vn
from planboard.plan import DEFAULT_PLAN, parse_plan
from planboard.reports import brief as brief_mod
from planboard.reports import charts, docx_report, xlsx_report
from planboard.reports import settings as report_settings

CTXH = "Bộ phận Công tác Xã hội và Phát triển cộng đồng"
HCTH = "Bộ phận Hành chính - Tổng hợp"
CSKC = "Bộ phận Chăm sóc Khẩn cấp và dài hạn"
BEHIND = ("khong_dat", "cham_tien_do", "can_chu_y")


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "demo.duckdb"
    con = db.connect(path)
    demo.fill(con)
    yield con
    db.close(path)


def brief_at(con, plan, d: dt.date, kind: str = "month"):
    return brief_mod.build(con, plan, reports.report_period(plan, kind, d))


def expected_value_text(rec: dict) -> str:
    """The value cell as the report must show it, rebuilt from the machine record of `kpis`."""
    if rec["denominator"] is None:
        return fmt.number(rec["value"])
    text = fmt.rate(rec["numerator"], rec["denominator"])
    return text + (" · mẫu nhỏ" if fmt.is_small(rec["denominator"]) else "")


# --- periods ---------------------------------------------------------------------------------------------


def test_half_year_report_defaults_to_the_plan_cutoff_14_06(plan):
    p = reports.report_period(plan, "half")
    assert p.as_of == dt.date(2024, 6, 14)
    assert p.start == dt.date(2024, 1, 1)  # still cumulative from 1 January
    assert p.previous == dt.date(2024, 5, 31)
    assert p.label() == "6 tháng đầu năm 2024"


def test_month_and_quarter_periods_take_the_given_date_or_the_period_end_clipped(plan):
    assert reports.report_period(plan, "month", dt.date(2024, 6, 30)).label() == "Tháng 6/2024"
    assert reports.report_period(plan, "quarter", dt.date(2024, 9, 30)).label() == "Quý III/2024"
    assert reports.report_period(plan, "month", dt.date(2026, 3, 1)).as_of == dt.date(2024, 12, 31)
    assert reports.report_period(plan, "quarter", today=dt.date(2024, 5, 10)).as_of == dt.date(2024, 6, 30)
    assert reports.report_period(plan, "month", today=dt.date(2024, 5, 10)).as_of == dt.date(2024, 5, 31)
    assert reports.report_period(plan, "year").as_of == dt.date(2024, 12, 31)
    assert reports.report_period(plan, "month", dt.date(2024, 1, 31)).previous is None  # no month before January


# --- the meeting brief -----------------------------------------------------------------------------------


def test_brief_at_30_06_hand_checked(demo_con, plan):
    b = brief_at(demo_con, plan, dt.date(2024, 6, 30))
    # activities: 1 (A1 0 < 1) and 3 (A3_MIEN_PHI 9/12 < 100%) behind; 2, 4.1, 4.2, 5 on track
    assert b.overall.startswith("Đến ngày 30/06/2024, 6 hoạt động của kế hoạch: 2 Chậm tiến độ, 4 Đúng tiến độ.")
    assert [x.code for x in b.behind] == ["A1_VAN_BAN", "A3_MIEN_PHI"]
    assert b.behind[0].text == (
        "**Chậm tiến độ** — Số văn bản rà soát, đề xuất hoàn thiện chính sách được ban hành: 0; "
        f"cần đạt 1 đến hết Quý II/2024 (còn thiếu 1). Chủ trì: {CTXH}; {HCTH}."
    )
    assert "— Tỷ lệ yêu cầu TGPL của người cao tuổi thuộc diện được đáp ứng miễn phí: 9/12 (75,0%)" in b.behind[1].text
    md = b.markdown
    # broadcasts 10 at 31/05 -> 12 at 30/06
    # prose names indicators (no codes) and says "reference target" in words (no '*')
    assert (
        "Số buổi phát thanh về TGPL trên loa nội bộ: 12 — mức cần đạt hiện tại 12, mục tiêu năm 24 "
        "(mục tiêu tham chiếu, Trung tâm tự đặt): Đúng tiến độ; tăng 2 so với ngày 31/05/2024."
    ) in md
    assert "được đáp ứng miễn phí: 9/12 (75,0%) — mức cần đạt hiện tại 100,0%" in md
    assert "*" not in md.replace("**", "") and not any(r.code in md for r in b.results)
    assert "ngày 31/05/2024: 7/9 (77,8%) · mẫu nhỏ." in md
    # next quarter levels (Q3: A1 1, broadcasts 18, meeting months 9); 06/6 held, October campaigns ahead
    assert (
        "Đến ngày 30/09/2024 (hết Quý III/2024): Số văn bản rà soát, đề xuất hoàn thiện chính sách được ban "
        "hành cần đạt 1 (hiện 0); Số buổi phát thanh về TGPL trên loa nội bộ cần đạt 18 (hiện 12); Số tháng có "
        "họp định kỳ lồng ghép TGPL cần đạt 9 (hiện 6)."
    ) in b.upcoming
    assert any(u.startswith("Hoạt động hưởng ứng Ngày Quốc tế NCT (01/10): chưa tổ chức") for u in b.upcoming)
    assert any("(tháng 10): chưa tổ chức — thời điểm tháng 10/2024 (Quý IV/2024)" in u for u in b.upcoming)
    assert not any("(06/6)" in u for u in b.upcoming)
    assert [c.split(":")[0] for c in b.caveats[:-1]] == [
        plan.indicator("A3_UU_TIEN").name().removesuffix(" (%)")
    ]  # 4/4


def test_brief_at_30_09_names_the_broadcasts_16_of_18(demo_con, plan):
    b = brief_at(demo_con, plan, dt.date(2024, 9, 30))
    assert [x.code for x in b.behind] == ["A3_MIEN_PHI", "A3_UU_TIEN", "A41_PHAT_THANH"]
    assert b.behind[2].text == (
        "**Chậm tiến độ** — Số buổi phát thanh về TGPL trên loa nội bộ: 16; cần đạt 18 đến hết "
        f"Quý III/2024 (còn thiếu 2). Chủ trì: {CTXH}."
    )
    assert b.behind[1].lead == (CTXH, CSKC)
    assert "6/7 (85,7%) · mẫu nhỏ" in b.behind[1].text
    assert b.status_counts == {"cham_tien_do": 2, "dung_tien_do": 3, "dat": 1}
    assert [c.split(":")[0] for c in b.caveats[:-1]] == [
        plan.indicator(c).name().removesuffix(" (%)") for c in ("A2_TAP_HUAN", "A3_UU_TIEN")
    ]  # 6/9, 6/7
    assert "được tập huấn: 6/9 (66,7%) · mẫu nhỏ" in b.markdown
    assert "Số buổi phát thanh về TGPL trên loa nội bộ cần đạt 24 (hiện 16)" in b.upcoming[-1]


def test_half_year_brief_at_14_06_warns_of_the_closing_quarter(demo_con, plan):
    b = brief_mod.build(demo_con, plan, reports.report_period(plan, "half"))
    assert b.period.as_of == dt.date(2024, 6, 14)
    hop = next(x for x in b.behind if x.code == "A41_HOP")
    # 5 meeting months, 6 due by 30/06, and 16 days left in the quarter -> Cần chú ý
    assert hop.text == (
        f"**Cần chú ý** — Số tháng có họp định kỳ lồng ghép TGPL: 5; cần đạt 6 trước ngày "
        f"30/06/2024 (hết Quý II/2024) (còn thiếu 1). Chủ trì: {CTXH}."
    )
    assert b.title == "Tóm tắt giao ban — 6 tháng đầu năm 2024, số liệu đến ngày 14/06/2024"


@pytest.mark.parametrize("d", [dt.date(2024, 6, 14), dt.date(2024, 6, 30), dt.date(2024, 9, 30), dt.date(2024, 12, 31)])
def test_brief_names_every_behind_indicator_with_its_lead_units(demo_con, plan, d):
    b = brief_at(demo_con, plan, d)
    behind = [r for r in kpis.compute(demo_con, plan, d) if r.status in BEHIND]
    assert behind and [x.code for x in b.behind] == [
        r.code for r in sorted(behind, key=lambda r: BEHIND.index(r.status))
    ]
    section = b.markdown.split("#### Cần xử lý")[1].split("####")[0]
    for r in behind:
        leads = [plan.unit(c).label for c in plan.activity(r.indicator.activity).lead]
        line = next(li for li in section.splitlines() if f" {r.indicator.name().removesuffix(' (%)')}:" in li)
        assert all(u in line for u in leads), line


def test_brief_at_31_12_reports_the_missed_targets(demo_con, plan):
    b = brief_at(demo_con, plan, dt.date(2024, 12, 31))
    a2 = next(x for x in b.behind if x.code == "A2_TAP_HUAN")
    assert a2.text.startswith(
        "**Không đạt** — Tỷ lệ người làm công tác TGPL được tập huấn: "
        "7/9 (77,8%) · mẫu nhỏ; cần đạt > 80,0% (mục tiêu năm 2024)."
    )
    assert b.upcoming == ()


def test_brief_counts_the_gap_to_a_strict_target(demo_con):
    # The demo holds 1 policy document all year. Under "> 1" (the year level is strict) 1 does not meet it: at 31/12
    # Không đạt, 2 (= floor(1) + 1) needed, 2 − 1 = 1 more; at 30/09 Q IV's level "> 1" is still ahead (1 held).
    with open(DEFAULT_PLAN, "rb") as f:
        data = copy.deepcopy(tomllib.load(f))
    next(d for d in data["indicators"] if d["code"] == "A1_VAN_BAN")["op"] = ">"
    strict = parse_plan(data)
    year_end = brief_at(demo_con, strict, dt.date(2024, 12, 31))
    a1 = next(x for x in year_end.behind if x.code == "A1_VAN_BAN")
    assert a1.text == (
        "**Không đạt** — Số văn bản rà soát, đề xuất hoàn thiện chính sách được ban hành: 1; "
        f"cần đạt > 1 (mục tiêu năm 2024) (còn thiếu 1). Chủ trì: {CTXH}; {HCTH}."
    )
    q3 = brief_at(demo_con, strict, dt.date(2024, 9, 30))
    assert "Số văn bản rà soát, đề xuất hoàn thiện chính sách được ban hành cần đạt > 1 (hiện 1)" in q3.upcoming[-1]


# --- the official report (.docx) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_0630(demo_con, plan):
    settings = report_settings.ReportSettings(
        number="12",
        signer="Tô Hồng Nguyên",
        signer_title="Giám đốc",
        recipients="Sở LĐTBXH (b/c);\nLưu: VT, CTXH.",
        difficulties="Thiếu loa ở khu B.",
        proposals="Bổ sung kinh phí.",
    )
    data = docx_report.build_docx(
        demo_con,
        plan,
        reports.report_period(plan, "month", dt.date(2024, 6, 30)),
        settings,
        issued_on=dt.date(2024, 7, 5),
    )
    return data, Document(io.BytesIO(data))


def test_docx_page_margins_and_font_follow_decree_30(docx_0630):
    _, doc = docx_0630
    s = doc.sections[0]
    # Word stores twips: 210 mm is 11906 twips, so compare to a tenth of a millimetre
    for value, mm in (
        (s.page_width, 210),
        (s.page_height, 297),
        (s.top_margin, 20),
        (s.bottom_margin, 20),
        (s.left_margin, 30),
        (s.right_margin, 15),
    ):
        assert abs(value.mm - mm) < 0.1
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 13
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman" and fonts.get(qn("w:cs")) == "Times New Roman"


def test_docx_heading_number_title_and_signature(docx_0630):
    _, doc = docx_0630
    left, right = doc.tables[0].rows[0].cells
    lp, rp = left.paragraphs, right.paragraphs
    assert lp[0].text == "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH BẠC LIÊU"
    assert lp[1].text == "TRUNG TÂM BẢO TRỢ XÃ HỘI TỈNH BẠC LIÊU" and lp[1].runs[0].bold
    assert lp[3].text == "Số: 12/BC-TTBTXH"
    assert rp[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and rp[0].runs[0].bold
    assert rp[1].text == "Độc lập - Tự do - Hạnh phúc" and rp[1].runs[0].bold and rp[1].runs[0].underline
    assert rp[3].text == "Bạc Liêu, ngày 05 tháng 7 năm 2024" and rp[3].runs[0].italic
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert doc.paragraphs[i].runs[0].bold
    assert texts[i + 1].startswith("Kết quả thực hiện Kế hoạch số 08/KH-TTBTXH ngày 23/02/2024 về triển khai")
    assert texts[i + 2] == "(Tháng 6/2024, số liệu đến ngày 30/06/2024)"
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Thiếu loa ở khu B.",
        "Bổ sung kinh phí.",
    ):
        assert heading in texts
    assert any(t.startswith("4.1. Thường xuyên tuyên truyền") for t in texts)
    sign_left, sign_right = doc.tables[-1].rows[0].cells
    assert [p.text for p in sign_left.paragraphs] == ["Nơi nhận:", "- Sở LĐTBXH (b/c);", "- Lưu: VT, CTXH."]
    assert sign_right.paragraphs[0].text == "GIÁM ĐỐC" and sign_right.paragraphs[0].runs[0].bold
    assert sign_right.paragraphs[-1].text == "Tô Hồng Nguyên"


def test_docx_indicator_table_equals_kpis(docx_0630, demo_con, plan):
    _, doc = docx_0630
    table = doc.tables[1]
    # no code column: a signed report names its indicators
    assert [c.text for c in table.rows[0].cells] == [
        "STT",
        "Chỉ tiêu",
        "Kết quả",
        "Mức cần đạt hiện tại",
        "Mục tiêu năm",
        "Trạng thái",
    ]
    records = [kpis.machine_record(r) for r in kpis.compute(demo_con, plan, dt.date(2024, 6, 30))]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    names = [plan.indicator(rec["indicator"]).name() for rec in records]
    assert [r[1] for r in rows] == names  # ALL 13, in plan order
    for row, rec in zip(rows, records, strict=True):
        assert row[2] == expected_value_text(rec), rec
    by_code = {rec["indicator"]: r for r, rec in zip(rows, records, strict=True)}
    assert by_code["A3_MIEN_PHI"][2:] == ["9/12 (75,0%)", "100,0%", "100,0%", "Chậm tiến độ"]
    assert by_code["A4_LUOT_NCT"][2:] == ["1.699", "–", "–", "Theo dõi"]
    assert by_code["A2_TAP_HUAN"][2:] == ["0/10 (0,0%)", "0,0%", "> 80,0%", "Đúng tiến độ"]
    assert by_code["A41_PHAT_THANH"][2:] == ["12", "12", "24 *", "Đúng tiến độ"]  # '*': the table's note explains


def test_docx_has_the_charts(docx_0630):
    _, doc = docx_0630
    assert len(doc.inline_shapes) >= 1
    assert len(doc.inline_shapes) == 2  # status counts, cumulative progress


def test_docx_converts_to_pdf_with_libreoffice(docx_0630, tmp_path):
    pdf = to_pdf(docx_0630[0], tmp_path)
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(tmp_path / "document.pdf")], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    else:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 1


def test_chart_palette_is_the_pages_palette():
    from planboard.ui import components

    assert charts.STATUS_COLORS == components.STATUS_COLORS


# --- the workbook (.xlsx) --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_0930(demo_con, plan):
    data = xlsx_report.build_xlsx(demo_con, plan, reports.report_period(plan, "month", dt.date(2024, 9, 30)))
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_indicator_sheet_equals_kpis_with_numbers_as_numbers(xlsx_0930, demo_con, plan):
    ws = xlsx_0930["Chỉ tiêu"]
    header = [c.value for c in ws[1]]
    assert header[:10] == [
        "Mã chỉ tiêu",
        "Mục",
        "Chỉ tiêu",
        "Loại",
        "Giá trị",
        "Tử số",
        "Mẫu số",
        "Mức cần đạt hiện tại",
        "Mục tiêu năm",
        "Trạng thái",
    ]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    records = [kpis.machine_record(r) for r in kpis.compute(demo_con, plan, dt.date(2024, 9, 30))]
    assert list(rows) == [rec["indicator"] for rec in records]
    for rec in records:
        row = rows[rec["indicator"]]
        for key, col in (
            ("value", "Giá trị"),
            ("numerator", "Tử số"),
            ("denominator", "Mẫu số"),
            ("expected_now", "Mức cần đạt hiện tại"),
            ("target_year", "Mục tiêu năm"),
        ):
            assert row[col] == rec[key], (rec["indicator"], key)
            assert row[col] is None or isinstance(row[col], (int, float))
    assert rows["A41_PHAT_THANH"]["Giá trị"] == 16 and rows["A41_PHAT_THANH"]["Mức cần đạt hiện tại"] == 18
    assert rows["A41_PHAT_THANH"]["Trạng thái"] == "Chậm tiến độ"
    assert rows["A3_MIEN_PHI"]["Giá trị"] == 80.95  # 17/21 rounded half away from zero
    assert rows["A2_TAP_HUAN"]["Ghi chú"] == "mẫu nhỏ"
    assert rows["A2_TAP_HUAN"]["Số liệu đến ngày"] == dt.datetime(2024, 9, 30)
    assert ws["L2"].number_format == "DD/MM/YYYY"


def test_xlsx_activity_sheet_has_the_monthly_and_quarterly_series(xlsx_0930, demo_con, plan):
    ws = xlsx_0930["HĐ 4.1"]
    header = [c.value for c in ws[1]]
    assert header[:6] == [
        "Loại kỳ",
        "Kỳ",
        "Số liệu đến ngày",
        "A41_PHAT_THANH – kết quả lũy kế",
        "A41_PHAT_THANH – mức cần đạt",
        "A41_PHAT_THANH – trạng thái",
    ]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [f"Tháng {m}/2024" for m in range(1, 10)] + [
        "Quý I/2024",
        "Quý II/2024",
        "Quý III/2024",
    ]
    series = kpis.compute_series(demo_con, plan, plan.indicator("A41_PHAT_THANH"), [r[2].date() for r in rows])
    assert [r[3] for r in rows] == [x.numerator for x in series]
    assert rows[5][3] == 12 and rows[8][3] == 16 and rows[8][4] == 18  # 30/06 and 30/09
    assert ws["C2"].number_format == "DD/MM/YYYY"
    assert set(xlsx_0930.sheetnames) >= {"HĐ 1", "HĐ 2", "HĐ 3", "HĐ 4.2", "HĐ 5", "Hoạt động", "Yêu cầu TGPL"}


def test_xlsx_record_sheets_hold_the_period_records(xlsx_0930, demo_con):
    events = demo_con.execute(
        "select count(*) from events where held_on between '2024-01-01' and '2024-09-30'"
    ).fetchone()[0]
    cases = demo_con.execute(
        "select count(*) from cases where requested_on between '2024-01-01' and '2024-09-30'"
    ).fetchone()[0]
    assert xlsx_0930["Hoạt động"].max_row - 1 == events
    ws = xlsx_0930["Yêu cầu TGPL"]
    assert ws.max_row - 1 == cases == 26  # A3_YEU_CAU at 30/09
    assert [c.value for c in ws[1]][:4] == ["Mã vụ việc", "Mã đối tượng", "Họ và tên", "Ngày yêu cầu"]
    assert isinstance(ws["D2"].value, dt.datetime) and ws["D2"].number_format == "DD/MM/YYYY"


def test_xlsx_neutralises_formula_text_and_masks_personal_columns(con, plan):
    add_resident(con, "R1", full_name="=cmd|' /C calc'!A0")
    add_case(con, "C1", "R1", dt.date(2024, 3, 1), notes="@SUM(1+1)")
    add_event(con, "E1", "phat_thanh", dt.date(2024, 3, 2), title='=HYPERLINK("http://x","y")', notes="+84 91")
    add_event(con, "E2", "phat_thanh", dt.date(2024, 3, 3), title="-1 buổi", document_number="12/BC")
    period = reports.report_period(plan, "month", dt.date(2024, 3, 31))
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_report.build_xlsx(con, plan, period)))
    ev = wb["Hoạt động"]
    assert ev["F2"].value == '\'=HYPERLINK("http://x","y")' and ev["F2"].data_type == "s"
    assert ev["J2"].value == "'+84 91"
    assert ev["F3"].value == "'-1 buổi" and ev["G3"].value == "12/BC"
    req = wb["Yêu cầu TGPL"]
    assert req["C2"].value == "'=cmd|' /C calc'!A0" and req["Q2"].value == "'@SUM(1+1)"
    # Another unit's record (unit staff of a unit that is not C1's): personal columns masked.
    masked = openpyxl.load_workbook(
        io.BytesIO(xlsx_report.build_xlsx(con, plan, period, personal_allowed=("KHONG_PHAI",)))
    )
    req = masked["Yêu cầu TGPL"]
    assert req["C2"].value == "***" and req["Q2"].value == "***" and req["J2"].value == "***"
    assert req["A2"].value == "C1"
    # Viewers (personal_allowed=False): no sheet of requests at all (issue 15, item 9).
    viewer = openpyxl.load_workbook(io.BytesIO(xlsx_report.build_xlsx(con, plan, period, personal_allowed=False)))
    assert "Yêu cầu TGPL" not in viewer.sheetnames and viewer["Hoạt động"]["J2"].value == "***"


def test_safe_text_and_mask():
    assert [xlsx_report.safe_text(v) for v in ("=1+1", "+1", "-2", "@A1", "\tx", "Bình thường", 5, None)] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@A1",
        "'\tx",
        "Bình thường",
        5,
        None,
    ]
    df = pd.DataFrame({"full_name": ["Nguyễn Văn A", None], "case_id": ["C1", "C2"]})
    assert privacy.mask(df, ["full_name"], allowed=True).equals(df)
    masked = privacy.mask(df, ["full_name"], allowed=False)
    assert masked["full_name"][0] == "***" and pd.isna(masked["full_name"][1])  # empty stays empty
    assert masked["case_id"].tolist() == ["C1", "C2"]
    assert df["full_name"][0] == "Nguyễn Văn A"  # the input is untouched


# --- settings ---------------------------------------------------------------------------------------------


def test_settings_default_from_the_plan_and_are_remembered_across_a_reconnect(db_file, plan):
    con = db.connect(db_file)
    first = report_settings.load(con, plan)
    assert first.signer == "Tô Hồng Nguyên" and first.signer_title == "Giám đốc" and first.number == ""
    assert first.recipient_lines()[0] == "Sở Lao động - Thương binh và Xã hội tỉnh Bạc Liêu (để báo cáo);"
    saved = report_settings.ReportSettings(
        number="27",
        signer="Nguyễn Thị C",
        signer_title="Phó Giám đốc",
        recipients="Sở LĐTBXH;\nLưu: VT.",
        difficulties="Thiếu người.",
        proposals="Tập huấn thêm.",
    )
    report_settings.save(con, saved, "BTXH_BL")
    report_settings.save(con, saved, "BTXH_BL")  # saving twice replaces, never duplicates
    db.close(db_file)
    again = db.connect(db_file)
    assert report_settings.load(again, plan) == saved
    assert again.execute("select count(*) from report_settings").fetchone()[0] == len(report_settings.KEYS)


# --- command line -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    demo.fill(db.connect(path))
    db.close(path)  # the command opens it itself
    return path


@pytest.mark.parametrize("fmt_", ["docx", "xlsx", "md"])
def test_cli_report_writes_the_file(cli_db, tmp_path, fmt_):
    out = tmp_path / f"bao-cao.{fmt_}"
    p = run_cli("report", "--db", str(cli_db), "--as-of", "2024-09-30", "--format", fmt_, "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "Đã ghi báo cáo Tháng 9/2024 (số liệu đến ngày 30/09/2024)" in p.stdout
    data = out.read_bytes()
    if fmt_ == "md":
        assert "— Số buổi phát thanh về TGPL trên loa nội bộ: 16; cần đạt 18" in data.decode()
    elif fmt_ == "docx":
        assert len(Document(io.BytesIO(data)).tables[1].rows) == 14
    else:
        assert openpyxl.load_workbook(io.BytesIO(data))["Chỉ tiêu"]["E7"].value == 16  # A41_PHAT_THANH


def test_cli_half_year_report_defaults_to_14_06(cli_db, tmp_path):
    out = tmp_path / "half.md"
    p = run_cli("report", "--db", str(cli_db), "--period", "half", "--format", "md", "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert out.read_text(encoding="utf-8").startswith(
        "### Tóm tắt giao ban — 6 tháng đầu năm 2024, số liệu đến ngày 14/06/2024"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "2024-13-01", "--format", "md", "--out", "x.md"], "Ngày không hợp lệ: '2024-13-01'"),
        (["--format", "pdf", "--out", "x.pdf"], "invalid choice"),
        (["--format", "md"], "--out"),
        (["--period", "week", "--format", "md", "--out", "x.md"], "invalid choice"),
        (["--format", "md", "--out", "/nonexistent-dir/x.md"], "Không ghi được tệp"),
    ],
)
def test_cli_report_bad_arguments_exit_1_without_traceback(cli_db, args, message):
    p = run_cli("report", "--db", str(cli_db), *args)
    assert p.returncode == 1
    assert message in p.stderr and "Traceback" not in p.stderr


def test_cli_report_without_database_exit_1(tmp_path):
    p = run_cli("report", "--db", str(tmp_path / "none.duckdb"), "--format", "md", "--out", str(tmp_path / "x.md"))
    assert p.returncode == 1 and "Chưa có cơ sở dữ liệu" in p.stderr and "Traceback" not in p.stderr


# --- the page ---------------------------------------------------------------------------------------------


def test_reports_page_shows_the_brief_and_remembers_settings(demo_db, plan):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.query_params["as_of"] = "2024-09-30"
    at.run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    assert at.title[0].value == "Báo cáo Tháng 9/2024 — số liệu đến ngày 30/09/2024"
    text = "\n".join(m.value for m in at.markdown)
    assert (
        "**Chậm tiến độ** — Số buổi phát thanh về TGPL trên loa nội bộ: 16; cần đạt 18 đến hết "
        "Quý III/2024 (còn thiếu 2)."
    ) in text
    assert at.metric[1].value == "3"  # A3_MIEN_PHI, A3_UU_TIEN, A41_PHAT_THANH
    assert "Số buổi phát thanh về TGPL trên loa nội bộ: 16" in at.code[0].value
    at.text_input[0].set_value("31")
    at.button[0].click().run()  # the form's only button: save
    assert not at.exception
    assert report_settings.load(db.connect(demo_db), plan).number == "31"
    assert any("Đã lưu" in s.value for s in at.success)


# --- meeting-ready: the .docx can be signed as downloaded (issue 15, items 3 and 10) ----------------------------


def _body_paragraphs(doc) -> list[str]:
    """The prose: every paragraph outside the tables, except the indicator table's note (it explains its '*')."""
    return [p.text for p in doc.paragraphs if p.text and not p.text.startswith("Ghi chú:")]


def test_docx_prose_names_indicators_without_codes_or_stars(docx_0630, plan):
    _, doc = docx_0630
    prose = "\n".join(_body_paragraphs(doc))
    assert not [i.code for i in plan.indicators if i.code in prose]
    assert "*" not in prose
    # a reference target said in words: A41_PHAT_THANH's year target 24 is one
    assert "mục tiêu năm 24 (mục tiêu tham chiếu, Trung tâm tự đặt)" in prose
    # and no code in any table cell either (the table names its indicators)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert not [i.code for i in plan.indicators if i.code in cells]


def test_docx_table_title_keeps_with_the_table_and_rows_do_not_split(docx_0630):
    _, doc = docx_0630
    title = next(p for p in doc.paragraphs if p.text.startswith("Bảng tổng hợp kết quả các chỉ tiêu"))
    assert title.paragraph_format.keep_with_next
    table = doc.tables[1]
    # header and the first two rows keep with the next row: the title never ends a page alone
    for row in table.rows[:3]:
        assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in row.cells)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    # headings keep with their text too
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC", "III. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert next(p for p in doc.paragraphs if p.text == heading).paragraph_format.keep_with_next


@pytest.mark.parametrize("written", ["", "(Nêu khó khăn, vướng mắc trong quá trình thực hiện kế hoạch.)"])
def test_docx_never_prints_the_prompt_of_an_unwritten_section(demo_con, plan, written):
    # "" = never written; the prompt itself = what older versions saved as the default text
    settings = report_settings.ReportSettings(
        number="",
        signer="A",
        signer_title="Giám đốc",
        recipients="Lưu: VT.",
        difficulties=written,
        proposals="(Nêu đề xuất, kiến nghị với cấp trên.)",
    )
    assert report_settings.missing(settings) == ["difficulties", "proposals"]
    data = docx_report.build_docx(
        demo_con,
        plan,
        reports.report_period(plan, "month", dt.date(2024, 6, 30)),
        settings,
        issued_on=dt.date(2024, 7, 5),
    )
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert not [x for x in texts if "(Nêu" in x]
    i = texts.index("II. KHÓ KHĂN, VƯỚNG MẮC")
    assert texts[i + 1] == docx_report.DOTS and texts[i + 3] == docx_report.DOTS  # a dotted line to write on
    assert not report_settings.missing(replace(settings, difficulties="Thiếu loa.", proposals="Thêm loa."))


def _pdf_pages(docx: bytes, tmp_path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip(reason="poppler-utils is needed: apt-get install -y poppler-utils")
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(to_pdf(docx, tmp_path))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_docx_as_printed_by_libreoffice_keeps_title_with_table_and_numbers_whole(docx_0630, demo_con, plan, tmp_path):
    pages = _pdf_pages(docx_0630[0], tmp_path)
    title = "Bảng tổng hợp kết quả các chỉ tiêu đến ngày 30/06/2024"
    page = next(p for p in pages if title in p)
    # the table's header and first row are on the title's page
    assert "STT" in page and "Số văn bản rà soát" in page
    # every number cell prints whole on its page: no '100,0|%', no '> 80,|0%'
    table = Document(io.BytesIO(docx_0630[0])).tables[1]
    words = set(page.split())
    for row in table.rows[1:]:
        for cell in row.cells[2:5]:
            for token in cell.text.replace("*", " ").split():
                assert token in words, (token, cell.text)
    # the header's words are not cut either ('ST|T')
    assert {"STT", "Kết", "quả", "Trạng", "thái"} <= words


def test_reports_page_half_year_offers_cutoff_and_month_end_and_shows_its_date(demo_db):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.query_params["as_of"] = "2024-06-30"
    at.run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    # the month report at the dashboard's date: its date shown, no warning
    assert any("lũy kế từ 01/01/2024 đến ngày 30/06/2024" in i.value for i in at.info)
    at.button_group(key="rp_kind").set_value("half").run()
    assert not at.exception
    assert at.title[0].value == "Báo cáo 6 tháng đầu năm 2024 — số liệu đến ngày 14/06/2024"
    warning = "\n".join(w.value for w in at.warning)
    assert "đến ngày 14/06/2024" in warning and "bảng theo dõi (30/06/2024)" in warning
    assert any("Nghị định 09/2019" in c.value for c in at.caption)  # why 14/06 and not 30/06
    radio = at.radio(key="rp_half_pick")
    assert radio.options == ["Ngày chốt của kế hoạch (14/06/2024)", "Cuối tháng 6 (30/06/2024)"]
    radio.set_value("month_end").run()
    assert not at.exception
    assert at.title[0].value == "Báo cáo 6 tháng đầu năm 2024 — số liệu đến ngày 30/06/2024"
    assert not any("bảng theo dõi" in w.value for w in at.warning)


def test_reports_page_asks_for_the_free_text_sections_and_dates_the_report(demo_db, plan):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120))
    at.run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    fill = "Chưa điền II. Khó khăn, vướng mắc, III. Đề xuất, kiến nghị"
    assert any(w.value.startswith(fill) for w in at.warning)
    # the free-text boxes start empty, the prompt only as a placeholder
    assert [a.value for a in at.text_area][-2:] == ["", ""]
    assert at.date_input(key="rp_issued_on").value == today_vn()
    at.text_area[-2].set_value("Thiếu loa ở khu B.")
    at.text_area[-1].set_value("Bổ sung kinh phí.")
    at.button[0].click().run()
    assert not at.exception
    assert not any(w.value.startswith("Chưa điền") for w in at.warning)
    assert report_settings.load(db.connect(demo_db), plan).difficulties == "Thiếu loa ở khu B."
