"""Rollups without a database: the bucket codec, combining and coarsening buckets, and the sampler
(known fleet states at known times give exact buckets)."""

from __future__ import annotations

import numpy as np
import pytest
from monhelpers import MIN, T0, add, fleet, tele

from console.fleet import schemas
from console.monitor import buckets as bk
from console.monitor.rollup import Sampler, fleet_hours

F = bk.INDEX


def column(values: dict) -> np.ndarray:
    c = bk.empty(1)[:, 0]
    for k, v in values.items():
        c[F[k]] = v
    return c


# -- codec ------------------------------------------------------------------------------------------

def test_a_packed_day_decodes_to_what_was_stored():
    m = bk.empty(96)
    m[F["n"], :3] = [1, 90, 0]
    m[F["online_s"], :3] = [900, 450, 0]
    m[F["observed_s"], :3] = [900, 900, 900]
    m[F["rssi_avg"], :2] = [-87.2, -101.5]
    m[F["temp_max"], 1] = 41.3
    m[F["vbat_min"], 1] = 12.61
    m[F["clock_offset_ms_max"], 0] = 2_500
    m[F["clock_offset_ms_min"], 0] = -10**12  # a clock decades off is clamped, not wrapped
    blob = bk.encode(m)
    assert len(blob) < 500  # mostly empty compresses to little
    out = bk.decode(blob, 96)
    expect = m.copy()
    expect[F["clock_offset_ms_min"], 0] = np.iinfo(np.int32).min + 1
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expect))
    np.testing.assert_allclose(np.nan_to_num(out), np.nan_to_num(expect), rtol=0, atol=1e-9)
    some = [F["online_s"], F["temp_max"]]
    np.testing.assert_array_equal(np.nan_to_num(bk.decode(blob, 96, some)), np.nan_to_num(out[some]))


def test_decode_refuses_what_is_not_a_packed_day():
    with pytest.raises(ValueError):
        bk.decode(b"\x07garbage", 96)


# -- combining -----------------------------------------------------------------------------------------

def test_combine_adds_counts_takes_extremes_and_weights_averages_by_samples():
    a = column({"n": 1, "online_s": 900, "observed_s": 900, "rssi_min": -90, "rssi_avg": -80, "rssi_max": -70,
                "vbat_avg": 12.0})
    b = column({"n": 3, "online_s": 300, "observed_s": 900, "rssi_min": -100, "rssi_avg": -60, "rssi_max": -65})
    c = bk.combine(np.stack([a, b], axis=-1))
    assert (c[F["n"]], c[F["online_s"]], c[F["observed_s"]]) == (4, 1200, 1800)
    assert (c[F["rssi_min"]], c[F["rssi_avg"]], c[F["rssi_max"]]) == (-100, -65, -65)
    assert c[F["vbat_avg"]] == 12.0  # only one bucket has it
    assert np.isnan(c[F["temp_avg"]]) and np.isnan(c[F["temp_min"]])


def test_coarsening_a_day_of_quarter_hours_into_hours():
    m = bk.empty(96)
    idx = np.arange(96, dtype=float)
    m[F["n"]] = 2
    m[F["online_s"]] = np.where(idx < 50, 900, 0)
    m[F["observed_s"]] = 900
    m[F["rssi_min"]], m[F["rssi_avg"]], m[F["rssi_max"]] = -idx - 1, -idx, -idx + 1
    m[F["temp_avg"], 8:12] = [30, 31, np.nan, 35]  # hour 2 has three temperatures
    h = bk.coarsen(m, 4)
    assert h.shape == (len(bk.FIELDS), 24)
    np.testing.assert_array_equal(h[F["n"]], 8)
    np.testing.assert_array_equal(h[F["observed_s"]], 3600)
    assert list(h[F["online_s"], 11:14]) == [3600, 1800, 0]  # buckets 48, 49 online in hour 12
    np.testing.assert_array_equal(h[F["rssi_avg"]], -(4 * np.arange(24) + 1.5))
    np.testing.assert_array_equal(h[F["rssi_min"]], -(4 * np.arange(24) + 4))
    np.testing.assert_array_equal(h[F["rssi_max"]], -(4 * np.arange(24) - 1))
    assert h[F["temp_avg"], 2] == 32.0 and np.isnan(h[F["temp_avg"], 3])
    with pytest.raises(ValueError):
        bk.coarsen(m, 5)


def test_bucket_boundaries():
    assert bk.day_of(T0 + 86_399_999) == T0 and bk.day_of(T0 + 86_400_000) == T0 + 86_400_000
    assert bk.floor_to(T0 + 899_999, 900) == T0 and bk.floor_to(T0 + 900_000, 900) == T0 + 900_000
    assert bk.slots_of(900) == 96 and bk.slots_of(3600) == 24
    with pytest.raises(ValueError):
        bk.slots_of(7 * 60)


