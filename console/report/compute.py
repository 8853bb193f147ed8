"""From :class:`~console.report.facts.Facts` to a :class:`Report`: sections of rows and totals, plain
data that the XLSX and PDF writers lay out the same way. No database, no Qt.

Numbers are rounded here, once, to what the report shows (hours and percentages to one decimal), so
that both files carry the same numbers. Text that needs translating is a :class:`Label` (its English
source, marked in ``console/report/labels.py``); the writers translate it.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from types import SimpleNamespace
from typing import Any

from console.core.hierarchy import fold
from console.monitor.availability import availability_by, percent
from console.report import labels as L
from console.report.facts import Facts, ReceiptFact
from console.report.period import Period

HOUR_MS = 3_600_000
ITEM_ID = re.compile(r"s(\d+)\.\d{8}T\d{6}\.(\d+)")  # a scheduled part (console/schedule/compile.py)
SESSION_ID = re.compile(r"([LE])\d{8}T\d{6}.*")  # a live (L) or emergency (E) session (console/live/service.py)
AIRED = ("played", "partial")
STATUSES = ("played", "partial", "missed", "failed")
CATEGORY_ORDER = ("news", "policy", "emergency", "culture", "advertisement", "other", "relay", "live")
PRIORITY_ORDER = ("normal", "priority", "live", "emergency")
BULLETIN_PRIORITIES = ("normal", "priority", "emergency")
OUTCOMES = ("played", "scheduled", "pending", "rejected", "undelivered")
KINDS = ("text", "int", "hours", "pct", "minutes", "datetime", "auto")


class Label(str):
    """A text to translate (an English source marked in ``labels.py``), not data."""


@dataclass(frozen=True)
class Column:
    key: str
    kind: str  # one of KINDS; "auto": each row says its kind in row["_kind"]

    @property
    def label(self) -> str:
        return L.COLUMNS[self.key]


@dataclass
class Section:
    key: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    total_label: str = L.TOTAL
    chart: tuple[str, str] | None = None  # (label column, value column) to draw as bars

    @property
    def title(self) -> str:
        return L.SECTIONS[self.key][0]

    @property
    def sheet(self) -> str:
        return L.SECTIONS[self.key][1]

    @property
    def note(self) -> str:
        return L.SECTIONS[self.key][2]

    def kind_of(self, row: dict[str, Any], column: Column) -> str:
        return row.get("_kind", "text") if column.kind == "auto" else column.kind

    @property
    def lead(self) -> int:
        """How many columns come before the first number: the total row's label spans them."""
        return next((i for i, c in enumerate(self.columns) if c.kind not in ("text", "datetime")), len(self.columns))

    def table(self) -> list[dict[str, Any]]:
        """The rows, then the total row with its label in the first column (the other leading columns
        empty)."""
        if self.total is None:
            return list(self.rows)
        label = {c.key: "" for c in self.columns[1:self.lead]}
        return [*self.rows, {**self.total, **label, self.columns[0].key: Label(self.total_label), "_total": True}]


@dataclass
class Report:
    scope: str  # "station" or "province"
    period: Period
    tz: str
    start: int
    end: int
    now: int
    stations: dict[str, str]
    sections: list[Section] = field(default_factory=list)

    @property
    def over(self) -> bool:
        return self.now >= self.end

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_json(self) -> dict[str, Any]:
        def clean(row: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in row.items() if not k.startswith("_")}
        return {"scope": self.scope, "period": self.period.text, "tz": self.tz, "start": self.start, "end": self.end,
                "now": self.now, "stations": self.stations,
                "sections": {s.key: {"rows": [clean(r) for r in s.rows],
                                     "total": clean(s.total) if s.total is not None else None}
                             for s in self.sections}}


def round1(x: float) -> float:
    """To one decimal, halves up (0.25 -> 0.3), as people round; not Python's halves to even."""
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def hours(ms: float) -> float:
    return round1(ms / HOUR_MS)


def pct(part: float, whole: float) -> float | None:
    return round1(100.0 * part / whole) if whole else None


def station_label(station: str, name: str) -> str:
    return f"{name} ({station})" if name and name != station else station


def unit_label(code: str, name: str) -> str:
    return name or (Label(L.UNKNOWN_UNIT) if not code else code)


# -- classifying receipts -------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    category: str
    priority: str


