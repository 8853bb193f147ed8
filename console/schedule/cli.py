"""``python -m console group|schedule|asrun ...``: scheduling from the command line.

    group set G (--device ID... | --unit CODE...) [--name NAME] [--json]
    group list [--json]
    schedule add --content ID [--content ID...] (--group G | --unit CODE | --device ID)... --at ISO8601
                 [--rrule RULE] [--until ISO8601] [--except DATE...] [--priority normal|priority]
                 [--title TEXT] [--draft] [--json]
    schedule list [--state S] [--json]
    schedule submit|approve|archive ID [--note TEXT] [--json];  schedule reject ID --note TEXT [--json]
    schedule publish [--broker URL] [--site SITE] [--json]
    asrun [--since ISO8601] [--until ISO8601] [--status S] [--schedule ID] [--device ID] [--json]

These work on the station's database directly and need no running console, except that devices
download media from ``media_base``: the station's media server runs inside ``serve`` and the GUI
(or set ``media_base`` to another origin). A running station republishes by itself within a minute
of a change made here; ``schedule publish`` does it now. ``asrun`` prints the receipts the running
station recorded from device events. Exit codes: 0 done; 1 refused (a conflict, permission, state, bad
input); 2 an unknown id, a bad option, or no broker.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from console.core.approval import STATES

if TYPE_CHECKING:
    from console.settings import Settings

NEXT_SHOWN = 5


def add_arguments(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    def command(parent, name: str, help: str) -> argparse.ArgumentParser:
        p = parent.add_parser(name, parents=[common], help=help)
        p.add_argument("--json", action="store_true", help="print JSON")
        return p

    group = sub.add_parser("group", help="groups (zones) of devices")
    gsub = group.add_subparsers(dest="group_command", required=True, metavar="GROUP_COMMAND")
    p = command(gsub, "set", "create or replace a group's membership")
    p.add_argument("group", metavar="G")
    p.add_argument("--device", nargs="+", default=[], metavar="ID")
    p.add_argument("--unit", nargs="+", default=[], metavar="CODE", help="every device in these units, now")
    p.add_argument("--name", help="display name")
    command(gsub, "list", "print the groups and their devices")

    sched = sub.add_parser("schedule", help="programmes for groups of devices")
    ssub = sched.add_subparsers(dest="schedule_command", required=True, metavar="SCHEDULE_COMMAND")
    p = command(ssub, "add", "add a schedule (approved at once if you may approve)")
    p.add_argument("--content", type=int, action="append", required=True, metavar="ID", help="approved audio item")
    p.add_argument("--group", action="append", default=[], metavar="G")
    p.add_argument("--unit", action="append", default=[], metavar="CODE")
    p.add_argument("--device", action="append", default=[], metavar="ID")
    p.add_argument("--at", required=True, metavar="ISO8601", help="first air time; local time if no offset")
    p.add_argument("--rrule", metavar="RULE", help="RFC 5545 recurrence, e.g. FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    p.add_argument("--until", metavar="ISO8601", help="last possible air time (inclusive)")
    p.add_argument("--except", dest="exdates", action="append", default=[], metavar="DATE", help="skip this date")
    p.add_argument("--priority", choices=("normal", "priority"), default="normal")
    p.add_argument("--title", help="default: the first item's title")
    p.add_argument("--draft", action="store_true", help="keep it a draft")
    p = command(ssub, "list", "print the schedules")
    p.add_argument("--state", choices=STATES)
    for name, what in (("submit", "submit for approval"), ("approve", "approve a submitted schedule"),
                       ("archive", "archive a schedule")):
        p = command(ssub, name, what)
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("--note", default="", metavar="TEXT")
    p = command(ssub, "reject", "reject a submitted schedule, saying why")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--note", required=True, metavar="TEXT")
    p = command(ssub, "publish", "compile the approved schedules and publish them to the devices now")
    p.add_argument("--broker", metavar="URL", help="MQTT broker URL")
    p.add_argument("--site", metavar="SITE", help="station (site) id")

    p = command(sub, "asrun", "print the as-run receipts")
    p.add_argument("--since", metavar="ISO8601")
    p.add_argument("--until", metavar="ISO8601")
    p.add_argument("--status", choices=("played", "partial", "missed", "failed"))
    p.add_argument("--schedule", type=int, metavar="ID")
    p.add_argument("--device", metavar="ID")


def _time(text: str, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO-8601 time such as 2026-12-01T05:30 or 2026-12-01T05:30+07:00") from None
    return t.replace(tzinfo=ZoneInfo(tz)) if t.tzinfo is None else t.astimezone(ZoneInfo(tz))


def _print(args, obj, text: str) -> None:
    print(json.dumps(obj, ensure_ascii=False) if args.json else text)


def _spec_line(s) -> str:
    return f"{s.id:>4}  {s.state:<9} {s.priority:<8} {s.rule.start:%Y-%m-%d %H:%M} {s.rule.rrule or 'once':<30} {s.title}"


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.audio.library import Library
    from console.core.approval import Refused
    from console.media.store import MediaStore
    from console.schedule.service import ConflictError, ScheduleError, Scheduler
    from console.settings import SettingsError
    from console.store.db import open_database

    db = open_database(settings.db_url)
    try:
        lib = Library(db, MediaStore(settings.media_path), settings.user, settings.user_role)
        sched = Scheduler(db, lib, settings.user, settings.user_role)
        if args.command == "group":
            return _group(args, sched)
        if args.command == "asrun":
            return _asrun(args, sched)
        return _schedule(args, sched, settings)
    except SettingsError:
        raise  # no broker, a bad URL: the top level says so (exit code 2)
    except ConflictError as e:
        if getattr(args, "json", False):
            print(json.dumps({"ok": False, "error": str(e), "conflicts": [c.as_json() for c in e.conflicts]},
                             ensure_ascii=False))
        print(f"error: {e}", file=sys.stderr)
        for c in e.conflicts[:20]:
            print(f"  conflict: #{c.a.schedule_id} “{c.a.title}” and #{c.b.schedule_id} “{c.b.title}” "
                  f"{c.start:%Y-%m-%d %H:%M:%S}–{c.end:%H:%M:%S} on {', '.join(c.devices[:10])}"
                  f"{' …' if len(c.devices) > 10 else ''}", file=sys.stderr)
        return 1
    except (Refused, ScheduleError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        db.close()


def _group(args, sched) -> int:
    if args.group_command == "list":
        groups = sched.groups()
        _print(args, groups, "\n".join(f"{g['id']:<20} {len(g['devices']):>5}  {g['name']}" for g in groups))
        return 0
    if not args.device and not args.unit:
        raise ValueError("give the members: --device ID... or --unit CODE...")
    g = sched.set_group(args.group, devices=args.device, units=args.unit, name=args.name)
    _print(args, g, f"group {g['id']}: {len(g['devices'])} device(s)")
    return 0


def _schedule(args, sched, settings) -> int:
    from console.schedule.model import Part, Targets
    from console.schedule.rules import Rule
    from console.schedule.service import ScheduleSpec

    cmd = args.schedule_command
    if cmd == "list":
        specs = sched.list([args.state] if args.state else None)
        _print(args, [s.as_json() for s in specs], "\n".join(_spec_line(s) for s in specs))
        return 0
    if cmd == "publish":
        from console.station import publish_schedules

        result = publish_schedules(settings, sched)
        _print(args, result, f"published {len(result['groups'])} schedule and {result['configs']} config "
                             f"document(s); {result['unchanged']} unchanged")
        return 1 if result["failed"] or result["errors"] else 0
    if cmd != "add":
        spec = getattr(sched, cmd)(args.id, args.note)
        _print(args, spec.as_json(), f"schedule {spec.id} is now {spec.state}")
        return 0
    from datetime import date

    tz = sched.tz
    start = _time(args.at, tz)
    until = _time(args.until, tz) if args.until else None
    exdates = tuple(date.fromisoformat(d) for d in args.exdates)
    rule = Rule(start=start, rrule=args.rrule, until=until, exdates=exdates, tz=tz)
    targets = Targets(tuple(args.group), tuple(args.unit), tuple(args.device))
    parts = tuple(Part("media", item_id=i) for i in args.content)
    title = args.title or sched.library.get(args.content[0]).title
    spec = ScheduleSpec(title=title, rule=rule, targets=targets, programme=parts, priority=args.priority)
    spec = sched.save(sched.validate(spec)) if args.draft else sched.add(spec)
    upcoming = [t.isoformat() for t in spec.rule.next(sched.now(), NEXT_SHOWN)]
    _print(args, {"id": spec.id, "state": spec.state, "duration_ms": spec.duration_ms, "next": upcoming},
           f"schedule {spec.id} ({spec.state}); next: {', '.join(upcoming) or 'none'}")
    return 0


def _asrun(args, sched) -> int:
    from console.schedule.asrun import AsRun

    tz = sched.tz
    since = int(_time(args.since, tz).timestamp() * 1000) if args.since else None
    until = int(_time(args.until, tz).timestamp() * 1000) if args.until else None
    rows = AsRun(sched).receipts(since, until, args.status, args.schedule, args.device)
    _print(args, rows, "\n".join(
        f"{datetime.fromtimestamp(r['start'] / 1000):%Y-%m-%d %H:%M:%S}  {r['item']:<28} {r['device']:<16} "
        f"{r['status']:<8} {r['played_ms'] / 1000:>7.1f} s  {r['reason']}" for r in rows))
    return 0
