"""Deterministic demo data: a believable 2024 at the Center, scaled by N for performance work. No Streamlit.

The year tells a story so that every status appears at some as-of date: broadcasts fall behind in Q3 and catch
up in Q4; the policy review document comes late (August); training reaches only 7 of 10 legal-aid workers;
a few eligible requests stay refused or pending; priority requests are all served. `scale` repeats the whole
Center N times (ids suffixed), so counts and sums scale by N while rates and distinct counts stay equal."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from . import db
from .codes import TABLES

YEAR = 2024
D = dt.date

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Lâm",
    "Quách",
    "Thạch",
    "Danh",
    "Trương",
]
MIDDLE = {"nam": ["Văn", "Hữu", "Minh", "Thanh", "Công"], "nu": ["Thị", "Thị", "Ngọc", "Thu", "Kim"]}
GIVEN = {
    "nam": [
        "Ba",
        "Tư",
        "Năm",
        "Sáu",
        "Bảy",
        "Tám",
        "Hùng",
        "Dũng",
        "Phúc",
        "Lộc",
        "Thành",
        "Hải",
        "Sơn",
        "Tâm",
        "Quang",
        "Đức",
        "Nghĩa",
        "Hòa",
    ],
    "nu": [
        "Lan",
        "Hoa",
        "Mai",
        "Cúc",
        "Đào",
        "Hồng",
        "Huệ",
        "Tư",
        "Út",
        "Nga",
        "Hạnh",
        "Thu",
        "Sen",
        "Liên",
        "Xuân",
        "Yến",
        "Bông",
        "Nhung",
    ],
}
PROVIDERS = ["Trung tâm Trợ giúp pháp lý nhà nước tỉnh Bạc Liêu"] * 6 + [
    "Chi nhánh TGPL huyện Hòa Bình",
    "Văn phòng Luật sư Minh Tâm (ký hợp đồng TGPL)",
]
FIELDS = ["dan_su", "hon_nhan_gia_dinh", "dat_dai", "hanh_chinh", "hinh_su", "lao_dong", "chinh_sach", "khac"]


def _name(rng: np.random.Generator, gender: str) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _jitter(rng: np.random.Generator, day: dt.date, days: int = 2) -> dt.date:
    """Move a date by up to ±days, staying within its month."""
    moved = day + dt.timedelta(days=int(rng.integers(-days, days + 1)))
    return moved if moved.month == day.month else day


def residents(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for i in range(1, 121):
        gender = "nu" if rng.random() < 0.58 else "nam"
        if i <= 4:  # a few under 60 (admitted under other rules); R004 turns 60 on 15/07/2024
            birth = D(1964, 7, 15) if i == 4 else D(int(rng.integers(1966, 1972)), int(rng.integers(1, 13)), 1)
        elif i == 5:
            birth = D(1960, 2, 29)  # a 29 February birthday
        else:
            birth = D(int(rng.integers(1929, 1964)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        admitted = D(int(rng.integers(2008, 2024)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        left = D(YEAR, int(rng.integers(3, 12)), int(rng.integers(1, 29))) if i in (17, 58, 93) else None
        meritorious = i % 9 == 0
        victim = i in (12, 31, 47, 66, 88, 104)
        poor = rng.random() < 0.3
        hardship = rng.random() < 0.82 or victim
        if i in (6, 7, 8, 9, 10, 11):  # elderly but not in an eligible group
            meritorious = poor = hardship = False
        rows.append(
            dict(
                resident_id=f"NCT{i:03d}",
                full_name=_name(rng, gender),
                gender=gender,
                birth_date=birth,
                admitted_on=admitted,
                left_on=left,
                department="CSKC" if rng.random() < 0.9 else "CTXH",
                is_meritorious=meritorious,
                is_poor_household=poor,
                has_financial_hardship=hardship,
                is_violence_victim=victim,
                ethnicity=str(rng.choice(["Kinh"] * 17 + ["Khmer", "Khmer", "Hoa"])),
            )
        )
    return pd.DataFrame(rows)


def staff(rng: np.random.Generator) -> pd.DataFrame:
    # (department, legal-aid worker, active_from, active_to)
    plan_rows = [("BGD", False, None, None)] * 3 + [
        ("CTXH", True, None, None),
        ("CTXH", True, None, None),
        ("CTXH", True, None, None),
        ("CTXH", True, D(YEAR, 5, 2), None),
        ("CTXH", False, None, None),
        ("CTXH", False, None, None),
        ("HCTH", True, None, None),
        ("HCTH", True, None, D(YEAR, 8, 31)),
        ("HCTH", False, None, None),
        ("HCTH", False, None, None),
        ("HCTH", False, None, None),
        ("CSKC", True, None, None),
        ("CSKC", True, None, None),
        ("CSKC", True, None, None),
        ("CSKC", True, D(YEAR, 3, 1), None),
        ("CSKC", False, None, None),
        ("CSKC", False, None, None),
        ("CSKC", False, None, None),
        ("CSKC", False, D(2023, 6, 1), D(YEAR, 4, 30)),
        ("DT", False, None, None),
        ("DT", False, None, None),
        ("KHAC", False, None, None),
    ]
    rows = []
    for i, (dept, worker, start, end) in enumerate(plan_rows, start=1):
        gender = "nu" if rng.random() < 0.6 else "nam"
        rows.append(
            dict(
                staff_id=f"NV{i:02d}",
                full_name=_name(rng, gender),
                department=dept,
                is_legal_aid_worker=worker,
                active_from=start,
                active_to=end,
            )
        )
    return pd.DataFrame(rows)


def events(rng: np.random.Generator) -> pd.DataFrame:
    rows: list[dict] = []

    def add(event_type, activity, held_on, department, title, participants=None, elderly=None, doc=None, notes=None):
        rows.append(
            dict(
                event_id=f"HD{len(rows) + 1:03d}",
                event_type=event_type,
                activity=activity,
                held_on=held_on,
                department=department,
                title=title,
                document_number=doc,
                participants=participants,
                elderly_reached=elderly,
                notes=notes,
            )
        )

    # 4.1 broadcasts: two a month, fewer in Q3 (staff on the flood-season duty roster), three a month in Q4.
    per_month = {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 1, 8: 1, 9: 2, 10: 3, 11: 3, 12: 3}
    for month, n in per_month.items():
        for k in range(n):
            day = _jitter(rng, D(YEAR, month, 5 + 9 * k))
            reach = int(rng.integers(85, 111))
            add(
                "phat_thanh",
                "4.1",
                day,
                "CTXH",
                f"Phát thanh: quyền được trợ giúp pháp lý của người cao tuổi (kỳ {k + 1}/{month:02d})",
                elderly=reach,
            )
    # 4.1 meetings: a monthly meeting every month (February's late, after Tết), quarterly and annual reviews.
    for month in range(1, 13):
        day = D(YEAR, 2, 28) if month == 2 else _jitter(rng, D(YEAR, month, 25))
        people = int(rng.integers(70, 96))
        add(
            "hop_thang",
            "4.1",
            day,
            "CTXH",
            f"Họp định kỳ tháng {month} có lồng ghép tuyên truyền TGPL",
            participants=people,
            elderly=people - int(rng.integers(10, 20)),
        )
    for month in (3, 6, 9):
        add(
            "hop_quy",
            "4.1",
            D(YEAR, month, 28),
            "BGD",
            f"Họp sơ kết quý {month // 3} lồng ghép TGPL",
            participants=int(rng.integers(30, 41)),
            elderly=0,
        )
    add(
        "hop_nam",
        "4.1",
        D(YEAR, 12, 27),
        "BGD",
        "Hội nghị tổng kết năm 2024 lồng ghép TGPL",
        participants=110,
        elderly=60,
    )
    add(
        "bao_cao_tiep_can",
        "4.1",
        D(YEAR, 6, 25),
        "CTXH",
        "Báo cáo 6 tháng về khả năng tiếp cận TGPL của NCT",
        doc="52/BC-TTBTXH",
    )
    add(
        "bao_cao_tiep_can",
        "4.1",
        D(YEAR, 12, 20),
        "CTXH",
        "Báo cáo năm về khả năng tiếp cận TGPL của NCT",
        doc="118/BC-TTBTXH",
    )
    # 4.2 campaigns: 06/6 in Q2, 01/10 and the October Action Month in Q4.
    add(
        "ngay_06_6",
        "4.2",
        D(YEAR, 6, 6),
        "CTXH",
        "Hưởng ứng Ngày truyền thống NCT Việt Nam 06/6: tọa đàm quyền được TGPL",
        participants=125,
        elderly=98,
    )
    add(
        "ngay_06_6",
        "4.2",
        D(YEAR, 6, 5),
        "CSKC",
        "Thăm hỏi, tuyên truyền TGPL tại khu chăm sóc dài hạn nhân ngày 06/6",
        participants=45,
        elderly=40,
    )
    add("ngay_01_10", "4.2", D(YEAR, 10, 1), "CTXH", "Hưởng ứng Ngày Quốc tế NCT 01/10", participants=130, elderly=101)
    add(
        "thang_10",
        "4.2",
        D(YEAR, 10, 15),
        "CSKC",
        "Tháng hành động vì NCT: tư vấn pháp luật lưu động tại các khu nhà",
        participants=70,
        elderly=64,
    )
    add(
        "thang_10",
        "4.2",
        D(YEAR, 10, 24),
        "DT",
        "Tháng hành động vì NCT: văn nghệ, hỏi đáp pháp luật",
        participants=150,
        elderly=105,
    )
    # 1 the policy review document comes late (due Q2, issued in August).
    add(
        "van_ban",
        "1",
        D(YEAR, 8, 15),
        "HCTH",
        "Báo cáo rà soát, đề xuất hoàn thiện chính sách TGPL đối với NCT",
        doc="87/BC-TTBTXH",
    )
    # 2 training courses run by higher levels.
    add(
        "tap_huan",
        "2",
        D(YEAR, 9, 20),
        "HCTH",
        "Tập huấn kỹ năng TGPL cho người cao tuổi (Sở Tư pháp tổ chức)",
        participants=9,
    )
    add(
        "tap_huan",
        "2",
        D(YEAR, 11, 14),
        "HCTH",
        "Bồi dưỡng nghiệp vụ TGPL (Trung tâm TGPL nhà nước tỉnh)",
        participants=3,
    )
    # 3 legal consultation days at the Center.
    for month in (3, 6, 9, 12):
        people = int(rng.integers(30, 46))
        add(
            "tu_van_tai_cho",
            "3",
            D(YEAR, month, 14),
            "CTXH",
            f"Ngày tư vấn pháp luật tại Trung tâm quý {month // 3}",
            participants=people,
            elderly=people - 5,
        )
    # 5 guidance, inspections, reports.
    add("huong_dan", "5", D(YEAR, 3, 5), "HCTH", "Hướng dẫn triển khai Kế hoạch 08/KH-TTBTXH", doc="15/HD-TTBTXH")
    add(
        "huong_dan",
        "5",
        D(YEAR, 7, 2),
        "HCTH",
        "Hướng dẫn quy trình tiếp nhận, chuyển yêu cầu TGPL",
        doc="61/HD-TTBTXH",
    )
    add("kiem_tra", "5", D(YEAR, 6, 20), "HCTH", "Kiểm tra 6 tháng việc thực hiện chính sách TGPL cho NCT")
    add("kiem_tra", "5", D(YEAR, 12, 10), "HCTH", "Kiểm tra cuối năm việc thực hiện chính sách TGPL cho NCT")
    add("bao_cao", "5", D(YEAR, 6, 28), "CTXH", "Báo cáo kết quả 6 tháng đầu năm gửi Sở LĐ-TB&XH", doc="55/BC-TTBTXH")
    add("bao_cao", "5", D(YEAR, 12, 25), "CTXH", "Báo cáo kết quả năm 2024 gửi Sở LĐ-TB&XH", doc="121/BC-TTBTXH")
    # Records outside the plan year are kept, never counted.
    add("bao_cao", "5", D(YEAR - 1, 12, 22), "CTXH", "Báo cáo kết quả năm 2023", doc="130/BC-TTBTXH")
    add("phat_thanh", "4.1", D(YEAR + 1, 1, 6), "CTXH", "Phát thanh đầu năm 2025", elderly=100)
    return pd.DataFrame(rows)


def training(ev: pd.DataFrame) -> pd.DataFrame:
    courses = ev.loc[ev["event_type"] == "tap_huan", "event_id"].tolist()
    first, second = courses
    # Workers (staff ids): NV04–NV07 CTXH, NV10–NV11 HCTH (NV11 leaves 31/08), NV15–NV18 CSKC.
    rows = [(first, s, True) for s in ("NV04", "NV05", "NV06", "NV10", "NV15", "NV16")]
    rows += [(first, "NV17", False), (first, "NV08", True), (first, "NV02", True)]  # one not completed; two non-workers
    rows += [(second, "NV17", True), (second, "NV04", True), (second, "NV11", True)]  # NV11 trained, but leaves
    return pd.DataFrame(rows, columns=["event_id", "staff_id", "completed"])


def cases(rng: np.random.Generator, res: pd.DataFrame) -> pd.DataFrame:
    res = res.set_index("resident_id")
    priority_ids = [r for r in res.index if (res.at[r, "is_meritorious"] or res.at[r, "is_violence_victim"])]
    plain_ids = [r for r in res.index if r not in priority_ids and int(r[3:]) > 11]
    rng.shuffle(plain_ids)
    # (status, month requested, resident, priority code) — the year's mix; unserved ones only for plain residents.
    script = [
        ("hoan_thanh", 2, "P", "nguoi_co_cong"),
        ("hoan_thanh", 2, None, None),
        ("hoan_thanh", 3, None, None),
        ("hoan_thanh", 3, "NCT006", None),
        ("rut_yeu_cau", 3, None, None),
        ("hoan_thanh", 4, "P", "bao_luc"),
        ("hoan_thanh", 4, None, None),
        ("tu_choi", 4, None, None),
        ("hoan_thanh", 4, "NCT004", None),
        ("hoan_thanh", 5, None, None),
        ("hoan_thanh", 5, "P", None),
        ("hoan_thanh", 5, None, None),
        ("hoan_thanh", 6, None, None),
        ("hoan_thanh", 6, "P", "nguoi_co_cong"),
        ("hoan_thanh", 6, None, None),
        ("hoan_thanh", 7, None, None),
        ("hoan_thanh", 7, "P", None),
        ("rut_yeu_cau", 7, None, None),
        ("hoan_thanh", 8, "NCT004", None),
        ("hoan_thanh", 8, None, None),
        ("hoan_thanh", 8, "P", "bao_luc"),
        ("hoan_thanh", 8, None, None),
        ("tiep_nhan", 9, None, None),
        ("hoan_thanh", 9, None, None),
        ("dang_thuc_hien", 9, "P", None),
        ("hoan_thanh", 9, "NCT002", None),
        ("hoan_thanh", 10, None, None),
        ("dang_thuc_hien", 10, None, None),
        ("hoan_thanh", 10, "P", "nguoi_co_cong"),
        ("tu_choi", 10, None, None),
        ("dang_thuc_hien", 10, None, None),
        ("hoan_thanh", 11, None, None),
        ("dang_thuc_hien", 11, "P", "bao_luc"),
        ("da_chuyen", 11, None, None),
        ("dang_thuc_hien", 11, None, None),
        ("rut_yeu_cau", 11, None, None),
        ("da_chuyen", 12, None, None),
        ("tiep_nhan", 12, None, None),
        ("dang_thuc_hien", 12, "P", None),
        ("hoan_thanh", 12, None, None),
    ]
    priority_cycle = iter(priority_ids * 3)
    plain_cycle = iter(plain_ids * 3)
    rows = []
    for i, (status, month, who, prio) in enumerate(script, start=1):
        resident = next(priority_cycle) if who == "P" else (who or next(plain_cycle))
        requested = D(YEAR, month, int(rng.integers(2, 27)))
        referred = accepted = closed = None
        fee = 0
        if status != "tiep_nhan":
            referred = requested + dt.timedelta(days=int(rng.integers(1, 5)))
        if status in ("dang_thuc_hien", "hoan_thanh"):
            accepted = referred + dt.timedelta(days=int(rng.integers(2, 12)))
        if status in ("hoan_thanh",):
            closed = accepted + dt.timedelta(days=int(rng.integers(10, 60)))
        if status in ("rut_yeu_cau", "tu_choi"):
            closed = referred + dt.timedelta(days=int(rng.integers(5, 20)))
        if i == 22:  # a fee was charged: served, but not free
            fee = 300000
        if i == 23:  # received in September and still waiting: overdue
            requested = D(YEAR, 9, 9)
        end = D(YEAR, 12, 31)
        if closed and closed > end:
            status, closed = ("dang_thuc_hien", None) if accepted and accepted <= end else ("da_chuyen", None)
        if accepted and accepted > end:
            status, accepted = "da_chuyen", None
        form = "tu_van" if rng.random() < 0.6 else ("ngoai_to_tung" if rng.random() < 0.6 else "to_tung")
        rows.append(
            dict(
                case_id=f"YC{YEAR}-{i:03d}",
                resident_id=resident,
                requested_on=requested,
                department="CSKC" if i % 4 == 0 else "CTXH",
                legal_field=FIELDS[i % len(FIELDS)],
                aid_form=form,
                priority=prio,
                provider=str(rng.choice(PROVIDERS)) if referred else None,
                referred_on=referred,
                accepted_on=accepted,
                closed_on=closed,
                status=status,
                fee_charged=fee,
                notes="Từ chối: yêu cầu không thuộc phạm vi TGPL" if status == "tu_choi" else None,
            )
        )
    return pd.DataFrame(rows)


def build(seed: int = 2024) -> dict[str, pd.DataFrame]:
    """The Center's demo year as DataFrames in the tables' column order."""
    rng = np.random.default_rng(seed)
    res = residents(rng)
    st = staff(rng)
    ev = events(rng)
    return {"residents": res, "cases": cases(rng, res), "events": ev, "staff": st, "training": training(ev)}


ID_COLUMNS = {
    "residents": ["resident_id"],
    "cases": ["case_id", "resident_id"],
    "events": ["event_id"],
    "staff": ["staff_id"],
    "training": ["event_id", "staff_id"],
}


def scale(tables: dict[str, pd.DataFrame], n: int) -> dict[str, pd.DataFrame]:
    """Repeat every table n times with ids suffixed '-k' (vectorised): n Centers with the same year."""
    if n == 1:
        return tables
    out = {}
    for name, df in tables.items():
        rep = df.loc[df.index.repeat(n)].reset_index(drop=True)
        copy = pd.Series(np.tile(np.arange(1, n + 1), len(df)), dtype="string").radd("-")
        for col in ID_COLUMNS[name]:
            rep[col] = rep[col].astype("string") + copy
        out[name] = rep
    return out


def write(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Replace the five tables' rows with the given ones in one transaction; return row counts."""
    with db.transaction(con) as cur:
        for name in reversed(TABLES):
            cur.execute(f"delete from {name}")
        for name in TABLES:
            df = tables[name]
            if "center" not in df.columns:
                df = df.assign(center=db.FIRST_CENTER)
            cur.register("demo_rows", df)
            cols = ", ".join(df.columns)
            cur.execute(f"insert into {name} ({cols}) select {cols} from demo_rows")
            cur.unregister("demo_rows")
        db.bump_data_version(cur)
    return {name: len(tables[name]) for name in TABLES}


