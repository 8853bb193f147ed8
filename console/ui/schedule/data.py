"""What the scheduling views show and do, without widgets (docs/ui.md, "Scheduling").

The ``load_*`` functions and :func:`move` call the scheduler service and run on a worker through the
task API (console/ui/tasks.py); everything else here is pure and cheap enough for the GUI thread:
the rows and lanes of the timeline, the live conflict check of a drag, the editor's rule kinds, the
as-run filters and counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from console.core.hierarchy import Hierarchy, Unit, fold
from console.schedule.conflicts import find_conflicts
from console.schedule.model import STATES, Conflict, Occurrence, Part, Targets
from console.schedule.rules import Rule
from console.schedule.service import ALL_GROUP, Scheduler, ScheduleSpec

TIMELINE_STATES = ("approved", "submitted")  # what the devices will play, and what soon may
LISTED_STATES = tuple(s for s in STATES if s != "archived")
ALARM_MIN = 30  # a programme this close to air time and not on every device raises the alarm
RECEIPT_STATUSES = ("played", "partial", "missed", "failed")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The editor's rule kinds; "custom" keeps any other RRULE (from the command line) as text.
RULE_KINDS = ("once", "daily", "weekdays", "weekly", "nweekly", "monthly", "monthly_last", "custom")
END_OF_DAY = time(23, 59, 59)


# -- who is where ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeviceInfo:
    id: str
    name: str
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class Directory:
    """The explicit groups (``Scheduler.groups()``: id, name, devices) and the adopted devices."""

    groups: tuple[dict[str, Any], ...] = ()
    devices: tuple[DeviceInfo, ...] = ()


def load_directory(scheduler: Scheduler) -> Directory:
    from console.station import load_registry

    devices = tuple(DeviceInfo(r["id"], r["name"], r["unit_code"], r["unit_name"])
                    for r in load_registry(scheduler._db) if r["adopted"])
    return Directory(tuple(scheduler.groups()), devices)


def load_units(scheduler: Scheduler) -> Hierarchy:
    """The administrative units in force today, for the editor's search."""
    from console.store import repo

    with scheduler._db.sessions() as session:
        return Hierarchy(repo.load_units(session, scheduler.now().date()))


def find_units(hierarchy: Hierarchy, text: str, limit: int = 30) -> list[Unit]:
    """The unit whose code is ``text``, then those whose name contains it (accents optional)."""
    text = text.strip()
    by_code = [u for u in hierarchy if u.code == text] if text.isdigit() else []
    return (by_code + [u for u in hierarchy.search(text, limit=limit) if u not in by_code])[:limit]


def unit_place(hierarchy: Hierarchy, unit: Unit) -> str:
    """Where a unit lies: its parents' names, nearest first ("Gia Lai" for a commune)."""
    return ", ".join(u.name for u in hierarchy.ancestors(unit.id)) if unit.id in hierarchy else ""


# -- the timeline ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineData:
    """One load of the timeline: the airings of [start, end) and what the rows are made of."""

    start: datetime
    end: datetime
    occurrences: tuple[Occurrence, ...]
    upcoming: dict[tuple[int, datetime], dict[str, Any]]  # (schedule, start) -> Scheduler.upcoming() row
    schedules: tuple[ScheduleSpec, ...]  # every schedule but the archived, for the list
    directory: Directory
    next_airing: dict[int, datetime | None]  # schedule id -> its next start after now

    @property
    def states(self) -> dict[int, str]:
        return {s.id: s.state for s in self.schedules}


def load_timeline(scheduler: Scheduler, start: datetime, end: datetime, alarm_min: int = ALARM_MIN) -> TimelineData:
    occurrences = tuple(scheduler.occurrences(start, end, TIMELINE_STATES))
    upcoming = {(u["schedule"], u["start"]): u for u in scheduler.upcoming(start, end, alarm_min)}
    schedules = tuple(scheduler.list(LISTED_STATES))
    now = scheduler.now()
    next_airing = {s.id: next(iter(s.rule.next(now, 1)), None) for s in schedules}
    return TimelineData(start, end, occurrences, upcoming, schedules, load_directory(scheduler), next_airing)


@dataclass(frozen=True)
class Row:
    """A row of the timeline: a group, an administrative unit (``key`` its code, "" for devices without
    one), or (``key`` None) the devices in no other row."""

    key: str | None
    title: str
    devices: frozenset[str]


@dataclass(frozen=True)
class Readiness:
    ready: int  # devices of the row holding every file of the programme
    total: int
    alarm: bool


@dataclass(frozen=True)
class Block:
    occ: Occurrence
    row: int
    lane: int
    state: str
    readiness: Readiness | None  # None: not approved, or over
    conflict: bool  # overlaps another schedule of the same priority on shared devices


