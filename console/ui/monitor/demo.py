"""Monitoring screenshots of the demo station (``screenshot --view graphs``, ``technician``, ``alarms``).

The demo station's monitor has only just started, so its graphs would be empty. When the station is a
demo and its monitor holds no history yet, :func:`seed_history` writes **demo data** for the past
24 hours, up to where the monitor's own rollups begin: the fleet's 1-minute rows, and one cluster's
15-minute buckets, presence changes, events and alarms, telling one story (mains lost, the battery
runs down, the cluster goes offline for 45 minutes, power comes back; a clock drift; the day's three
broadcasts). It writes through the monitor's store helpers on the DB writer; every seeded event and
alarm carries ``"demo": true`` in its data, and no seeded fact goes to the province outbox.
"""

from __future__ import annotations

import math
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from PySide6.QtCore import QEventLoop, QTimer
from sqlalchemy import func, select

from console.monitor import buckets as bk
from console.monitor import rollup
from console.store.models import Alarm, DeviceEvent, FleetBucket

HOURS = 24
MIN_MS, HOUR_MS = 60_000, 3_600_000
BROADCASTS = ((6.0, 6.5, "bantin-sang"), (11.0, 11.5, "thoisu-trua"), (17.0, 17.75, "bantin-chieu"))
# The featured cluster's story, in hours before the end of the seeded history.
POWER_LOST, OFFLINE, ONLINE, CLOCK_DRIFT, CLOCK_RESYNC = 14.0, 13.5, 12.75, 8.0, 7.3
OUTAGE_DEVICES = 6  # clusters of the fleet down with the featured one (a commune's power cut)
LOAD_TIMEOUT_MS = 15_000


def has_history(monitor) -> bool:
    """True when the monitor holds rollups older than a few minutes (a real history: never seeded over)."""
    with monitor.db.sessions() as s:
        first = s.scalar(select(func.min(FleetBucket.t)))
    return first is not None and first < monitor.now() - 10 * MIN_MS


def _local_hour(t_ms: int, tz: ZoneInfo) -> float:
    t = datetime.fromtimestamp(t_ms / 1000, tz)
    return t.hour + t.minute / 60


def _broadcasting(hour: float) -> str | None:
    return next((item for start, end, item in BROADCASTS if start <= hour < end), None)


def seed_history(station, dev_id: str, seed: int = 7) -> bool:
    """Seed the demo history (see the module's doc); False when there is nothing to do (not a demo, no
    monitor, or a history already)."""
    monitor = station.monitor
    if not station.demo or monitor is None or has_history(monitor):
        return False
    now = monitor.now()
    # Up to where the monitor's own rollups begin (it started less than a minute ago).
    until = bk.floor_to(now - 2 * MIN_MS, 60)
    since = until - HOURS * HOUR_MS
    tz = ZoneInfo(monitor.config.tz)
    rng = random.Random(seed)
    fleet = fleet_rows(station.fleet.state, since, until, tz, rng)
    dev_until = bk.floor_to(now - 2 * MIN_MS, rollup.DEVICE_RES_S)
    buckets = _device_buckets(station.fleet.state.get(dev_id), since, dev_until, until, tz, rng)
    events = _device_events(dev_id, since, until, tz)
    alarms = _alarms(station.fleet.state, dev_id, until)

    def write(s):
        rollup.save_fleet(s, fleet)
        for b in buckets:
            rollup.save_device_bucket(s, b)
        s.add_all(DeviceEvent(device_id=dev_id, seq=None, ts=e["ts"], type=e["type"], data={**e["data"], "demo": True},
                              source="console") for e in events)
        s.add_all(Alarm(**a) for a in alarms)

    rollup.run_write(monitor.db, monitor.writer, write)
    return True


def fleet_rows(state, since: int, until: int, tz: ZoneInfo, rng: random.Random) -> list[dict]:
    """Demo 1-minute fleet rows over [since, until) for the adopted devices of ``state``: a commune's
    power cut, the day's broadcasts, faults now and then (also bench/monitor.py's fleet history)."""
    devices = [d for d in state.devices.values() if d.adopted]
    n, pending = len(devices), sum(not d.adopted for d in state.devices.values())
    tele_s = max(1, min((d.tele_s for d in devices), default=30))
    rows = []
    for t in range(since, until, MIN_MS):
        h_before = (until - t) / HOUR_MS
        out = min(n, OUTAGE_DEVICES) if ONLINE < h_before <= OFFLINE else 0
        flapping = 1 if rng.random() < 0.03 else 0
        offline = min(n, out + flapping)
        online = n - offline
        playing = round(online * 0.9) if _broadcasting(_local_hour(t, tz)) else rng.choice((0, 0, 1))
        faulty = min(n, 1 + (h_before < 20))
        alarms = faulty + (out if h_before <= OFFLINE - 1 / 6 else 0) + (POWER_LOST >= h_before > ONLINE)
        msgs = online * 60 / tele_s * rng.uniform(0.99, 1.01) + playing * 0.4
        rows.append({"res_s": 60, "t": t, "samples": 6, "devices": float(n), "online": float(online),
                     "offline": float(offline), "unknown": 0.0, "playing": float(playing), "faulty": float(faulty),
                     "pending": float(pending), "alarms": float(alarms), "msgs": int(msgs)})
    return rows


