"""Web-Mercator and tile arithmetic (console/core/tiles.py) against the slippy-map formulas."""

import math

import numpy as np
import pytest

from console.core.tiles import (
    HALF_WORLD_M,
    MAX_LAT,
    Tile,
    lonlat_to_pixel,
    lonlat_to_tile,
    lonlat_to_xy,
    pixel_to_lonlat,
    resolution,
    tile_bounds,
    tiles_in_view,
    tms_row,
    xy_to_lonlat,
    zoom_for,
)


def osm_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The OpenStreetMap wiki's formula, written independently."""
    n = 2 ** z
    lat_r = math.radians(lat)
    return int((lon + 180.0) / 360.0 * n), int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * n)


def test_mercator_metres_at_known_points():
    assert lonlat_to_xy(0.0, 0.0) == pytest.approx((0.0, 0.0), abs=1e-6)
    assert lonlat_to_xy(180.0, 0.0)[0] == pytest.approx(HALF_WORLD_M)
    assert lonlat_to_xy(0.0, MAX_LAT)[1] == pytest.approx(HALF_WORLD_M, rel=1e-9)
    # Hà Nội by EPSG:3857's definition (x = R * lon in radians; y = R * ln tan(pi/4 + lat/2))
    x, y = lonlat_to_xy(105.8542, 21.0285)
    r = 6378137.0
    assert x == pytest.approx(r * math.radians(105.8542))
    assert y == pytest.approx(r * math.log(math.tan(math.pi / 4 + math.radians(21.0285) / 2)))
    assert (x, y) == pytest.approx((11783635.6, 2395277.2), abs=0.5)
    assert lonlat_to_xy(0.0, 89.9)[1] == pytest.approx(HALF_WORLD_M, rel=1e-9)  # clamped


def test_lonlat_round_trips_through_metres_and_pixels():
    lon = np.array([102.14, 105.85, 109.2, 116.9, -70.0])
    lat = np.array([22.5, 21.03, 13.78, 8.6, -33.4])
    back_lon, back_lat = xy_to_lonlat(*lonlat_to_xy(lon, lat))
    assert np.allclose(back_lon, lon) and np.allclose(back_lat, lat)
    for z in (0, 7, 12, 18):
        px, py = lonlat_to_pixel(lon, lat, z)
        back_lon, back_lat = pixel_to_lonlat(px, py, z)
        assert np.allclose(back_lon, lon, atol=1e-9) and np.allclose(back_lat, lat, atol=1e-9)


@pytest.mark.parametrize("lon,lat", [(105.8542, 21.0285), (109.2197, 13.7820), (106.7009, 10.7769),
                                     (112.33, 16.5), (-0.1276, 51.5072), (0.0, 0.0)])
@pytest.mark.parametrize("z", [0, 1, 5, 10, 13, 17, 19])
def test_tile_of_a_point_matches_the_osm_formula(lon, lat, z):
    assert lonlat_to_tile(lon, lat, z) == Tile(z, *osm_tile(lon, lat, z))


def test_pixels_inside_the_tile_and_tile_bounds():
    z = 12
    tile = lonlat_to_tile(109.2197, 13.7820, z)
    px, py = lonlat_to_pixel(109.2197, 13.7820, z)
    assert (int(px) // 256, int(py) // 256) == (tile.x, tile.y)
    west, south, east, north = tile_bounds(tile)
    x, y = lonlat_to_xy(109.2197, 13.7820)
    assert west <= x < east and south < y <= north
    assert east - west == pytest.approx(north - south) == pytest.approx(256 * resolution(z))
    # The north-west corner of tile (z, x, y) is pixel (256 x, 256 y).
    lon, lat = pixel_to_lonlat(256 * tile.x, 256 * tile.y, z)
    assert lonlat_to_xy(lon, lat) == pytest.approx((west, north))
    assert tile_bounds(Tile(0, 0, 0)) == pytest.approx((-HALF_WORLD_M, -HALF_WORLD_M, HALF_WORLD_M, HALF_WORLD_M))


def test_resolution_and_zoom_choice():
    assert resolution(0) == pytest.approx(156543.03392804097)
    for z in range(20):
        assert zoom_for(resolution(z)) == z
        assert zoom_for(resolution(z) * 1.3) == z  # a little coarser: still this zoom (tiles shown smaller)
    assert zoom_for(resolution(5), max_zoom=3) == 3 and zoom_for(resolution(5), min_zoom=8) == 8
    assert zoom_for(0.0) == 19


def test_tiles_in_view_cover_it_centre_first_and_clamp_to_the_world():
    z = 10
    x0, y0 = lonlat_to_xy(108.5, 13.0)
    x1, y1 = lonlat_to_xy(109.5, 14.5)
    tiles = tiles_in_view(x0, y0, x1, y1, z)
    a, b = osm_tile(108.5, 14.5, z), osm_tile(109.5, 13.0, z)  # north-west and south-east corners
    assert {(t.x, t.y) for t in tiles} == {(x, y) for x in range(a[0], b[0] + 1) for y in range(a[1], b[1] + 1)}
    centre = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    dist = [(t.x - centre[0]) ** 2 + (t.y - centre[1]) ** 2 for t in tiles]
    assert dist == sorted(dist)
    assert tiles_in_view(-1e9, -1e9, 1e9, 1e9, 1) == tiles_in_view(-HALF_WORLD_M, -HALF_WORLD_M,
                                                                     HALF_WORLD_M, HALF_WORLD_M, 1)
    assert len(tiles_in_view(-1e9, -1e9, 1e9, 1e9, 2)) == 16


def test_tms_row_flips_and_is_its_own_inverse():
    assert tms_row(0, 0) == 0
    assert tms_row(3, 0) == 7 and tms_row(3, 7) == 0
    assert all(tms_row(5, tms_row(5, y)) == y for y in range(32))
