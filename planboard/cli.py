"""The command line: `python -m planboard demo|import|kpis|report`. User errors print a clear message and exit 1."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import os
import secrets
import sys
from pathlib import Path

import duckdb

from . import auth, db, demo, i18n, kpis, org, rollup
from .periods import today_vn
from .plan import Plan, PlanSet, load_plan, load_plans


def language() -> str:
    """The command line's language: PLANBOARD_LANG=en for English, Vietnamese otherwise (the default)."""
    lang = os.environ.get("PLANBOARD_LANG", i18n.DEFAULT_LANG)
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def t(key: str, **values) -> str:
    """A locale text in the command line's language."""
    return i18n.t(key, language(), **values)


def said(e: Exception) -> str:
    """An error's message in the command line's language (a plan's, center's, meeting's, lock's or database's error
    carries its key; any other says itself)."""
    if isinstance(e, i18n.Said):
        return e.text(language())
    return str(e)


class UserError(Exception):
    """A mistake the user can fix; its message is shown as is."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's default exits 2; a user's mistake exits 1 here
        self.print_usage(sys.stderr)
        raise UserError(message)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(t("cli.bad_date", value=value)) from None


def _open(path_arg: str | None, must_exist: bool = False):
    path = db.db_path(path_arg)
    if must_exist and not db.exists(path):
        raise UserError(t("cli.db_missing", path=path))
    try:
        return db.connect(path), path
    except db.DatabaseBusy:
        raise UserError(t("cli.db_busy", path=path)) from None
    except db.DatabaseUnavailable as e:
        raise UserError(said(e)) from None


def _planset(args, con) -> PlanSet:
    """--plan FILE alone, else every plan of data/plans (and the demo's for a demo database), checked against the
    database's centers."""
    known = org.centers(con)
    if getattr(args, "plan", None):
        return PlanSet((load_plan(args.plan),))
    plans = load_plans(include_demo=any(c.is_demo for c in known))
    plans.check_centers({c.code for c in known})
    return plans


def _view(args, con, as_of: dt.date | None = None) -> tuple[list[org.Center], int, dict[str, Plan]]:
    """The centers (--center: a code, a comma list or `all`), the year (--year, else the as-of's, else the latest
    with a plan) and each center's plan of that year."""
    try:
        chosen = org.select(org.centers(con), getattr(args, "center", None))
    except org.OrgError as e:
        raise UserError(said(e)) from None
    plans = _planset(args, con)
    codes = [c.code for c in chosen]
    year = plans.year_for(codes, getattr(args, "year", None), as_of)
    if (getattr(args, "center", None) or "").strip().lower() == "all":  # every center that has a plan that year
        without = [c for c in chosen if plans.plan_for(c.code, year) is None]
        chosen = [c for c in chosen if c not in without]
        if without:
            print(t("org.left_out", year=year, centers=", ".join(c.code for c in without)), file=sys.stderr)
        if not chosen:
            raise UserError(t("org.no_plan_any", year=year))
    return chosen, year, plans.for_centers([c.code for c in chosen], year)


def cmd_lake(args) -> int:
    path = db.db_path(args.db)
    if not db.is_shared(path):
        raise UserError(t("db.lake_not_shared"))
    con, _ = _open(args.db)
    if args.action == "init":
        print(t("db.lake_init_done", conninfo=db.safe_conninfo(str(path)), data=db.data_folder()))
        return 0
    try:
        counts = db.migrate(con, args.source)
    except db.MigrateRefused as e:
        raise UserError(said(e)) from None
    print(t("db.lake_migrate_done", path=args.source, counts=", ".join(f"{k} {v}" for k, v in counts.items())))
    return 0


def cmd_center(args) -> int:
    con, _ = _open(args.db)
    if args.action == "list":
        print(t("org.center_list_header"))
        writer = csv.writer(sys.stdout, lineterminator="\n")
        for c in org.centers(con):
            writer.writerow([c.code, c.name, c.province_code, c.province_name])
        return 0
    known = {c.code: c for c in org.centers(con)}
    old = known.get(args.code.strip().upper())
    if args.action == "rename" and old is None:
        raise UserError(t("org.unknown_center", code=args.code, centers=", ".join(known)))
    if args.action == "add" and (args.province is None or args.province_name is None) and old is None:
        raise UserError(t("org.name_required"))
    try:
        c = org.save_center(
            con,
            args.code.strip().upper(),
            args.name or old.name,
            (args.province or old.province_code).upper(),
            args.province_name or old.province_name,
            new=old is None,  # checked again inside the write: another server may add it meanwhile
        )
    except org.OrgError as e:
        raise UserError(said(e)) from None
    print(t("org.center_saved", code=c.code, name=c.name, province_code=c.province_code, province_name=c.province_name))
    return 0


def cmd_demo(args) -> int:
    if args.scale < 1:
        raise UserError(t("cli.bad_scale", value=args.scale))
    con, path = _open(args.db)
    counts = (demo.fill if args.single else demo.fill_province)(con, seed=args.seed, n=args.scale)
    auth.ensure_demo_accounts(con)
    print(t("cli.demo_done", path=path, counts=", ".join(f"{k} {v}" for k, v in counts.items())))
    print(t("cli.demo_accounts", accounts=", ".join(f"{u}/{pw}" for u, _, _, _, pw in auth.DEMO_ACCOUNTS)))
    return 0


def _new_password(given: str | None) -> tuple[str, bool]:
    """The password given, typed twice at a prompt, or (no terminal) a generated one printed once."""
    if given:
        return given, False
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(t("cli.password_prompt"))
        if first != getpass.getpass(t("cli.password_again")):
            raise UserError(t("cli.password_mismatch"))
        return first, False
    return secrets.token_urlsafe(9) + "7a", True


def _scope(args, con) -> org.Scope | None:
    """--center / --province / --all of `user add` (None: the single center's, checked by auth.add_user)."""
    known = org.centers(con)
    if args.all:
        return org.Scope("all")
    if args.province:
        code = args.province.strip().upper()
        if code not in {c.province_code for c in known}:
            provinces = ", ".join(sorted({f"{c.province_code} ({c.province_name})" for c in known}))
            raise UserError(t("org.unknown_province", code=code, provinces=provinces))
        return org.Scope("province", code)
    if args.center:
        try:
            return org.Scope("center", org.select(known, args.center)[0].code)
        except org.OrgError as e:
            raise UserError(said(e)) from None
    return None


def cmd_user(args) -> int:
    con, _ = _open(args.db)
    try:
        if args.action == "list":
            for row in db.query_rows(con, "users_list"):
                scope = row[4] if row[5] is None else f"{row[4]}:{row[5]}"
                print(f"{row[0]}\t{row[2]}\t{row[3] or ''}\t{scope}\t{'active' if row[6] else 'disabled'}\t{row[1]}")
            return 0
        if args.action == "add":
            scope = _scope(args, con)
            units = None
            if scope is not None and scope.kind == "center" or scope is None and len(org.centers(con)) == 1:
                center = scope.code if scope is not None else org.centers(con)[0].code
                found = _planset(args, con).plan_for(center)
                units = {u.code for u in found.units} if found is not None else None
            password, generated = _new_password(args.password)
            auth.add_user(
                con,
                args.username,
                args.name or args.username,
                args.role,
                password,
                args.department,
                by="cli",
                unit_codes=units,
                scope=scope,
            )
        elif args.action == "reset":
            password, generated = _new_password(args.password)
            auth.set_password(con, args.username, password, by="cli")
        else:
            auth.set_active(con, args.username, args.action == "enable", by="cli")
            generated = False
    except auth.AuthError as e:
        raise UserError(t(f"auth.{e.code}", **e.values)) from None
    print(t("cli.user_done", action=t(f"cli.user_action.{args.action}"), username=args.username.lower()))
    if generated:
        print(t("cli.user_generated", password=password))
    return 0


def _counts_text(counts) -> str:
    return "; ".join(
        t("cli.import_counts", table=t(f"codes.table.{k}"), added=c.added, updated=c.updated, unchanged=c.unchanged)
        for k, c in counts.items()
    )


def cmd_import(args) -> int:
    from . import ingest

    if not args.paths:
        raise UserError(t("cli.no_paths"))
    for p in args.paths:
        if not Path(p).exists():
            raise UserError(t("cli.path_missing", path=p))
    con, path = _open(args.db)
    chosen, year, plans = _view(args, con)
    if len(chosen) != 1:
        raise UserError(t("org.choose_center", centers=", ".join(c.code for c in chosen)))
    center = chosen[0].code
    # Rows whose center column names another center are checked against that center's plan of the same year.
    planset = _planset(args, con)
    others = {c.code: p for c in org.centers(con) if (p := planset.plan_for(c.code, year)) is not None}
    if not args.dry_run:  # a copy of the database before every import that may write
        print(t("import_page.cli_backup_before_import", path=_backup(con, path)))
    override = None
    if args.lock_reason is not None:
        from . import locks

        try:
            override = locks.Override.operator(args.lock_reason)
        except locks.LockError as e:
            raise UserError(said(e)) from None
    result = ingest.import_paths(
        con,
        plans[center],
        [Path(p) for p in args.paths],
        dry_run=args.dry_run,
        source="cli",
        center=center,
        plans=others,
        lock_override=override,
    )
    files = ", ".join(name for name, _ in result.files)
    if not result.ok:
        for p in result.problems:
            print(
                t(
                    "cli.problem",
                    file=p.file,
                    sheet=f" [{p.sheet}]" if p.sheet else "",
                    row=p.row if p.row is not None else "–",
                    column=p.column or "–",
                    message=p.text(language()),
                    value=t("cli.problem_value", value=p.value) if p.value not in (None, "") else "",
                ),
                file=sys.stderr,
            )
        print(t("cli.import_failed", n=len(result.problems)), file=sys.stderr)
        return 1
    key = "cli.import_dry_ok" if args.dry_run else "cli.import_ok"
    print(t(key, files=files, counts=_counts_text(result.counts)))
    return 0


def cmd_kpis(args) -> int:
    con, _ = _open(args.db, must_exist=True)
    given = _date(args.as_of) if args.as_of else None
    chosen, year, plans = _view(args, con, given)
    first = plans[chosen[0].code]
    if args.department is not None:
        if len(chosen) > 1:
            raise UserError(t("org.mixed_units"))
        if args.department not in {u.code for u in first.units}:
            raise UserError(t("cli.bad_unit", value=args.department, codes=", ".join(u.code for u in first.units)))
    as_of = first.clip(given or today_vn())
    result = rollup.compute(con, plans, as_of, args.department)
    if args.by_center:
        blocks = [(c, [kpis.machine_record(r) for r in result.by_center[c]]) for c in result.centers]
        header = ("center",) + kpis.CSV_HEADER
        records = [{"center": c, **rec} for c, recs in blocks for rec in recs]
    else:
        header = kpis.CSV_HEADER
        records = [kpis.machine_record(r) for r in result.results]
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        for rec in records:
            writer.writerow([kpis.csv_cell(k, rec[k]) for k in header])
    return 0


def cmd_report(args) -> int:
    from . import reports

    con, _ = _open(args.db, must_exist=True)
    chosen, _, plans = _view(args, con, _date(args.as_of) if args.as_of else None)
    plan = plans[chosen[0].code]
    label = scope = None
    if len(chosen) > 1:  # a roll-up: its brief or workbook, addressed from the province's Department
        if args.department is not None:
            raise UserError(t("org.mixed_units"))
        everyone, provinces = org.centers(con), {c.province_code for c in chosen}
        whole = len(provinces) == 1 and {c.code for c in chosen} == {
            c.code for c in everyone if c.province_code in provinces
        }
        scope = org.Scope("province", *provinces) if whole else None  # whose meetings the brief compares with
        label = scope.label(everyone) if scope else ", ".join(c.name for c in chosen)
    if args.department is not None and args.department not in {u.code for u in plan.units}:
        raise UserError(t("cli.bad_unit", value=args.department, codes=", ".join(u.code for u in plan.units)))
    period = reports.report_period(plan, args.period, _date(args.as_of) if args.as_of else None)
    try:
        data = reports.render(
            con,
            plan,
            period,
            args.format,
            department=args.department,
            center=chosen[0].code,
            plans=plans if len(chosen) > 1 else None,
            scope_label=label,
            scope=scope,
        )
    except reports.RollupError as e:
        raise UserError(said(e)) from None
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as e:
        raise UserError(t("reports.cli.write_failed", path=out, reason=e.strerror or e)) from None
    print(t("reports.cli.done", period=period.label(), date=period.as_of.strftime("%d/%m/%Y"), path=out))
    return 0


def _backup(con, path, out: str | None = None) -> Path:
    from . import backup

    try:
        return backup.make_backup(con, path, out)
    except backup.BackupError as e:
        raise UserError(t(f"import_page.{e.key}", **e.values)) from None


def cmd_template(args) -> int:
    from . import templates

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(templates.workbook_bytes(load_plan(args.plan)))
    print(t("import_page.cli_template_done", path=out))
    return 0


def cmd_backup(args) -> int:
    con, path = _open(args.db, must_exist=True)
    print(t("import_page.cli_backup_done", path=_backup(con, path, args.out)))
    return 0


def cmd_restore(args) -> int:
    from . import backup

    path = db.db_path(args.db)
    try:
        safety = backup.restore(args.file, path)
    except db.DatabaseBusy:
        raise UserError(t("cli.db_busy", path=path)) from None
    except backup.BackupError as e:
        raise UserError(t(f"import_page.{e.key}", **e.values)) from None
    if safety is None:  # (a shared lake is named without its password)
        print(t("import_page.cli_restore_done_fresh", db=db.safe_conninfo(str(path)), path=args.file))
    else:
        print(t("import_page.cli_restore_done", db=path, path=args.file, safety=safety))
    return 0


# --- The monthly meeting: meetings, actions, period locks (docs/meetings.md) -----------------------------------------
def _operator() -> auth.User:
    """Whoever runs the command line holds the database file (as for backups and imports): an administrator of
    every center, audited under the machine account's name."""
    return auth.User(f"cli:{getpass.getuser()}", t("cli.operator"), "quan_tri", None, "all", None)


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise UserError(t("meetings.cli.bad_month", value=value)) from None


def _meeting_scope(args, con) -> org.Scope:
    """--province CODE, else --center CODE (else the only center)."""
    known = org.centers(con)
    if getattr(args, "province", None):
        code = args.province.strip().upper()
        if code not in {c.province_code for c in known}:
            provinces = ", ".join(sorted({f"{c.province_code} ({c.province_name})" for c in known}))
            raise UserError(t("org.unknown_province", code=code, provinces=provinces))
        return org.Scope("province", code)
    try:
        chosen = org.select(known, getattr(args, "center", None))
    except org.OrgError as e:
        raise UserError(said(e)) from None
    if len(chosen) != 1:
        raise UserError(t("org.choose_center", centers=", ".join(c.code for c in chosen)))
    return org.Scope("center", chosen[0].code)


def _meeting_plans(args, con, meeting) -> dict[str, Plan]:
    centers = meeting.centers(org.centers(con))
    planset = _planset(args, con)
    return planset.for_centers(centers, planset.year_for(centers, None, meeting.as_of))


def _machine_out(fmt: str, header: tuple[str, ...], records: list[dict]) -> None:
    if fmt == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    for rec in records:
        writer.writerow([kpis.csv_cell(k, rec[k]) for k in header])


MEETING_LIST_HEADER = ("meeting_id", "held_on", "title", "scope", "as_of", "frozen_at", "frozen_by")
ACTION_HEADER = (
    "action_id",
    "meeting_id",
    "center",
    "owner_unit",
    "owner_person",
    "due_on",
    "status",
    "is_overdue",
    "indicator",
    "activity",
    "text",
    "last_note",
)


def cmd_meeting(args) -> int:
    from . import meetings

    con, _ = _open(args.db, must_exist=True)
    known = org.centers(con)
    try:
        if args.action == "hold":
            held_on = _date(args.date) if args.date else today_vn()
            m = meetings.create(
                con,
                _operator(),
                _meeting_scope(args, con),
                held_on,
                known,
                title=args.title,
                chair=args.chair,
                attendees=args.attendees,
                as_of=_date(args.as_of) if args.as_of else None,
                notes=args.notes,
            )
            m = meetings.freeze(con, m.meeting_id, _meeting_plans(args, con, m), _operator(), known)
            print(
                t(
                    "meetings.cli.held",
                    id=m.meeting_id,
                    title=m.title,
                    as_of=m.as_of.strftime("%d/%m/%Y"),
                    rows=len(meetings.frozen_numbers(con, m.meeting_id)),
                )
            )
        elif args.action == "list":
            scope = org.select(known, args.center or "all")
            records = [
                {
                    "meeting_id": m.meeting_id,
                    "held_on": m.held_on,
                    "title": m.title,
                    "scope": f"{m.scope.kind}:{m.scope.code}",
                    "as_of": m.as_of,
                    "frozen_at": m.frozen_at,
                    "frozen_by": m.frozen_by,
                }
                for m in meetings.list_for(con, scope)
            ]
            _machine_out(args.format, MEETING_LIST_HEADER, records)
        elif args.action == "minutes":
            from .reports import minutes, settings

            m = meetings.get(con, args.id)
            center, plan = next(iter(_meeting_plans(args, con, m).items()))
            out = Path(args.out)
            out.write_bytes(minutes.build_minutes(con, m, plan, known, settings.load(con, plan, center=center)))
            print(t("meetings.cli.minutes", title=m.title, path=out))
        else:
            m = meetings.get(con, args.id)
            if not m.is_frozen:
                raise meetings.MeetingError("not_frozen", title=m.title)
            rows = meetings.frozen_numbers(con, m.meeting_id)
            _machine_out(args.format, meetings.MACHINE_HEADER, [n.record() for n in rows])
    except (meetings.MeetingError, org.OrgError) as e:
        raise UserError(said(e)) from None
    return 0


def cmd_action(args) -> int:
    from . import actions, meetings

    con, _ = _open(args.db, must_exist=True)
    known = org.centers(con)
    try:
        if args.action == "add":
            m = meetings.get(con, args.meeting)
            center = args.center.strip().upper() if args.center else None
            plans = _meeting_plans(args, con, m)
            plan = plans[center] if center in plans else next(iter(plans.values()))
            a = actions.add(
                con,
                _operator(),
                m,
                known,
                plan,
                text=args.text,
                owner_unit=args.unit,
                due_on=_date(args.due),
                center=center,
                activity=args.activity,
                indicator=args.indicator,
                person=args.person,
            )
            print(t("meetings.cli.action_added", id=a.action_id, unit=a.owner_unit, due=a.due_on.strftime("%d/%m/%Y")))
        elif args.action == "list":
            centers = [c.code for c in org.select(known, args.center or "all")]
            found = actions.list_actions(con, centers, meeting_id=args.meeting, owner_unit=args.unit)
            _machine_out(
                args.format,
                ACTION_HEADER,
                [
                    {
                        "action_id": a.action_id,
                        "meeting_id": a.meeting_id,
                        "center": a.center,
                        "owner_unit": a.owner_unit,
                        "owner_person": a.owner_person,
                        "due_on": a.due_on,
                        "status": a.status,
                        "is_overdue": a.is_overdue,
                        "indicator": a.indicator,
                        "activity": a.activity,
                        "text": a.text,
                        "last_note": a.last_note,
                    }
                    for a in found
                ],
            )
        else:
            a = actions.update(con, _operator(), args.id, known, status=args.status, note=args.note)
            print(t("meetings.cli.action_updated", id=a.action_id, status=actions.status_label(a.status, language())))
    except (meetings.MeetingError, org.OrgError) as e:
        raise UserError(said(e)) from None
    return 0


ANNOTATION_HEADER = ("annotation_id", "center", "noted_on", "activity", "indicator", "note", "author")


def cmd_annotation(args) -> int:
    from . import annotations

    con, _ = _open(args.db, must_exist=True)
    known = org.centers(con)
    try:
        if args.action == "add":
            center = _meeting_scope(args, con).code  # one center: --center, else the only one
            on = _date(args.date)
            plan = _planset(args, con).plan_for(center, on.year)
            if plan is None:
                raise UserError(t("meetings.no_plan", centers=center, year=on.year))
            n = annotations.add(
                con, _operator(), plan, known, center, on, args.text, activity=args.activity, indicator=args.indicator
            )
            subject = n.indicator or t("annotations_ui.whole_activity", code=n.activity)
            print(t("annotations.added", id=n.annotation_id, date=n.noted_on.strftime("%d/%m/%Y"), subject=subject))
        else:
            centers = [c.code for c in org.select(known, args.center or "all")]
            _machine_out(
                args.format,
                ANNOTATION_HEADER,
                [
                    {k: getattr(n, k) for k in ANNOTATION_HEADER}
                    for n in annotations.list_for(con, centers, activity=args.activity)
                ],
            )
    except (annotations.AnnotationError, org.OrgError) as e:
        raise UserError(said(e)) from None
    return 0


def cmd_lock(args) -> int:
    from . import locks

    con, _ = _open(args.db, must_exist=True)
    try:
        chosen = org.select(org.centers(con), args.center)
        through = _month(args.through)
        if args.command == "lock":
            n = locks.lock(con, _operator(), chosen, through, meeting_id=args.meeting)
        else:
            n = locks.unlock(con, _operator(), chosen, through, args.reason)
    except (locks.LockError, org.OrgError) as e:
        raise UserError(said(e)) from None
    key = "meetings.cli.locked" if args.command == "lock" else "meetings.cli.unlocked"
    print(t(key, n=n, month=locks.month_label(through), centers=", ".join(c.code for c in chosen)))
    return 0


def build_parser() -> Parser:
    def h(key: str) -> str:
        return t(f"cli_help.{key}")

    parser = Parser(prog="python -m planboard", description=h("description"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def common(p):
        p.add_argument("--db", help=h("db"))
        p.add_argument("--plan", help=h("plan"))

    def view(p, many: bool):
        p.add_argument("--center", help=h("center_many" if many else "center_one"))
        p.add_argument("--year", type=int, help=h("year"))

    p = sub.add_parser("demo", help=h("demo"))
    common(p)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--scale", type=int, default=1, help=h("demo_scale"))
    p.add_argument("--single", action="store_true", help=h("demo_single"))
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help=h("import"))
    common(p)
    view(p, many=False)
    p.add_argument("--dry-run", action="store_true", help=h("import_dry_run"))
    p.add_argument("--lock-reason", help=h("import_lock_reason"))
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("kpis", help=h("kpis"))
    common(p)
    p.add_argument("--as-of", help=h("kpis_as_of"))
    p.add_argument("--department", help=h("unit"))
    view(p, many=True)
    p.add_argument("--by-center", action="store_true", help=h("kpis_by_center"))
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("template", help=h("template"))
    common(p)
    p.add_argument("--out", required=True, help=h("out_xlsx"))
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("backup", help=h("backup"))
    common(p)
    p.add_argument("--out", help=h("backup_out"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=h("restore"))
    common(p)
    p.add_argument("file", metavar="FILE", help=h("restore_file"))
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("report", help=h("report"))
    common(p)
    p.add_argument("--as-of", help=h("report_as_of"))
    p.add_argument("--period", choices=("month", "quarter", "half", "year"), default="month")
    p.add_argument("--format", choices=("docx", "xlsx", "md"), required=True)
    p.add_argument("--out", required=True, help=h("out"))
    p.add_argument("--department", help=h("unit"))
    view(p, many=False)
    p.set_defaults(func=cmd_report)

    def leaf(actions, name: str, text: str, func, machine: bool = False):
        """One sub-command with --db/--plan, and --format csv|json when it prints machine rows."""
        a = actions.add_parser(name, help=text)
        common(a)
        if machine:
            a.add_argument("--format", choices=("csv", "json"), default="csv")
        a.set_defaults(func=func)
        return a

    p = sub.add_parser("meeting", help=h("meeting"))
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    a = leaf(actions, "hold", h("meeting_hold"), cmd_meeting)
    a.add_argument("--as-of", help=h("meeting_as_of"))
    a.add_argument("--date", help=h("meeting_date"))
    a.add_argument("--title", help=h("meeting_title"))
    a.add_argument("--chair", help=h("meeting_chair"))
    a.add_argument("--attendees", help=h("meeting_attendees"))
    a.add_argument("--notes", help=h("notes"))
    where = a.add_mutually_exclusive_group()
    where.add_argument("--center", help=h("center_one"))
    where.add_argument("--province", help=h("meeting_province"))
    leaf(actions, "list", h("meeting_list"), cmd_meeting, machine=True).add_argument("--center", help=h("center_all"))
    leaf(actions, "show", h("meeting_show"), cmd_meeting, machine=True).add_argument("id", type=int, metavar="ID")
    a = leaf(actions, "minutes", h("meeting_minutes"), cmd_meeting)
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--out", required=True, help=h("out_docx"))

    p = sub.add_parser("action", help=h("action"))
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    a = leaf(actions, "add", h("action_add"), cmd_action)
    a.add_argument("--meeting", type=int, required=True, help=h("meeting_id"))
    a.add_argument("--text", required=True, help=h("action_text"))
    a.add_argument("--unit", help=h("action_unit"))
    a.add_argument("--due", required=True, help=h("action_due"))
    a.add_argument("--center", help=h("action_center"))
    a.add_argument("--indicator", help=h("action_indicator"))
    a.add_argument("--activity", help=h("action_activity"))
    a.add_argument("--person", help=h("action_person"))
    a = leaf(actions, "list", h("action_list"), cmd_action, machine=True)
    a.add_argument("--center", help=h("center_all"))
    a.add_argument("--meeting", type=int, help=h("meeting_id"))
    a.add_argument("--unit", help=h("unit"))
    a = leaf(actions, "update", h("action_update"), cmd_action)
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--status", choices=("chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "huy"))
    a.add_argument("--note", help=h("action_note"))

    p = sub.add_parser("annotation", help=h("annotation"))
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    a = leaf(actions, "add", h("annotation_add"), cmd_annotation)
    a.add_argument("--date", required=True, help=h("annotation_date"))
    a.add_argument("--text", required=True, help=h("annotation_text"))
    about = a.add_mutually_exclusive_group(required=True)
    about.add_argument("--indicator", help=h("annotation_indicator"))
    about.add_argument("--activity", help=h("annotation_activity"))
    a.add_argument("--center", help=h("center_one"))
    a = leaf(actions, "list", h("annotation_list"), cmd_annotation, machine=True)
    a.add_argument("--center", help=h("center_all"))
    a.add_argument("--activity", help=h("annotation_list_activity"))

    for name, text in (
        ("lock", h("lock")),
        ("unlock", h("unlock")),
    ):
        p = sub.add_parser(name, help=text)
        common(p)
        p.add_argument("--through", required=True, help=h("lock_through"))
        p.add_argument("--center", help=h("center_list"))
        if name == "lock":
            p.add_argument("--meeting", type=int, help=h("lock_meeting"))
        else:
            p.add_argument("--reason", required=True, help=h("unlock_reason"))
        p.set_defaults(func=cmd_lock)

    p = sub.add_parser("lake", help=h("lake"))
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    for action in ("init", "migrate"):
        a = actions.add_parser(action, help=h(f"lake_{action}"))
        a.add_argument("--db", help=h("lake_db"))
        a.set_defaults(func=cmd_lake)
        if action == "migrate":
            a.add_argument("--from", dest="source", required=True, metavar="FILE", help=h("lake_from"))

    p = sub.add_parser("center", help=h("center"))
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    for action, text in (("add", h("center_add")), ("rename", h("center_rename")), ("list", h("list"))):
        a = actions.add_parser(action, help=text)
        a.add_argument("--db", help=h("db_file"))
        a.set_defaults(func=cmd_center)
        if action == "list":
            continue
        a.add_argument("code", metavar="CODE", help=h("center_code"))
        a.add_argument("--name", required=action == "add", help=h("center_name"))
        a.add_argument("--province", help=h("province_code"))
        a.add_argument("--province-name", help=h("province_name"))

    p = sub.add_parser("user", help=h("user"))
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    for action, text in (
        ("add", h("user_add")),
        ("reset", h("user_reset")),
        ("disable", h("user_disable")),
        ("enable", h("user_enable")),
        ("list", h("list")),
    ):
        a = actions.add_parser(action, help=text)
        common(a)
        a.set_defaults(func=cmd_user)
        if action == "list":
            a.set_defaults(username=None)
            continue
        a.add_argument("username")
        if action in ("add", "reset"):
            a.add_argument("--password", help=h("user_password"))
        if action == "add":
            a.add_argument("--role", choices=auth.ROLES, required=True)
            a.add_argument("--name", help=h("user_name"))
            a.add_argument("--department", help=h("user_department"))
            scope = a.add_mutually_exclusive_group()
            scope.add_argument("--center", help=h("scope_center"))
            scope.add_argument("--province", help=h("scope_province"))
            scope.add_argument("--all", action="store_true", help=h("scope_all"))
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except UserError as e:
        print(said(e), file=sys.stderr)
        return 1
    except i18n.Said as e:  # a plan's, center's, meeting's, lock's or database's error, in words
        print(said(e), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except (OSError, duckdb.Error) as e:
        if (problem := db.unavailable(e)) is not None:  # the shared store lost, or its data folder not writable
            print(said(problem), file=sys.stderr)
            return 1
        if not db.is_disk_full(e):
            raise
        print(t("cli.disk_full"), file=sys.stderr)
        return 1
