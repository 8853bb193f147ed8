"""Rollups in the database (SQLite and PostgreSQL): day rows of device buckets, fleet rows, their
compaction into hours, expiry, and the series and totals read back."""

from __future__ import annotations

import numpy as np
import pytest
from monhelpers import DAY, HOUR, MIN, T0, open_db
from sqlalchemy import func, select

from console.monitor import buckets as bk
from console.monitor import rollup
from console.monitor.rollup import DeviceBucket, Retention, run_write
from console.store.models import DeviceDay, FleetBucket

F = bk.INDEX


@pytest.fixture
def db(db_url):
    database = open_db(db_url, ["a", "b"])
    yield database
    database.close()


def write(db, fn):
    return run_write(db, None, fn)


def bucket(t: int, ids: list[str], **fields) -> DeviceBucket:
    values = bk.empty(len(ids))
    for k, v in fields.items():
        values[F[k]] = v
    return DeviceBucket(t, 900, ids, values)


def day_matrix(online_until_slot: int) -> np.ndarray:
    m = bk.empty(96)
    m[F["n"]] = 3
    m[F["observed_s"]] = 900
    m[F["online_s"]] = np.where(np.arange(96) < online_until_slot, 900, 0)
    m[F["rssi_avg"]] = -np.arange(96)
    return m


def put_day(db, dev: str, day: int, m: np.ndarray) -> None:
    write(db, lambda s: rollup.upsert(s, DeviceDay.__table__, [rollup._day_row(dev, day, 900, m)], ("device_id", "day")))


def test_buckets_go_into_day_rows_and_read_back_as_series(db):
    b1 = bucket(T0 + 900_000, ["a", "b", "ghost"], n=[2, 0, 1], online_s=[900, 0, 900], observed_s=[900, 900, 900],
                rssi_min=[-90, np.nan, -1], rssi_avg=[-85, np.nan, -1], rssi_max=[-80, np.nan, -1])
    write(db, lambda s: rollup.save_device_bucket(s, b1))
    write(db, lambda s: rollup.save_device_bucket(s, bucket(T0 + 1_800_000, ["a"], n=1, online_s=300,
                                                              observed_s=900, rssi_min=-70, rssi_avg=-70, rssi_max=-70)))
    with db.sessions() as s:
        rows = {r.device_id: r for r in s.scalars(select(DeviceDay))}
        assert set(rows) == {"a", "b"}  # "ghost" is not in the registry
        assert (rows["a"].day, rows["a"].res_s, rows["a"].online_s, rows["a"].observed_s) == (T0, 900, 1200, 1800)
        series = rollup.device_series(s, "a", T0, T0 + DAY)
    assert list(series["t"]) == [T0 + 900_000, T0 + 1_800_000]
    assert list(series["n"]) == [2, 1] and list(series["online_s"]) == [900, 300]
    assert list(series["rssi_min"]) == [-90, -70] and list(series["rssi_avg"]) == [-85, -70]
    assert np.isnan(series["temp_avg"]).all()

    # The same bucket again (flushed before a restart, then finished after it): combined.
    write(db, lambda s: rollup.save_device_bucket(s, bucket(T0 + 900_000, ["a"], n=2, online_s=0, observed_s=100,
                                                              rssi_min=-95, rssi_avg=-75, rssi_max=-75)))
    partial = bucket(T0 + 2_700_000, ["a"], n=1, online_s=10, observed_s=10, rssi_avg=-60)
    with db.sessions() as s:
        series = rollup.device_series(s, "a", T0 + 1_000_000, T0 + DAY, partial)
        empty = rollup.device_series(s, "b", T0 + 2 * DAY, T0 + 3 * DAY)
    assert list(series["t"]) == [T0 + 900_000, T0 + 1_800_000, T0 + 2_700_000]  # the bucket holding since, on
    assert series["n"][0] == 4 and series["observed_s"][0] == 1000 and series["rssi_avg"][0] == -80
    assert series["rssi_min"][0] == -95 and series["rssi_avg"][2] == -60
    assert len(empty["t"]) == 0 and set(empty) == {"t", *bk.FIELDS}


