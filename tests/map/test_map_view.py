"""The map widget offscreen: markers at the right pixels with no network, communes summed when zoomed
out, tiles from an MBTiles archive and from a loopback tile server through the disk cache."""

import numpy as np
import pytest
from mapdata import add, communes
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor
from tileserver import TileServer, make_mbtiles, png, tile_colour

from console.core.tiles import lonlat_to_tile, xy_to_lonlat
from console.fleet.state import FleetState
from console.map.tiles import HttpTileSource, MBTilesSource
from console.ui.map.view import AGGREGATE_M_PER_PX, COLOURS, MapView

# Five devices within a few kilometres, one per map status.
NEAR = [("N-ONLINE", 109.000, 13.800, "online", "21550"), ("N-PLAYING", 109.012, 13.806, "playing", "21550"),
        ("N-FAULT", 108.990, 13.810, "fault", "21550"), ("N-OFFLINE", 109.008, 13.792, "offline", "21600"),
        ("N-PENDING", 108.992, 13.794, "pending", "21600")]
WAIT_MS = 15_000


def near_fleet() -> FleetState:
    state = FleetState()
    for spec in NEAR:
        add(state, *spec)
    state.publish_changes()
    return state


@pytest.fixture
def make_view(qtbot):
    views = []

    def make(state, **kw):
        view = MapView(state, communes=communes, interval_ms=50, **kw)
        qtbot.addWidget(view)
        view.resize(800, 600)
        view.show()
        qtbot.waitUntil(lambda: view.is_loaded and len(view.markers) == len(state.devices), timeout=WAIT_MS)
        views.append(view)
        return view

    yield make
    for view in views:
        view.shutdown()


def pixel(view: MapView, pos: QPoint) -> QColor:
    return view.graphics.grab().toImage().pixelColor(pos)


def close(a: QColor, b: QColor, tol: int = 40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3]))


def settle(qtbot, view: MapView, aggregated: bool) -> None:
    qtbot.waitUntil(lambda: view._aggregated is aggregated and not view._view_timer.isActive()
                    and not view._stale and not view.drawing(), timeout=WAIT_MS)


def tiles_settled(view: MapView) -> bool:
    """The view's last move was handled and every tile it wants is shown (or known missing)."""
    return not view._view_timer.isActive() and bool(view.tile_layer.items) and view.tile_layer.complete()


def test_markers_are_drawn_at_their_place_in_their_status_colour(qtbot, make_view):
    view = make_view(near_fleet())
    view.center_on(109.0, 13.80, 8.0)
    settle(qtbot, view, aggregated=False)
    image = view.graphics.grab().toImage()
    for dev_id, _lon, _lat, status, _unit in NEAR:
        pos = view.view_pos_of(dev_id)
        assert 20 < pos.x() < 780 and 20 < pos.y() < 560
        centre = image.pixelColor(pos)
        if status == "pending":  # a ring: white inside, blue on the edge
            assert close(centre, QColor("#ffffff"))
            assert any(close(image.pixelColor(pos + QPoint(dx, 0)), COLOURS["pending"], 60) for dx in (4, 5, 6))
        else:
            assert close(centre, COLOURS[status]), (dev_id, centre.name())
    # Between the markers: land (no tiles, nothing fetched).
    assert close(image.pixelColor(QPoint(5, 5)), QColor("#fbfaf6"), 12)
    assert view.tile_layer is None


def test_zoomed_out_each_commune_is_one_marker_with_its_worst_status(qtbot, make_view):
    view = make_view(near_fleet())
    view.center_on(109.0, 13.85, 400.0)
    settle(qtbot, view, aggregated=True)
    assert view.m_per_px() > AGGREGATE_M_PER_PX
    agg = view._hit[4]
    assert sorted(agg.keys) == ["21550", "21600"]
    assert dict(zip(agg.keys, agg.totals.tolist())) == {"21550": 3, "21600": 2}
    image = view.graphics.grab().toImage()
    for key, status in (("21550", "fault"), ("21600", "offline")):  # fault beats playing; offline beats pending
        k = agg.keys.index(key)
        scene = view.vb.mapViewToScene(QPointF(float(agg.x[k]), float(agg.y[k])))
        pos = view.graphics.mapFromScene(scene)
        assert close(image.pixelColor(pos + QPoint(6, 0)), COLOURS[status]), key
        assert close(image.pixelColor(pos), QColor("#ffffff"), 90)  # the count, in white
    assert "3" in view._commune_tip(agg.keys.index("21550"))


