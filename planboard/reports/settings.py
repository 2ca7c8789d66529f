"""Report settings (number, signer, recipients, free-text sections), remembered in the database. No Streamlit.

Stored one row per key in `report_settings` (queries/schema/010_report_settings.sql); a key without a row
takes its default from the plan file and the locale files."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import duckdb

from .. import db
from ..i18n import t
from ..plan import Plan


@dataclass(frozen=True)
class ReportSettings:
    number: str  # the report's number, '' while not yet given ("Số:    /BC-TTBTXH")
    signer: str
    signer_title: str
    recipients: str  # "Nơi nhận", one recipient a line
    difficulties: str  # II. Khó khăn, vướng mắc
    proposals: str  # III. Đề xuất, kiến nghị

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


KEYS = tuple(f.name for f in fields(ReportSettings))
FREE_TEXT = ("difficulties", "proposals")  # the sections the signer writes; empty until written


def prompt(key: str, lang: str = "vi") -> str:
    """What a free-text section asks for ('(Nêu khó khăn, vướng mắc…)'): a placeholder, never the section's text."""
    return t(f"reports.defaults.{key}", lang)


def written(text: str) -> str:
    """The section's text as the signer wrote it: '' while it is empty or still a prompt (older versions saved
    the prompt as the default text)."""
    text = text.strip()
    return "" if text in {prompt(k, lang) for k in FREE_TEXT for lang in ("vi", "en")} else text


def missing(settings: ReportSettings) -> list[str]:
    """The free-text sections not written yet, in the report's order."""
    return [k for k in FREE_TEXT if not written(getattr(settings, k))]


def defaults(plan: Plan, lang: str = "vi") -> ReportSettings:
    return ReportSettings(
        number="",
        signer=plan.signer,
        signer_title=plan.signer_title,
        recipients=t("reports.defaults.recipients", lang, parent_agency=plan.parent_agency, owner=plan.report_owner),
        difficulties="",
        proposals="",
    )


def _key(center: str, key: str) -> str:
    """Each center signs its own report: its settings are stored as 'CENTER/key'. The settings saved before centers
    existed (plain 'key') are the first center's (db.FIRST_CENTER) until it saves its own."""
    return f"{center}/{key}"


def load(con: duckdb.DuckDBPyConnection, plan: Plan, lang: str = "vi", center: str | None = None) -> ReportSettings:
    """The remembered settings of one center (None: the plan's only one), defaults for the keys never saved."""
    center = plan.only_center(center)
    rows = {k: v for k, v, _ in db.query_rows(con, "report_settings_get")}
    stored = {k: rows[k] for k in KEYS if center == db.FIRST_CENTER and k in rows}
    stored.update({k: rows[_key(center, k)] for k in KEYS if _key(center, k) in rows})
    return replace(defaults(plan, lang), **stored)


def save(con: duckdb.DuckDBPyConnection, settings: ReportSettings, center: str) -> None:
    """Remember every setting of one center (one transaction): another center's report never changes."""
    with db.transaction(con) as cur:
        for key, value in asdict(settings).items():
            cur.execute(db.sql("report_settings_set"), {"key": _key(center, key), "value": str(value).strip()})
