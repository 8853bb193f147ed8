"""A station's November 2026 with known totals, written the way the console writes it (so that the
outbox holds the records a real station would send), and the shipping of that outbox to a collector.

The expected figures are worked out by hand in EXPECTED; test_report_compute.py checks them.
Period: 2026-11 in Asia/Ho_Chi_Minh (UTC+7), 30 days = 720 hours.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from console.monitor.alarms import alarm_json
from console.province import store as pstore
from console.province.models import Bulletin as PBulletin
from console.schedule.asrun import AsRun
from console.store import repo
from console.store.models import (
    AdminUnit,
    Alarm,
    Device,
    Group,
    InboxBulletin,
    MediaHistory,
    MediaItem,
    OutboxEntry,
    Schedule,
    ScheduleHistory,
)
from console.sync import api, outbox

TZ = "Asia/Ho_Chi_Minh"
ZONE = ZoneInfo(TZ)
STATION = "52-quynhon"
MIN = 60_000
HOUR = 3_600_000
# Real commune codes, so that the collector names them as the station does.
UNIT_A, NAME_A = "21553", "Phường Quy Nhơn Bắc"
UNIT_B, NAME_B = "21583", "Phường Quy Nhơn"


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> int:
    """Local wall-clock time in the station's zone, as epoch ms."""
    return int(datetime(y, mo, d, h, mi, tzinfo=ZONE).timestamp() * 1000)


NOW = at(2026, 12, 5, 9)  # after the period: it is over

# (item, device, schedule, start, dur_ms, status, played_ms)
RECEIPTS = [
    # s1 at 06:00 on 2 November: news 30 min, a gap, culture 18 min
    ("s1.20261102T060000.0", "D1", 1, at(2026, 11, 2, 6), 30 * MIN, "played", 30 * MIN),
    ("s1.20261102T060000.0", "D2", 1, at(2026, 11, 2, 6), 30 * MIN, "partial", 15 * MIN),
    ("s1.20261102T060000.0", "D3", 1, at(2026, 11, 2, 6), 30 * MIN, "missed", 0),
    ("s1.20261102T060000.2", "D1", 1, at(2026, 11, 2, 6, 35), 18 * MIN, "played", 18 * MIN),
    ("s1.20261102T060000.2", "D2", 1, at(2026, 11, 2, 6, 35), 18 * MIN, "played", 18 * MIN),
    ("s1.20261102T060000.2", "D3", 1, at(2026, 11, 2, 6, 35), 18 * MIN, "failed", 0),
    # s2 (priority) at noon on 3 November: a relayed stream, 60 min, on D1 and D3
    ("s2.20261103T120000.0", "D1", 2, at(2026, 11, 3, 12), 60 * MIN, "played", 60 * MIN),
    ("s2.20261103T120000.0", "D3", 2, at(2026, 11, 3, 12), 60 * MIN, "played", 60 * MIN),
    # an emergency broadcast of 12 minutes on 10 November
    ("E20261110T080000-abc123", "D1", None, at(2026, 11, 10, 8), 12 * MIN, "played", 12 * MIN),
    ("E20261110T080000-abc123", "D2", None, at(2026, 11, 10, 8), 12 * MIN, "partial", 6 * MIN),
    ("E20261110T080000-abc123", "D3", None, at(2026, 11, 10, 8), 12 * MIN, "missed", 0),
    # a live announcement of 6 minutes on D3
    ("L20261111T090000-def456", "D3", None, at(2026, 11, 11, 9), 6 * MIN, "played", 6 * MIN),
    # outside the period: 31 October and 1 December
    ("s1.20261031T060000.0", "D1", 1, at(2026, 10, 31, 6), 30 * MIN, "played", 30 * MIN),
    ("s1.20261201T060000.0", "D1", 1, at(2026, 12, 1, 6), 30 * MIN, "played", 30 * MIN),
]

