"""The plan file (activities, units, event types, indicators, targets) loaded and validated. No SQL, no Streamlit."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import Said

ROOT = Path(__file__).resolve().parent.parent
PLANS_DIR = ROOT / "data" / "plans"  # one file per (center, year); $PLANBOARD_PLANS names another folder
DEMO_PLANS_DIR = ROOT / "data" / "demo" / "plans"  # the demo province's plans, read only for a demo database
DEFAULT_PLAN = PLANS_DIR / "btxh-bl-2024.toml"
CENTER_CODE = re.compile(r"^[A-Z0-9_]{2,20}$")

KINDS = ("count", "rate")
OPS = (">=", ">")
# measure name -> kind it produces; planboard/kpis.STATEMENTS names the query file measuring it
MEASURES = {
    "event_count": "count",
    "event_month_count": "count",
    "event_type_count": "count",
    "elderly_reached_sum": "count",
    "request_count": "count",
    "training_rate": "rate",
    "free_service_rate": "rate",
}
EVENT_MEASURES = ("event_count", "event_month_count", "event_type_count")
SOURCES = ("plan", "assumed")


class PlanError(Said, ValueError):
    """A plan file that cannot be used; the message names the key (locale text plan_error.<key>)."""

    PREFIX = "plan_error"


@dataclass(frozen=True)
class Unit:
    code: str
    label: str
    short: str
    label_en: str

    def name(self, lang: str = "vi") -> str:
        """The unit's full name in the interface language."""
        return self.label if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Activity:
    code: str
    title: str
    short_title: str
    title_en: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    time_frame: str
    output: str
    short_title_en: str = ""
    time_frame_en: str = ""
    output_en: str = ""

    def name(self, lang: str = "vi") -> str:
        """The short title for cards, charts and tables, in the language (English falls back to the full title)."""
        return self.short_title if lang == "vi" else self.short_title_en or self.title_en

    def full_title(self, lang: str = "vi") -> str:
        return self.title if lang == "vi" else self.title_en

    def when(self, lang: str = "vi") -> str:
        """The plan's time frame, as written (English when the plan file gives it)."""
        return self.time_frame if lang == "vi" else self.time_frame_en or self.time_frame

    def expected_output(self, lang: str = "vi") -> str:
        return self.output if lang == "vi" else self.output_en or self.output


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    activity: str


@dataclass(frozen=True)
class Target:
    target_year: float
    quarter_targets: tuple[float, float, float, float]
    op: str
    continuous: bool


@dataclass(frozen=True)
class Indicator:
    code: str
    activity: str
    label: str
    label_en: str
    kind: str
    measure: str
    event_types: tuple[str, ...]
    priority_only: bool
    target: Target | None
    source: str | None
    unit_targets: dict[str, Target] = field(default_factory=dict, hash=False, compare=False)

    def name(self, lang: str = "vi") -> str:
        """The indicator's label in the interface language."""
        return self.label if lang == "vi" else self.label_en

    def target_for(self, department: str | None) -> Target | None:
        """The target that applies: the Center's, or with a unit filter that unit's (None = monitor only)."""
        if department is None:
            return self.target
        return self.unit_targets.get(department)


