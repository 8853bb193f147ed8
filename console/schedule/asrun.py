"""As-run receipts and media readiness, from the device events the console stored.

:class:`AsRun` reads ``device_events`` past a cursor (so events that arrive late, e.g. from a device
that played while its link was down, or from the broker's session after the console restarts, are
handled the same way), keeps ``media_readiness`` and ``receipts`` up to date, and decides ``missed``
for parts that ended without any report (docs/scheduling.md, "Receipts"). Every receipt written or
changed also goes to the outbox for the province.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from datetime import datetime, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.schedule import compile as comp
from console.schedule.service import ScheduleError, Scheduler
from console.store.models import DeviceEvent, MediaReadiness, OutboxEntry, Receipt, now_ms

log = logging.getLogger(__name__)

PLAY_TYPES = ("play.started", "play.finished", "play.preempted", "play.failed")
MEDIA_TYPES = ("media.ready", "media.failed")
PRESENCE_TYPES = ("online", "offline")
ITEM_ID = re.compile(r"s(\d+)\.(\d{8}T\d{6})\.(\d+)")
LOOKBACK = timedelta(days=2)
BATCH = 5000


def receipt_json(r: Receipt) -> dict[str, Any]:
    return {"item": r.item, "device": r.device_id, "schedule": r.schedule_id, "start": r.start, "dur_ms": r.dur_ms,
            "status": r.status, "played_ms": r.played_ms, "reason": r.reason, "ts": r.ts}


class AsRun:
    def __init__(self, scheduler: Scheduler, *, grace_s: float = 30.0, interval_s: float = 2.0,
                 alarm_min: int = 30) -> None:
        self.scheduler = scheduler
        self._db = scheduler._db
        self.grace = timedelta(seconds=grace_s)
        self.interval_s = interval_s
        self.alarm_min = alarm_min
        self.alarms: list[dict[str, Any]] = []  # occurrences airing soon that are not on every device
        self._alarmed: set[tuple[int, datetime]] = set()
        self._next_alarm_check = 0.0
        self._cursor: int | None = None  # last device_events.id handled
        self._swept_to: datetime | None = None  # parts ending before this were checked for "missed"
        self._started: dict[tuple[str, str], int] = {}  # (item, device) -> device ts of play.started
        self._parts: dict[str, tuple[int, int, int] | None] = {}  # item -> (schedule, start ms, dur ms)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- reading --------------------------------------------------------------------------------

    def receipts(self, since_ms: int | None = None, until_ms: int | None = None, status: str | None = None,
                 schedule_id: int | None = None, device: str | None = None, limit: int = 100_000) -> list[dict]:
        query = select(Receipt).order_by(Receipt.start, Receipt.item, Receipt.device_id).limit(limit)
        if since_ms is not None:
            query = query.where(Receipt.start >= since_ms)
        if until_ms is not None:
            query = query.where(Receipt.start < until_ms)
        if status:
            query = query.where(Receipt.status == status)
        if schedule_id is not None:
            query = query.where(Receipt.schedule_id == schedule_id)
        if device:
            query = query.where(Receipt.device_id == device)
        with self._db.sessions() as session:
            return [receipt_json(r) for r in session.scalars(query)]

    # -- the work -------------------------------------------------------------------------------

    def step(self) -> int:
        """Handle new events, then sweep for missed parts. Returns the number of receipts changed."""
        changed = 0
        while True:
            events = self._next_events()
            if not events:
                break
            changed += self._write(lambda s: self._apply(s, events))
        changed += self._sweep()
        return changed

    def _write(self, fn) -> Any:
        return self.scheduler._write(fn)

    def _next_events(self) -> list[DeviceEvent]:
        with self._db.sessions() as session:
            if self._cursor is None:
                since = int((time.time() - LOOKBACK.total_seconds()) * 1000)
                first = session.scalar(select(func.min(DeviceEvent.id)).where(DeviceEvent.received_at >= since))
                self._cursor = (first - 1) if first is not None else (
                    session.scalar(select(func.max(DeviceEvent.id))) or 0)
            rows = list(session.scalars(
                select(DeviceEvent).where(DeviceEvent.id > self._cursor,
                                          DeviceEvent.type.in_(PLAY_TYPES + MEDIA_TYPES))
                .order_by(DeviceEvent.id).limit(BATCH)))
            session.expunge_all()
        if rows:
            self._cursor = rows[-1].id
        return rows

    def _part(self, item: str) -> tuple[int, int, int] | None:
        """(schedule id, planned start ms, duration ms) of a scheduled item id, or None."""
        if item not in self._parts:
            found = None
            m = ITEM_ID.fullmatch(item)
            if m:
                sid, stamp, index = int(m[1]), m[2], int(m[3])
                try:
                    spec = self.scheduler.get(sid)
                    start = datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(spec.rule.tz))
                    offset, part = comp.layout(list(spec.programme))[index]
                    found = (sid, int(start.timestamp() * 1000) + offset, part.dur_ms)
                except (ScheduleError, IndexError, ValueError):
                    found = None
            self._parts[item] = found
        return self._parts[item]

    def _apply(self, session: Session, events: Iterable[DeviceEvent]) -> int:
        changed = 0
        for e in events:
            data = e.data or {}
            if e.type in MEDIA_TYPES:
                sha = data.get("sha256")
                if isinstance(sha, str) and len(sha) == 64:
                    row = session.get(MediaReadiness, (e.device_id, sha))
                    state = "ready" if e.type == "media.ready" else "failed"
                    reason = str(data.get("reason", ""))[:500]
                    if row is None:
                        session.add(MediaReadiness(device_id=e.device_id, sha256=sha, state=state, reason=reason, ts=e.ts))
                    elif e.ts >= row.ts:
                        row.state, row.reason, row.ts = state, reason, e.ts
                continue
            item = data.get("item")
            part = self._part(item) if isinstance(item, str) else None
            if part is None:
                continue  # not a scheduled item (play.now, a test tone, live)
            key = (item, e.device_id)
            if e.type == "play.started":
                self._started[key] = e.ts
                continue
            played = data.get("played_ms")
            if not isinstance(played, int):
                played = max(0, e.ts - self._started[key]) if key in self._started else 0
            if e.type == "play.finished":
                full = data.get("reason", "finished") == "finished"
                status, reason = ("played", "") if full else ("partial", str(data.get("reason", "")))
            elif e.type == "play.preempted":
                status, reason = "partial", f"preempted by {data.get('by', '?')}"
            else:
                status, reason = "failed", str(data.get("reason", "unknown"))
            changed += self.put_receipt(session, item, e.device_id, part, status, played, reason)
        return changed

    def put_receipt(self, session: Session, item: str, device: str, part: tuple[int, int, int], status: str,
             played_ms: int, reason: str) -> int:
        """Insert or change a receipt; an outbox entry when it changed. A device's own report always
        replaces a ``missed`` the console decided."""
        sid, start, dur = part
        row = session.get(Receipt, (item, device))
        if row is not None and (row.status, row.played_ms, row.reason) == (status, played_ms, reason):
            return 0
        if row is not None and status == "missed":
            return 0
        ts = now_ms()
        if row is None:
            row = Receipt(item=item, device_id=device, schedule_id=sid, start=start, dur_ms=dur, status=status,
                          played_ms=played_ms, reason=reason[:500], ts=ts)
            session.add(row)
        else:
            row.status, row.played_ms, row.reason, row.ts = status, played_ms, reason[:500], ts
        session.add(OutboxEntry(type="asrun", ts=ts, data=receipt_json(row)))
        return 1

    def _sweep(self) -> int:
        """``missed`` for target devices that reported nothing about a part that ended a grace period ago."""
        now = self.scheduler.now()
        until = now - self.grace
        since = self._swept_to or (now - LOOKBACK)
        if until <= since:
            return 0
        occs = self.scheduler.occurrences(since - timedelta(hours=12), until, ("approved", "archived"))
        specs = {}
        todo: list[tuple[str, tuple[int, int, int], frozenset[str]]] = []
        for o in occs:
            spec = specs.get(o.schedule_id) or specs.setdefault(o.schedule_id, self.scheduler.get(o.schedule_id))
            for index, (offset, part) in enumerate(comp.layout(list(spec.programme))):
                if part.kind == "gap":
                    continue
                start = o.start + timedelta(milliseconds=offset)
                end = start + timedelta(milliseconds=part.dur_ms)
                if since <= end < until:
                    item = comp.item_id(o.schedule_id, o.start, index)
                    todo.append((item, (o.schedule_id, int(start.timestamp() * 1000), part.dur_ms), o.devices))
        self._swept_to = until
        if not todo:
            return 0
        return self._write(lambda s: sum(self._missed(s, *t) for t in todo))

    def _missed(self, session: Session, item: str, part: tuple[int, int, int], devices: frozenset[str]) -> int:
        have = set(session.scalars(select(Receipt.device_id).where(Receipt.item == item)))
        silent = sorted(devices - have)
        if not silent:
            return 0
        start_ms, end_ms = part[1], part[1] + part[2]
        presence: dict[str, list[tuple[int, str]]] = {}
        for dev, typ, ts in session.execute(
                select(DeviceEvent.device_id, DeviceEvent.type, DeviceEvent.ts)
                .where(DeviceEvent.device_id.in_(silent), DeviceEvent.type.in_(PRESENCE_TYPES),
                       DeviceEvent.ts <= end_ms, DeviceEvent.ts >= start_ms - int(LOOKBACK.total_seconds() * 1000))
                .order_by(DeviceEvent.ts)):
            presence.setdefault(dev, []).append((ts, typ))
        changed = 0
        for dev in silent:
            history = presence.get(dev, [])
            before = [typ for ts, typ in history if ts <= start_ms]
            went_off = [ts for ts, typ in history if typ == "offline" and start_ms < ts <= end_ms]
            started = self._started.get((item, dev))
            if started is not None:
                played = max(0, went_off[0] - started) if went_off else 0
                changed += self.put_receipt(session, item, dev, part, "partial", played, "no end reported")
            elif before and before[-1] == "offline":
                changed += self.put_receipt(session, item, dev, part, "missed", 0, "offline at air time")
            else:
                changed += self.put_receipt(session, item, dev, part, "missed", 0, "no report")
        return changed

    def check_readiness(self) -> list[dict[str, Any]]:
        """Occurrences airing within ``alarm_min`` minutes whose media is not on every target device;
        each is logged once as a warning."""
        now = self.scheduler.now()
        soon = self.scheduler.upcoming(now, now + timedelta(minutes=self.alarm_min), self.alarm_min)
        self.alarms = [u for u in soon if u["alarm"]]
        for a in self.alarms:
            key = (a["schedule"], a["start"])
            if key not in self._alarmed:
                self._alarmed.add(key)
                log.warning("“%s” airs at %s but only %d of %d devices hold its media (missing: %s)", a["title"],
                            f"{a['start']:%H:%M}", a["ready"], a["devices"], ", ".join(a["missing"][:10]))
        return self.alarms

    # -- background -----------------------------------------------------------------------------

    def start(self) -> AsRun:
        self._thread = threading.Thread(target=self._run, name="asrun", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.step()
                if time.monotonic() >= self._next_alarm_check:
                    self._next_alarm_check = time.monotonic() + 30
                    self.check_readiness()
            except Exception as e:  # noqa: BLE001 - keep going; the next step retries
                log.warning("as-run update failed: %s", e)