def fill(con: duckdb.DuckDBPyConnection, seed: int = 2024, n: int = 1) -> dict[str, int]:
    """The one Center's demo year 2024 (the single-center demo the tests are computed on)."""
    return write(con, scale(build(seed), n))


# --- The demo province: three centers over 2024 and 2025 -------------------------------------------------------------
PROVINCE = ("BL", "Bạc Liêu")
# (code, name, story): the real Center (its 2024 above: behind on legal aid by mid-year) and two illustrative ones.
DEMO_CENTERS = (
    ("DEMO_GR", "Cơ sở BTXH Giá Rai (dữ liệu mẫu)", "ahead"),
    ("DEMO_HB", "Cơ sở BTXH Hòa Bình (dữ liệu mẫu)", "no_broadcasts"),
)
DATE_COLUMNS = {"cases": ("requested_on", "referred_on", "accepted_on", "closed_on"), "events": ("held_on",)}


def _ahead(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A center ahead of its plan: every request served free within days, three broadcasts a month, the policy
    review in May, every legal-aid worker trained."""
    t = {k: v.copy() for k, v in t.items()}
    c = t["cases"]
    end = pd.Timestamp(YEAR, 12, 31).date()
    c["referred_on"] = c["requested_on"].map(lambda d: d + dt.timedelta(days=1))
    c["accepted_on"] = c["requested_on"].map(lambda d: d + dt.timedelta(days=3))
    c["closed_on"] = c["requested_on"].map(
        lambda d: d + dt.timedelta(days=25) if d + dt.timedelta(days=25) <= end else None
    )
    c["status"] = c["closed_on"].map(lambda d: "dang_thuc_hien" if d is None else "hoan_thanh")
    c["fee_charged"] = 0
    c["notes"] = None
    e = t["events"]
    e.loc[e["event_type"] == "van_ban", "held_on"] = D(YEAR, 5, 20)
    extra = [
        dict(
            event_id=f"HD{900 + m}",
            event_type="phat_thanh",
            activity="4.1",
            held_on=D(YEAR, m, 27),
            department="CTXH",
            title=f"Phát thanh bổ sung tháng {m}",
            document_number=None,
            participants=None,
            elderly_reached=90,
            notes=None,
        )
        for m in range(1, 13)
    ]
    t["events"] = pd.concat([e, pd.DataFrame(extra)], ignore_index=True)
    workers = t["staff"].loc[t["staff"]["is_legal_aid_worker"], "staff_id"]
    first = e.loc[e["event_type"] == "tap_huan", "event_id"].iloc[0]
    t["training"] = pd.DataFrame({"event_id": first, "staff_id": workers.tolist(), "completed": True})
    return t


def _no_broadcasts(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A center that stopped its loudspeaker broadcasts after the first quarter (the rest as the Center's)."""
    t = dict(t)
    e = t["events"]
    t["events"] = e[~((e["event_type"] == "phat_thanh") & (e["held_on"] > D(YEAR, 3, 31)))].reset_index(drop=True)
    return t


def _next_year(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same people a year later: the year's requests, events and training again, dated one year on (29/02 ->
    28/02), with new ids; records outside the year are not repeated."""

    def later(d):
        return (
            None
            if d is None or pd.isna(d)
            else (d.replace(year=d.year + 1) if (d.month, d.day) != (2, 29) else D(d.year + 1, 2, 28))
        )

    ev = t["events"][t["events"]["held_on"].map(lambda d: d.year == YEAR)].copy()
    ids = {old: f"{old}-{YEAR + 1}" for old in ev["event_id"]}
    ev["event_id"] = ev["event_id"].map(ids)
    ev["title"] = ev["title"].str.replace(str(YEAR), str(YEAR + 1))
    cs = t["cases"].copy()
    cs["case_id"] = cs["case_id"].str.replace(f"YC{YEAR}", f"YC{YEAR + 1}")
    for table, frame in (("cases", cs), ("events", ev)):
        for col in DATE_COLUMNS[table]:
            frame[col] = frame[col].map(later).astype(object)
    tr = t["training"][t["training"]["event_id"].isin(ids)].copy()
    tr["event_id"] = tr["event_id"].map(ids)
    return {"residents": t["residents"], "cases": cs, "events": ev, "staff": t["staff"], "training": tr}


def _years(t: dict[str, pd.DataFrame], story_next: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """2024's tables with 2025's requests, events and training added."""
    return {
        k: pd.concat([t[k], story_next[k]], ignore_index=True) if k in ("cases", "events", "training") else t[k]
        for k in t
    }


def province(seed: int = 2024) -> dict[str, dict[str, pd.DataFrame]]:
    """{center: its tables} of the demo province: the Center as in `build` (2024 behind on legal aid by mid-year,
    2025 serving every request), a center ahead of its plan, one that stopped its broadcasts; each over 2024-2025."""
    center = build(seed)
    out = {
        db.FIRST_CENTER: _years(
            center, _next_year(_ahead(center) | {"events": center["events"], "training": center["training"]})
        )
    }
    for i, (code, _, story) in enumerate(DEMO_CENTERS, start=1):
        base = build(seed + 100 * i)
        tables = _ahead(base) if story == "ahead" else _no_broadcasts(base)
        out[code] = _years(tables, _next_year(tables))
    return out


def fill_province(con: duckdb.DuckDBPyConnection, seed: int = 2024, n: int = 1) -> dict[str, int]:
    """The demo province (`python -m planboard demo`, the app's first start): its centers, then every center's rows
    (scaled by n) in one transaction."""
    from . import org

    for code, name, _ in DEMO_CENTERS:
        org.save_center(con, code, name, *PROVINCE, is_demo=True)
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for center, own in province(seed).items():
        for name, df in scale(own, n).items():
            tables[name].append(df.assign(center=center))
    counts = write(con, {name: pd.concat(frames, ignore_index=True) for name, frames in tables.items()})
    fill_meetings(con)
    return counts


# --- The demo's monthly meetings (docs/meetings.md) ------------------------------------------------------------------
# (held on, [(action text, owner unit, due, [(note date, author, note, new status)]), ...]) for the Center's 2024:
# meetings from February to June frozen, a dozen actions (done on time, done late, overdue, one cancelled).
DEMO_MEETINGS = (
    (
        D(YEAR, 2, 5),
        [
            (
                "Xây dựng lịch phát thanh về TGPL năm 2024 trên loa nội bộ",
                "CTXH",
                D(YEAR, 2, 20),
                [(D(YEAR, 2, 18), "canbo", "Đã ban hành lịch: 2 buổi mỗi tháng", "hoan_thanh")],
            ),
            (
                "Rà soát danh sách người cao tuổi thuộc diện được TGPL",
                "CSKC",
                D(YEAR, 2, 29),
                [(D(YEAR, 2, 27), "lanhdao", "Đã rà soát 120 đối tượng", "hoan_thanh")],
            ),
        ],
    ),
    (
        D(YEAR, 3, 5),
        [
            (
                "Ban hành văn bản triển khai Kế hoạch (hoạt động 1)",
                "HCTH",
                D(YEAR, 3, 31),
                [
                    (D(YEAR, 3, 20), "lanhdao", "Đang lấy ý kiến các bộ phận", "dang_thuc_hien"),
                    (D(YEAR, 4, 15), "lanhdao", "Đã ban hành, chậm 15 ngày", "hoan_thanh"),
                ],
            ),
            (
                "Tổ chức lớp tập huấn nghiệp vụ TGPL cho cán bộ",
                "HCTH",
                D(YEAR, 5, 31),
                [(D(YEAR, 5, 10), "lanhdao", "Đã mời giảng viên Sở Tư pháp, chưa chốt ngày", "dang_thuc_hien")],
            ),
        ],
    ),
    (
        D(YEAR, 4, 4),
        [
            (
                "Chuyển các yêu cầu TGPL tồn đọng sang Trung tâm TGPL nhà nước",
                "CTXH",
                D(YEAR, 4, 30),
                [(D(YEAR, 4, 26), "canbo", "Đã chuyển 3 yêu cầu", "hoan_thanh")],
            ),
            (
                "Ghi biên bản đầy đủ các cuộc họp định kỳ",
                "BGD",
                D(YEAR, 4, 30),
                [(D(YEAR, 4, 29), "lanhdao", "Đã thực hiện từ tháng 4", "hoan_thanh")],
            ),
            (
                "Phối hợp đoàn thể tổ chức Ngày Người cao tuổi Việt Nam 06/6",
                "DT",
                D(YEAR, 6, 6),
                [(D(YEAR, 6, 6), "lanhdao", "Đã tổ chức, 85 người cao tuổi tham dự", "hoan_thanh")],
            ),
        ],
    ),
    (
        D(YEAR, 5, 6),
        [
            (
                "Đưa tỷ lệ yêu cầu được TGPL miễn phí lên 100%",
                "CTXH",
                D(YEAR, 6, 30),
                [(D(YEAR, 6, 10), "canbo", "Đang xử lý 3 yêu cầu chờ tiếp nhận", "dang_thuc_hien")],
            ),
            ("Báo cáo tiếp cận TGPL của người cao tuổi 6 tháng đầu năm", "CTXH", D(YEAR, 7, 10), []),
            (
                "In tờ rơi phát kèm buổi phát thanh",
                "CTXH",
                D(YEAR, 5, 31),
                [(D(YEAR, 5, 20), "lanhdao", "Không thực hiện: dùng bản tin loa thay tờ rơi", "huy")],
            ),
        ],
    ),
    (
        D(YEAR, 6, 5),
        [
            (
                "Kiểm tra việc thực hiện TGPL tại các bộ phận",
                "BGD",
                D(YEAR, 6, 30),
                [(D(YEAR, 6, 28), "lanhdao", "Đã kiểm tra 4 bộ phận", "hoan_thanh")],
            ),
            ("Bổ sung hồ sơ người có công cho các yêu cầu ưu tiên", "CSKC", D(YEAR, 7, 15), []),
        ],
    ),
)
# The correction after a meeting: HD004 (a February broadcast) reached 15 more older people than first imported,
# corrected after the March meeting had frozen February's numbers.
DEMO_CORRECTION = b"event_id,elderly_reached\nHD004,102\n"
# Two annotations (author, date, note, subject): a peak of broadcasts around Older Persons' Day, drawn on the
# broadcasts chart; a staff shortage in July on the whole legal-aid activity, written by the CTXH unit that leads it.
DEMO_ANNOTATIONS = (
    ("lanhdao", D(YEAR, 6, 6), "Đợt cao điểm phát thanh dịp Ngày Người cao tuổi 06/6", {"indicator": "A41_PHAT_THANH"}),
    ("canbo", D(YEAR, 7, 15), "Thiếu cán bộ tháng 7: 2 cán bộ CTXH nghỉ phép", {"activity": "3"}),
)


def fill_meetings(con: duckdb.DuckDBPyConnection) -> int:
    """The Center's 2024 meetings: February to June frozen with their actions and progress, a correction imported
    after March's meeting, the months locked through May after June's meeting, two annotations, and July's meeting
    opened (not yet frozen) for the walk-through. Returns the number of meetings."""
    from . import actions, annotations, auth, ingest, locks, meetings, org
    from .plan import load_plan

    plan = load_plan()
    known = org.centers(con)
    center = [c for c in known if c.code == db.FIRST_CENTER]
    scope = org.Scope("center", db.FIRST_CENTER)
    people = {
        name: auth.User(name, name, role, unit, "center", db.FIRST_CENTER)
        for name, role, unit in (("lanhdao", "lanh_dao", "BGD"), ("canbo", "can_bo", "CTXH"))
    }
    lead = people["lanhdao"]
    last = None
    for held_on, decided in DEMO_MEETINGS:
        m = meetings.create(
            con, lead, scope, held_on, known, chair="Giám đốc Trung tâm", attendees="Ban Giám đốc, trưởng các bộ phận"
        )
        last = meetings.freeze(con, m.meeting_id, {db.FIRST_CENTER: plan}, lead, known)
        for text, unit, due, notes in decided:
            a = actions.add(con, lead, last, known, plan, text=text, owner_unit=unit, due_on=due, today=held_on)
            for on, author, note, status in notes:
                actions.update(con, people[author], a.action_id, known, status=status, note=note, today=on)
        if held_on.month == 3:
            ingest.import_files(con, plan, [("events.csv", DEMO_CORRECTION)], user="canbo", source="app")
    locks.lock(con, lead, center, D(YEAR, 5, 31), meeting_id=last.meeting_id)
    for author, on, text, about in DEMO_ANNOTATIONS:
        annotations.add(con, people[author], plan, known, db.FIRST_CENTER, on, text, **about)
    meetings.create(
        con, lead, scope, D(YEAR, 7, 4), known, chair="Giám đốc Trung tâm", attendees="Ban Giám đốc, trưởng các bộ phận"
    )
    return len(DEMO_MEETINGS) + 1