@dataclass(frozen=True)
class Plan:
    number: str
    title: str
    title_en: str
    short_title: str
    issued_on: dt.date
    issued_at: str
    issuer: str
    issuer_short: str
    parent_agency: str
    year: int
    basis: str
    signer: str
    signer_title: str
    report_owner: str
    half_year_cutoff: tuple[int, int]
    centers: tuple[str, ...]
    units: tuple[Unit, ...]
    activities: tuple[Activity, ...]
    event_types: tuple[EventType, ...]
    indicators: tuple[Indicator, ...]
    path: str = ""

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def unit(self, code: str) -> Unit:
        return {u.code: u for u in self.units}[code]

    def activity(self, code: str) -> Activity:
        return {a.code: a for a in self.activities}[code]

    def indicator(self, code: str) -> Indicator:
        return {i.code: i for i in self.indicators}[code]

    def indicators_of(self, activity: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.activity == activity)

    def event_types_of(self, activities: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        return tuple(e.code for e in self.event_types if e.activity in activities)

    @property
    def training_types(self) -> tuple[str, ...]:
        """The event types that are training courses: those of the plan's training_rate indicators (a training row
        must name such an event; staff are trained by one). None without such an indicator."""
        return tuple(dict.fromkeys(t for i in self.indicators if i.measure == "training_rate" for t in i.event_types))

    def activity_of_event_type(self, event_type: str) -> str:
        return {e.code: e.activity for e in self.event_types}[event_type]

    def only_center(self, center: str | None = None) -> str:
        """The center a single-center computation or import is for: the one given, else the plan's only one."""
        if center is not None:
            return center
        if len(self.centers) != 1:
            raise ValueError(f"plan {self.number} applies to {len(self.centers)} centers: name one")
        return self.centers[0]

    def clip(self, as_of: dt.date) -> dt.date:
        """Every as-of date is clipped into the plan year."""
        return min(max(as_of, self.start), self.end)


def _req(table: dict, key: str, where: str, typ: type | tuple = str):
    name = f"{where}.{key}" if where else key
    if not isinstance(table, dict):
        raise PlanError("not_table", where=where)
    if key not in table:
        raise PlanError("missing_key", name=name)
    value = table[key]
    if not isinstance(value, typ) or (isinstance(value, bool) and typ is not bool):
        raise PlanError("bad_value", name=name, value=value)
    return value


def _flag(table: dict, key: str, where: str) -> bool:
    """An optional true/false key; anything else is an error, not a guess."""
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise PlanError("not_bool", where=where, field=key, value=value)
    return value


def _units_list(table: dict, key: str, where: str, known: set[str]) -> tuple[str, ...]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise PlanError("not_unit_list", where=where, field=key)
    for v in values:
        if v not in known:
            raise PlanError("unknown_unit", where=where, field=key, value=v)
    return tuple(values)


def _target(table: dict, where: str, kind: str) -> Target:
    target_year = _req(table, "target_year", where, (int, float))
    op = table.get("op", ">=")
    if op not in OPS:
        raise PlanError("bad_op", where=where, value=op)
    continuous = _flag(table, "continuous", where)
    if kind == "rate" and not 0 <= target_year <= 100:
        raise PlanError("rate_range", where=where)
    if continuous:
        qt = (target_year,) * 4
    else:
        qt = table.get("quarter_targets")
        if (
            not isinstance(qt, list)
            or len(qt) != 4
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in qt)
        ):
            raise PlanError("quarter_targets", where=where)
        if any(b < a for a, b in zip(qt, qt[1:], strict=False)):
            raise PlanError("quarter_decreasing", where=where, value=qt)
        if any(v < 0 for v in qt):
            raise PlanError("quarter_negative", where=where, value=qt)
        if qt[3] != target_year:
            raise PlanError("quarter_year", where=where, q4=qt[3], year=target_year)
    return Target(target_year=target_year, quarter_targets=tuple(qt), op=op, continuous=continuous)


def _unique(codes: list[str], where: str) -> None:
    seen: set[str] = set()
    for c in codes:
        if c in seen:
            raise PlanError("duplicate", where=where, value=c)
        seen.add(c)


