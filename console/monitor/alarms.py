"""Alarms: rules over the fleet state, and their lifecycle new -> acknowledged -> resolved.

:meth:`AlarmEngine.evaluate` runs every few seconds on the monitor's thread. It reads the fleet
state in one pass (no lock, like the views), works out which conditions hold, and touches the
database only when an alarm opens or closes: at most one open alarm per device and rule (also a
partial unique index), each change written with its outbox entry (type ``alarm``) in one
transaction through the single DB writer.

A condition that cannot be judged right now (a telemetry rule while the device is offline, the
offline rule before the console has heard the device's retained state) neither opens nor closes
its alarm. An alarm resolved by hand while its condition still holds is not raised again until the
condition has cleared once (in memory: a restart forgets that).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.monitor.rollup import chunked, run_write
from console.store.models import Alarm, Device, OutboxEntry

log = logging.getLogger(__name__)

# Rule -> severity. Faults reported by devices become "fault.<fault>" (docs/protocol.md, 3.4).
RULES: dict[str, str] = {
    "offline": "major",
    "never_seen": "minor",
    "fault.amp": "major",
    "fault.speaker_line": "major",
    "fault.power": "major",  # also: the device runs on battery (mains lost)
    "fault.storage": "minor",
    "fault.clock": "minor",
    "fault.other": "minor",
    "silent": "major",  # playing, but the output level stays below the threshold
    "clock": "minor",  # |clock offset| above the threshold
    "weak_signal": "minor",  # RSSI below the threshold for a sustained period
}
# Rules judged from telemetry: unknown while the device is not online.
TELEMETRY_RULES = ("silent", "clock", "weak_signal", "fault.amp", "fault.power")
REFRESH_MS = 60_000  # how often the adopted-but-never-seen devices are read from the database

Key = tuple[str, str]  # (device id, rule)


@dataclass(frozen=True)
class Thresholds:
    offline_min: float = 10
    never_seen_h: float = 24
    silent_db: float = -50.0
    silent_min: float = 2
    clock_ms: int = 2000
    weak_rssi_dbm: int = -105
    weak_min: float = 15

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        return cls(offline_min=settings.alarm_offline_min, never_seen_h=settings.alarm_never_seen_h,
                   silent_db=settings.alarm_silent_db, silent_min=settings.alarm_silent_min,
                   clock_ms=settings.alarm_clock_ms, weak_rssi_dbm=settings.alarm_weak_rssi_dbm,
                   weak_min=settings.alarm_weak_min)


@dataclass
class OpenAlarm:
    id: int
    state: str
    severity: str


def severity(rule: str) -> str:
    return RULES.get(rule, "minor")


def alarm_json(a: Alarm) -> dict[str, Any]:
    return {"id": a.id, "device": a.device_id, "rule": a.rule, "severity": a.severity, "state": a.state,
            "detail": a.detail or {}, "raised_at": a.raised_at, "acked_by": a.acked_by, "acked_at": a.acked_at,
            "ack_note": a.ack_note or "", "resolved_by": a.resolved_by, "resolved_at": a.resolved_at,
            "resolve_note": a.resolve_note or ""}


def _changed(session: Session, a: Alarm, change: str, ts: int) -> dict[str, Any]:
    data = {**alarm_json(a), "change": change}
    session.add(OutboxEntry(type="alarm", ts=ts, data=data))
    return data


class AlarmEngine:
    def __init__(self, db, writer=None, thresholds: Thresholds = Thresholds(), *,
                 clock: Callable[[], float] = time.time,
                 on_change: Callable[[list[dict]], None] | None = None) -> None:
        self._db, self._writer = db, writer
        self.thresholds = thresholds
        self.clock = clock
        self.on_change = on_change  # called with the changes (alarm dicts with "change"), any thread
        self._lock = threading.RLock()
        self._open: dict[Key, OpenAlarm] = {}
        self._since: dict[Key, int] = {}  # sustained conditions: since when they hold
        self._suppressed: set[Key] = set()  # resolved by hand while holding
        self._restored: dict[str, set[str]] = {}  # faults of open alarms found at start, per device
        self._cleared: deque[tuple[str, str]] = deque()  # (device, fault) from fault.cleared events
        self._never_seen: dict[str, int] = {}  # adopted, never seen: device -> created_at
        self._never_seen_read = -REFRESH_MS
        self.load()

    def now(self) -> int:
        return int(self.clock() * 1000)

    # -- state ----------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the open alarms (at start)."""
        with self._db.sessions() as s:
            rows = s.scalars(select(Alarm).where(Alarm.state != "resolved")).all()
        with self._lock:
            self._open = {(a.device_id, a.rule): OpenAlarm(a.id, a.state, a.severity) for a in rows}
            self._restored = {}
            for a in rows:
                fault = (a.detail or {}).get("fault")
                if a.rule.startswith("fault.") and isinstance(fault, str):
                    self._restored.setdefault(a.device_id, set()).add(fault)

    def on_events(self, events: list[dict]) -> None:
        """Device events (the ingest's sink listener; returns at once): a ``fault.cleared`` ends a
        fault the fleet state may not know about (one raised before the console restarted)."""
        for e in events:
            if e.get("type") == "fault.cleared" and isinstance(e.get("data"), dict):
                fault = e["data"].get("fault")
                if isinstance(fault, str):
                    self._cleared.append((e["device_id"], fault))

    def open_count(self) -> int:
        return len(self._open)

    def counts(self) -> dict[str, int]:
        """Open alarms: in all, by state (new, acknowledged) and by severity (major, minor)."""
        with self._lock:
            alarms = list(self._open.values())
        c = {"open": len(alarms), "new": 0, "acknowledged": 0, "major": 0, "minor": 0}
        for a in alarms:
            c[a.state] += 1
            c[a.severity] = c.get(a.severity, 0) + 1
        return c

    def open_rules(self) -> dict[str, list[str]]:
        """The rules of the open alarms, per device."""
        out: dict[str, list[str]] = {}
        with self._lock:
            for dev, rule in sorted(self._open):
                out.setdefault(dev, []).append(rule)
        return out

    # -- rules ----------------------------------------------------------------------------------

    def conditions(self, state, now: int) -> tuple[dict[Key, dict], set[Key]]:
        """The conditions holding now (with their details), and those that cannot be judged."""
        th = self.thresholds
        offline_ms, never_ms = th.offline_min * 60_000, th.never_seen_h * 3_600_000
        holding: dict[Key, dict] = {}
        unknown: set[Key] = set()
        since: dict[Key, int] = {}

        def sustained(key: Key, true: bool, need_ms: float, detail: dict) -> None:
            if true:
                first = since[key] = self._since.get(key, now)
                if now - first >= need_ms:
                    holding[key] = {**detail, "since": first}

        for d in list(state.devices.values()):
            if not d.adopted:
                continue
            dev = d.id
            for fault in d.faults | self._restored.get(dev, frozenset()):
                holding[(dev, f"fault.{fault}"[:32])] = {"fault": fault}
            if d.state == "offline":
                if now - d.state_since_ms >= offline_ms:
                    holding[(dev, "offline")] = {"since": d.state_since_ms, "reason": d.offline_reason}
            elif d.state == "unknown":
                unknown.add((dev, "offline"))
                created = self._never_seen.get(dev)
                if not d.last_seen_ms and created is not None and now - created >= never_ms:
                    holding[(dev, "never_seen")] = {"adopted_at": created}
            if d.state != "online":
                unknown.update((dev, rule) for rule in TELEMETRY_RULES)
                continue
            if d.amp == "fault":
                holding.setdefault((dev, "fault.amp"), {"amp": "fault"})
            if d.power == "battery":
                holding.setdefault((dev, "fault.power"), {"power": "battery", "vbat": d.vbat})
            offset = d.clock_offset_ms
            if offset is not None and abs(offset) > th.clock_ms:
                holding[(dev, "clock")] = {"offset_ms": offset}
            level = d.level_db
            sustained((dev, "silent"), d.playing is not None and level is not None and level < th.silent_db,
                      th.silent_min * 60_000, {"level_db": level, "item": d.playing})
            rssi = d.rssi
            sustained((dev, "weak_signal"), rssi is not None and rssi < th.weak_rssi_dbm, th.weak_min * 60_000,
                      {"rssi": rssi})
        self._since = since
        return holding, unknown

    def _refresh(self, now: int) -> None:
        while self._cleared:
            dev, fault = self._cleared.popleft()
            self._restored.get(dev, set()).discard(fault)
        if now - self._never_seen_read >= REFRESH_MS or now < self._never_seen_read:
            self._never_seen_read = now
            with self._db.sessions() as s:
                self._never_seen = dict(s.execute(select(Device.id, Device.created_at).where(
                    Device.adoption == "adopted", Device.first_seen.is_(None))).all())

    def evaluate(self, state, now: int | None = None) -> list[dict]:
        """Open and close alarms for what holds now; returns the changes written."""
        now = self.now() if now is None else now
        with self._lock:
            self._refresh(now)
            holding, unknown = self.conditions(state, now)
            self._suppressed &= holding.keys() | unknown
            raise_ = [(k, holding[k]) for k in holding if k not in self._open and k not in self._suppressed]
            resolve = [self._open[k].id for k in self._open if k not in holding and k not in unknown]
            if not raise_ and not resolve:
                return []
            changes = run_write(self._db, self._writer, lambda s: self._apply(s, now, raise_, resolve))
            gone = set(resolve)  # resolved now, or before (by hand), or deleted with their device
            self._open = {k: a for k, a in self._open.items() if a.id not in gone}
            self._note(changes)
        self._notify([c for c in changes if c["change"]])
        return [c for c in changes if c["change"]]

    def _apply(self, session: Session, now: int, raise_: list[tuple[Key, dict]], resolve: list[int]) -> list[dict]:
        out = []
        for a in self._rows(session, resolve):
            if a.state != "resolved":
                a.state, a.resolved_at, a.resolve_note = "resolved", now, "condition cleared"
                out.append(_changed(session, a, "resolved", now))
        new = []
        for part in chunked(raise_):
            devs = sorted({dev for (dev, _), _ in part})
            known = set(session.scalars(select(Device.id).where(Device.id.in_(devs))))
            held = {(a.device_id, a.rule): a for a in session.scalars(
                select(Alarm).where(Alarm.device_id.in_(devs), Alarm.state != "resolved"))}
            for (dev, rule), detail in part:
                if (dev, rule) in held:  # open already (written by an earlier attempt): no change
                    out.append({**alarm_json(held[(dev, rule)]), "change": None})
                elif dev in known:
                    a = Alarm(device_id=dev, rule=rule, severity=severity(rule), state="new", detail=detail,
                              raised_at=now, ack_note="", resolve_note="")
                    session.add(a)
                    new.append(a)
        session.flush()  # the new ids
        out.extend(_changed(session, a, "raised", now) for a in new)
        return out

    @staticmethod
    def _rows(session: Session, ids: Iterable[int]) -> list[Alarm]:
        return [a for part in chunked(list(ids)) for a in session.scalars(select(Alarm).where(Alarm.id.in_(part)))]

    def _note(self, changes: list[dict]) -> None:
        """Keep the in-memory open alarms in step with what was committed."""
        for c in changes:
            key = (c["device"], c["rule"])
            if c["state"] == "resolved":
                self._open.pop(key, None)
                if c["rule"].startswith("fault."):
                    self._restored.get(c["device"], set()).discard(c["rule"][len("fault."):])
            else:
                self._open[key] = OpenAlarm(c["id"], c["state"], c["severity"])

    def _notify(self, changes: list[dict]) -> None:
        if changes and self.on_change is not None:
            try:
                self.on_change(changes)
            except Exception:
                log.exception("alarm listener failed")

    # -- actions ---------------------------------------------------------------------------------

    def acknowledge(self, alarm_id: int, user: str, note: str = "") -> dict:
        """new -> acknowledged. KeyError for an unknown alarm, ValueError if it is not new."""
        return self._act(alarm_id, "acknowledged", user, note)

    def resolve(self, alarm_id: int, user: str, note: str = "") -> dict:
        """new or acknowledged -> resolved, by hand. KeyError for an unknown alarm, ValueError if
        it is resolved already."""
        return self._act(alarm_id, "resolved", user, note)

    def _act(self, alarm_id: int, to: str, user: str, note: str) -> dict:
        if not user:
            raise ValueError("who does it must be named")
        now = self.now()

        def apply(session: Session) -> dict:
            a = session.get(Alarm, alarm_id)
            if a is None:
                raise KeyError(f"no alarm {alarm_id}")
            if a.state == "resolved" or (to == "acknowledged" and a.state != "new"):
                raise ValueError(f"alarm {alarm_id} is {a.state}")
            if to == "acknowledged":
                a.state, a.acked_by, a.acked_at, a.ack_note = to, user, now, note
            else:
                a.state, a.resolved_by, a.resolved_at, a.resolve_note = to, user, now, note
            return _changed(session, a, to, now)

        with self._lock:
            change = run_write(self._db, self._writer, apply)
            self._note([change])
            if to == "resolved":
                self._suppressed.add((change["device"], change["rule"]))
        self._notify([change])
        return change

    # -- reading ---------------------------------------------------------------------------------

    def open_alarms(self, device: str | None = None) -> list[dict]:
        """Open alarms, newest first."""
        return self.history(device=device, open_only=True)

    def history(self, since_ms: int | None = None, device: str | None = None, open_only: bool = False,
                limit: int = 10_000) -> list[dict]:
        """Alarms raised since ``since_ms`` (all states unless ``open_only``), newest first."""
        q = select(Alarm).order_by(Alarm.raised_at.desc(), Alarm.id.desc()).limit(limit)
        if since_ms is not None:
            q = q.where(Alarm.raised_at >= since_ms)
        if device is not None:
            q = q.where(Alarm.device_id == device)
        if open_only:
            q = q.where(Alarm.state != "resolved")
        with self._db.sessions() as s:
            return [alarm_json(a) for a in s.scalars(q)]
