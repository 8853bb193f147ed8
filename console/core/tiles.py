"""Web-Mercator (EPSG:3857) and slippy-map tile arithmetic. Pure: no Qt, no I/O.

The map draws in Web-Mercator metres (x east, y north; the world spans +-HALF_WORLD_M on both axes).
Tiles follow the XYZ scheme of OpenStreetMap: zoom ``z`` cuts the world into 2**z by 2**z tiles of
``tile_size`` pixels, ``x`` from the antimeridian eastwards, ``y`` from the north edge southwards.
MBTiles archives number rows from the south instead (TMS): :func:`tms_row` converts.

The functions take floats or numpy arrays alike.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

EARTH_RADIUS_M = 6378137.0  # the WGS 84 semi-major axis, as EPSG:3857 uses it
HALF_WORLD_M = math.pi * EARTH_RADIUS_M  # 20,037,508.34 m
MAX_LAT = 85.0511287798066  # where the square Mercator world ends
TILE_SIZE = 256


class Tile(NamedTuple):
    z: int
    x: int
    y: int  # XYZ row: 0 is the northernmost


def lonlat_to_xy(lon, lat):
    """Degrees -> Web-Mercator metres; latitudes beyond +-MAX_LAT are clamped."""
    lat = np.clip(lat, -MAX_LAT, MAX_LAT)
    x = EARTH_RADIUS_M * np.radians(lon)
    y = EARTH_RADIUS_M * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    return x, y


def xy_to_lonlat(x, y):
    """Web-Mercator metres -> degrees (longitude, latitude)."""
    lon = np.degrees(np.asarray(x, dtype=float) / EARTH_RADIUS_M)
    lat = np.degrees(2 * np.arctan(np.exp(np.asarray(y, dtype=float) / EARTH_RADIUS_M)) - np.pi / 2)
    return lon, lat


def resolution(z: float, tile_size: int = TILE_SIZE) -> float:
    """Metres per tile pixel at zoom ``z`` (at the equator; Mercator metres everywhere)."""
    return 2 * HALF_WORLD_M / (tile_size * 2.0 ** z)


def zoom_for(m_per_px: float, tile_size: int = TILE_SIZE, min_zoom: int = 0, max_zoom: int = 19) -> int:
    """The tile zoom whose pixels are closest to screen pixels of ``m_per_px`` metres.

    Rounded on the log scale, so a tile shows between about 0.7 and 1.4 times its size: the fewest
    tiles for a sharp picture (tile servers ask clients not to load more than they show).
    """
    if not m_per_px > 0:
        return max_zoom
    z = round(math.log2(2 * HALF_WORLD_M / (tile_size * m_per_px)))
    return int(min(max(z, min_zoom), max_zoom))


def xy_to_pixel(x, y, z: int, tile_size: int = TILE_SIZE):
    """Web-Mercator metres -> global pixel coordinates at zoom ``z`` (origin at the north-west corner)."""
    res = resolution(z, tile_size)
    return (np.asarray(x, dtype=float) + HALF_WORLD_M) / res, (HALF_WORLD_M - np.asarray(y, dtype=float)) / res


def pixel_to_xy(px, py, z: int, tile_size: int = TILE_SIZE):
    res = resolution(z, tile_size)
    return np.asarray(px, dtype=float) * res - HALF_WORLD_M, HALF_WORLD_M - np.asarray(py, dtype=float) * res


def lonlat_to_pixel(lon, lat, z: int, tile_size: int = TILE_SIZE):
    """Degrees -> global pixel coordinates at zoom ``z``."""
    return xy_to_pixel(*lonlat_to_xy(lon, lat), z, tile_size)


def pixel_to_lonlat(px, py, z: int, tile_size: int = TILE_SIZE):
    return xy_to_lonlat(*pixel_to_xy(px, py, z, tile_size))


def lonlat_to_tile(lon: float, lat: float, z: int) -> Tile:
    """The tile holding a point (clamped into the world)."""
    px, py = lonlat_to_pixel(lon, lat, z, 1)  # with tile_size 1, pixels are tiles
    last = 2 ** z - 1
    return Tile(z, min(max(math.floor(px), 0), last), min(max(math.floor(py), 0), last))


def tile_bounds(tile: Tile) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile, in Web-Mercator metres."""
    size = 2 * HALF_WORLD_M / 2 ** tile.z
    west = -HALF_WORLD_M + tile.x * size
    north = HALF_WORLD_M - tile.y * size
    return west, north - size, west + size, north


def tiles_in_view(west: float, south: float, east: float, north: float, z: int) -> list[Tile]:
    """The tiles of zoom ``z`` that a view rectangle (metres) touches, nearest the centre first."""
    n = 2 ** z
    size = 2 * HALF_WORLD_M / n

    def clamp(v: float) -> int:
        return min(max(math.floor(v), 0), n - 1)

    x0, x1 = clamp((west + HALF_WORLD_M) / size), clamp((east + HALF_WORLD_M) / size)
    y0, y1 = clamp((HALF_WORLD_M - north) / size), clamp((HALF_WORLD_M - south) / size)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    tiles = [Tile(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    tiles.sort(key=lambda t: (t.x - cx) ** 2 + (t.y - cy) ** 2)
    return tiles


def tms_row(z: int, y: int) -> int:
    """XYZ row <-> TMS row (MBTiles counts rows from the south); the mapping is its own inverse."""
    return 2 ** z - 1 - y
