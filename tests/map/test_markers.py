"""The fleet as marker arrays: map statuses, filtering, per-commune totals, hit tests (console/map/markers.py)."""

import numpy as np
import pytest
from mapdata import add, communes, fleet

from console.core.tiles import lonlat_to_xy
from console.fleet.state import FleetState
from console.map.markers import FAULT, OFFLINE, ONLINE, PENDING, PLAYING, STATUSES, Markers, map_status, nearest


def test_each_device_gets_one_map_status():
    state = fleet()
    expected = {"MAP-ONLINE": ONLINE, "MAP-PLAYING": PLAYING, "MAP-FAULT": FAULT, "MAP-OFFLINE": OFFLINE,
                "MAP-PENDING": PENDING}
    assert {i: map_status(d) for i, d in state.devices.items()} == expected
    assert STATUSES[PENDING] == "pending"


def test_positions_come_from_the_device_else_its_commune():
    state = fleet()
    add(state, "MAP-NOGPS", None, None, "online", "21600")
    add(state, "MAP-NOWHERE", None, None, "online", "99999")
    c = communes()
    m = Markers(c.position, c.nearest)
    m.update(state.devices, state.devices)
    i = m.index["MAP-ONLINE"]
    assert (m.x[i], m.y[i]) == pytest.approx(tuple(float(v) for v in lonlat_to_xy(109.20, 13.78)))
    j = m.index["MAP-NOGPS"]
    assert (m.x[j], m.y[j]) == pytest.approx(c.position("21600"))
    assert m.index["MAP-NOWHERE"] not in m.shown()  # nowhere to put it
    assert len(m.shown()) == 6


def test_filters_counts_and_aggregates_per_commune():
    state = fleet()
    add(state, "MAP-LOOSE", 109.151, 13.801, "pending", "")  # no unit: counted in the nearest commune
    c = communes()
    m = Markers(c.position, c.nearest)
    m.update(state.devices, sorted(state.devices))
    assert m.counts().tolist() == [1, 1, 2, 1, 1]
    agg = m.aggregate()
    by_key = dict(zip(agg.keys, range(len(agg.keys))))
    assert set(by_key) == {"21550", "21600", "21650"}
    k = by_key["21550"]  # online + playing + the loose pending one
    assert agg.counts[k].tolist() == [1, 1, 1, 0, 0] and agg.worst[k] == PENDING
    assert (agg.x[k], agg.y[k]) == pytest.approx(c.position("21550"))  # at the centroid, not the mean
    assert agg.worst[by_key["21600"]] == OFFLINE  # offline beats fault
    assert agg.totals.sum() == 6
    m.set_visible(lambda dev_id: dev_id in ("MAP-FAULT", "MAP-OFFLINE"))
    assert [m.ids[i] for i in m.shown()] == ["MAP-FAULT", "MAP-OFFLINE"]
    assert m.aggregate().keys == ["21600"]
    m.set_visible(None)
    assert len(m.shown()) == 6


def test_a_device_without_unit_or_commune_is_its_own_marker():
    state = FleetState()
    add(state, "LONE", 105.0, 20.0, "online", "")
    m = Markers()
    m.update(state.devices, ["LONE"])
    agg = m.aggregate()
    assert agg.keys == ["#LONE"] and (agg.x[0], agg.y[0]) == pytest.approx((m.x[0], m.y[0]))


def test_updates_only_touch_the_given_devices_and_grow_the_arrays():
    state = FleetState()
    m = Markers()
    for i in range(200):
        add(state, f"D{i:03d}", 105 + i / 1000, 20.0, "online", f"U{i % 7}")
    m.update(state.devices, state.devices)
    assert len(m) == 200 and len(m.x) >= 200 and m.counts()[ONLINE] == 200
    add(state, "D005", 105.0, 20.0, "offline", "U5")
    m.update(state.devices, ["D005"])
    assert m.counts()[OFFLINE] == 1 and len(m) == 200
    i = m.index["D007"]
    before = m.aggregate().keys
    add(state, "D007", 106.5, 21.0, "online", "U9")  # moved, to another commune
    m.update(state.devices, ["D007"])
    assert (m.x[i], m.y[i]) == pytest.approx(tuple(float(v) for v in lonlat_to_xy(106.5, 21.0)))
    assert m.units[m.unit[i]] == "U9" and set(m.aggregate().keys) == {*before, "U9"}


def test_nearest_point_within_a_pixel_radius():
    x, y = np.array([0.0, 100.0, 1000.0]), np.array([0.0, 0.0, 0.0])
    assert nearest(x, y, 90.0, 5.0, m_per_px=10.0, radius_px=2) == 1  # 11 m = 1.1 px away
    assert nearest(x, y, 500.0, 0.0, m_per_px=10.0, radius_px=5) is None
    assert nearest(x, y, 500.0, 0.0, m_per_px=10.0, radius_px=np.array([1, 1, 60])) == 2  # a big marker
    assert nearest(np.empty(0), np.empty(0), 0.0, 0.0, 1.0, 5) is None


def test_ten_thousand_devices_stay_arrays():
    state = FleetState()
    rng = np.random.default_rng(1)
    for i, (lon, lat) in enumerate(zip(rng.uniform(108, 109.5, 10_000), rng.uniform(13, 14.5, 10_000))):
        add(state, f"T{i:05d}", float(lon), float(lat), "online" if i % 10 else "offline", f"C{i % 2000}")
    m = Markers()
    m.update(state.devices, state.devices)
    agg = m.aggregate()
    assert len(agg.keys) == 2000 and agg.totals.sum() == 10_000 and (agg.worst == OFFLINE).sum() == 200
    assert isinstance(m.x, np.ndarray) and m.points(OFFLINE).shape == (1000,)
