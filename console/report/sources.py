"""Reading :class:`~console.report.facts.Facts` from a station's database or from the provincial
collector's. Which table each fact comes from (docs/reports.md, "Where the numbers come from"):

| fact | station | collector |
|---|---|---|
| devices, communes, groups | ``devices``, ``admin_units``, ``groups`` | the newest ``inventory`` record of each station |
| receipts | ``receipts`` | ``asrun`` (the last ``asrun`` record of each part and device) |
| categories, priorities | ``media_items``, ``schedules`` | the last ``content`` and ``schedule`` records |
| presence | ``device_events`` online/offline | ``device_event`` records online/offline |
| faults | ``alarms`` | ``alarms`` (the last ``alarm`` record of each alarm) |
| bulletins | ``inbox`` | ``bulletins`` and ``bulletin_receipts`` |

The collector's tables are those that the records the station sent were derived into, so once the
province holds a station's whole outbox both give the same facts (tested).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, selectinload

from console.report.facts import (
    AlarmFact,
    BulletinFact,
    DeviceFact,
    Facts,
    ReceiptFact,
    ScheduleFact,
)
from console.report.period import Period
from console.store.models import now_ms

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
PRESENCE = ("online", "offline")
STREAM_ROWS = 10_000  # receipts read at a time (and between two looks at cancel)
Progress = Callable[[float], None]


class Cancelled(Exception):
    """The report was cancelled before it was finished."""


def station_tz(settings) -> str:
    """The station's time zone, which sets the periods' boundaries: the ``tz`` setting once there is one
    (console/settings.py), else Vietnam's."""
    values = getattr(settings, "values", None) or {}
    return values.get("tz") or DEFAULT_TZ


def _steps(progress: Progress | None, cancel: threading.Event | None, n: int):
    """A function to call after each of ``n`` steps: reports progress, stops if cancelled."""
    done = [0]

    def step() -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        done[0] += 1
        if progress is not None:
            progress(min(1.0, done[0] / n))
    return step


def presence_state(last: dict[tuple, dict[str, int]]) -> dict[tuple, bool]:
    """The state at the period's start from the last online and offline times before it, per device.
    Two changes at the same millisecond: online is taken as the later (a reconnection)."""
    return {key: times.get("online", -1) >= times.get("offline", -1) for key, times in last.items()}


def sort_changes(changes: dict[tuple, list[tuple[int, bool]]]) -> dict[tuple, list[tuple[int, bool]]]:
    """Changes in time order; at the same millisecond offline before online (as above)."""
    return {key: sorted(v) for key, v in changes.items()}


# -- the station's database -----------------------------------------------------------------------

def station_facts(db, period: Period, station: str, *, tz: str, name: str = "", now: int | None = None,
                  progress: Progress | None = None, cancel: threading.Event | None = None) -> Facts:
    """The facts of one station's period from its own database (``console.store.db.Database``)."""
    from console.store.models import (
        AdminUnit,
        Alarm,
        Device,
        DeviceEvent,
        Group,
        InboxBulletin,
        MediaItem,
        Receipt,
        Schedule,
    )

    start, end = period.bounds(tz)
    facts = Facts("station", period, tz, start, end, now_ms() if now is None else now, {station: name or station})
    until = facts.until
    step = _steps(progress, cancel, 6)
    with db.sessions() as s:
        rows = s.execute(select(Device, AdminUnit.code, AdminUnit.name)
                         .outerjoin(AdminUnit, Device.unit_id == AdminUnit.id)
                         .where(Device.adoption != "retired").options(selectinload(Device.groups))
                         .order_by(Device.id))
        facts.devices = [DeviceFact(station, d.id, d.name or "", code or "", unit_name or "",
                                    tuple(g.id for g in d.groups), d.adoption == "adopted")
                         for d, code, unit_name in rows]
        facts.group_names = {(station, gid): gname for gid, gname in s.execute(select(Group.id, Group.name))}
        step()
        facts.schedules = {(station, sid): schedule_fact(prio, programme)
                           for sid, prio, programme in s.execute(select(Schedule.id, Schedule.priority,
                                                                        Schedule.programme))}
        facts.categories = {(station, iid): cat for iid, cat in s.execute(select(MediaItem.id, MediaItem.category))}
        step()
        period = [Receipt.start >= start, Receipt.start < end]
        _receipts(s, facts, select(literal(station), Receipt.item, Receipt.device_id, Receipt.schedule_id,
                                   Receipt.start, Receipt.dur_ms, Receipt.status, Receipt.played_ms)
                  .where(*period).order_by(Receipt.item),
                  s.scalar(select(func.count()).select_from(Receipt).where(*period)), progress, cancel, 2 / 6, 3 / 6)
        step()
        presence = DeviceEvent.type.in_(PRESENCE)
        last: dict[tuple, dict[str, int]] = {}
        for dev, kind, ts in s.execute(select(DeviceEvent.device_id, DeviceEvent.type, func.max(DeviceEvent.ts))
                                       .where(presence, DeviceEvent.ts < start)
                                       .group_by(DeviceEvent.device_id, DeviceEvent.type)):
            last.setdefault((station, dev), {})[kind] = ts
        facts.presence_before = presence_state(last)
        changes: dict[tuple, list[tuple[int, bool]]] = {}
        for dev, kind, ts in s.execute(select(DeviceEvent.device_id, DeviceEvent.type, DeviceEvent.ts)
                                       .where(presence, DeviceEvent.ts >= start, DeviceEvent.ts < until)):
            changes.setdefault((station, dev), []).append((ts, kind == "online"))
        facts.presence = sort_changes(changes)
        step()
        facts.alarms = [AlarmFact(station, a.id, a.device_id, a.rule, a.raised_at, a.resolved_at)
                        for a in s.execute(select(Alarm.id, Alarm.device_id, Alarm.rule, Alarm.raised_at,
                                                  Alarm.resolved_at)
                                           .where(Alarm.raised_at >= start, Alarm.raised_at < end))]
        step()
        issued = func.coalesce(InboxBulletin.issued_at, InboxBulletin.received_at)
        facts.bulletins = [BulletinFact(station, b.id, b.priority, b.at, STATION_OUTCOMES.get(b.state, "pending"))
                           for b in s.execute(select(InboxBulletin.id, InboxBulletin.priority, InboxBulletin.state,
                                                     issued.label("at"))
                                              .where(issued >= start, issued < end))]
        step()
    return facts