def _device_buckets(d, since: int, until: int, story_end: int, tz: ZoneInfo,
                    rng: random.Random) -> list[rollup.DeviceBucket]:
    """The featured cluster's buckets, ending near its telemetry now (so the real buckets follow on)."""
    res_ms = rollup.DEVICE_RES_S * 1000
    rssi_now, temp_now = d.rssi if d.rssi is not None else -82, d.temp if d.temp is not None else 32.0
    vbat_now, vol_now = d.vbat if d.vbat is not None else 13.3, d.vol if d.vol is not None else 70

    def warmth(hour: float) -> float:  # the afternoon's heat, 0..1
        return max(0.0, math.sin((hour - 8) / 12 * math.pi))

    temp_base = temp_now - 10 * warmth(_local_hour(story_end, tz))
    out = []
    for t in range(bk.floor_to(since, rollup.DEVICE_RES_S), until, res_ms):
        h_before = (story_end - t) / HOUR_MS
        hour = _local_hour(t, tz)
        down = max(0.0, min(t + res_ms, story_end - ONLINE * HOUR_MS) - max(t, story_end - OFFLINE * HOUR_MS))
        online_s = (res_ms - down) / 1000
        v = np.full((len(bk.FIELDS), 1), np.nan)
        v[bk.INDEX["online_s"]] = online_s
        v[bk.INDEX["observed_s"]] = res_ms / 1000
        v[bk.INDEX["n"]] = round(online_s / 10)
        if online_s:
            rssi = rssi_now + 3 * math.sin((story_end - t) / HOUR_MS / 24 * 2 * math.pi) + rng.uniform(-2, 2)
            temp = temp_base + 10 * warmth(hour) + rng.uniform(-0.5, 0.5)
            playing = _broadcasting(hour) is not None
            level = (-24.0, -17.0 + rng.uniform(-1, 1), -11.0) if playing else (-90.0, -90.0, -90.0)
            if OFFLINE < h_before <= POWER_LOST:  # on battery, running down
                vbat = vbat_now - 0.4 - 1.3 * (POWER_LOST - h_before) / (POWER_LOST - OFFLINE)
            elif h_before <= ONLINE:  # charging again
                vbat = min(vbat_now, vbat_now - 1.0 + 0.5 * (ONLINE - h_before))
            else:
                vbat = vbat_now
            drift = CLOCK_RESYNC < h_before <= CLOCK_DRIFT
            clock = 2600 * (CLOCK_DRIFT - h_before) / (CLOCK_DRIFT - CLOCK_RESYNC) if drift else rng.uniform(10, 60)
            vol = vol_now if h_before < 10 else max(0, vol_now - 10)
            for metric, (lo, mean, hi) in {
                "rssi": (rssi - 4, rssi, rssi + 3), "temp": (temp - 0.6, temp, temp + 0.7), "level_db": level,
                "vbat": (vbat - 0.05, vbat, vbat + 0.04), "clock_offset_ms": (clock * 0.8, clock, clock * 1.1 + 5),
                "vol": (vol, vol, vol),
            }.items():
                for stat, value in zip(bk.STATS, (lo, mean, hi)):
                    v[bk.INDEX[f"{metric}_{stat}"]] = value
        out.append(rollup.DeviceBucket(t, rollup.DEVICE_RES_S, [d.id], v))
    return out