def test_ten_thousand_devices(qtbot, make_view):
    state = FleetState()
    rng = np.random.default_rng(3)
    for i, (lon, lat) in enumerate(zip(rng.uniform(108.7, 109.3, 10_000), rng.uniform(13.5, 14.1, 10_000))):
        add(state, f"T{i:05d}", float(lon), float(lat), ("online", "playing", "fault", "offline")[i % 4],
            ("21550", "21600", "21650")[i % 3])
    state.publish_changes()
    view = make_view(state)
    settle(qtbot, view, aggregated=view.m_per_px() > AGGREGATE_M_PER_PX)
    view.center_on(109.0, 13.8, 10.0)
    settle(qtbot, view, aggregated=False)
    m, (west, south, east, north) = view.markers, view._clip
    inside = (m.x[:len(m)] >= west) & (m.x[:len(m)] <= east) & (m.y[:len(m)] >= south) & (m.y[:len(m)] <= north)
    assert 0 < sum(len(s.data) for s in view._scatters) == inside.sum() < 10_000  # the view and around it
    assert "10000 of 10000" in view.legend.text()
    clip = view._clip
    view.vb.translateBy(x=(clip[2] - clip[0]))  # pan out of what the scatters hold: they follow
    qtbot.waitUntil(lambda: view._clip != clip and not view._view_timer.isActive(), timeout=WAIT_MS)
    assert view._in_clip()


def test_tiles_from_an_mbtiles_archive_are_drawn_under_the_markers(qtbot, make_view, tmp_path):
    z = 2
    archive = make_mbtiles(tmp_path / "t.mbtiles",
                           {(z, x, y): png(tile_colour(z, x, y)) for x in range(4) for y in range(4)})
    view = make_view(near_fleet(), tiles=MBTilesSource(archive))
    view.center_on(109.0, 13.80, 8.0)
    settle(qtbot, view, aggregated=False)
    qtbot.waitUntil(lambda: tiles_settled(view), timeout=WAIT_MS)
    assert {t.z for t in view.tile_layer.items} == {z}  # over-zoomed: the archive stops at 2
    corner = QPoint(5, 5)
    p = view.vb.mapSceneToView(view.graphics.mapToScene(corner))
    lon, lat = xy_to_lonlat(p.x(), p.y())
    expected = QColor(*tile_colour(*lonlat_to_tile(float(lon), float(lat), z)))
    assert close(pixel(view, corner), expected, 6)
    assert close(pixel(view, view.view_pos_of("N-OFFLINE")), COLOURS["offline"])  # markers stay on top
    assert "Test tiles" in view.attribution.text() and "CC BY-SA 4.0" in view.attribution.text()


def test_tiles_through_the_cache_still_show_with_the_server_stopped(qtbot, make_view, tmp_path):
    server = TileServer()
    try:
        source = HttpTileSource(server.url, "tt-console-tests/1", tmp_path / "cache", max_zoom=14)
        view = make_view(near_fleet(), tiles=source)
        view.center_on(109.0, 13.80, 40.0)
        qtbot.waitUntil(lambda: tiles_settled(view), timeout=WAIT_MS)
        wanted = set(view.tile_layer._wanted)
        assert set(view.tile_layer.items) >= wanted and len(wanted) <= 96
        paths = [path for path, _headers in server.requests]
        for t in wanted:  # each tile on screen asked for once (earlier views may have asked for others)
            assert paths.count(f"/{t.z}/{t.x}/{t.y}.png") == 1
        shown = pixel(view, QPoint(5, 5))
    finally:
        server.stop()
    again = make_view(near_fleet(), tiles=HttpTileSource(server.url, "tt-console-tests/1", tmp_path / "cache",
                                                         max_zoom=14))
    again.center_on(109.0, 13.80, 40.0)
    qtbot.waitUntil(lambda: tiles_settled(again), timeout=WAIT_MS)
    assert set(again.tile_layer.items) >= wanted  # every one from the cache: the server is gone
    assert close(pixel(again, QPoint(5, 5)), shown, 4)


def test_the_map_draws_without_commune_centroids_and_says_why(qtbot, english):
    def broken():
        raise OSError("database is locked")

    view = MapView(near_fleet(), communes=broken, interval_ms=50)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitUntil(lambda: view.is_loaded, timeout=WAIT_MS)
    assert "database is locked" in view.attribution.text() and "CC BY-SA 4.0" in view.attribution.text()
    assert len(view.markers.shown()) == len(NEAR)  # devices have coordinates of their own
    view.shutdown()
