"""In-memory fleet state: one :class:`DeviceState` per device, updated by the ingest worker.

One writer (the ingest worker thread) changes it; readers (views, CLI, alarms) read attributes
without locks, which is safe under the GIL because every update assigns whole values. Readers learn
*what* changed through :class:`DirtyTracker`s: each consumer owns one and drains it on its own timer,
so views repaint in coalesced batches and never once per MQTT message.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from console.core.presence import Verdict, judge
from console.fleet import schemas

# Above this clock offset a device's schedule playback is unreliable (docs/protocol.md, "Time").
CLOCK_SKEW_MS = 2000
RECENT_EVENTS = 50


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(slots=True, eq=False)
class DeviceState:
    id: str
    # Registry (database) side
    adopted: bool = False
    name: str = ""
    unit_code: str = ""
    unit_name: str = ""
    lat: float | None = None
    lon: float | None = None
    groups: tuple[str, ...] = ()
    # Presence
    state: str = "unknown"  # "online", "offline" or "unknown" (nothing heard yet)
    session: int = -1
    state_since_ms: int = 0
    offline_reason: str | None = None
    # Birth
    fw: str = ""
    model: str = ""
    caps: tuple[str, ...] = ()
    net_type: str = ""
    operator: str = ""
    ip: str = ""
    tele_s: int = 30
    reported_groups: tuple[str, ...] = ()
    # Telemetry: the latest Tele payload itself (applying it is one assignment; see the properties)
    last_seen_ms: int = 0
    tele: schemas.Tele | None = None
    # Events
    faults: frozenset[str] = frozenset()
    last_evt_seq: int = -1
    evt_gaps: int = 0
    events: deque = field(default_factory=lambda: deque(maxlen=RECENT_EVENTS))

    # Telemetry values, read from the latest payload ------------------------------------------------
    rssi = property(lambda self: self.tele.rssi if self.tele else None)
    temp = property(lambda self: self.tele.temp if self.tele else None)
    vol = property(lambda self: self.tele.vol if self.tele else None)
    power = property(lambda self: self.tele.power if self.tele else None)
    vbat = property(lambda self: self.tele.vbat if self.tele else None)
    uptime = property(lambda self: self.tele.uptime if self.tele else None)
    level_db = property(lambda self: self.tele.level_db if self.tele else None)
    amp = property(lambda self: self.tele.amp if self.tele else None)
    clock_offset_ms = property(lambda self: self.tele.clock_offset_ms if self.tele else None)
    cache_ready = property(lambda self: self.tele.cache.ready if self.tele and self.tele.cache else None)
    cache_missing = property(lambda self: self.tele.cache.missing if self.tele and self.tele.cache else None)

    @property
    def _now_playing(self) -> schemas.Playing | None:
        return self.tele.playing if self.tele is not None and self.state == "online" else None

    @property
    def playing(self) -> str | None:
        p = self._now_playing
        return p.item if p else None

    @property
    def playing_prio(self) -> str | None:
        p = self._now_playing
        return p.prio if p else None

    @property
    def pending(self) -> bool:
        return not self.adopted

    @property
    def online(self) -> bool:
        return self.state == "online"

    @property
    def faulty(self) -> bool:
        return bool(self.faults) or self.amp == "fault"

    @property
    def clock_skewed(self) -> bool:
        return self.clock_offset_ms is not None and abs(self.clock_offset_ms) > CLOCK_SKEW_MS

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "state": self.state, "adopted": self.adopted,
            "session": self.session, "last_seen": self.last_seen_ms or None, "since": self.state_since_ms or None,
            "offline_reason": self.offline_reason, "unit": self.unit_code or None, "unit_name": self.unit_name or None,
            "lat": self.lat, "lon": self.lon, "groups": list(self.groups or self.reported_groups),
            "fw": self.fw or None, "model": self.model or None, "rssi": self.rssi, "temp": self.temp,
            "vol": self.vol, "power": self.power, "vbat": self.vbat, "uptime": self.uptime,
            "playing": self.playing, "level_db": self.level_db, "amp": self.amp,
            "clock_offset_ms": self.clock_offset_ms, "faults": sorted(self.faults), "faulty": self.faulty,
        }


class DirtyTracker:
    """The ids changed since the consumer last looked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: set[str] = set()

    def _mark(self, ids: Iterable[str]) -> None:
        with self._lock:
            self._ids.update(ids)

    def take(self) -> set[str]:
        with self._lock:
            ids, self._ids = self._ids, set()
        return ids


class FleetCounts:
    """:meth:`FleetState.counts`, kept up to date from a tracker: each :meth:`update` costs the
    devices changed since the last one, not the fleet (10,000 devices: 6 ms each time otherwise)."""

    def __init__(self, state: FleetState) -> None:
        self._state = state
        self._tracker = state.tracker()
        self._seen: dict[str, tuple[str, bool, bool]] = {}
        self._counts = dict.fromkeys(COUNT_KEYS, 0)

    def update(self) -> dict[str, int]:
        c, devices = self._counts, self._state.devices
        for dev_id in self._tracker.take():
            d = devices.get(dev_id)
            if d is None:
                continue
            now = (d.state, not d.adopted, d.faulty)
            before = self._seen.get(dev_id)
            if now == before:
                continue
            if before is None:
                c["total"] += 1
            else:
                c[before[0]] -= 1
                c["pending"] -= before[1]
                c["faulty"] -= before[2]
            c[now[0]] += 1
            c["pending"] += now[1]
            c["faulty"] += now[2]
            self._seen[dev_id] = now
        return dict(c)