def test_fleet_minutes_roll_up_into_hours():
    rows = [{"res_s": 60, "t": T0 + i * MIN, "samples": s, "msgs": 10, "devices": 10.0, "online": on,
             "offline": 10.0 - on, "unknown": 0.0, "playing": 0.0, "faulty": 1.0, "pending": 2.0, "alarms": 0.0}
            for i, (s, on) in enumerate([(6, 10.0), (2, 4.0)] + [(6, 8.0)] * 58 + [(6, 5.0)])]
    first, second = fleet_hours(rows)
    assert first["t"] == T0 and first["res_s"] == 3600 and second["t"] == T0 + 60 * MIN
    assert first["samples"] == 6 + 2 + 58 * 6 and first["msgs"] == 600
    assert first["online"] == pytest.approx((6 * 10 + 2 * 4 + 58 * 6 * 8) / 356)
    assert first["faulty"] == 1.0 and first["pending"] == 2.0
    assert (second["samples"], second["online"], second["msgs"]) == (6, 5.0, 10)


# -- the sampler ---------------------------------------------------------------------------------

class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self):
        self.n += 5
        return self.n


def test_sampler_gives_exact_buckets_for_known_inputs():
    fs = fleet()
    on = add(fs, "on", state="online")
    add(fs, "off", state="offline")
    add(fs, "new", state="online", adopted=False, rssi=-50)  # pending: counted, not bucketed
    sampler = Sampler(fs, messages=Counter(), alarms=lambda: 3)
    closed_fleet, closed_devices = [], []

    def at(s):
        f, d = sampler.sample(T0 + s * 1000)
        closed_fleet.extend(f)
        closed_devices.extend(d)

    at(0)
    on.tele = tele(1, rssi=-80, temp=30.5, level_db=-20.0, clock_offset_ms=100, vol=70,
                   playing=schemas.Playing(item="s1.x.0"))
    at(10)
    on.tele = tele(2, rssi=-90, temp=31.5, level_db=-30.0, clock_offset_ms=-300, vol=70)
    for s in range(20, 900, 10):  # the same telemetry sampled again is not counted again
        at(s)
    assert closed_devices == []
    at(900)  # on the boundary: the bucket [0, 900 s) closes
    (b,) = closed_devices
    assert b.t == T0 and b.res_s == 900 and b.ids == ["on", "off"]
    col = {f: b.values[F[f], b.ids.index("on")] for f in bk.FIELDS}
    assert (col["n"], col["online_s"], col["observed_s"]) == (2, 900, 900)
    assert (col["rssi_min"], col["rssi_avg"], col["rssi_max"]) == (-90, -85, -80)
    assert (col["temp_min"], col["temp_avg"], col["temp_max"]) == (30.5, 31.0, 31.5)
    assert (col["clock_offset_ms_min"], col["clock_offset_ms_avg"], col["clock_offset_ms_max"]) == (-300, -100, 100)
    assert col["vol_avg"] == 70 and np.isnan(col["vbat_avg"]) and np.isnan(col["vbat_min"])
    off = b.values[:, b.ids.index("off")]
    assert (off[F["n"]], off[F["online_s"]], off[F["observed_s"]]) == (0, 0, 900)
    assert np.isnan(off[F["rssi_avg"]])

    # Fleet minutes: the first minute had samples at 0..50 s; "playing" in one of them.
    first = closed_fleet[0]
    assert (first["t"], first["res_s"], first["samples"], first["msgs"]) == (T0, 60, 6, 25)
    assert (first["devices"], first["online"], first["offline"], first["pending"]) == (2, 1, 1, 1)
    assert first["playing"] == pytest.approx(1 / 6) and first["alarms"] == 3
    assert [r["t"] for r in closed_fleet] == [T0 + i * MIN for i in range(15)]
    assert all(r["msgs"] == 30 for r in closed_fleet[1:])


def test_time_is_split_at_a_bucket_boundary_and_long_pauses_are_not_watched():
    fs = fleet()
    add(fs, "d", state="online")
    sampler = Sampler(fs, max_gap_s=60)
    sampler.sample(T0 + 880_000)
    sampler.sample(T0 + 895_000)
    _, (b1,) = sampler.sample(T0 + 905_000)  # 895 -> 900 s in the old bucket, 900 -> 905 s in the new
    assert b1.t == T0 and b1.values[F["observed_s"], 0] == 20
    _, (b2,) = sampler.sample(T0 + 3_000_000)  # a pause of 35 minutes: only the last 60 s count
    assert b2.t == T0 + 900_000 and b2.values[F["observed_s"], 0] == 5
    _, (b3,) = sampler.flush()
    assert b3.t == T0 + 2_700_000 and b3.values[F["online_s"], 0] == 60


def test_partial_bucket_and_growth_beyond_the_first_allocation():
    fs = fleet(1500)
    sampler = Sampler(fs)
    sampler.sample(T0)
    fs.devices["d1499"].tele = tele(1, rssi=-77)
    sampler.sample(T0 + 10_000)
    p = sampler.partial("d1499")
    assert p.t == T0 and p.values[F["rssi_max"], 0] == -77 and p.values[F["observed_s"], 0] == 10
    assert sampler.partial("nobody") is None
    _, (b,) = sampler.flush()
    assert len(b.ids) == 1500 and b.values[F["observed_s"]].sum() == 15_000
    assert [len(p.ids) for p in b.parts(1000)] == [1000, 500]