def classify(facts: Facts, r: ReceiptFact) -> Kind:
    """A receipt's category (of the library item the part played, "relay" for a stream, "live" or
    "emergency" for a session) and its priority (the schedule's, or the session's)."""
    m = SESSION_ID.fullmatch(r.item)
    if m and r.schedule is None:
        return Kind("live", "live") if m[1] == "L" else Kind("emergency", "emergency")
    m = ITEM_ID.fullmatch(r.item)
    sched = facts.schedules.get((r.station, int(m[1]))) if m else None
    if sched is None:
        return Kind("other", "normal")
    index = int(m[2])
    kind, item = sched.parts[index] if index < len(sched.parts) else ("", None)
    if kind == "stream":
        category = "relay"
    else:
        category = facts.categories.get((r.station, item), "other") if item is not None else "other"
    return Kind(category if category in CATEGORY_ORDER else "other", sched.priority)


# -- receipts: one pass ---------------------------------------------------------------------------

@dataclass
class Emergency:
    station: str
    item: str
    start: int
    dur_ms: int
    targeted: int
    reached: int
    communes: frozenset[str]


class Airtime:
    """Everything the report needs from the receipts, in one pass over them: a yearly report of a
    province holds millions, read as a stream and never kept. :meth:`feed` takes them grouped by
    (station, item), as the sources read them (ordered); a part is aired if a device played it,
    wholly or in part, and counts once per station (and once per commune) for as long as it played
    on the device (of the commune) that played it longest."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.units = {(d.station, d.id): d.unit_code for d in facts.devices}
        self.receipts = 0
        self.total_ms = 0
        self.aired = 0
        self.station_parts: Counter[str] = Counter()
        self.station_ms: Counter[str] = Counter()
        self.unit_parts: Counter[str] = Counter()
        self.unit_ms: Counter[str] = Counter()
        self.cat_parts: Counter[str] = Counter()
        self.cat_ms: Counter[str] = Counter()
        self.prio_parts: Counter[str] = Counter()
        self.prio_ms: Counter[str] = Counter()
        self.prio_receipts: Counter[str] = Counter()
        self.prio_played: Counter[str] = Counter()
        self.device_ms: Counter[str] = Counter()  # by station
        self.unit_device_ms: Counter[str] = Counter()
        self.status_by_unit: dict[str, Counter[str]] = defaultdict(Counter)
        self.emergencies: list[Emergency] = []
        self._done: set[tuple[str, str]] = set()

    @classmethod
    def of(cls, facts: Facts, receipts: Iterable[ReceiptFact]) -> Airtime:
        """From receipts in any order (tests, small lists)."""
        airtime = cls(facts)
        airtime.feed(sorted(receipts, key=lambda r: (r.station, r.item)))
        return airtime

    def feed(self, receipts: Iterable[ReceiptFact]) -> None:
        for key, group in groupby(receipts, key=lambda r: (r.station, r.item)):
            if key in self._done:
                raise ValueError("receipts must come grouped by station and item")
            self._done.add(key)
            self._part(*key, list(group))

    def unit_of(self, station: str, device: str) -> str:
        return self.units.get((station, device), "")

    def _part(self, station: str, item: str, rs: list[ReceiptFact]) -> None:
        kind = classify(self.facts, rs[0])
        self.receipts += len(rs)
        self.prio_receipts[kind.priority] += len(rs)
        longest: dict[str, int] = {}  # unit -> ms
        reached = 0
        for r in rs:
            unit = self.unit_of(station, r.device)
            self.status_by_unit[unit][r.status] += 1
            self.prio_played[kind.priority] += r.status == "played"
            if r.status in AIRED:
                reached += 1
                longest[unit] = max(longest.get(unit, 0), r.played_ms)
                self.device_ms[station] += r.played_ms
                self.unit_device_ms[unit] += r.played_ms
        if kind.priority == "emergency":
            self.emergencies.append(Emergency(station, item, min(r.start for r in rs), max(r.dur_ms for r in rs),
                                              len(rs), reached, frozenset(longest) - {""}))
        if not longest:
            return
        ms = max(longest.values())
        self.aired += 1
        self.total_ms += ms
        for counts, total, key in ((self.station_parts, self.station_ms, station),
                                   (self.cat_parts, self.cat_ms, kind.category),
                                   (self.prio_parts, self.prio_ms, kind.priority)):
            counts[key] += 1
            total[key] += ms
        for unit, unit_ms in longest.items():
            self.unit_parts[unit] += 1
            self.unit_ms[unit] += unit_ms


# -- availability -----------------------------------------------------------------------------------

def presence_totals(facts: Facts) -> dict[tuple[str, str], tuple[float, float]]:
    """(online seconds, watched seconds) per device over the period (up to now if it is not over): from
    the state at the start and the changes in it. Time before anything is known of a device is not
    watched time."""
    start, until = facts.start, facts.until
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for key in set(facts.presence_before) | set(facts.presence):
        state = facts.presence_before.get(key)
        t, online, watched = start, 0, 0
        for ts, now_online in facts.presence.get(key, ()):
            ts = min(max(ts, start), until)
            if state is not None:
                watched += ts - t
                online += (ts - t) if state else 0
            state, t = now_online, ts
        if state is not None:
            watched += until - t
            online += (until - t) if state else 0
        out[key] = (online / 1000, watched / 1000)
    return out


def _device_key(station: str, device: str) -> str:
    return f"{station}\x1f{device}"


# -- the report -------------------------------------------------------------------------------------

def compute(facts: Facts) -> Report:
    report = Report(facts.scope, facts.period, facts.tz, facts.start, facts.end, facts.now, dict(facts.stations))
    many = facts.scope == "province"
    adopted = [d for d in facts.devices if d.adopted]
    unit_names = {d.unit_code: d.unit_name for d in facts.devices}

    air = facts.airtime if facts.airtime is not None else Airtime(facts)
    total_ms, aired = air.total_ms, air.aired
    station_devices = Counter(d.station for d in adopted)
    everything = {"devices": len(adopted), "parts": aired, "hours": hours(total_ms),
                  "device_hours": hours(sum(air.device_ms.values()))}

    # Broadcast hours by station
    rows = [{"key": st, "station": station_label(st, name), "devices": station_devices[st],
             "parts": air.station_parts[st], "hours": hours(air.station_ms[st]),
             "device_hours": hours(air.device_ms[st])}
            for st, name in sorted(facts.stations.items())]
    report.sections.append(Section("hours_station", [
        Column("station", "text"), Column("devices", "int"), Column("parts", "int"), Column("hours", "hours"),
        Column("device_hours", "hours")], rows, dict(everything)))

    # Broadcast hours by commune
    unit_devices: dict[str, list] = defaultdict(list)
    for d in adopted:
        unit_devices[d.unit_code].append(d)
    units = sorted(set(unit_devices) | set(air.status_by_unit),
                   key=lambda u: (u == "", fold(unit_names.get(u, "") or u), u))
    rows = []
    for u in units:
        row = {"key": u, "unit": u, "unit_name": unit_label(u, unit_names.get(u, ""))}
        if many:
            row["station"] = ", ".join(sorted({d.station for d in unit_devices.get(u, ())}))
        row.update(devices=len(unit_devices.get(u, ())), parts=air.unit_parts[u], hours=hours(air.unit_ms[u]),
                   device_hours=hours(air.unit_device_ms[u]))
        rows.append(row)
    station_col = [Column("station", "text")] if many else []
    report.sections.append(Section("hours_commune", [
        Column("unit", "text"), Column("unit_name", "text"), *station_col, Column("devices", "int"),
        Column("parts", "int"), Column("hours", "hours"), Column("device_hours", "hours")], rows, dict(everything),
        total_label=L.WHOLE_PROVINCE if many else L.WHOLE_STATION))

    # Broadcast hours by category and by priority
    rows = [{"key": cat, "category": Label(L.CATEGORIES[cat]), "parts": air.cat_parts[cat],
             "hours": hours(air.cat_ms[cat]), "share": pct(air.cat_ms[cat], total_ms)} for cat in CATEGORY_ORDER]
    report.sections.append(Section("hours_category", [
        Column("category", "text"), Column("parts", "int"), Column("hours", "hours"), Column("share", "pct")], rows,
        {"parts": aired, "hours": hours(total_ms), "share": 100.0 if total_ms else None},
        chart=("category", "hours")))

    rows = [{"key": prio, "priority": Label(L.PRIORITIES[prio]), "parts": air.prio_parts[prio],
             "hours": hours(air.prio_ms[prio]), "receipts": air.prio_receipts[prio], "played": air.prio_played[prio],
             "played_pct": pct(air.prio_played[prio], air.prio_receipts[prio])} for prio in PRIORITY_ORDER]
    played_all = sum(air.prio_played.values())
    report.sections.append(Section("priority", [
        Column("priority", "text"), Column("parts", "int"), Column("hours", "hours"), Column("receipts", "int"),
        Column("played", "int"), Column("played_pct", "pct")], rows,
        {"parts": aired, "hours": hours(total_ms), "receipts": air.receipts, "played": played_all,
         "played_pct": pct(played_all, air.receipts)}))

    # Bulletins from the province
    outcomes = OUTCOMES if many else OUTCOMES[:-1]
    rows = []
    for prio in BULLETIN_PRIORITIES:
        mine = [b for b in facts.bulletins if b.priority == prio]
        rows.append({"key": prio, "priority": Label(L.PRIORITIES[prio]), "issued": len(mine),
                     **{o: sum(b.outcome == o for b in mine) for o in outcomes}})
    report.sections.append(Section("bulletins", [
        Column("priority", "text"), Column("issued", "int"), *[Column(o, "int") for o in outcomes]], rows,
        {"issued": sum(r["issued"] for r in rows), **{o: sum(r[o] for r in rows) for o in outcomes}}))

    # Emergency broadcasts and their reach
    rows = []
    for e in sorted(air.emergencies, key=lambda e: (e.start, e.station, e.item)):
        row = {"key": e.item, "start": e.start}
        if many:
            row["station"] = e.station
        row.update(minutes=round1(e.dur_ms / 60_000), targeted=e.targeted, reached=e.reached,
                   reach_pct=pct(e.reached, e.targeted), communes=len(e.communes))
        rows.append(row)
    reached_units = {(e.station, u) for e in air.emergencies for u in e.communes}
    targeted = sum(r["targeted"] for r in rows)
    reached_n = sum(r["reached"] for r in rows)
    report.sections.append(Section("emergency", [
        Column("start", "datetime"), *station_col, Column("minutes", "minutes"), Column("targeted", "int"),
        Column("reached", "int"), Column("reach_pct", "pct"), Column("communes", "int")], rows,
        {"minutes": round1(sum(r["minutes"] for r in rows)), "targeted": targeted, "reached": reached_n,
         "reach_pct": pct(reached_n, targeted), "communes": len(reached_units)}))

    # Device availability
    watched = presence_totals(facts)
    totals = {_device_key(*k): v for k, v in watched.items()}
    things = [SimpleNamespace(id=_device_key(d.station, d.id), adopted=True, unit_code=d.unit_code,
                              unit_name=d.unit_name,
                              groups=[f"{d.station}/{g}" if many else g for g in d.groups]) for d in adopted]
    fleet_on = sum(totals.get(t.id, (0.0, 0.0))[0] for t in things)
    fleet_obs = sum(totals.get(t.id, (0.0, 0.0))[1] for t in things)
    fleet = {"devices": len(things), "online_h": hours(fleet_on * 1000), "observed_h": hours(fleet_obs * 1000),
             "availability": _pct1(percent(fleet_on, fleet_obs))}
    rows = [{"key": a["key"], "unit": a["key"], "unit_name": unit_label(a["key"], a["name"]), **_availability(a)}
            for a in availability_by(totals, things, "unit")]
    report.sections.append(Section("availability_commune", [
        Column("unit", "text"), Column("unit_name", "text"), Column("devices", "int"), Column("online_h", "hours"),
        Column("observed_h", "hours"), Column("availability", "pct")], rows, fleet, total_label=L.ALL_DEVICES,
        chart=("unit_name", "availability")))
    names = {(f"{st}/{g}" if many else g): (f"{st} / {name}" if many else name)
             for (st, g), name in facts.group_names.items()}
    rows = [{"key": a["key"], "group": a["name"], **_availability(a)}
            for a in availability_by(totals, things, "group", names)]
    report.sections.append(Section("availability_group", [
        Column("group", "text"), Column("devices", "int"), Column("online_h", "hours"), Column("observed_h", "hours"),
        Column("availability", "pct")], rows, fleet, total_label=L.ALL_DEVICES))

    # Faults and time to repair
    rows = []
    order = {rule: i for i, rule in enumerate(L.RULES)}
    by_rule: dict[str, list] = {}
    for a in facts.alarms:
        by_rule.setdefault(a.rule, []).append(a)
    for rule in sorted(by_rule, key=lambda r: (order.get(r, len(order)), r)):
        rows.append({"key": rule, "rule": Label(L.RULES[rule]) if rule in L.RULES else rule,
                     **_repairs(by_rule[rule], facts.end)})
    report.sections.append(Section("faults", [
        Column("rule", "text"), Column("raised", "int"), Column("repaired", "int"), Column("open", "int"),
        Column("mttr_h", "hours"), Column("median_h", "hours"), Column("max_h", "hours")], rows,
        _repairs(facts.alarms, facts.end)))

    # Receipts by commune
    rows = []
    for u in units:
        c = air.status_by_unit.get(u, Counter())
        n = sum(c.values())
        rows.append({"key": u, "unit": u, "unit_name": unit_label(u, unit_names.get(u, "")),
                     **{s: c.get(s, 0) for s in STATUSES}, "receipts": n, "played_pct": pct(c.get("played", 0), n)})
    receipts_total = {s: sum(r[s] for r in rows) for s in STATUSES}
    receipts_total.update(receipts=air.receipts, played_pct=pct(receipts_total["played"], air.receipts))
    report.sections.append(Section("receipts", [
        Column("unit", "text"), Column("unit_name", "text"), *[Column(s, "int") for s in STATUSES],
        Column("receipts", "int"), Column("played_pct", "pct")], rows, receipts_total))

    report.sections.insert(0, _summary(report, facts, len(adopted)))
    return report


def tally(values: dict, group) -> tuple[Counter, Counter]:
    """How many keys, and the sum of their values, in each ``group(key)``."""
    n: Counter = Counter()
    total: Counter = Counter()
    for key, value in values.items():
        g = group(key)
        n[g] += 1
        total[g] += value
    return n, total


def _pct1(v: float | None) -> float | None:
    return None if v is None else round1(v)


def _availability(a: dict[str, Any]) -> dict[str, Any]:
    return {"devices": a["devices"], "online_h": hours(a["online_s"] * 1000), "observed_h": hours(a["observed_s"] * 1000),
            "availability": _pct1(a["availability"])}


def _repairs(alarms: Iterable, end: int) -> dict[str, Any]:
    alarms = list(alarms)
    repair = [a.resolved_at - a.raised_at for a in alarms if a.resolved_at is not None and a.resolved_at < end]
    return {"raised": len(alarms), "repaired": len(repair), "open": len(alarms) - len(repair),
            "mttr_h": hours(statistics.fmean(repair)) if repair else None,
            "median_h": hours(statistics.median(repair)) if repair else None,
            "max_h": hours(max(repair)) if repair else None}


def _summary(report: Report, facts: Facts, devices: int) -> Section:
    t = {s.key: s.total for s in report.sections}
    figures: list[tuple[str, Any, str]] = []
    if report.scope == "province":
        figures.append(("stations", len(facts.stations), "int"))
    figures += [
        ("devices", devices, "int"),
        ("communes", len({d.unit_code for d in facts.devices if d.adopted and d.unit_code}), "int"),
        ("hours", t["hours_station"]["hours"], "hours"),
        ("parts", t["hours_station"]["parts"], "int"),
        ("receipts", t["receipts"]["receipts"], "int"),
        *[(s, t["receipts"][s], "int") for s in STATUSES],
        ("played_pct", t["receipts"]["played_pct"], "pct"),
        ("emergencies", len(report.section("emergency").rows), "int"),
        ("reach_pct", t["emergency"]["reach_pct"], "pct"),
        ("availability", t["availability_commune"]["availability"], "pct"),
        ("faults", t["faults"]["raised"], "int"),
        ("repaired", t["faults"]["repaired"], "int"),
        ("mttr_h", t["faults"]["mttr_h"], "hours"),
        ("bulletins", t["bulletins"]["issued"], "int"),
    ]
    rows = [{"key": key, "figure": Label(L.SUMMARY[key]), "value": value, "_kind": kind} for key, value, kind in figures]
    return Section("summary", [Column("figure", "text"), Column("value", "auto")], rows)
