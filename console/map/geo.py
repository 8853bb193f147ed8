"""Geographic data the map draws without any tiles: province outlines and commune centroids.

Both are returned in Web-Mercator metres (console/core/tiles.py), as numpy arrays ready to draw.
Pure: no Qt. Loading reads files and the database, so callers run it on a worker.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from console.core.hierarchy import Unit
from console.core.tiles import lonlat_to_xy

ROOT = Path(__file__).resolve().parents[2]
GEO_DIR = ROOT / "resources" / "geo"
PROVINCES_FILE = GEO_DIR / "vn-provinces-2025.geojson"  # made by tools/simplify_provinces.py
COMMUNE_LEVEL = "commune"
NEAREST_MAX_M = 15_000.0  # a device without a unit counts in the nearest commune up to this far


@dataclass(frozen=True)
class Provinces:
    """Outlines as one polyline: x, y with NaN between rings (rings are closed); a label per province."""

    x: np.ndarray
    y: np.ndarray
    names: list[str]
    label_x: np.ndarray
    label_y: np.ndarray
    attribution: str

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in metres."""
        return float(np.nanmin(self.x)), float(np.nanmin(self.y)), float(np.nanmax(self.x)), float(np.nanmax(self.y))


def _rings(geometry: dict) -> Iterable[list]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    else:
        raise ValueError(f"not a polygon: {geometry['type']}")


def load_provinces(path: Path = PROVINCES_FILE) -> Provinces:
    """Read the shipped (simplified) province outlines."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    parts: list[np.ndarray] = []
    names, labels = [], []
    gap = np.array([[np.nan, np.nan]])
    for feature in data["features"]:
        for ring in _rings(feature["geometry"]):
            parts.extend((np.asarray(ring, dtype=float), gap))
        names.append(feature["properties"]["name"])
        labels.append(feature["properties"]["label"])
    lonlat = np.concatenate(parts) if parts else np.empty((0, 2))
    x, y = lonlat_to_xy(lonlat[:, 0], lonlat[:, 1])
    x[np.isnan(lonlat[:, 0])] = np.nan  # keep the gaps (the latitude clamp would turn NaN into a number)
    y[np.isnan(lonlat[:, 1])] = np.nan
    lx, ly = lonlat_to_xy(np.array([p[0] for p in labels], dtype=float), np.array([p[1] for p in labels], dtype=float))
    return Provinces(x, y, names, lx, ly, data.get("attribution", ""))


@dataclass
class Communes:
    """Centroids of communes (and wards), by GSO code."""

    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __post_init__(self) -> None:
        self._index = {code: i for i, code in enumerate(self.codes)}

    def __len__(self) -> int:
        return len(self.codes)

    def position(self, code: str) -> tuple[float, float] | None:
        i = self._index.get(code)
        return None if i is None else (float(self.x[i]), float(self.y[i]))

    def name(self, code: str) -> str:
        i = self._index.get(code)
        return "" if i is None else self.names[i]

    def nearest(self, x: float, y: float, max_m: float = NEAREST_MAX_M) -> str | None:
        """The code of the commune whose centroid is nearest (x, y), if one is within ``max_m`` metres."""
        if not self.codes:
            return None
        d2 = (self.x - x) ** 2 + (self.y - y) ** 2
        i = int(np.argmin(d2))
        return self.codes[i] if d2[i] <= max_m * max_m else None


def communes_from_units(units: Iterable[Unit], day: date | None = None) -> Communes:
    """The commune-level units with a centroid (valid at ``day``, default today)."""
    day = day or date.today()
    chosen = [u for u in units if u.level == COMMUNE_LEVEL and u.lat is not None and u.lon is not None
              and u.valid_at(day)]
    x, y = lonlat_to_xy(np.array([u.lon for u in chosen], dtype=float), np.array([u.lat for u in chosen], dtype=float))
    return Communes([u.code for u in chosen], [u.name for u in chosen], np.asarray(x), np.asarray(y))


def load_communes(db, day: date | None = None) -> Communes:
    """Commune centroids from the station's database (``console.store.db.Database``)."""
    from console.store import repo

    day = day or date.today()
    with db.sessions() as session:
        return communes_from_units(repo.load_units(session, at=day), day)
