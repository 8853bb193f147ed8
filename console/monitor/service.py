"""The monitor: samples the fleet into rollups, evaluates alarms, compacts and expires history on
one worker thread, and answers the UI's questions (series, availability, alarms, what to fix first).

The station makes one (``Monitor(db, writer, fleet.state, settings, messages=...)``), adds
:meth:`Monitor.on_events` to the ingest sink's listeners, starts it after the fleet service and
stops it before the DB writer (docs/monitoring.md). Everything runs on the injected ``clock``;
:meth:`Monitor.step` does what is due, so tests drive it without the thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import select

from console.fleet.ingest import RateLimitedLog
from console.monitor import availability as av
from console.monitor import rollup
from console.monitor.alarms import AlarmEngine, Thresholds
from console.monitor.rollup import DeviceBucket, Retention, Sampler, range_ms, run_write
from console.schedule.model import DEFAULT_TZ
from console.store.models import DeviceEvent, Group

log = logging.getLogger(__name__)

TICK_S = 1.0  # the worker looks at what is due this often
UNSAVED_MAX = 2000  # rollup writes kept for retry while the database refuses them (~1 day)


@dataclass(frozen=True)
class MonitorConfig:
    sample_s: float = 10.0  # fleet state sampled into the rollups
    alarm_s: float = 5.0  # alarm rules evaluated
    maintain_s: float = 3600.0  # compaction and expiry
    people_per_device: int = av.DEFAULT_PEOPLE
    retention: Retention = field(default_factory=Retention)
    tz: str = DEFAULT_TZ  # local time of exports


class Monitor:
    def __init__(self, db, writer, state, settings=None, *, clock: Callable[[], float] = time.time,
                 messages: Callable[[], int] | None = None, config: MonitorConfig = MonitorConfig(),
                 on_alarms: Callable[[list[dict]], None] | None = None) -> None:
        """``messages``: the count of messages ingested so far (``fleet.ingest.processed``);
        ``on_alarms``: called on the monitor's thread (or the caller's, for acknowledge/resolve)
        with every batch of alarm changes."""
        self.db, self.writer, self.state = db, writer, state
        self.config = config
        self.clock = clock
        thresholds = Thresholds.from_settings(settings) if settings is not None else Thresholds()
        self.alarms = AlarmEngine(db, writer, thresholds, clock=clock, on_change=on_alarms)
        self.sampler = Sampler(state, messages=messages, alarms=self.alarms.open_count,
                               max_gap_s=max(60.0, 3 * config.sample_s))
        self._due = {"sample": 0, "alarms": 0, "maintain": 0}
        self._unsaved: deque[tuple[list[dict], list[DeviceBucket]]] = deque(maxlen=UNSAVED_MAX)
        self._log = RateLimitedLog(log, 60.0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def now(self) -> int:
        return int(self.clock() * 1000)

    # -- running -----------------------------------------------------------------------------------

    def start(self) -> Monitor:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """End the thread and write the open buckets (call before stopping the DB writer)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        try:
            self._save(*self.sampler.flush(), wait=True)
        except Exception as e:  # noqa: BLE001 - stopping: say it and go on
            log.warning("monitor: the last rollups were not written: %s", e)

    def _run(self) -> None:
        while not self._stop.wait(TICK_S):
            self.step()

    def step(self) -> None:
        """Do what is due now: sample, evaluate the alarms, maintain the history."""
        now = self.now()
        c = self.config
        for task, every_s, fn in (("sample", c.sample_s, self.sample), ("alarms", c.alarm_s, self.evaluate),
                                  ("maintain", c.maintain_s, self.maintain)):
            if now >= self._due[task]:
                self._due[task] = now + int(every_s * 1000)
                try:
                    fn(now)
                except Exception as e:  # noqa: BLE001 - the next round tries again
                    self._log.warning(task, "monitor: %s failed: %s", task, e)

    def sample(self, now: int | None = None) -> None:
        """Sample the fleet state; write the buckets it closes (without waiting for the writer)."""
        self._save(*self.sampler.sample(self.now() if now is None else now))

    def evaluate(self, now: int | None = None) -> list[dict]:
        return self.alarms.evaluate(self.state, now)

    def on_events(self, events: list[dict]) -> None:
        """The ingest sink's listener (returns at once)."""
        self.alarms.on_events(events)

    def maintain(self, now: int | None = None) -> None:
        """Roll minutes up into hours, coarsen old device days, expire (waits for the writer)."""
        now = self.now() if now is None else now
        keep = self.config.retention
        while self._unsaved:
            self._save(*self._unsaved[0], wait=True)
            self._unsaved.popleft()
        self._write(lambda s: rollup.compact_fleet(s, now))
        while self._write(lambda s: rollup.coarsen_device_days(s, now, keep.device_fine_days)):
            pass
        self._write(lambda s: rollup.expire(s, now, keep))

    def _write(self, fn):
        return run_write(self.db, self.writer, fn)

    def _save(self, fleet: list[dict], devices: list[DeviceBucket], wait: bool = False) -> None:
        """Write rollups, one writer call per chunk of devices (the ingest's writes go in between);
        what fails is kept and written again at the next maintenance."""
        parts = [(fleet, [])] if fleet else []
        parts += [([], [part]) for b in devices for part in b.parts()]
        for f, d in parts:
            def fn(s, f=f, d=d):
                rollup.save_fleet(s, f)
                for b in d:
                    rollup.save_device_bucket(s, b)
            if wait or self.writer is None:
                run_write(self.db, self.writer, fn)
            else:
                self.writer.call(fn).add_done_callback(lambda fut, f=f, d=d: self._saved(fut, f, d))

    def _saved(self, future, fleet, devices) -> None:
        if future.exception() is not None:
            self._unsaved.append((fleet, devices))
            self._log.warning("save", "monitor: rollups not written (kept for retry): %s", future.exception())

    # -- reading (any thread) ---------------------------------------------------------------------

    def fleet_series(self, range_: str = "24h") -> dict[str, np.ndarray]:
        """Fleet history over "1h", "24h", "7d" or "30d" (``rollup.fleet_series``)."""
        now = self.now()
        with self.db.sessions() as s:
            return rollup.fleet_series(s, now - range_ms(range_), now)

    def device_series(self, dev: str, range_: str = "24h") -> dict[str, np.ndarray]:
        """One device's buckets over the range, the open one included (``rollup.device_series``)."""
        now = self.now()
        with self.db.sessions() as s:
            return rollup.device_series(s, dev, now - range_ms(range_), now, self.sampler.partial(dev))

    def presence_bands(self, dev: str, range_: str = "24h") -> dict[str, np.ndarray]:
        """Online/offline bands from the device's presence events: ``start``, ``end`` (epoch ms) and
        ``online`` (bool; False also before anything is known)."""
        now = self.now()
        since = now - range_ms(range_)
        presence = DeviceEvent.type.in_(("online", "offline"))
        with self.db.sessions() as s:
            before = s.scalar(select(DeviceEvent.type).where(
                DeviceEvent.device_id == dev, presence, DeviceEvent.ts < since)
                .order_by(DeviceEvent.ts.desc(), DeviceEvent.id.desc()).limit(1))
            changes = s.execute(select(DeviceEvent.ts, DeviceEvent.type).where(
                DeviceEvent.device_id == dev, presence, DeviceEvent.ts >= since, DeviceEvent.ts < now)
                .order_by(DeviceEvent.ts, DeviceEvent.id)).all()
        return bands(since, now, before == "online", [(ts, typ == "online") for ts, typ in changes])

    def events(self, dev: str, range_: str = "24h") -> list[dict]:
        """The device's events over the range, oldest first (to draw on the series' time axis)."""
        now = self.now()
        with self.db.sessions() as s:
            rows = s.scalars(select(DeviceEvent).where(
                DeviceEvent.device_id == dev, DeviceEvent.ts >= now - range_ms(range_))
                .order_by(DeviceEvent.ts, DeviceEvent.id)).all()
        return [{"ts": e.ts, "type": e.type, "data": e.data, "source": e.source} for e in rows]

    def availability(self, window: str = "24h", devices: list[str] | None = None) -> dict[str, float | None]:
        """Availability % per device over the window (None: not watched); all devices by default."""
        return {dev: av.percent(on, obs) for dev, (on, obs) in self._totals(window, devices).items()}

    def device_availability(self, dev: str) -> dict[str, float | None]:
        """One device's availability % over 24 h, 7 d and 30 d."""
        return {w: self.availability(w, [dev]).get(dev) for w in ("24h", "7d", "30d")}

    def availability_by(self, kind: str = "unit", window: str = "7d") -> list[dict]:
        """Availability per commune (``"unit"``) or per group, worst first."""
        names = None
        if kind == "group":
            with self.db.sessions() as s:
                names = {gid: name for gid, name in s.execute(select(Group.id, Group.name))}
        return av.availability_by(self._totals(window), list(self.state.devices.values()), kind, names)

    def _totals(self, window: str, devices: list[str] | None = None) -> dict[str, tuple[float, float]]:
        since = self.now() - range_ms(window)
        with self.db.sessions() as s:
            return rollup.presence_totals(s, since, devices)

    def fix_first(self) -> list[dict]:
        """Offline devices by impact, grouped by commune (``availability.fix_first``)."""
        devices = list(self.state.devices.values())
        with self.db.sessions() as s:
            overrides = av.people_overrides(s)
        served = av.people_served(devices, overrides, self.config.people_per_device)
        return av.fix_first(devices, served, self.now(), self.alarms.open_rules())

    def export_fix_first(self, path: str | Path, fmt: str | None = None,
                         translate: Callable[[str], str] = lambda s: s,
                         describe: Callable[[str, str], str] = lambda _kind, code: code) -> int:
        """Write the list to a CSV or XLSX file (by ``fmt`` or the extension); returns its rows.
        ``translate`` gives the column titles, ``describe(kind, code)`` the reasons, alarms and faults."""
        rows = av.fix_first_rows(self.fix_first(), self.config.tz, describe)
        av.export_rows(rows, path, fmt, translate)
        return len(rows)

    def set_people(self, scope: str, ref: str, people: int | None) -> None:
        """People served by a device (``"device"``, id) or by a unit's devices (``"unit"``, code)."""
        self._write(lambda s: av.set_people(s, scope, ref, people))

    # Alarms
    def open_alarms(self, device: str | None = None) -> list[dict]:
        return self.alarms.open_alarms(device)

    def alarm_history(self, since_ms: int | None = None, device: str | None = None) -> list[dict]:
        return self.alarms.history(since_ms, device)

    def alarm_counts(self) -> dict[str, int]:
        return self.alarms.counts()

    def acknowledge(self, alarm_id: int, user: str, note: str = "") -> dict:
        return self.alarms.acknowledge(alarm_id, user, note)

    def resolve(self, alarm_id: int, user: str, note: str = "") -> dict:
        return self.alarms.resolve(alarm_id, user, note)


def bands(since: int, until: int, online: bool, changes: list[tuple[int, bool]]) -> dict[str, np.ndarray]:
    """Merge presence changes ``(ts, online)`` into bands over [since, until)."""
    starts, states = [since], [online]
    for ts, state in changes:
        if ts == starts[-1] and len(starts) > 1:  # two changes at once: the last one holds
            starts.pop()
            states.pop()
        if state != states[-1]:
            starts.append(ts)
            states.append(state)
    return {"start": np.array(starts, dtype=np.int64), "end": np.array(starts[1:] + [until], dtype=np.int64),
            "online": np.array(states, dtype=bool)}
