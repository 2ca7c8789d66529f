"""Code lists of the data contract (genders, legal fields, aid forms, priorities, request statuses) with their
Vietnamese labels, which imports also accept in place of codes. Units and event types live in the plan file.
No SQL, no Streamlit."""

from __future__ import annotations

GENDERS = {"nam": "Nam", "nu": "Nữ"}
GENDER_ALIASES = {"m": "nam", "male": "nam", "f": "nu", "female": "nu"}

LEGAL_FIELDS = {
    "dan_su": "Dân sự",
    "hon_nhan_gia_dinh": "Hôn nhân và gia đình",
    "dat_dai": "Đất đai",
    "hanh_chinh": "Hành chính",
    "hinh_su": "Hình sự",
    "lao_dong": "Lao động",
    "chinh_sach": "Chính sách ưu đãi, bảo trợ xã hội",
    "khac": "Khác",
}

AID_FORMS = {
    "tu_van": "Tư vấn pháp luật",
    "to_tung": "Tham gia tố tụng",
    "ngoai_to_tung": "Đại diện ngoài tố tụng",
}

PRIORITIES = {
    "nguoi_co_cong": "Người có công",
    "bao_luc": "Bị bạo lực, bạo hành, ngược đãi",
}

CASE_STATUSES = {
    "tiep_nhan": "Đã tiếp nhận",
    "da_chuyen": "Đã chuyển",
    "dang_thuc_hien": "Đang thực hiện",
    "hoan_thanh": "Hoàn thành",
    "rut_yeu_cau": "Rút yêu cầu",
    "tu_choi": "Từ chối",
}
# Request statuses that need a date (data contract, cases.status).
NEEDS_ACCEPTED_ON = ("dang_thuc_hien", "hoan_thanh")
NEEDS_CLOSED_ON = ("hoan_thanh", "rut_yeu_cau", "tu_choi")
OPEN_STATUSES = ("tiep_nhan", "da_chuyen", "dang_thuc_hien")

# Campaign occasions of activity 4.2 and the day each is marked on a timeline (month, day).
OCCASION_DAYS = {"ngay_06_6": (6, 6), "ngay_01_10": (10, 1), "thang_10": (10, 1)}

# Eligible groups (data contract: elderly and one of these) for breakdowns.
ELIGIBLE_GROUPS = {
    "is_meritorious": "Người có công với cách mạng",
    "is_poor_household": "Hộ nghèo",
    "has_financial_hardship": "Khó khăn về tài chính",
}

TABLES = ("residents", "cases", "events", "staff", "training")
TABLE_LABELS = {
    "residents": "Người cao tuổi",
    "cases": "Yêu cầu TGPL",
    "events": "Hoạt động",
    "staff": "Nhân sự",
    "training": "Tập huấn",
}

# Code lists by the name the UI uses for them (locale keys codes.<kind>.<code>).
KINDS = {
    "gender": GENDERS,
    "legal_field": LEGAL_FIELDS,
    "aid_form": AID_FORMS,
    "priority": PRIORITIES,
    "case_status": CASE_STATUSES,
    "eligible_group": ELIGIBLE_GROUPS,
}


def label(kind: str, code, lang: str = "vi") -> str:
    """A code's label in the interface language ('' for an empty code; an unknown code as it is)."""
    from .i18n import catalog

    if code is None or code == "" or (isinstance(code, float) and code != code):
        return ""
    return catalog(lang).get(f"codes.{kind}.{code}") or KINDS[kind].get(code, str(code))
