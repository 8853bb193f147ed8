"""The Monitor as the station runs it: a fleet state, the single DB writer and a controllable clock,
driven by ``step()`` (SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np
import openpyxl
import pytest
from monhelpers import HOUR, MIN, T0, Clock, add, fleet, open_db, tele
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

from console.monitor import Monitor
from console.store.models import Device, DeviceDay, FleetBucket, OutboxEntry
from console.store.writer import DbWriter


class Messages:
    def __init__(self):
        self.n = 0

    def __call__(self):
        return self.n


@pytest.fixture
def db(db_url):
    database = open_db(db_url, ["d0", "d1", "d2"])
    yield database
    database.close()


@pytest.fixture
def writer(db):
    w = DbWriter(db, retry_max_s=0.2).start()
    yield w
    w.stop()


def run(monitor: Monitor, clock: Clock, until: int, messages: Messages | None = None, step_ms: int = 5000) -> None:
    while clock.ms < until:
        clock.advance(step_ms)
        if messages is not None:
            messages.n += 10  # 10 messages every 5 s: 120 a minute
        monitor.step()


def test_two_hours_of_a_small_fleet(db, writer, tmp_path):
    clock, messages = Clock(T0), Messages()
    fs = fleet()
    add(fs, "d0", state="online", rssi=-80, temp=30.0, vol=70)
    add(fs, "d1", state="offline", since=T0 - HOUR)
    add(fs, "d2", state="online", unit="U2", rssi=-90)
    changes = []
    monitor = Monitor(db, writer, fs, clock=clock, messages=messages, on_alarms=changes.extend)
    monitor.step()
    run(monitor, clock, T0 + 30 * MIN, messages)
    fs.devices["d0"].tele = tele(2, rssi=-70, temp=32.0, vol=70)
    run(monitor, clock, T0 + 2 * HOUR, messages)
    assert writer.flush(10)

    hour = monitor.fleet_series("1h")
    assert len(hour["t"]) == 60 and hour["t"][-1] == T0 + 2 * HOUR - MIN
    assert set(hour["online"]) == {2.0} and set(hour["offline"]) == {1.0} and set(hour["alarms"]) == {1.0}
    np.testing.assert_allclose(hour["online_pct"], 200 / 3)
    assert set(hour["msgs_per_min"]) == {120.0}
    week = monitor.fleet_series("7d")  # hourly: the first hour rolled up by maintenance, the second on the fly
    assert list(week["t"]) == [T0, T0 + HOUR] and week["online"][1] == 2.0
    with pytest.raises(ValueError):
        monitor.fleet_series("2w")

    series = monitor.device_series("d0", "24h")
    assert list(series["t"]) == [T0 + i * 15 * MIN for i in range(8)]  # closed buckets; the open one is empty
    assert list(series["online_s"]) == [900] * 8
    assert list(series["n"]) == [1, 0, 1, 0, 0, 0, 0, 0]  # a message is counted once, when it is new
    assert (series["rssi_avg"][0], series["temp_max"][0], series["rssi_avg"][2]) == (-80, 30, -70)
    assert np.isnan(series["rssi_avg"][1])
    assert monitor.availability("24h") == {"d0": 100.0, "d1": 0.0, "d2": 100.0}
    assert monitor.device_availability("d1") == {"24h": 0.0, "7d": 0.0, "30d": 0.0}
    assert [(r["key"], r["availability"]) for r in monitor.availability_by("unit", "24h")] == [
        ("U1", 50.0), ("U2", 100.0)]
    assert monitor.availability_by("group", "24h") == []  # these devices are in no group

    (alarm,) = monitor.open_alarms()
    assert (alarm["device"], alarm["rule"], alarm["raised_at"]) == ("d1", "offline", T0)
    assert [c["change"] for c in changes] == ["raised"]
    monitor.acknowledge(alarm["id"], "Hùng", "xe đang tới")
    assert monitor.alarm_counts()["acknowledged"] == 1
    assert [a["state"] for a in monitor.alarm_history(device="d1")] == ["acknowledged"]

    monitor.set_people("device", "d1", 2500)
    (commune,) = monitor.fix_first()
    assert commune["devices"][0]["impact"] == 2500 * 3 and commune["devices"][0]["alarms"] == ["offline"]
    assert monitor.export_fix_first(tmp_path / "fix.xlsx") == 1
    assert list(openpyxl.load_workbook(tmp_path / "fix.xlsx").active.values)[1][3] == "d1"

    monitor.stop()  # writes the open buckets
    with db.sessions() as s:
        assert s.scalar(select(func.count()).where(FleetBucket.res_s == 60)) == 121  # and the open minute
        assert s.get(DeviceDay, ("d0", T0)).observed_s == 2 * 3600
        kinds = s.scalars(select(OutboxEntry.data["change"].as_string()).where(OutboxEntry.type == "alarm")).all()
    assert kinds == ["raised", "acknowledged"]


def test_presence_bands_and_events_from_the_stored_presence_events(db, writer):
    clock = Clock(T0 + 2 * HOUR)
    monitor = Monitor(db, writer, fleet(), clock=clock)
    writer.add_events([{"device_id": "d1", "seq": None, "ts": ts, "type": typ, "data": {}, "source": "console"}
                       for ts, typ in ((T0 - 30 * HOUR, "offline"), (T0 - HOUR, "online"), (T0 + 30 * MIN, "offline"),
                                       (T0 + 90 * MIN, "online"), (T0 + 90 * MIN, "offline"), (T0 + 90 * MIN, "online"))])
    writer.add_events([{"device_id": "d1", "seq": 1, "ts": T0 + 40 * MIN, "type": "fault.raised",
                        "data": {"fault": "amp"}, "source": "device"}])
    assert writer.flush(10)
    bands = monitor.presence_bands("d1", "24h")
    assert list(bands["start"]) == [T0 + 2 * HOUR - 24 * HOUR, T0 - HOUR, T0 + 30 * MIN, T0 + 90 * MIN]
    assert list(bands["end"]) == [T0 - HOUR, T0 + 30 * MIN, T0 + 90 * MIN, T0 + 2 * HOUR]
    assert list(bands["online"]) == [False, True, False, True]
    assert [e["type"] for e in monitor.events("d1", "1h")] == ["online", "offline", "online"]
    assert len(monitor.events("d1", "24h")) == 6


class FlakyWriter:
    """Refuses calls while ``refusing``, the way a locked database would; else passes them on."""

    def __init__(self, writer: DbWriter) -> None:
        self.writer, self.refusing = writer, True

    def call(self, fn):
        if not self.refusing:
            return self.writer.call(fn)
        f = Future()
        f.set_exception(OperationalError("INSERT", {}, Exception("database is locked")))
        return f


def test_rollups_refused_by_the_database_are_written_later(db, writer):
    clock = Clock(T0)
    fs = fleet()
    add(fs, "d0", state="online")
    flaky = FlakyWriter(writer)
    monitor = Monitor(db, flaky, fs, clock=clock)
    run(monitor, clock, T0 + 3 * MIN + 5000, step_ms=10_000)  # three minute rows, all refused
    flaky.refusing = False
    assert writer.flush(10)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(FleetBucket)) == 0
    monitor.maintain()  # writes them again
    with db.sessions() as s:
        assert s.scalar(select(func.count()).where(FleetBucket.res_s == 60)) == 3


def test_the_worker_thread_starts_and_stops_and_keeps_the_open_buckets(db, writer):
    clock = Clock(T0)
    fs = fleet()
    add(fs, "d0", state="online", rssi=-99)
    monitor = Monitor(db, writer, fs, clock=clock)
    monitor.sample(T0)
    monitor.sample(clock.advance(30_000))
    monitor.start()
    monitor.stop()
    series = monitor.device_series("d0", "1h")
    assert list(series["t"]) == [T0] and series["observed_s"][0] == 30 and series["rssi_min"][0] == -99


def test_ten_thousand_devices_are_sampled_into_one_row_per_device(db, writer):
    clock = Clock(T0)
    fs = fleet(10_000)
    for i, d in enumerate(fs.devices.values()):
        d.tele = tele(1, rssi=-60 - i % 50, temp=25.0 + i % 10, vol=50, clock_offset_ms=i % 7)
    with db.sessions.begin() as s:  # the registry: the three of the fixture plus these
        s.execute(insert(Device), [{"id": d, "adoption": "adopted"} for d in list(fs.devices)[3:]])
    monitor = Monitor(db, writer, fs, clock=clock)
    monitor.sample(T0)
    monitor.sample(clock.advance(15 * MIN))
    assert writer.flush(60)
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DeviceDay)) == 10_000
        assert s.scalar(select(func.sum(DeviceDay.observed_s))) == 10_000 * 60  # the gap is capped at 60 s
    assert monitor.device_series("d9999", "1h")["rssi_avg"][0] == -60 - 9999 % 50
