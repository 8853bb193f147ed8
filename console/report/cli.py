"""``python -m console report``: write a monthly, quarterly or yearly report.

    report --period 2026|2026-Q4|2026-11 --out PATH [--format xlsx|pdf] [--lang vi|en] [--tz ZONE]
           [--province-db URL [--station ID...]] [--json]

Without ``--province-db`` it reads the station's database (``--db``/``--data-dir``); with it, the
provincial collector's, across stations (all, or those named by ``--station``). The format defaults
to the extension of ``--out``; the language to Vietnamese. ``--json`` prints what was written and
every section's rows and totals. Exit codes: 0 written; 2 a bad period, format, language, time zone
or path, or a database that does not exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from console.errors import CliError
from console.report.generate import FORMATS
from console.report.labels import LANGUAGES

if TYPE_CHECKING:
    from console.settings import Settings



def add_arguments(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="write a monthly, quarterly or yearly report (XLSX or PDF)")
    p.add_argument("--period", required=True, metavar="P",
                   help="a year (2026), a quarter (2026-Q4) or a month (2026-11), in the station's time zone")
    p.add_argument("--format", dest="report_format", metavar="FORMAT",
                   help="xlsx or pdf (default: the extension of --out)")
    p.add_argument("--out", required=True, metavar="PATH", help="the file to write")
    p.add_argument("--lang", dest="report_lang", default="vi", metavar="LANG", help="vi (default) or en")
    p.add_argument("--tz", metavar="ZONE", help="time zone of the period's boundaries (default: the setting tz, "
                                                "else Asia/Ho_Chi_Minh)")
    p.add_argument("--province-db", metavar="URL", help="the provincial collector's database: a report across stations")
    p.add_argument("--station", action="append", metavar="ID", help="with --province-db: only this station (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON: the file written and every section's figures")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.report.generate import check_output, generate
    from console.report.period import PeriodError, parse_period, zone_of
    from console.report.sources import station_tz

    try:
        period = parse_period(args.period)
        tz = args.tz or station_tz(settings)
        zone_of(tz)
    except PeriodError as e:
        raise CliError(str(e)) from None
    out = Path(args.out)
    fmt = (args.report_format or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise CliError(f"bad format {fmt or args.out!r}: give --format xlsx or pdf (or an --out ending in .xlsx or .pdf)")
    if args.report_lang not in LANGUAGES:
        raise CliError(f"bad language {args.report_lang!r}: give --lang vi or en")
    if args.station and not args.province_db:
        raise CliError("--station needs --province-db (the station's own database has one station)")
    try:
        out = check_output(out, fmt)
    except ValueError as e:
        raise CliError(str(e)) from None
    _install_translations(args.report_lang)

    if args.province_db:
        from console.province.store import open_collector
        from console.report.sources import province_facts

        db = open_collector(_existing(args.province_db, "collector"))

        def source(progress, cancel):
            try:
                return province_facts(db, period, tz=tz, stations=args.station, progress=progress, cancel=cancel)
            except LookupError as e:
                raise CliError(str(e).strip("'\"")) from None
    else:
        from console.report.sources import station_facts
        from console.store.db import open_database

        db = open_database(_existing(settings.db_url, "station"), seed=False)

        def source(progress, cancel):
            return station_facts(db, period, settings.site_id, tz=tz, progress=progress, cancel=cancel)
    try:
        report = generate(source, fmt, out, args.report_lang)
    finally:
        db.close()
    result = {"out": str(out), "format": fmt, "period": period.text, "lang": args.report_lang,
              "bytes": out.stat().st_size}
    if args.json:
        print(json.dumps({**result, "report": report.as_json()}, ensure_ascii=False))
    else:
        print(f"{period.text}: {out} ({result['bytes']:,} bytes)", file=sys.stderr)
    return 0


def _existing(url: str, what: str) -> str:
    """A database URL, refused when it names a SQLite file that does not exist (a report reads; it
    should not create an empty database by a typo)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise CliError(f"bad database URL {url!r}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).is_file():
        raise CliError(f"no {what} database at {parsed.database}")
    return url


def _install_translations(lang: str) -> None:
    """The console's catalogue for ``lang`` in a QCoreApplication (no widgets), so that a translator's
    wording in console_vi.ts wins over the built-in one (console/report/labels.py)."""
    from PySide6.QtCore import QCoreApplication

    from console.ui import i18n

    app = QCoreApplication.instance() or QCoreApplication(["tt-console-report"])
    i18n.install(app, lang)