def _receipts(s: Session, facts: Facts, query, count: int, progress: Progress | None,
              cancel: threading.Event | None, lo: float, hi: float) -> None:
    """Stream the receipts (station, item, device, schedule, start, dur_ms, status, played_ms), ordered
    by station and item, into ``facts.airtime``; progress from ``lo`` to ``hi`` as they come."""
    from console.report.compute import Airtime

    def rows():
        for n, row in enumerate(s.execute(query.execution_options(yield_per=STREAM_ROWS)), start=1):
            if n % STREAM_ROWS == 0:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                if progress is not None:
                    progress(lo + (hi - lo) * n / max(count, 1))
            yield ReceiptFact(*row[:7], row[7] or 0)

    facts.airtime = Airtime(facts)
    facts.airtime.feed(rows())


# inbox state -> outcome; received, waiting and confirm wait for someone
STATION_OUTCOMES = {"played": "played", "scheduled": "scheduled", "rejected": "rejected"}


def schedule_fact(priority: Any, programme: Any) -> ScheduleFact:
    parts = []
    for p in programme if isinstance(programme, list) else []:
        p = p if isinstance(p, dict) else {}
        item = p.get("item_id")
        parts.append((str(p.get("kind", "")), item if isinstance(item, int) and not isinstance(item, bool) else None))
    return ScheduleFact(priority if isinstance(priority, str) else "normal", tuple(parts))


# -- the provincial collector's database ----------------------------------------------------------

def province_facts(db, period: Period, *, tz: str, stations: Iterable[str] | None = None, now: int | None = None,
                   progress: Progress | None = None, cancel: threading.Event | None = None) -> Facts:
    """The facts of every station (or of ``stations``) from the collector's database
    (``console.province.store.open_collector``)."""
    from console.province.models import (
        AlarmState,
        AsRun,
        Bulletin,
        BulletinReceipt,
        Record,
        Station,
    )

    start, end = period.bounds(tz)
    facts = Facts("province", period, tz, start, end, now_ms() if now is None else now)
    until = facts.until
    step = _steps(progress, cancel, 7)
    wanted = None if stations is None else sorted(set(stations))

    def only(column):
        return [] if wanted is None else [column.in_(wanted)]

    with db.sessions() as s:
        facts.stations = dict(s.execute(select(Station.id, Station.name).where(*only(Station.id))
                                        .order_by(Station.id)).all())
        if wanted is not None and (missing := sorted(set(wanted) - set(facts.stations))):
            raise LookupError(f"the collector knows no station {', '.join(missing)}")
        ids = list(facts.stations)
        facts.devices = _inventory_devices(s, ids)
        facts.group_names = {(d.station, g): g for d in facts.devices for g in d.groups}
        step()
        _catalogue(s, ids, facts)
        step()
        period = [AsRun.station_id.in_(ids), AsRun.start >= start, AsRun.start < end]
        _receipts(s, facts, select(AsRun.station_id, AsRun.item, AsRun.device_id, AsRun.schedule_id, AsRun.start,
                                   AsRun.dur_ms, AsRun.status, AsRun.played_ms)
                  .where(*period).order_by(AsRun.station_id, AsRun.item),
                  s.scalar(select(func.count()).select_from(AsRun).where(*period)), progress, cancel, 2 / 7, 3 / 7)
        step()
        device, kind = Record.data["device"].as_string(), Record.data["kind"].as_string()
        events = [Record.station_id.in_(ids), Record.type == "device_event", kind.in_(PRESENCE)]
        last: dict[tuple, dict[str, int]] = {}
        for st, dev, k, ts in s.execute(select(Record.station_id, device, kind, func.max(Record.ts))
                                        .where(*events, Record.ts < start).group_by(Record.station_id, device, kind)):
            last.setdefault((st, dev), {})[k] = ts
        facts.presence_before = presence_state(last)
        step()
        changes: dict[tuple, list[tuple[int, bool]]] = {}
        for st, dev, k, ts in s.execute(select(Record.station_id, device, kind, Record.ts)
                                        .where(*events, Record.ts >= start, Record.ts < until)):
            changes.setdefault((st, dev), []).append((ts, k == "online"))
        facts.presence = sort_changes(changes)
        step()
        facts.alarms = [AlarmFact(*a) for a in s.execute(
            select(AlarmState.station_id, AlarmState.alarm_id, AlarmState.device_id, AlarmState.rule,
                   AlarmState.raised_at, AlarmState.resolved_at)
            .where(AlarmState.station_id.in_(ids), AlarmState.raised_at >= start, AlarmState.raised_at < end))]
        step()
        statuses: dict[tuple[str, int], set[str]] = {}
        for st, bid, status in s.execute(select(BulletinReceipt.station_id, BulletinReceipt.bulletin_id,
                                                BulletinReceipt.status).where(BulletinReceipt.station_id.in_(ids))):
            statuses.setdefault((st, bid), set()).add(status)
        facts.bulletins = [BulletinFact(st, bid, prio, at, province_outcome(statuses.get((st, bid), set())))
                           for st, bid, prio, at in s.execute(
                               select(Bulletin.station_id, Bulletin.id, Bulletin.priority, Bulletin.issued_at)
                               .where(Bulletin.station_id.in_(ids), Bulletin.issued_at >= start,
                                      Bulletin.issued_at < end))]
        step()
    return facts