@dataclass(frozen=True)
class Layout:
    rows: tuple[Row, ...]
    lanes: tuple[int, ...]  # per row, at least 1
    blocks: tuple[Block, ...]


def timeline_rows(directory: Directory, by_unit: bool) -> list[Row]:
    if by_unit:
        units: dict[str, tuple[str, set[str]]] = {}
        for d in directory.devices:
            units.setdefault(d.unit_code, (d.unit_name or d.unit_code, set()))[1].add(d.id)
        rows = [Row(code, name, frozenset(devs)) for code, (name, devs) in units.items()]
    else:
        rows = [Row(g["id"], g["name"] or g["id"], frozenset(g["devices"])) for g in directory.groups]
    return sorted(rows, key=lambda r: (r.key != ALL_GROUP, r.key == "", fold(r.title), r.key))


def occurrence_key(o: Occurrence) -> tuple[int, datetime]:
    return o.schedule_id, o.start


def layout(data: TimelineData, by_unit: bool, now: datetime) -> Layout:
    """Blocks in rows, stacked in lanes where they overlap. An airing shows in every row that holds
    one of its devices; one that reaches devices in no row shows in a last row of its own."""
    rows = timeline_rows(data.directory, by_unit)
    covered = frozenset().union(*(r.devices for r in rows))
    occs = sorted(data.occurrences, key=lambda o: (o.start, o.end, o.schedule_id))
    if any(not o.devices or not o.devices <= covered for o in occs):
        rows.append(Row(None, "", frozenset()))
    clashing = {occurrence_key(o) for c in find_conflicts(occs) for o in (c.a, c.b)}
    states = data.states
    lane_ends: list[list[datetime]] = [[] for _ in rows]
    blocks = []
    for o in occs:
        hit = [(i, o.devices & r.devices) for i, r in enumerate(rows) if r.key is not None and o.devices & r.devices]
        if not o.devices or not o.devices <= covered:
            hit.append((len(rows) - 1, o.devices - covered))
        up = data.upcoming.get(occurrence_key(o))
        for i, devices in hit:
            readiness = None
            if up is not None and o.end > now:
                ready = len(devices - set(up["missing"]))
                readiness = Readiness(ready, len(devices), up["alarm"] and ready < len(devices))
            ends = lane_ends[i]
            lane = next((n for n, end in enumerate(ends) if end <= o.start), len(ends))
            if lane == len(ends):
                ends.append(o.end)
            else:
                ends[lane] = o.end
            blocks.append(Block(o, i, lane, states.get(o.schedule_id, "approved"), readiness,
                                occurrence_key(o) in clashing))
    return Layout(tuple(rows), tuple(max(1, len(e)) for e in lane_ends), tuple(blocks))


# -- moving a schedule ----------------------------------------------------------------------------

def shifted(occurrences: Iterable[Occurrence], schedule_id: int, delta: timedelta) -> list[Occurrence]:
    """The airings with every one of ``schedule_id`` moved by ``delta``."""
    return [replace(o, start=o.start + delta, end=o.end + delta) if o.schedule_id == schedule_id else o
            for o in occurrences]


def drag_check(occurrences: Iterable[Occurrence], schedule_id: int,
               delta: timedelta) -> tuple[list[Conflict], set[tuple[int, datetime]]]:
    """Moving ``schedule_id`` by ``delta`` among the airings already loaded: its conflicts, and every
    airing in conflict then (keys with the moved starts)."""
    every = find_conflicts(shifted(occurrences, schedule_id, delta))
    mine = [c for c in every if schedule_id in (c.a.schedule_id, c.b.schedule_id)]
    return mine, {occurrence_key(o) for c in every for o in (c.a, c.b)}


def moved_rule(rule: Rule, delta: timedelta) -> Rule:
    """The rule with its start moved by ``delta`` (wall clock): a one-off airs at the new time, a
    recurring rule at the new time of day (and day); exception dates follow when the day changes."""
    old = rule.start.astimezone(rule.zone)
    start = old + delta
    days = (start.date() - old.date()).days
    return replace(rule, start=start, exdates=tuple(d + timedelta(days=days) for d in rule.exdates))


def move(scheduler: Scheduler, schedule_id: int, delta: timedelta) -> ScheduleSpec:
    """Move a schedule by ``delta`` (see :func:`moved_rule`) in one step of the service (an approver's
    move stays approved); refused with ConflictError, nothing saved, if it would clash."""
    return scheduler.move(schedule_id, moved_rule(scheduler.get(schedule_id).rule, delta))


# -- the editor -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleFields:
    """The editor's "When" fields."""

    kind: str
    start: datetime  # aware, in the schedule's zone
    days: tuple[int, ...] = ()  # weekdays: Monday = 0
    interval: int = 2  # nweekly
    end: date | None = None  # last day it may air
    exdates: tuple[date, ...] = ()
    rrule: str = ""  # custom