def test_presence_totals_use_day_totals_and_the_buckets_of_the_first_day(db):
    put_day(db, "a", T0, day_matrix(online_until_slot=48))  # online the first 12 hours
    put_day(db, "a", T0 + DAY, day_matrix(online_until_slot=96))
    put_day(db, "b", T0 + DAY, day_matrix(online_until_slot=0))
    with db.sessions() as s:
        assert rollup.presence_totals(s, T0) == {"a": (43_200 + 86_400, 2 * 86_400), "b": (0, 86_400)}
        assert rollup.presence_totals(s, T0 + 12 * HOUR) == {"a": (86_400, 43_200 + 86_400), "b": (0, 86_400)}
        # Since the middle of a bucket: that bucket does not count.
        assert rollup.presence_totals(s, T0 + 11 * HOUR + 1, ["a"]) == {"a": (86_400 + 3600 - 900, 86_400 + 46_800 - 900)}
        assert rollup.presence_totals(s, T0 + 2 * DAY) == {}


def minute_rows(start: int, count: int) -> list[dict]:
    return [{"res_s": 60, "t": start + i * MIN, "samples": 6, "msgs": 120, "devices": 10.0, "online": float(i % 10),
             "offline": 10.0 - i % 10, "unknown": 0.0, "playing": 1.0, "faulty": 0.0, "pending": 0.0, "alarms": 2.0}
            for i in range(count)]


def test_fleet_minutes_roll_up_into_hours_and_series_read_the_right_resolution(db):
    write(db, lambda s: rollup.save_fleet(s, minute_rows(T0, 150)))  # 2 h 30 min
    now = T0 + 150 * MIN
    assert write(db, lambda s: rollup.compact_fleet(s, now)) == 2
    assert write(db, lambda s: rollup.compact_fleet(s, now)) == 0  # the hours after the last one rolled up
    with db.sessions() as s:
        hours = s.execute(select(FleetBucket.t, FleetBucket.samples, FleetBucket.online, FleetBucket.msgs)
                          .where(FleetBucket.res_s == 3600).order_by(FleetBucket.t)).all()
        assert [tuple(h) for h in hours] == [(T0, 360, 4.5, 7200), (T0 + HOUR, 360, 4.5, 7200)]
        day = rollup.fleet_series(s, now - DAY, now)
        week = rollup.fleet_series(s, now - 7 * DAY, now)
    assert len(day["t"]) == 150 and day["t"][0] == T0
    assert day["online_pct"][3] == 30.0 and day["msgs_per_min"][0] == 120
    assert list(week["t"]) == [T0, T0 + HOUR, T0 + 2 * HOUR]  # the open hour rolled up on the fly
    assert week["online"][2] == 4.5 and week["msgs_per_min"][0] == 120 and week["alarms"][2] == 2.0


def test_old_device_days_become_hourly_then_expire_with_old_fleet_rows(db):
    m = day_matrix(online_until_slot=50)
    put_day(db, "a", T0, m)
    put_day(db, "a", T0 + 35 * DAY, m)
    write(db, lambda s: rollup.save_fleet(s, minute_rows(T0, 3) + [{**minute_rows(T0, 1)[0], "res_s": 3600}]))
    now = T0 + 40 * DAY
    assert write(db, lambda s: rollup.coarsen_device_days(s, now, 30)) == 1
    assert write(db, lambda s: rollup.coarsen_device_days(s, now, 30)) == 0
    with db.sessions() as s:
        old = s.get(DeviceDay, ("a", T0))
        assert (old.res_s, old.online_s, old.observed_s) == (3600, 45_000, 86_400)
        np.testing.assert_array_equal(bk.decode(old.data, 24), bk.coarsen(m, 4))
        series = rollup.device_series(s, "a", T0, T0 + DAY)
    assert list(series["t"][:2]) == [T0, T0 + HOUR] and len(series["t"]) == 24
    assert series["online_s"][12] == 1800 and series["rssi_avg"][0] == -1.5

    keep = Retention(fleet_minutes_days=7, fleet_hours_days=730, device_fine_days=30, device_days=90)
    assert write(db, lambda s: rollup.expire(s, now, keep)) == 3  # the minute rows
    assert write(db, lambda s: rollup.expire(s, T0 + 100 * DAY, keep)) == 1  # the first day row
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DeviceDay)) == 1
        assert s.scalar(select(func.count()).select_from(FleetBucket)) == 1  # the hourly row stays
