"""Code lists of the data contract (genders, legal fields, aid forms, priorities, request statuses) with their
Vietnamese labels, which imports also accept in place of codes; the labels are the locale's (vi/codes.toml). Units and
event types live in the plan file. No SQL, no Streamlit."""

from __future__ import annotations

from .i18n import catalog


def _contract(kind: str) -> dict[str, str]:
    """One code list with its Vietnamese labels, in the locale file's order (locales/vi/codes.toml holds them once)."""
    prefix = f"codes.{kind}."
    return {k.removeprefix(prefix): v for k, v in catalog("vi").items() if k.startswith(prefix)}


GENDERS = _contract("gender")
GENDER_ALIASES = {"m": "nam", "male": "nam", "f": "nu", "female": "nu"}
LEGAL_FIELDS = _contract("legal_field")
AID_FORMS = _contract("aid_form")
PRIORITIES = _contract("priority")
CASE_STATUSES = _contract("case_status")
# Request statuses that need a date (data contract, cases.status).
NEEDS_ACCEPTED_ON = ("dang_thuc_hien", "hoan_thanh")
NEEDS_CLOSED_ON = ("hoan_thanh", "rut_yeu_cau", "tu_choi")
OPEN_STATUSES = ("tiep_nhan", "da_chuyen", "dang_thuc_hien")

# Campaign occasions of activity 4.2 and the day each is marked on a timeline (month, day).
OCCASION_DAYS = {"ngay_06_6": (6, 6), "ngay_01_10": (10, 1), "thang_10": (10, 1)}

# Eligible groups (data contract: elderly and one of these) for breakdowns.
ELIGIBLE_GROUPS = _contract("eligible_group")

TABLES = ("residents", "cases", "events", "staff", "training")
TABLE_LABELS = _contract("table")  # the sheet and file names an import may carry, in TABLES order
# A yes/no as an import file writes it: entry forms hand the importer these, the template's dropdowns offer them.
BOOL_TEXT = {value: _contract("bool")[str(value).lower()] for value in (True, False)}

# Code lists by the name the UI uses for them (locale keys codes.<kind>.<code>).
KINDS = {
    "gender": GENDERS,
    "legal_field": LEGAL_FIELDS,
    "aid_form": AID_FORMS,
    "priority": PRIORITIES,
    "case_status": CASE_STATUSES,
    "eligible_group": ELIGIBLE_GROUPS,
}