def rule_from(f: RuleFields, tz: str) -> Rule:
    """The rule the fields stand for; ValueError says what is wrong."""
    zone = ZoneInfo(tz)
    until = datetime.combine(f.end, END_OF_DAY, zone) if f.end is not None and f.kind != "once" else None
    makers = {
        "once": lambda: Rule.once(f.start, tz),
        "daily": lambda: Rule.daily(f.start, until, tz=tz),
        "weekdays": lambda: Rule.weekdays(f.start, f.days, until, tz),
        "weekly": lambda: Rule.weekly(f.start, 1, until, tz),
        "nweekly": lambda: Rule.weekly(f.start, f.interval, until, tz),
        "monthly": lambda: Rule.monthly(f.start, False, until, tz),
        "monthly_last": lambda: Rule.monthly(f.start, True, until, tz),
        "custom": lambda: Rule(f.start, f.rrule.strip() or None, until, tz=tz),
    }
    rule = makers[f.kind]()
    if f.exdates and f.kind != "once":
        rule = replace(rule, exdates=f.exdates)
    rule.validate()
    return rule


def fields_of(rule: Rule) -> RuleFields:
    """The editor's fields for a stored rule (any RRULE the kinds do not cover is "custom")."""
    start = rule.start.astimezone(rule.zone)
    end = rule.until.astimezone(rule.zone).date() if rule.until is not None else None
    base = RuleFields("custom", start, end=end, exdates=rule.exdates, rrule=rule.rrule or "")
    if rule.rrule is None:
        return replace(base, kind="once", end=None, exdates=())
    parts = dict(p.split("=", 1) for p in rule.rrule.upper().replace(" ", "").split(";") if "=" in p)
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    if not interval.isdigit():
        return base
    n = int(interval)
    if freq == "DAILY" and not parts and n == 1:
        return replace(base, kind="daily")
    if freq == "WEEKLY" and not parts:
        return replace(base, kind="weekly") if n == 1 else replace(base, kind="nweekly", interval=n)
    byday = parts.get("BYDAY", "").split(",")
    if freq == "WEEKLY" and list(parts) == ["BYDAY"] and n == 1 and set(byday) <= set(WEEKDAYS):
        return replace(base, kind="weekdays", days=tuple(sorted(WEEKDAYS.index(d) for d in byday)))
    if freq == "MONTHLY" and n == 1 and not parts:
        return replace(base, kind="monthly")
    if freq == "MONTHLY" and n == 1 and parts == {"BYMONTHDAY": "-1"}:
        return replace(base, kind="monthly_last")
    return base


@dataclass(frozen=True)
class EditorFields:
    title: str
    priority: str
    rule: RuleFields
    targets: Targets
    programme: tuple[Part, ...]
    vol: int | None = None
    notes: str = ""
    id: int | None = None


def spec_from(f: EditorFields, tz: str) -> ScheduleSpec:
    return ScheduleSpec(title=f.title, rule=rule_from(f.rule, tz), targets=f.targets, programme=f.programme,
                        priority=f.priority, vol=f.vol, notes=f.notes, id=f.id)


def check(scheduler: Scheduler, f: EditorFields) -> list[Conflict]:
    """Validate the editor's schedule (ScheduleError or ValueError says what is wrong) and find what it
    would clash with."""
    return scheduler.conflicts(scheduler.validate(spec_from(f, scheduler.tz)))


def store(scheduler: Scheduler, f: EditorFields) -> ScheduleSpec:
    """Save the editor's schedule: a new one is added (as far through approval as the user may), a
    change is saved (a draft again)."""
    spec = spec_from(f, scheduler.tz)
    return scheduler.add(spec) if spec.id is None else scheduler.save(spec)


# -- as-run ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AsRunData:
    receipts: tuple[dict[str, Any], ...]
    schedules: dict[int, ScheduleSpec]


def load_asrun(asrun, scheduler: Scheduler, since_ms: int | None, until_ms: int | None,
               schedule_id: int | None) -> AsRunData:
    receipts = tuple(asrun.receipts(since_ms, until_ms, schedule_id=schedule_id))
    return AsRunData(receipts, {s.id: s for s in scheduler.list()})


def filter_receipts(rows: Iterable[dict[str, Any]], status: str | None = None, device: str = "") -> list[dict[str, Any]]:
    """Receipts with ``status`` (None: any) whose device id contains ``device`` (case and accents aside)."""
    text = fold(device)
    return [r for r in rows if (status is None or r["status"] == status) and (not text or text in fold(r["device"]))]


def count_statuses(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(r["status"] for r in rows)
    return {s: counts.get(s, 0) for s in RECEIPT_STATUSES}


def part_index(item: str) -> int | None:
    """The programme position in an item id ``s{schedule}.{stamp}.{index}``."""
    tail = item.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else None