# (device, type, ts)
PRESENCE = [
    ("D1", "online", at(2026, 10, 20)),
    ("D1", "offline", at(2026, 11, 10)),  # down for 24 hours
    ("D1", "online", at(2026, 11, 11)),
    ("D2", "offline", at(2026, 10, 1)),
    ("D2", "online", at(2026, 10, 2)),  # online all month
    ("D3", "online", at(2026, 11, 16)),  # first heard on the 16th: 15 days watched
    ("D3", "offline", at(2026, 11, 26)),  # ... of which 10 online
    ("D4", "online", at(2026, 10, 1)),  # pending: not counted
    ("D1", "offline", at(2026, 12, 2)),  # after the period
]

# (device, rule, raised_at, resolved_at)
ALARMS = [
    ("D1", "offline", at(2026, 11, 10, 0, 10), at(2026, 11, 11)),  # 23 h 50 min to repair
    ("D3", "fault.amp", at(2026, 11, 20, 8), at(2026, 11, 20, 12)),  # 4 h
    ("D3", "offline", at(2026, 11, 26, 0, 10), None),  # still open
    ("D2", "fault.power", at(2026, 11, 30, 20), at(2026, 12, 1, 2)),  # repaired after the period: open
    ("D2", "clock", at(2026, 10, 30), at(2026, 10, 31)),  # raised before the period
]

# (id, priority, issued_at, inbox state, receipts the station sent)
BULLETINS = [
    (1, "normal", at(2026, 11, 5), "played", ("received", "scheduled", "played")),
    (2, "priority", at(2026, 11, 6), "scheduled", ("received", "scheduled")),
    (3, "emergency", at(2026, 11, 10, 7, 55), "played", ("received", "played")),
    (4, "normal", at(2026, 11, 20), "waiting", ("received",)),
    (5, "normal", at(2026, 11, 21), "rejected", ("received", "rejected")),
    (6, "normal", at(2026, 12, 2), "waiting", ("received",)),  # after the period
]

EXPECTED = {
    "hours": 2.1,  # news 0.5 + culture 0.3 + relay 1.0 + emergency 0.2 + live 0.1
    "parts": 5,
    "device_hours": 3.8,  # 225 minutes
    "hours_by_unit": {UNIT_A: 2.0, UNIT_B: 1.1},
    "categories": {"news": 0.5, "culture": 0.3, "relay": 1.0, "emergency": 0.2, "live": 0.1, "policy": 0.0},
    "priorities": {"normal": (2, 0.8), "priority": (1, 1.0), "live": (1, 0.1), "emergency": (1, 0.2)},
    "receipts": {"played": 7, "partial": 2, "missed": 2, "failed": 1, "receipts": 12, "played_pct": 58.3},
    "receipts_by_unit": {UNIT_A: (5, 2, 0, 0), UNIT_B: (2, 0, 2, 1)},
    "emergency": {"targeted": 3, "reached": 2, "reach_pct": 66.7, "communes": 1, "minutes": 12.0},
    "availability_by_unit": {UNIT_A: 98.3, UNIT_B: 66.7},
    "availability": 92.0,  # (696 + 720 + 240) / (720 + 720 + 360) hours
    "availability_by_group": {"north": 98.3, "all": 92.0},
    "faults": {"offline": (2, 1, 1), "fault.amp": (1, 1, 0), "fault.power": (1, 0, 1)},
    "mttr_h": 13.9,  # (23 h 50 min + 4 h) / 2
    "bulletins": {"normal": (3, 1, 0, 1, 1), "priority": (1, 0, 1, 0, 0), "emergency": (1, 1, 0, 0, 0)},
}


