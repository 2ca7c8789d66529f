"""The command line: `python -m planboard demo|import|kpis|report`. User errors print a clear message and exit 1."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import secrets
import sys
from pathlib import Path

import duckdb

from . import auth, db, demo, kpis
from .codes import TABLE_LABELS
from .i18n import t
from .periods import today_vn
from .plan import PlanError, load_plan


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
    if must_exist and not path.exists():
        raise UserError(t("cli.db_missing", path=path))
    try:
        return db.connect(path), path
    except db.DatabaseBusy:
        raise UserError(t("cli.db_busy", path=path)) from None


def cmd_demo(args) -> int:
    if args.scale < 1:
        raise UserError(t("cli.bad_scale", value=args.scale))
    con, path = _open(args.db)
    counts = demo.fill(con, seed=args.seed, n=args.scale)
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


def cmd_user(args) -> int:
    plan = load_plan(args.plan)
    con, _ = _open(args.db)
    try:
        if args.action == "list":
            for row in db.query_rows(con, "users_list"):
                print(f"{row[0]}\t{row[2]}\t{row[3] or ''}\t{'active' if row[4] else 'disabled'}\t{row[1]}")
            return 0
        if args.action == "add":
            password, generated = _new_password(args.password)
            auth.add_user(con, args.username, args.name or args.username, args.role, password, args.department,
                          by="cli", unit_codes={u.code for u in plan.units})
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
    return "; ".join(t("cli.import_counts", table=TABLE_LABELS.get(k, k), added=c.added, updated=c.updated,
                       unchanged=c.unchanged) for k, c in counts.items())


def cmd_import(args) -> int:
    from . import ingest

    if not args.paths:
        raise UserError(t("cli.no_paths"))
    for p in args.paths:
        if not Path(p).exists():
            raise UserError(t("cli.path_missing", path=p))
    plan = load_plan(args.plan)
    con, path = _open(args.db)
    if not args.dry_run:  # a copy of the database before every import that may write
        print(t("import_page.cli_backup_before_import", path=_backup(con, path)))
    result = ingest.import_paths(con, plan, [Path(p) for p in args.paths], dry_run=args.dry_run, source="cli")
    files = ", ".join(name for name, _ in result.files)
    if not result.ok:
        for p in result.problems:
            print(t("cli.problem", file=p.file, sheet=f" [{p.sheet}]" if p.sheet else "",
                    row=p.row if p.row is not None else "–", column=p.column or "–", message=p.message,
                    value=f" (giá trị: '{p.value}')" if p.value not in (None, "") else ""), file=sys.stderr)
        print(t("cli.import_failed", n=len(result.problems)), file=sys.stderr)
        return 1
    key = "cli.import_dry_ok" if args.dry_run else "cli.import_ok"
    print(t(key, files=files, counts=_counts_text(result.counts)))
    return 0


def cmd_kpis(args) -> int:
    plan = load_plan(args.plan)
    if args.department is not None and args.department not in {u.code for u in plan.units}:
        raise UserError(t("cli.bad_unit", value=args.department, codes=", ".join(u.code for u in plan.units)))
    as_of = plan.clip(_date(args.as_of) if args.as_of else today_vn())
    con, _ = _open(args.db, must_exist=True)
    records = [kpis.machine_record(r) for r in kpis.compute(con, plan, as_of, args.department)]
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(kpis.CSV_HEADER)
        for rec in records:
            writer.writerow([kpis.csv_cell(k, rec[k]) for k in kpis.CSV_HEADER])
    return 0


def cmd_report(args) -> int:
    from . import reports

    plan = load_plan(args.plan)
    if args.department is not None and args.department not in {u.code for u in plan.units}:
        raise UserError(t("cli.bad_unit", value=args.department, codes=", ".join(u.code for u in plan.units)))
    period = reports.report_period(plan, args.period, _date(args.as_of) if args.as_of else None)
    con, _ = _open(args.db, must_exist=True)
    data = reports.render(con, plan, period, args.format, department=args.department)
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
    if safety is None:
        print(t("import_page.cli_restore_done_fresh", db=path, path=args.file))
    else:
        print(t("import_page.cli_restore_done", db=path, path=args.file, safety=safety))
    return 0


def build_parser() -> Parser:
    parser = Parser(prog="python -m planboard", description="Planboard: Kế hoạch TGPL cho người cao tuổi")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def common(p):
        p.add_argument("--db", help="tệp DuckDB (mặc định: $PLANBOARD_DB, rồi data/planboard.duckdb)")
        p.add_argument("--plan", help="tệp kế hoạch (mặc định: data/plan.toml)")

    p = sub.add_parser("demo", help="tạo dữ liệu mẫu năm 2024")
    common(p)
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--scale", type=int, default=1, help="nhân khối lượng dữ liệu lên N lần")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="nhập tệp CSV/XLSX (một giao dịch: lỗi ở đâu thì không ghi gì)")
    common(p)
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("kpis", help="in 13 chỉ tiêu (CSV hoặc JSON)")
    common(p)
    p.add_argument("--as-of", help="ngày số liệu YYYY-MM-DD (mặc định hôm nay, trong năm kế hoạch)")
    p.add_argument("--department", help="mã bộ phận")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("template", help="tạo tệp Excel mẫu để nhập dữ liệu")
    common(p)
    p.add_argument("--out", required=True, help="tệp .xlsx kết quả")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu (mặc định vào backups/ cạnh tệp)")
    common(p)
    p.add_argument("--out", help="tệp sao lưu (mặc định: backups/<tên>-<thời điểm>.duckdb)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu (ứng dụng phải đang dừng)")
    common(p)
    p.add_argument("file", metavar="FILE", help="tệp sao lưu .duckdb")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("report", help="xuất báo cáo: tóm tắt giao ban (md), báo cáo (docx), số liệu (xlsx)")
    common(p)
    p.add_argument("--as-of", help="ngày số liệu YYYY-MM-DD (mặc định: cuối kỳ; 6 tháng: ngày chốt trong tệp kế hoạch)")
    p.add_argument("--period", choices=("month", "quarter", "half", "year"), default="month")
    p.add_argument("--format", choices=("docx", "xlsx", "md"), required=True)
    p.add_argument("--out", required=True, help="tệp kết quả")
    p.add_argument("--department", help="mã bộ phận")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("user", help="tài khoản: add, reset (đặt lại mật khẩu), disable, enable, list")
    actions = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    for action, text in (("add", "tạo tài khoản"), ("reset", "đặt lại mật khẩu"), ("disable", "vô hiệu hóa"),
                         ("enable", "mở lại, gỡ khóa"), ("list", "liệt kê")):
        a = actions.add_parser(action, help=text)
        common(a)
        a.set_defaults(func=cmd_user)
        if action == "list":
            a.set_defaults(username=None)
            continue
        a.add_argument("username")
        if action in ("add", "reset"):
            a.add_argument("--password", help="mật khẩu (nếu không có: hỏi khi gõ lệnh, hoặc tạo ngẫu nhiên)")
        if action == "add":
            a.add_argument("--role", choices=auth.ROLES, required=True)
            a.add_argument("--name", help="họ và tên")
            a.add_argument("--department", help="mã bộ phận (bắt buộc với can_bo)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except UserError as e:
        print(str(e), file=sys.stderr)
        return 1
    except PlanError as e:
        print(str(e), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except (OSError, duckdb.Error) as e:
        if not db.is_disk_full(e):
            raise
        print(t("cli.disk_full"), file=sys.stderr)
        return 1
