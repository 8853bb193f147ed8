"""The fleet as numpy arrays for the map: positions, map status, filter visibility; and per-commune totals.

:class:`Markers` keeps one slot per device (ids in arrival order) and is updated only for the
devices a :class:`~console.fleet.state.DirtyTracker` reports, so a tick costs in proportion to what
changed. Drawing reads whole arrays (``points``, ``aggregate``), never per-device objects, which is
what keeps 10,000 devices smooth. Hit tests are vectorised too. Pure: no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from console.core.tiles import lonlat_to_xy
from console.fleet.state import DeviceState

# Map statuses, in drawing order (later ones are drawn on top: problems stay visible).
STATUSES = ("online", "playing", "pending", "fault", "offline")
ONLINE, PLAYING, PENDING, FAULT, OFFLINE = range(len(STATUSES))
# Which status colours a commune's marker: the most urgent one present.
URGENCY = (OFFLINE, FAULT, PENDING, PLAYING, ONLINE)


def map_status(d: DeviceState) -> int:
    """One status per device: pending (not adopted) first, then offline (or never heard), fault, playing."""
    if not d.adopted:
        return PENDING
    if d.state != "online":
        return OFFLINE
    if d.faulty:
        return FAULT
    if d.playing:
        return PLAYING
    return ONLINE


@dataclass
class Aggregates:
    """One marker per commune: position, totals per status (rows: communes, columns: STATUSES)."""

    keys: list[str]  # unit code, or "#<device id>" for a device with no unit
    x: np.ndarray
    y: np.ndarray
    counts: np.ndarray  # (n, len(STATUSES)) int
    worst: np.ndarray  # the most urgent status present

    @property
    def totals(self) -> np.ndarray:
        return self.counts.sum(axis=1)


class Markers:
    """Device positions and statuses in arrays.

    ``centroid(unit_code)`` places devices that have no coordinates; ``locate(x, y)`` names the
    commune of a device that has coordinates but no unit, so that it is counted there.
    """

    def __init__(self, centroid: Callable[[str], tuple[float, float] | None] = lambda code: None,
                 locate: Callable[[float, float], str | None] = lambda x, y: None) -> None:
        self.centroid = centroid
        self.locate = locate
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.units: list[str] = []  # group keys, see Aggregates.keys
        self._placed: list[tuple | None] = []  # per slot: the (lon, lat, unit) it was placed from
        self._unit_index: dict[str, int] = {}
        cap = 64
        self.x = np.full(cap, np.nan)
        self.y = np.full(cap, np.nan)
        self.status = np.zeros(cap, dtype=np.int8)
        self.unit = np.zeros(cap, dtype=np.int32)
        self.visible = np.ones(cap, dtype=bool)

    def __len__(self) -> int:
        return len(self.ids)

    def _grow(self, need: int) -> None:
        cap = len(self.x)
        if need <= cap:
            return
        new = max(need, cap * 2)
        for name, fill in (("x", np.nan), ("y", np.nan), ("status", 0), ("unit", 0), ("visible", True)):
            old = getattr(self, name)
            arr = np.full(new, fill, dtype=old.dtype)
            arr[:cap] = old
            setattr(self, name, arr)

    def _unit_of(self, key: str) -> int:
        i = self._unit_index.get(key)
        if i is None:
            i = self._unit_index[key] = len(self.units)
            self.units.append(key)
        return i

    def update(self, devices: dict[str, DeviceState], ids: Iterable[str]) -> None:
        """Read the given devices again (new ones get a slot; removed ones are hidden).

        A reconnect storm hands every device over at once, so the work per device is kept small: its
        status goes into a list written to the array in one go, and it is placed again (projection,
        commune) only when its coordinates or unit changed.
        """
        slots, statuses, moved, gone = [], [], [], []
        for dev_id in ids:
            d = devices.get(dev_id)
            i = self.index.get(dev_id)
            if i is None:
                if d is None:
                    continue
                i = self.index[dev_id] = len(self.ids)
                self.ids.append(dev_id)
                self._placed.append(None)
            if d is None:
                gone.append(i)
                continue
            slots.append(i)
            statuses.append(map_status(d))
            where = (d.lon, d.lat, d.unit_code)
            if self._placed[i] != where:
                self._placed[i] = where
                moved.append((i, d))
        self._grow(len(self.ids))
        self.status[slots] = statuses
        self.x[gone] = self.y[gone] = np.nan
        for i in gone:
            self._placed[i] = None
        if moved:
            self._place(moved)

    def _place(self, moved: list[tuple[int, DeviceState]]) -> None:
        """Positions (own coordinates, else the commune's centroid) and communes of the given slots."""
        own = [(i, d.lon, d.lat) for i, d in moved if d.lat is not None and d.lon is not None]
        if own:
            slots, lon, lat = zip(*own)
            x, y = lonlat_to_xy(np.array(lon, dtype=float), np.array(lat, dtype=float))
            self.x[list(slots)], self.y[list(slots)] = x, y
        for i, d in moved:
            if d.lat is None or d.lon is None:
                pos = self.centroid(d.unit_code) if d.unit_code else None
                self.x[i], self.y[i] = pos if pos is not None else (np.nan, np.nan)
            key = d.unit_code or (np.isfinite(self.x[i]) and self.locate(float(self.x[i]), float(self.y[i])))
            self.unit[i] = self._unit_of(key or "#" + d.id)

    def relocate(self, devices: dict[str, DeviceState]) -> None:
        """Place again the devices without coordinates or unit of their own (after centroids arrived)."""
        stale = [i for i in self.ids if (d := devices.get(i)) is not None
                 and (d.lat is None or d.lon is None or not d.unit_code)]
        for dev_id in stale:
            self._placed[self.index[dev_id]] = None
        self.update(devices, stale)

    def set_visible(self, accepts: Callable[[str], bool] | None) -> None:
        """Apply a filter to every device (None: all visible)."""
        n = len(self.ids)
        if accepts is None:
            self.visible[:n] = True
        else:
            self.visible[:n] = np.fromiter((accepts(i) for i in self.ids), dtype=bool, count=n)

    def shown(self) -> np.ndarray:
        """Indexes of the devices on the map: visible (filter) and placed."""
        n = len(self.ids)
        return np.flatnonzero(self.visible[:n] & np.isfinite(self.x[:n]))

    def points(self, status: int, shown: np.ndarray | None = None) -> np.ndarray:
        """Indexes of the shown devices with this status."""
        shown = self.shown() if shown is None else shown
        return shown[self.status[shown] == status]

    def counts(self, shown: np.ndarray | None = None) -> np.ndarray:
        """How many shown devices have each status."""
        shown = self.shown() if shown is None else shown
        return np.bincount(self.status[shown], minlength=len(STATUSES))

    def aggregate(self, shown: np.ndarray | None = None) -> Aggregates:
        """One marker per commune of the shown devices, at the commune's centroid (else at their mean)."""
        shown = self.shown() if shown is None else shown
        unit = self.unit[shown]
        used, inverse = np.unique(unit, return_inverse=True)
        n = len(used)
        counts = np.zeros((n, len(STATUSES)), dtype=np.int64)
        np.add.at(counts, (inverse, self.status[shown]), 1)
        totals = np.maximum(counts.sum(axis=1), 1)
        x = np.bincount(inverse, weights=self.x[shown], minlength=n) / totals
        y = np.bincount(inverse, weights=self.y[shown], minlength=n) / totals
        keys = [self.units[u] for u in used]
        for k, key in enumerate(keys):
            if not key.startswith("#") and (pos := self.centroid(key)) is not None:
                x[k], y[k] = pos
        worst = np.full(n, ONLINE, dtype=np.int8)
        for status in reversed(URGENCY):  # the most urgent last, so it wins
            worst[counts[:, status] > 0] = status
        return Aggregates(keys, x, y, counts, worst)

    def bounds(self, shown: np.ndarray | None = None) -> tuple[float, float, float, float] | None:
        shown = self.shown() if shown is None else shown
        if not len(shown):
            return None
        x, y = self.x[shown], self.y[shown]
        return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def nearest(x: np.ndarray, y: np.ndarray, px: float, py: float, m_per_px: float,
            radius_px: float | np.ndarray) -> int | None:
    """The index of the point nearest (px, py) within ``radius_px`` screen pixels (per point or one)."""
    if not len(x):
        return None
    d2 = ((x - px) ** 2 + (y - py) ** 2) / (m_per_px * m_per_px)
    d2 = np.where(d2 <= np.asarray(radius_px, dtype=float) ** 2, d2, np.inf)
    i = int(np.argmin(d2))
    return i if np.isfinite(d2[i]) else None