def parse_plan(data: dict, path: str = "") -> Plan:
    """Build a validated Plan from the parsed TOML; raise PlanError naming the offending key."""
    p = _req(data, "plan", "", dict)
    year = _req(p, "year", "plan", int)
    if not 2000 <= year <= 2100:
        raise PlanError("bad_year", value=year)
    centers = p.get("centers", [p["center"]] if "center" in p else None)
    if "center" in p and "centers" in p:
        raise PlanError("center_and_centers")
    if not isinstance(centers, list) or not centers:
        raise PlanError("no_center")
    for c in centers:
        if not isinstance(c, str) or not CENTER_CODE.match(c):
            raise PlanError("bad_center", value=c)
    _unique(centers, "plan.centers")
    cutoff = p.get("half_year_cutoff", "06-30")
    try:
        month, day = (int(x) for x in str(cutoff).split("-"))
        dt.date(year, month, day)
    except ValueError:
        raise PlanError("bad_cutoff", value=cutoff) from None

    units = []
    for i, u in enumerate(_req(data, "units", "", list)):
        where = f"units[{i}]"
        units.append(
            Unit(
                _req(u, "code", where),
                _req(u, "label", where),
                u.get("short", u["code"]),
                u.get("label_en", u["label"]),
            )
        )
    _unique([u.code for u in units], "units")
    unit_codes = {u.code for u in units}

    activities = []
    for i, a in enumerate(_req(data, "activities", "", list)):
        where = f"activities[{i}]"
        code = _req(a, "code", where)
        where = f"activities.{code}"
        activities.append(
            Activity(
                code=code,
                title=_req(a, "title", where),
                short_title=a.get("short_title", a["title"]),
                title_en=a.get("title_en", a["title"]),
                lead=_units_list(a, "lead", where, unit_codes),
                coordinating=_units_list(a, "coordinating", where, unit_codes),
                time_frame=a.get("time_frame", ""),
                output=a.get("output", ""),
                short_title_en=a.get("short_title_en", ""),
                time_frame_en=a.get("time_frame_en", ""),
                output_en=a.get("output_en", ""),
            )
        )
    _unique([a.code for a in activities], "activities")
    activity_codes = {a.code for a in activities}
    for a in activities:
        if not a.lead:
            raise PlanError("no_lead", code=a.code)

    event_types = []
    for i, e in enumerate(_req(data, "event_types", "", list)):
        where = f"event_types[{i}]"
        code = _req(e, "code", where)
        act = _req(e, "activity", f"event_types.{code}")
        if act not in activity_codes:
            raise PlanError("unknown_activity", where=f"event_types.{code}.activity", value=act)
        event_types.append(EventType(code, _req(e, "label", f"event_types.{code}"), act))
    _unique([e.code for e in event_types], "event_types")
    type_codes = {e.code for e in event_types}

    indicators = []
    for i, d in enumerate(_req(data, "indicators", "", list)):
        code = _req(d, "code", f"indicators[{i}]")
        where = f"indicators.{code}"
        act = _req(d, "activity", where)
        if act not in activity_codes:
            raise PlanError("unknown_activity", where=f"{where}.activity", value=act)
        kind = _req(d, "kind", where)
        if kind not in KINDS:
            raise PlanError("bad_kind", where=where, value=kind)
        measure = _req(d, "measure", where)
        if measure not in MEASURES:
            raise PlanError("unknown_measure", where=where, value=measure, known=", ".join(MEASURES))
        if MEASURES[measure] != kind:
            raise PlanError("measure_kind", where=where, measure=measure, gives=MEASURES[measure], value=kind)
        types = d.get("event_types", [])
        if not isinstance(types, list):
            raise PlanError("not_list", where=where)
        for typ in types:
            if typ not in type_codes:
                raise PlanError("unknown_event_type", where=where, value=typ)
        acts = d.get("activities", [])
        for a in acts:
            if a not in activity_codes:
                raise PlanError("unknown_activity", where=f"{where}.activities", value=a)
        if measure == "elderly_reached_sum":
            types = [e.code for e in event_types if e.activity in acts] if acts else types
        if measure == "training_rate" and not types:  # a plan that does not name its courses: its activity's types
            types = [e.code for e in event_types if e.activity == act]
        if measure in EVENT_MEASURES + ("elderly_reached_sum", "training_rate") and not types:
            raise PlanError("needs_event_types", where=where, measure=measure)
        target = _target(d, where, kind) if "target_year" in d else None
        if target is None and any(k in d for k in ("quarter_targets", "op", "continuous")):
            raise PlanError("target_without_year", where=where)
        source = d.get("source")
        if target is not None and source not in SOURCES:
            raise PlanError("bad_source", where=where)
        unit_targets = {}
        if not isinstance(d.get("unit_targets", {}), dict):
            raise PlanError("unit_targets_table", where=where)
        for ucode, ut in d.get("unit_targets", {}).items():
            if ucode not in unit_codes:
                raise PlanError("unknown_unit", where=where, field="unit_targets", value=ucode)
            if not isinstance(ut, dict):
                raise PlanError("unit_target_table", where=where, unit=ucode)
            unit_targets[ucode] = _target(
                {"op": d.get("op", ">="), "continuous": d.get("continuous", False), **ut},
                f"{where}.unit_targets.{ucode}",
                kind,
            )
        indicators.append(
            Indicator(
                code=code,
                activity=act,
                label=_req(d, "label", where),
                label_en=d.get("label_en", d["label"]),
                kind=kind,
                measure=measure,
                event_types=tuple(types),
                priority_only=_flag(d, "priority_only", where),
                target=target,
                source=source if target is not None else None,
                unit_targets=unit_targets,
            )
        )
    _unique([i.code for i in indicators], "indicators")

    issued_on = p.get("issued_on")
    if not isinstance(issued_on, dt.date):
        raise PlanError("bad_issued_on")
    owner = p.get("report_owner", activities[0].lead[0] if activities else "")
    if owner not in unit_codes:
        raise PlanError("unknown_owner", value=owner)
    return Plan(
        number=_req(p, "number", "plan"),
        title=_req(p, "title", "plan"),
        title_en=p.get("title_en", p["title"]),
        short_title=p.get("short_title", p["title"]),
        issued_on=issued_on,
        issued_at=p.get("issued_at", ""),
        issuer=_req(p, "issuer", "plan"),
        issuer_short=p.get("issuer_short", ""),
        parent_agency=p.get("parent_agency", ""),
        year=year,
        basis=p.get("basis", ""),
        signer=p.get("signer", ""),
        signer_title=p.get("signer_title", ""),
        report_owner=owner,
        half_year_cutoff=(month, day),
        centers=tuple(centers),
        units=tuple(units),
        activities=tuple(activities),
        event_types=tuple(event_types),
        indicators=tuple(indicators),
        path=path,
    )