def build_station(db) -> None:
    """Write the station's month into ``db`` (migrated, not seeded) through the console's own paths."""
    with db.sessions.begin() as s:
        province = AdminUnit(code="52", name="Tỉnh Gia Lai", short_name="Gia Lai", type="Tỉnh", level="province")
        s.add(province)
        s.flush()
        units = {}
        for code, name in ((UNIT_A, NAME_A), (UNIT_B, NAME_B)):
            units[code] = AdminUnit(code=code, name=name, short_name=name.split(" ", 1)[1], type="Phường",
                                    level="commune", parent_id=province.id)
            s.add(units[code])
        s.flush()
        devices = {}
        for dev, unit, adoption in (("D1", UNIT_A, "adopted"), ("D2", UNIT_A, "adopted"), ("D3", UNIT_B, "adopted"),
                                    ("D4", UNIT_B, "pending")):
            devices[dev] = Device(id=dev, name=f"Cụm loa {dev}", unit_id=units[unit].id, adoption=adoption)
            s.add(devices[dev])
        north = Group(id="north", name="north")
        everyone = Group(id="all", name="all")
        north.devices = [devices["D1"], devices["D2"]]
        everyone.devices = [devices["D1"], devices["D2"], devices["D3"]]
        s.add_all([north, everyone])
        for iid, title, category in ((1, "Bản tin sáng", "news"), (2, "Dân ca", "culture")):
            s.add(MediaItem(id=iid, title=title, category=category, state="approved", source_sha256="0" * 64,
                            original_filename=f"{iid}.wav", original_format="wav", duration_ms=30 * MIN,
                            created_by="test"))
            s.flush()
            s.add(MediaHistory(item_id=iid, user_name="test", action="import", from_state=None, to_state="approved"))
        s.add(Schedule(id=1, title="Sáng", priority="normal", state="approved", created_by="test",
                       programme=[{"kind": "media", "item_id": 1}, {"kind": "gap", "dur_ms": 5 * MIN},
                                  {"kind": "media", "item_id": 2}]))
        s.add(Schedule(id=2, title="Tiếp sóng", priority="priority", state="approved", created_by="test",
                       programme=[{"kind": "stream", "dur_ms": 60 * MIN, "url": "http://radio.example/vov1"}]))
        s.flush()
        for sid in (1, 2):
            s.add(ScheduleHistory(schedule_id=sid, user_name="test", action="create", from_state=None,
                                  to_state="approved"))
        s.flush()
        outbox.maybe_inventory(s)
    with db.sessions.begin() as s:
        repo.add_events(s, [{"device_id": dev, "seq": None, "ts": ts, "type": kind, "data": {}, "source": "console"}
                            for dev, kind, ts in PRESENCE])
    with db.sessions.begin() as s:
        for item, dev, sid, start, dur, status, played in RECEIPTS:
            AsRun.put_receipt(None, s, item, dev, (sid, start, dur), status, played, "")
    with db.sessions.begin() as s:
        for dev, rule, raised, resolved in ALARMS:
            a = Alarm(device_id=dev, rule=rule, severity="major", state="new", detail={}, raised_at=raised,
                      ack_note="", resolve_note="")
            s.add(a)
            s.flush()
            s.add(OutboxEntry(type="alarm", ts=raised, data={**alarm_json(a), "change": "raised"}))
            if resolved is not None:
                a.state, a.resolved_at, a.resolve_note = "resolved", resolved, "condition cleared"
                s.add(OutboxEntry(type="alarm", ts=resolved, data={**alarm_json(a), "change": "resolved"}))
        for bid, prio, issued, state, _ in BULLETINS:
            s.add(InboxBulletin(id=bid, priority=prio, title=f"Bản tin {bid}", issued_at=issued, received_at=issued,
                                state=state))


def ship(station_db, collector_db, station: str = STATION) -> int:
    """Everything in the station's outbox, stored by the collector as the sync would; and the
    bulletins as the province issued them, with the station's receipts. Returns the records stored."""
    with station_db.sessions() as s:
        rows = s.execute(select(OutboxEntry.seq, OutboxEntry.type, OutboxEntry.ts, OutboxEntry.data)
                         .order_by(OutboxEntry.seq)).all()
    with collector_db.sessions.begin() as s:
        pstore.add_token(s, station, name="Đài Quy Nhơn")
    with collector_db.sessions.begin() as s:
        ack = pstore.ingest(s, station, api.Batch([api.Record(seq, kind, ts, data) for seq, kind, ts, data in rows]))
        for bid, prio, issued, _state, receipts in BULLETINS:
            s.add(PBulletin(station_id=station, id=bid, priority=prio, title=f"Bản tin {bid}", issued_at=issued))
            s.flush()
            for status in receipts:
                pstore.put_receipt(s, station, bid, status, "")
    return ack.stored
