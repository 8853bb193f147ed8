"""Status history: the sampler that reads the fleet state, the rollup rows it writes, their
compaction and expiry, and the series the graphs read.

Two stores (docs/monitoring.md, "Storage"):

- ``monitor_fleet``: fleet-wide rows, 1-minute buckets (kept 7 days) rolled up into hourly
  buckets (kept two years): mean counts per status, open alarms, messages received.
- ``monitor_device_days``: one row per device and UTC day holding that day's 15-minute buckets
  packed (``console.monitor.buckets``), coarsened to hourly buckets after 30 days.

The :class:`Sampler` is called every few seconds on the monitor's thread. It reads the fleet state
without locks (one pass over the devices, whole attribute reads, as the views do) and returns the
buckets it closed; the caller writes them through the single DB writer. The functions taking a
``Session`` are the writes (run by the writer) and the reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.monitor import buckets as bk
from console.store.models import Device, DeviceDay, FleetBucket

MINUTE_S, HOUR_S = 60, 3600
DEVICE_RES_S = 900  # per-device buckets for the first FINE_DAYS days
RANGES_MS = {"1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000}
FLEET_COUNTS = ("devices", "online", "offline", "unknown", "playing", "faulty", "pending", "alarms")
CHUNK = 1000  # devices per statement (bound parameters) and per writer call
PRESENCE = [bk.INDEX["online_s"], bk.INDEX["observed_s"]]


@dataclass(frozen=True)
class Retention:
    """How long each resolution is kept (days)."""

    fleet_minutes_days: int = 7
    fleet_hours_days: int = 730
    device_fine_days: int = 30  # then 15-minute buckets become hourly
    device_days: int = 90  # then device rows are deleted


def range_ms(name: str) -> int:
    try:
        return RANGES_MS[name]
    except KeyError:
        raise ValueError(f"unknown range {name!r}: one of {', '.join(RANGES_MS)}") from None


@dataclass
class DeviceBucket:
    """One closed (or flushed) per-device bucket: ``values[:, j]`` is the column of ``ids[j]``."""

    t: int
    res_s: int
    ids: list[str]
    values: np.ndarray  # (len(bk.FIELDS), len(ids))

    def parts(self, n: int = CHUNK) -> list[DeviceBucket]:
        """The bucket split into parts of at most ``n`` devices."""
        return [DeviceBucket(self.t, self.res_s, self.ids[i:i + n], self.values[:, i:i + n])
                for i in range(0, len(self.ids), n)]


# -- the sampler -------------------------------------------------------------------------------

class Sampler:
    """Accumulates fleet samples into the open fleet bucket and the open per-device buckets.

    ``sample(now_ms)`` reads the state once and returns ``(fleet_rows, device_buckets)`` closed by
    this sample. Time between two samples (at most ``max_gap_s``: a longer pause is not watched
    time) counts as observed for every adopted device and as online for those online now; it is
    split at bucket boundaries. A telemetry message is counted once, when first sampled.
    """

    def __init__(self, state, *, device_res_s: int = DEVICE_RES_S, fleet_res_s: int = MINUTE_S,
                 max_gap_s: float = 60.0, messages: Callable[[], int] | None = None,
                 alarms: Callable[[], int] | None = None) -> None:
        self.state = state
        self.device_res_s, self.fleet_res_s = device_res_s, fleet_res_s
        self.max_gap_ms = int(max_gap_s * 1000)
        self.messages, self.alarms = messages, alarms
        self._ids: list[str] = []
        self._index: dict[str, int] = {}
        self._last_tele: dict[str, object] = {}
        self._alloc(1024)
        self._dev_t: int | None = None  # start of the open device bucket
        self._fleet_t: int | None = None
        self._fleet = dict.fromkeys(FLEET_COUNTS, 0.0)
        self._fleet_samples = 0
        self._fleet_msgs = 0
        self._msgs_seen: int | None = None
        self._prev: int | None = None

    def _alloc(self, cap: int, keep: int = 0) -> None:
        """Fresh accumulators for ``cap`` devices, keeping those of the first ``keep``."""
        m = len(bk.METRICS)
        new = {"_n": np.zeros(cap), "_online": np.zeros(cap), "_observed": np.zeros(cap),
               "_min": np.full((cap, m), np.inf), "_max": np.full((cap, m), -np.inf),
               "_sum": np.zeros((cap, m)), "_cnt": np.zeros((cap, m))}
        for name, arr in new.items():
            if keep:
                arr[:keep] = getattr(self, name)[:keep]
            setattr(self, name, arr)

    def _slot(self, dev_id: str) -> int:
        i = self._index.get(dev_id)
        if i is None:
            i = self._index[dev_id] = len(self._ids)
            self._ids.append(dev_id)
            if i >= len(self._n):
                self._alloc(2 * len(self._n), keep=i)
        return i

    def sample(self, now: int) -> tuple[list[dict], list[DeviceBucket]]:
        adopted, online, rows, values = [], [], [], []
        c = dict.fromkeys(FLEET_COUNTS, 0)
        last_tele = self._last_tele
        for d in list(self.state.devices.values()):
            if not d.adopted:
                c["pending"] += 1
                continue
            i = self._slot(d.id)
            adopted.append(i)
            if d.state == "online":
                online.append(i)
                c["online"] += 1
                c["playing"] += d.playing is not None
                t = d.tele
                if t is not None and t is not last_tele.get(d.id):
                    last_tele[d.id] = t
                    rows.append(i)
                    values.append((t.rssi, t.temp, t.level_db, t.vbat, t.clock_offset_ms, t.vol))
            else:
                c[d.state if d.state == "offline" else "unknown"] += 1
            c["faulty"] += d.faulty
        c["devices"] = len(adopted)
        c["alarms"] = self.alarms() if self.alarms else 0
        adopted_ix, online_ix = np.array(adopted, dtype=np.intp), np.array(online, dtype=np.intp)

        closed_devices: list[DeviceBucket] = []
        res = self.device_res_s * 1000
        start = now if self._prev is None else max(self._prev, now - self.max_gap_ms)
        if self._dev_t is None:
            self._dev_t = bk.floor_to(now, self.device_res_s)
        elif now >= self._dev_t + res:
            self._add_time(adopted_ix, online_ix, max(0, self._dev_t + res - start))
            closed_devices.append(self._close_devices())
            self._dev_t = bk.floor_to(now, self.device_res_s)
            start = max(start, self._dev_t)
        self._add_time(adopted_ix, online_ix, max(0, now - start))
        if rows:
            self._add_tele(np.array(rows, dtype=np.intp), np.array(values, dtype=float))
        self._prev = now

        closed_fleet: list[dict] = []
        minute = bk.floor_to(now, self.fleet_res_s)
        if self._fleet_t is not None and minute != self._fleet_t:
            closed_fleet.append(self._close_fleet())
        self._fleet_t = minute
        for k in FLEET_COUNTS:
            self._fleet[k] += c[k]
        self._fleet_samples += 1
        if self.messages is not None:
            seen = self.messages()
            if self._msgs_seen is not None:
                self._fleet_msgs += max(0, seen - self._msgs_seen)
            self._msgs_seen = seen
        return closed_fleet, [b for b in closed_devices if b.ids]

    def flush(self) -> tuple[list[dict], list[DeviceBucket]]:
        """Close the open buckets as they are (on stop: a partial bucket is worth keeping)."""
        fleet = [self._close_fleet()] if self._fleet_samples else []
        devices = [self._close_devices()] if self._dev_t is not None else []
        self._fleet_t = self._dev_t = self._prev = None
        return fleet, [b for b in devices if b.ids]

    def partial(self, dev_id: str) -> DeviceBucket | None:
        """The open bucket of one device (what the database does not hold yet)."""
        i = self._index.get(dev_id)
        if i is None or self._dev_t is None or not (self._observed[i] or self._n[i]):
            return None
        return DeviceBucket(self._dev_t, self.device_res_s, [dev_id], self._columns(np.array([i])))

    def _add_time(self, adopted: np.ndarray, online: np.ndarray, ms: int) -> None:
        if ms:
            self._observed[adopted] += ms / 1000
            self._online[online] += ms / 1000

    def _add_tele(self, rows: np.ndarray, v: np.ndarray) -> None:
        present = ~np.isnan(v)
        self._n[rows] += 1
        self._min[rows] = np.fmin(self._min[rows], v)
        self._max[rows] = np.fmax(self._max[rows], v)
        self._sum[rows] += np.where(present, v, 0.0)
        self._cnt[rows] += present

    def _columns(self, sel: np.ndarray) -> np.ndarray:
        out = np.empty((len(bk.FIELDS), len(sel)))
        out[0], out[1], out[2] = self._n[sel], self._online[sel], self._observed[sel]
        cnt = self._cnt[sel]
        with np.errstate(invalid="ignore", divide="ignore"):
            avg = np.where(cnt > 0, self._sum[sel] / cnt, np.nan)
        mn, mx = self._min[sel], self._max[sel]
        out[3::3] = np.where(np.isinf(mn), np.nan, mn).T
        out[4::3] = avg.T
        out[5::3] = np.where(np.isinf(mx), np.nan, mx).T
        return out

    def _close_devices(self) -> DeviceBucket:
        k = len(self._ids)
        sel = np.nonzero((self._observed[:k] > 0) | (self._n[:k] > 0))[0]
        bucket = DeviceBucket(self._dev_t, self.device_res_s, [self._ids[i] for i in sel], self._columns(sel))
        self._alloc(len(self._n))
        return bucket

    def _close_fleet(self) -> dict:
        s = self._fleet_samples
        row = {"res_s": self.fleet_res_s, "t": self._fleet_t, "samples": s, "msgs": self._fleet_msgs,
               **{k: v / s for k, v in self._fleet.items()}}
        self._fleet = dict.fromkeys(FLEET_COUNTS, 0.0)
        self._fleet_samples = self._fleet_msgs = 0
        return row


# -- writes (run by the DB writer) ---------------------------------------------------------------

T = TypeVar("T")


def run_write(db, writer, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` in one transaction: on the single DB writer when there is one (waiting for
    it), else directly (tests, command-line tools)."""
    if writer is not None:
        return writer.call(fn).result()
    with db.sessions.begin() as session:
        return fn(session)


