"""Centers, provinces and the scope an account or a view covers (docs/centers.md). No Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from . import db
from .i18n import t
from .plan import CENTER_CODE

SCOPE_KINDS = ("center", "province", "all")


class OrgError(ValueError):
    """A center or scope a user named that cannot be used; the message says why, in the interface language."""


@dataclass(frozen=True)
class Center:
    code: str
    name: str
    province_code: str
    province_name: str
    is_demo: bool = False


def centers(con: db.Source) -> list[Center]:
    """Every center, by province then code."""
    return [Center(*row) for row in db.query_rows(con, "centers_list")]


def save_center(con: duckdb.DuckDBPyConnection, code: str, name: str, province_code: str, province_name: str,
                is_demo: bool = False) -> Center:
    """Add a center, or rename an existing one (its code stays)."""
    code, province_code = code.strip(), province_code.strip()
    name, province_name = name.strip(), province_name.strip()
    if not CENTER_CODE.match(code):
        raise OrgError(t("org.bad_center_code", code=code))
    if not CENTER_CODE.match(province_code):
        raise OrgError(t("org.bad_province_code", code=province_code))
    if not name or not province_name:
        raise OrgError(t("org.name_required"))
    with db.transaction(con) as cur:
        cur.execute(db.sql("center_upsert"), {"center_code": code, "name": name, "province_code": province_code,
                                              "province_name": province_name, "is_demo": is_demo})
    return Center(code, name, province_code, province_name, is_demo)


@dataclass(frozen=True)
class Scope:
    """What an account (or a view) covers: one center, one province (all its centers) or everything."""

    kind: str = "all"
    code: str | None = None

    def __post_init__(self):
        if self.kind not in SCOPE_KINDS or (self.kind == "all") != (self.code is None):
            raise OrgError(t("org.bad_scope", kind=self.kind, code=self.code or ""))

    def covers(self, center: Center) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "province":
            return center.province_code == self.code
        return center.code == self.code

    def centers(self, known: list[Center]) -> list[Center]:
        """The centers of `known` inside the scope."""
        return [c for c in known if self.covers(c)]

    def label(self, known: list[Center]) -> str:
        """The scope in words: the center's name, 'Tỉnh …' or 'Tất cả cơ sở'."""
        if self.kind == "all":
            return t("org.scope_all")
        if self.kind == "province":
            name = next((c.province_name for c in known if c.province_code == self.code), self.code)
            return t("org.scope_province", name=name)
        return next((c.name for c in known if c.code == self.code), self.code or "")


def select(known: list[Center], spec: str | None, scope: Scope = Scope()) -> list[Center]:
    """The centers a `--center` value names inside `scope`: a code, a comma list of codes, or `all` (every center of
    the scope). None: the scope's only center, else an error listing the centers to choose from."""
    mine = scope.centers(known)
    if not mine:
        raise OrgError(t("org.no_center_in_scope"))
    listing = ", ".join(f"{c.code} ({c.name})" for c in mine)
    if spec is None:
        if len(mine) == 1:
            return mine
        raise OrgError(t("org.choose_center", centers=listing))
    if spec.strip().lower() == "all":
        return mine
    by_code = {c.code: c for c in mine}
    chosen = []
    for code in (x.strip().upper() for x in spec.split(",") if x.strip()):
        if code not in by_code:
            raise OrgError(t("org.unknown_center", code=code, centers=listing))
        if by_code[code] not in chosen:
            chosen.append(by_code[code])
    if not chosen:
        raise OrgError(t("org.choose_center", centers=listing))
    return chosen