def province_outcome(statuses: set[str]) -> str:
    """What became of a bulletin, by the receipts the station sent (the furthest one counts)."""
    for status, outcome in (("played", "played"), ("rejected", "rejected"), ("scheduled", "scheduled"),
                            ("received", "pending")):
        if status in statuses:
            return outcome
    return "undelivered"


def _inventory_devices(s: Session, stations: list[str]) -> list[DeviceFact]:
    """Each station's devices as its newest inventory record lists them; a station that never sent one:
    the devices its device events named (adopted, nowhere)."""
    from console.province.models import DeviceState, Record

    out: list[DeviceFact] = []
    for st in stations:
        data = s.scalar(select(Record.data).where(Record.station_id == st, Record.type == "inventory")
                        .order_by(Record.seq.desc()).limit(1))
        listed = data.get("devices") if isinstance(data, dict) else None
        if isinstance(listed, list):
            for d in listed:
                if isinstance(d, dict) and isinstance(d.get("id"), str) and d.get("adoption") != "retired":
                    groups = tuple(g for g in d.get("groups") or () if isinstance(g, str))
                    out.append(DeviceFact(st, d["id"], _text(d.get("name")), _text(d.get("unit")), "", groups,
                                          d.get("adoption", "adopted") == "adopted"))
        else:
            out.extend(DeviceFact(st, dev, name or "", unit or "", "", tuple(groups or ()))
                       for dev, name, unit, groups in s.execute(
                           select(DeviceState.device_id, DeviceState.name, DeviceState.unit, DeviceState.groups)
                           .where(DeviceState.station_id == st).order_by(DeviceState.device_id)))
    names = unit_names({d.unit_code for d in out if d.unit_code})
    return [DeviceFact(d.station, d.id, d.name, d.unit_code, names.get(d.unit_code, ""), d.groups, d.adopted)
            for d in out]


def _catalogue(s: Session, stations: list[str], facts: Facts) -> None:
    """Schedules and library items as their last ``schedule`` and ``content`` records describe them."""
    from console.province.models import Record

    for st, kind, data in s.execute(select(Record.station_id, Record.type, Record.data)
                                    .where(Record.station_id.in_(stations), Record.type.in_(("schedule", "content")))
                                    .order_by(Record.station_id, Record.seq)):
        obj = data.get(kind) if isinstance(data, dict) else None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), int):
            continue
        if kind == "schedule":
            facts.schedules[(st, obj["id"])] = schedule_fact(obj.get("priority"), obj.get("programme"))
        else:
            facts.categories[(st, obj["id"])] = _text(obj.get("category")) or "other"


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ""


def unit_names(codes: set[str]) -> dict[str, str]:
    """Names of administrative units by code, from the package the station seeds its units from: the
    units since 1 July 2025 first, then those before (codes were reused across the reform)."""
    if not codes:
        return {}
    from console.store import admin_data

    names: dict[str, str] = {}
    for units in (admin_data.post_2025_units, admin_data.legacy_units):
        if codes <= names.keys():
            break
        for u in units():
            if u.code in codes and u.code not in names:
                names[u.code] = u.name
    return names