COUNT_KEYS = ("total", "online", "offline", "unknown", "pending", "faulty")


@dataclass(slots=True)
class Transition:
    """A presence change worth persisting and reporting."""

    device_id: str
    state: str
    session: int
    ts: int
    reason: str | None


class FleetState:
    """All known devices by id. Mutated only through the ``apply_*`` methods, from one thread."""

    def __init__(self) -> None:
        self.devices: dict[str, DeviceState] = {}
        self._trackers: list[DirtyTracker] = []
        self._batch: set[str] = set()

    # Consumers ----------------------------------------------------------------------------------
    def tracker(self) -> DirtyTracker:
        t = DirtyTracker()
        t._mark(self.devices)
        self._trackers.append(t)
        return t

    def publish_changes(self) -> None:
        """Hand the ids changed since the last call to every tracker (once per ingest batch)."""
        if self._batch:
            batch, self._batch = self._batch, set()
            for t in self._trackers:
                t._mark(batch)

    def get(self, dev_id: str) -> DeviceState | None:
        return self.devices.get(dev_id)

    def counts(self) -> dict[str, int]:
        c = dict.fromkeys(COUNT_KEYS, 0)
        for d in list(self.devices.values()):
            c["total"] += 1
            c[d.state] += 1
            c["pending"] += not d.adopted
            c["faulty"] += d.faulty
        return c

    # Registry -----------------------------------------------------------------------------------
    def register(self, dev_id: str, *, adopted: bool, name: str = "", unit_code: str = "", unit_name: str = "",
                 lat: float | None = None, lon: float | None = None, groups: Iterable[str] = ()) -> DeviceState:
        d = self._device(dev_id)
        d.adopted, d.name, d.unit_code, d.unit_name = adopted, name, unit_code, unit_name
        d.groups = tuple(groups)
        if lat is not None and lon is not None:
            d.lat, d.lon = lat, lon
        return d

    def set_adopted(self, dev_id: str, name: str | None = None) -> None:
        d = self._device(dev_id)
        d.adopted = True
        if name:
            d.name = name

    def _device(self, dev_id: str) -> DeviceState:
        d = self.devices.get(dev_id)
        if d is None:
            d = self.devices[dev_id] = DeviceState(dev_id)
        self._batch.add(dev_id)
        return d

    # Ingest -------------------------------------------------------------------------------------
    def apply_state(self, dev_id: str, msg: schemas.State, now: int) -> tuple[Verdict, bool]:
        """Apply a birth or death. Returns the verdict and whether the device is new to the fleet."""
        is_new = dev_id not in self.devices
        d = self._device(dev_id)
        verdict = judge(d.state, d.session, msg.state, msg.session)
        if verdict is Verdict.STALE:
            return verdict, is_new
        if msg.state == "online":
            d.fw, d.model, d.caps = msg.fw or d.fw, msg.model or d.model, tuple(msg.caps)
            d.reported_groups = tuple(msg.groups)
            if msg.net is not None:
                d.net_type, d.operator, d.ip = msg.net.type or "", msg.net.operator or "", msg.net.ip or ""
            if msg.tele_s:
                d.tele_s = msg.tele_s
            if msg.loc is not None and (d.lat is None or not d.adopted):
                d.lat, d.lon = msg.loc.lat, msg.loc.lon
            d.offline_reason = None
            d.last_seen_ms = max(d.last_seen_ms, msg.ts or now)
        else:
            d.offline_reason = msg.reason or "lost"
        if verdict is Verdict.APPLIED:
            if d.state != msg.state:
                d.state_since_ms = msg.ts or now
            d.state, d.session = msg.state, msg.session
        return verdict, is_new

    def apply_tele(self, dev_id: str, msg: schemas.Tele, now: int) -> bool:
        """Apply telemetry; returns False if the device has no birth yet (ask it for one)."""
        d = self._device(dev_id)
        d.last_seen_ms = now
        d.tele = msg
        return d.state == "online"

    def apply_event(self, dev_id: str, msg: schemas.Event, now: int) -> bool:
        """Apply a device event; returns False for a duplicate (seq already seen)."""
        d = self._device(dev_id)
        d.last_seen_ms = now
        if msg.seq <= d.last_evt_seq:
            return False  # QoS 1 redelivery or replay after reconnect; the DB dedups too
        if d.last_evt_seq >= 0 and msg.seq > d.last_evt_seq + 1:
            d.evt_gaps += 1
        d.last_evt_seq = msg.seq
        d.events.appendleft((msg.ts, msg.type, msg.data))
        fault = msg.data.get("fault") if isinstance(msg.data, dict) else None
        if isinstance(fault, str):
            if msg.type == "fault.raised":
                d.faults = d.faults | {fault}
            elif msg.type == "fault.cleared":
                d.faults = d.faults - {fault}
        return True

    def note_console_event(self, dev_id: str, ts: int, type_: str, data: dict) -> None:
        d = self._device(dev_id)
        d.events.appendleft((ts, type_, data))