def chunked(seq: Sequence[T], n: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def upsert(session: Session, table: Table, rows: Sequence[Mapping], keys: Sequence[str]) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE: the new row replaces the old one."""
    if not rows:
        return
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[session.get_bind().dialect.name]
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys})
    session.execute(stmt, list(rows))


def save_fleet(session: Session, rows: Sequence[Mapping]) -> None:
    upsert(session, FleetBucket.__table__, rows, ("res_s", "t"))


def _day_row(dev: str, day: int, res_s: int, m: np.ndarray) -> dict:
    return {"device_id": dev, "day": day, "res_s": res_s, "online_s": int(round(m[1].sum())),
            "observed_s": int(round(m[2].sum())), "data": bk.encode(m)}


def save_device_bucket(session: Session, b: DeviceBucket) -> None:
    """Put a bucket into its devices' day rows. A bucket already holding data (the same bucket
    flushed before a restart) is combined with the new one. Devices no longer in the registry are
    skipped."""
    day, slots = bk.day_of(b.t), bk.slots_of(b.res_s)
    slot = (b.t - day) // (b.res_s * 1000)
    column = {dev: j for j, dev in enumerate(b.ids)}
    for chunk in chunked(b.ids):
        known = set(session.scalars(select(Device.id).where(Device.id.in_(chunk))))
        held = {r.device_id: r for r in session.execute(
            select(DeviceDay.device_id, DeviceDay.res_s, DeviceDay.data)
            .where(DeviceDay.day == day, DeviceDay.device_id.in_(chunk)))}
        rows = []
        for dev in chunk:
            if dev not in known:
                continue
            old = held.get(dev)
            if old is not None and old.res_s != b.res_s:
                continue  # a day already coarsened: far too old for a new bucket
            m = bk.decode(old.data, slots) if old is not None else bk.empty(slots)
            new = b.values[:, column[dev]]
            if m[1, slot] or m[2, slot] or m[0, slot]:
                new = bk.combine(np.stack([m[:, slot], new], axis=-1))
            m[:, slot] = new
            rows.append(_day_row(dev, day, b.res_s, m))
        upsert(session, DeviceDay.__table__, rows, ("device_id", "day"))


# -- compaction and expiry -------------------------------------------------------------------------

def fleet_hours(rows: Iterable[Mapping]) -> list[dict]:
    """Roll fleet rows up into hourly rows: counts are means weighted by samples, messages add up."""
    hours: dict[int, dict] = {}
    for r in rows:
        h = bk.floor_to(r["t"], HOUR_S)
        acc = hours.setdefault(h, {"res_s": HOUR_S, "t": h, "samples": 0, "msgs": 0,
                                   **dict.fromkeys(FLEET_COUNTS, 0.0)})
        acc["samples"] += r["samples"]
        acc["msgs"] += r["msgs"]
        for k in FLEET_COUNTS:
            acc[k] += r[k] * r["samples"]
    for acc in hours.values():
        for k in FLEET_COUNTS:
            acc[k] /= acc["samples"] or 1
    return [hours[h] for h in sorted(hours)]


def _fleet_rows(session: Session, res_s: int, since: int, until: int) -> list[dict]:
    q = (select(FleetBucket.__table__).where(FleetBucket.res_s == res_s, FleetBucket.t >= since,
                                             FleetBucket.t < until).order_by(FleetBucket.t))
    return [dict(r._mapping) for r in session.execute(q)]


def _hours_rolled_until(session: Session) -> int | None:
    """The end of the last hourly fleet row written (the minute rows after it are not rolled up)."""
    last = session.scalar(select(func.max(FleetBucket.t)).where(FleetBucket.res_s == HOUR_S))
    return None if last is None else last + HOUR_S * 1000


def compact_fleet(session: Session, now: int) -> int:
    """Roll the minute rows of the hours closed since the last run into hourly rows."""
    until = bk.floor_to(now, HOUR_S)
    since = _hours_rolled_until(session)
    if since is None:
        since = session.scalar(select(func.min(FleetBucket.t)).where(FleetBucket.res_s == MINUTE_S))
        if since is None:
            return 0
    hours = fleet_hours(_fleet_rows(session, MINUTE_S, bk.floor_to(since, HOUR_S), until))
    save_fleet(session, hours)
    return len(hours)


def coarsen_device_days(session: Session, now: int, fine_days: int, limit: int = CHUNK) -> int:
    """Turn up to ``limit`` day rows older than ``fine_days`` from 15-minute into hourly buckets.
    Returns how many were done (call again until 0)."""
    before = bk.day_of(now) - fine_days * bk.DAY_MS
    old = session.execute(select(DeviceDay.device_id, DeviceDay.day, DeviceDay.res_s, DeviceDay.data)
                          .where(DeviceDay.res_s < HOUR_S, DeviceDay.day < before).limit(limit)).all()
    rows = [_day_row(r.device_id, r.day, HOUR_S,
                     bk.coarsen(bk.decode(r.data, bk.slots_of(r.res_s)), HOUR_S // r.res_s)) for r in old]
    upsert(session, DeviceDay.__table__, rows, ("device_id", "day"))
    return len(rows)


def expire(session: Session, now: int, keep: Retention) -> int:
    """Delete what is older than the retention allows; returns the rows deleted."""
    day = bk.DAY_MS
    deleted = 0
    for where in ((FleetBucket.res_s == MINUTE_S, FleetBucket.t < now - keep.fleet_minutes_days * day),
                  (FleetBucket.res_s == HOUR_S, FleetBucket.t < now - keep.fleet_hours_days * day)):
        deleted += session.execute(delete(FleetBucket).where(*where)).rowcount
    deleted += session.execute(delete(DeviceDay).where(
        DeviceDay.day < bk.day_of(now) - keep.device_days * day)).rowcount
    return deleted


# -- reads -----------------------------------------------------------------------------------------

def fleet_series(session: Session, since: int, until: int) -> dict[str, np.ndarray]:
    """Fleet rows over [since, until): 1-minute buckets for spans up to a day, hourly beyond (the
    hours not rolled up yet are rolled up on the fly). Columns: ``t`` (bucket start, epoch ms),
    the mean counts of FLEET_COUNTS, ``online_pct`` (of adopted devices) and ``msgs_per_min``."""
    if until - since <= RANGES_MS["24h"]:
        res, rows = MINUTE_S, _fleet_rows(session, MINUTE_S, bk.floor_to(since, MINUTE_S), until)
    else:
        res, start = HOUR_S, bk.floor_to(since, HOUR_S)
        rolled = _hours_rolled_until(session) or start
        rows = _fleet_rows(session, HOUR_S, start, min(rolled, until))
        rows += fleet_hours(_fleet_rows(session, MINUTE_S, max(start, rolled), until))
    out = {"t": np.array([r["t"] for r in rows], dtype=np.int64)}
    for k in FLEET_COUNTS:
        out[k] = np.array([r[k] for r in rows], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["online_pct"] = np.where(out["devices"] > 0, 100.0 * out["online"] / out["devices"], np.nan)
    out["msgs_per_min"] = np.array([r["msgs"] for r in rows], dtype=float) * (MINUTE_S / res)
    return out


def device_columns(t: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
    return {"t": t.astype(np.int64), **{f: m[i] for i, f in enumerate(bk.FIELDS)}}


def device_series(session: Session, dev: str, since: int, until: int,
                  partial: DeviceBucket | None = None) -> dict[str, np.ndarray]:
    """One device's buckets over [since, until) (those holding anything), oldest first: ``t``
    (bucket start), then the columns of ``buckets.FIELDS``; ``partial`` (the sampler's open bucket)
    is appended when given."""
    ts, ends, ms = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [bk.empty(0)]
    for r in session.execute(select(DeviceDay.day, DeviceDay.res_s, DeviceDay.data)
                             .where(DeviceDay.device_id == dev, DeviceDay.day >= bk.day_of(since),
                                    DeviceDay.day < until).order_by(DeviceDay.day)):
        slots = bk.slots_of(r.res_s)
        ts.append(r.day + np.arange(slots, dtype=np.int64) * r.res_s * 1000)
        ends.append(ts[-1] + r.res_s * 1000)
        ms.append(bk.decode(r.data, slots))
    if partial is not None:
        ts.append(np.array([partial.t], dtype=np.int64))
        ends.append(ts[-1] + partial.res_s * 1000)
        ms.append(partial.values)
    t, end, m = np.concatenate(ts), np.concatenate(ends), np.concatenate(ms, axis=1)
    keep = (end > since) & (t < until) & ((m[0] > 0) | (m[2] > 0))
    return device_columns(t[keep], m[:, keep])


def presence_totals(session: Session, since: int, devices: Iterable[str] | None = None) -> dict[str, tuple[float, float]]:
    """(online seconds, observed seconds) per device from ``since`` to now, from the day rows:
    whole days by their totals, the first day by its buckets starting at or after ``since``."""
    ids = None if devices is None else list(devices)
    first_day = bk.day_of(since)
    totals: dict[str, list[float]] = {}

    def where(*conds):
        q = list(conds)
        return q if ids is None else [*q, DeviceDay.device_id.in_(ids)]

    start = first_day if since == first_day else first_day + bk.DAY_MS
    for dev, on, obs in session.execute(
            select(DeviceDay.device_id, func.sum(DeviceDay.online_s), func.sum(DeviceDay.observed_s))
            .where(*where(DeviceDay.day >= start)).group_by(DeviceDay.device_id)):
        totals[dev] = [float(on or 0), float(obs or 0)]
    if start != first_day:
        for r in session.execute(select(DeviceDay.device_id, DeviceDay.res_s, DeviceDay.data)
                                 .where(*where(DeviceDay.day == first_day))):
            online, observed = bk.decode(r.data, bk.slots_of(r.res_s), PRESENCE)
            sel = first_day + np.arange(len(online), dtype=np.int64) * r.res_s * 1000 >= since
            acc = totals.setdefault(r.device_id, [0.0, 0.0])
            acc[0] += float(online[sel].sum())
            acc[1] += float(observed[sel].sum())
    return {dev: (on, obs) for dev, (on, obs) in totals.items()}