def _device_events(dev_id: str, since: int, until: int, tz: ZoneInfo) -> list[dict]:
    def at(hours_before: float) -> int:
        return int(until - hours_before * HOUR_MS)

    events = [
        {"ts": since - HOUR_MS, "type": "online", "data": {"session": 1}},
        {"ts": at(POWER_LOST), "type": "fault.raised", "data": {"fault": "power"}},
        {"ts": at(OFFLINE), "type": "offline", "data": {"session": 1, "reason": "lost"}},
        {"ts": at(ONLINE), "type": "online", "data": {"session": 2}},
        {"ts": at(ONLINE) + 40_000, "type": "fault.cleared", "data": {"fault": "power"}},
        {"ts": at(CLOCK_RESYNC), "type": "fault.cleared", "data": {"fault": "clock"}},
    ]
    for day in range(2):
        for start, end, item in BROADCASTS:
            local = datetime.fromtimestamp(since / 1000, tz).replace(hour=0, minute=0, second=0, microsecond=0)
            t0 = int(local.timestamp() * 1000) + day * 24 * HOUR_MS + int(start * HOUR_MS)
            t1 = t0 + int((end - start) * HOUR_MS)
            if since <= t0 and t1 < until:
                events.append({"ts": t0, "type": "play.started", "data": {"item": item}})
                events.append({"ts": t1, "type": "play.finished", "data": {"item": item}})
    return sorted(events, key=lambda e: e["ts"])


def _alarms(state, dev_id: str, until: int) -> list[dict]:
    """Closed alarms of the day (the featured cluster's, and a weak signal elsewhere), handled by people."""
    def at(hours_before: float) -> int:
        return int(until - hours_before * HOUR_MS)

    other = next((d.id for d in state.devices.values() if d.adopted and d.id != dev_id), dev_id)
    base = {"ack_note": "", "resolve_note": "", "acked_by": None, "acked_at": None, "resolved_by": None}
    return [
        {**base, "device_id": dev_id, "rule": "fault.power", "severity": "major", "state": "resolved",
         "detail": {"power": "battery", "vbat": 12.9, "demo": True}, "raised_at": at(POWER_LOST),
         "acked_by": "Nguyễn Văn An", "acked_at": at(POWER_LOST - 0.2),
         "ack_note": "Mất điện lưới cả thôn, đã báo Điện lực", "resolved_at": at(ONLINE) + 40_000,
         "resolve_note": "condition cleared"},
        {**base, "device_id": dev_id, "rule": "offline", "severity": "major", "state": "resolved",
         "detail": {"since": at(OFFLINE), "reason": "lost", "demo": True}, "raised_at": at(OFFLINE - 1 / 6),
         "resolved_at": at(ONLINE), "resolve_note": "condition cleared"},
        {**base, "device_id": dev_id, "rule": "clock", "severity": "minor", "state": "resolved",
         "detail": {"offset_ms": 2150, "demo": True}, "raised_at": at(CLOCK_DRIFT - 0.6),
         "resolved_at": at(CLOCK_RESYNC), "resolve_note": "condition cleared"},
        {**base, "device_id": other, "rule": "weak_signal", "severity": "minor", "state": "resolved",
         "detail": {"rssi": -109, "demo": True}, "raised_at": at(9.5),
         "acked_by": "Trần Thị Bình", "acked_at": at(9.3), "ack_note": "Anten lệch sau mưa bão, 14 giờ lên chỉnh",
         "resolved_by": "Trần Thị Bình", "resolved_at": at(5.1), "resolve_note": "Đã chỉnh lại anten"},
    ]


def acknowledge_one(station) -> int | None:
    """Acknowledge one open alarm of the demo (as the station's user, with a note), so the alarms show
    each state; returns its id."""
    monitor = station.monitor
    for a in monitor.open_alarms():
        if a["state"] == "new":
            monitor.acknowledge(a["id"], station.user or "demo", "Đã gọi tổ kỹ thuật xã, chiều nay kiểm tra")
            return a["id"]
    return None


def _wait(signal, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def show_page(window, view: str, dev_id: str) -> None:
    """Open the monitoring page of ``view`` for the screenshot: seed the demo history, hide the map
    (the page gets the window's height), and wait until the page has read its data."""
    station, panel = window.station, window.monitor_panel
    if panel is None:
        raise ValueError(f"the {view!r} view needs a station with a monitor")
    seed_history(station, dev_id)
    acked = acknowledge_one(station) if view == "alarms" and station.demo else None
    window.map_dock.hide()
    page = {"graphs": panel.fleet, "technician": panel.device, "alarms": panel.alarms}[view]
    window.tabs.setCurrentWidget(panel)
    if view == "alarms":
        panel.alarms.show_combo.setCurrentIndex(1)  # raised in the last 24 h: every state
    panel.setCurrentWidget(page)
    _wait(page.loaded)
    if acked is not None:
        panel.alarms.select_alarm(acked)
    window.detail.reload_health()
