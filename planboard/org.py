"""Centers, provinces and the scope an account or a view covers (docs/centers.md). No Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb

from . import db
from .i18n import Said, t
from .plan import CENTER_CODE

SCOPE_KINDS = ("center", "province", "all")


class OrgError(Said, ValueError):
    """A center or scope a user named that cannot be used (locale text org.<key>)."""

    PREFIX = "org"


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


def save_center(
    con: duckdb.DuckDBPyConnection,
    code: str,
    name: str,
    province_code: str,
    province_name: str,
    is_demo: bool = False,
    new: bool = False,
) -> Center:
    """Add a center, or rename an existing one (its code stays). `new`: only add - a center of that code already
    there (another server's, added at the same moment) is refused with "already exists", checked inside the write:
    in the shared lake two such writes conflict at the commit and the one run again sees the other's center."""
    code, province_code = code.strip(), province_code.strip()
    name, province_name = name.strip(), province_name.strip()
    if not CENTER_CODE.match(code):
        raise OrgError("bad_center_code", code=code)
    if not CENTER_CODE.match(province_code):
        raise OrgError("bad_province_code", code=province_code)
    if not name or not province_name:
        raise OrgError("name_required")
    values = {
        "center_code": code,
        "name": name,
        "province_code": province_code,
        "province_name": province_name,
        "is_demo": is_demo,
    }

    def write() -> None:
        with db.transaction(con) as cur:
            if new:
                there = [
                    c for c in (Center(*r) for r in cur.execute(db.sql("centers_list")).fetchall()) if c.code == code
                ]
                if there:
                    raise OrgError("centers_admin.exists", code=code, name=there[0].name)
            cur.execute(db.sql("center_upsert"), values)
            db.bump_data_version(cur)  # names show on every page: cached pages read them again at once

    db.retrying(write)  # the shared lake: a commit conflicting with another writer's is run again
    return Center(code, name, province_code, province_name, is_demo)


@dataclass(frozen=True)
class Scope:
    """What an account (or a view) covers: one center, one province (all its centers) or everything."""

    kind: str = "all"
    code: str | None = None

    def __post_init__(self):
        if self.kind not in SCOPE_KINDS or (self.kind == "all") != (self.code is None):
            raise OrgError("bad_scope", kind=self.kind, code=self.code or "")

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


def within(inner: Scope, outer: Scope, known: list[Center]) -> bool:
    """Whether an account scoped `inner` is inside `outer` (an administrator's scope: the accounts they see and
    manage): no wider a kind, and every center it covers covered by `outer`."""
    if SCOPE_KINDS.index(inner.kind) > SCOPE_KINDS.index(outer.kind):
        return False
    return {c.code for c in inner.centers(known)} <= {c.code for c in outer.centers(known)}


def select(known: list[Center], spec: str | None, scope: Scope = Scope()) -> list[Center]:
    """The centers a `--center` value names inside `scope`: a code, a comma list of codes, or `all` (every center of
    the scope). None: the scope's only center, else an error listing the centers to choose from."""
    mine = scope.centers(known)
    if not mine:
        raise OrgError("no_center_in_scope")
    listing = ", ".join(f"{c.code} ({c.name})" for c in mine)
    if spec is None:
        if len(mine) == 1:
            return mine
        raise OrgError("choose_center", centers=listing)
    if spec.strip().lower() == "all":
        return mine
    by_code = {c.code: c for c in mine}
    chosen = []
    for code in (x.strip().upper() for x in spec.split(",") if x.strip()):
        if code not in by_code:
            raise OrgError("unknown_center", code=code, centers=listing)
        if by_code[code] not in chosen:
            chosen.append(by_code[code])
    if not chosen:
        raise OrgError("choose_center", centers=listing)
    return chosen


@dataclass(frozen=True)
class View:
    """What a page shows: one center, or the roll-up of several (a province's or every center of the reader's
    scope), for one plan year. `plans` holds each center's plan of that year."""

    centers: tuple[str, ...]
    year: int
    plans: dict = field(hash=False, compare=False)
    province: str | None = None  # the province whose roll-up this is
    everything: bool = False  # the roll-up of every center of the scope

    @property
    def is_rollup(self) -> bool:
        return self.province is not None or self.everything

    @property
    def center(self) -> str | None:
        """The one center of a single-center view (None for a roll-up)."""
        return None if self.is_rollup else self.centers[0]

    @property
    def plan(self):
        """The plan that names activities, units and indicators on the page: the (first) center's; for a roll-up
        only with the indicators every center's plan defines (the others are not rolled up: the comparison page
        names them), so no page looks up a number the roll-up does not have."""
        first = self.plans[self.centers[0]]
        common = set.intersection(*({i.code for i in p.indicators} for p in self.plans.values()))
        if len(common) == len(first.indicators):
            return first
        kept = tuple(i for i in first.indicators if i.code in common)
        return replace(first, indicators=kept)


def resolve_view(
    known: list[Center],
    planset,
    scope: Scope,
    center: str | None = None,
    province: str | None = None,
    everything: bool = False,
    year: int | None = None,
) -> View:
    """The view a reader asked for (URL or sidebar), inside their scope: a center, a province's roll-up, or every
    center; by default their own center, else the roll-up of their province (or of everything). Centers without a
    plan are left out; the year is the one asked for when some chosen center has a plan for it, else the latest."""
    mine = [c for c in scope.centers(known) if planset.years([c.code])]
    if not mine:
        raise OrgError("no_center_in_scope")
    by_code = {c.code: c for c in mine}
    provinces = list(dict.fromkeys(c.province_code for c in mine))
    if center in by_code:
        chosen, province, everything = [by_code[center]], None, False
    elif province in provinces:
        chosen, everything = [c for c in mine if c.province_code == province], False
    elif everything and len(mine) > 1:
        chosen, province = mine, None
    elif len(mine) == 1:
        chosen, province, everything = mine, None, False
    elif len(provinces) == 1:
        chosen, province, everything = mine, provinces[0], False
    else:
        chosen, province, everything = mine, None, True
    if len(chosen) == 1:
        province, everything = None, False
    codes = [c.code for c in chosen]
    years = planset.years(codes)
    year = year if year in years else years[-1]
    plans = {c: planset.plan_for(c, year) for c in codes}
    plans = {c: p for c, p in plans.items() if p is not None}
    return View(centers=tuple(plans), year=year, plans=plans, province=province, everything=everything)