def load_plan(path: str | Path | None = None) -> Plan:
    """Read and validate a plan file (default: data/plan.toml)."""
    path = Path(path) if path else DEFAULT_PLAN
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise PlanError("file_missing", path=path) from None
    except tomllib.TOMLDecodeError as e:
        raise PlanError("bad_toml", name=path.name, error=e) from None
    return parse_plan(data, str(path))


@dataclass(frozen=True)
class PlanSet:
    """Every plan of the installation, one per (center, year)."""

    plans: tuple[Plan, ...]

    def plan_for(self, center: str, year: int | None = None) -> Plan | None:
        """The center's plan of `year` (None: its latest year), or None when it has none."""
        mine = [p for p in self.plans if center in p.centers and (year is None or p.year == year)]
        return max(mine, key=lambda p: p.year) if mine else None

    def years(self, centers: list[str] | tuple[str, ...] | None = None) -> list[int]:
        """The years with a plan for any of `centers` (None: any center), ascending."""
        return sorted({p.year for p in self.plans if centers is None or set(p.centers) & set(centers)})

    def centers(self) -> set[str]:
        return {c for p in self.plans for c in p.centers}

    def year_for(self, centers: list[str], year: int | None = None, as_of: dt.date | None = None) -> int:
        """The year of a view (docs/centers.md): `year`, else the year of `as_of`, else the latest year with a plan
        for any of `centers`. An as-of in a year without a plan falls to the nearest planned year (and is clipped
        into it, as a single plan always did)."""
        if year is not None:
            return year
        years = self.years(centers)
        if not years:
            raise PlanError("org.no_plan_any", year="–")
        if as_of is not None:
            return min(years, key=lambda y: (abs(y - as_of.year), -y))
        return years[-1]

    def for_centers(self, centers: list[str], year: int) -> dict[str, Plan]:
        """{center: its plan of `year`}; a center without one is an error naming the years it has."""
        out = {}
        for c in centers:
            p = self.plan_for(c, year)
            if p is None:
                years = ", ".join(map(str, self.years([c]))) or "–"
                raise PlanError("org.no_plan", center=c, year=year, years=years)
            out[c] = p
        return out

    def check_centers(self, known: set[str] | list[str]) -> None:
        """A plan naming a center the database does not know is an error naming the file and the center."""
        for p in self.plans:
            for c in p.centers:
                if c not in known:
                    raise PlanError("unknown_center", file=Path(p.path).name, center=c)


def plans_dir() -> Path:
    """$PLANBOARD_PLANS, else data/plans/."""
    return Path(os.environ.get("PLANBOARD_PLANS") or PLANS_DIR)


def load_plans(folder: str | Path | None = None, include_demo: bool = False) -> PlanSet:
    """Every *.toml plan of the folder (and of data/demo/plans for a demo database), validated; two plans for one
    (center, year) are an error naming both files."""
    folders = [Path(folder) if folder else plans_dir()]
    if include_demo:
        folders.append(DEMO_PLANS_DIR)
    plans: list[Plan] = []
    seen: dict[tuple[str, int], Plan] = {}
    for f in sorted(x for d in folders for x in d.glob("*.toml")):
        p = load_plan(f)
        for c in p.centers:
            other = seen.get((c, p.year))
            if other is not None:
                raise PlanError("two_plans", center=c, year=p.year, first=Path(other.path).name, second=f.name)
            seen[(c, p.year)] = p
        plans.append(p)
    if not plans:
        raise PlanError("no_plans", folder=folders[0])
    return PlanSet(tuple(plans))
