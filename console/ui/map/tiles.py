"""Tiles under the map: fetched on worker threads for what is on screen, drawn as pyqtgraph ImageItems.

``show(view rectangle, metres per pixel)`` picks the zoom whose tile pixels are nearest to screen
pixels, asks the source (console/map/tiles.py) for the missing tiles of the view on two workers (the
OpenStreetMap policy's limit of connections), decodes each image on its worker and hands an RGBA
array to the GUI thread. A request whose tile has left the view before a worker reaches it is
skipped. Tiles of the previous zoom stay under the new ones until the view is complete.
"""

from __future__ import annotations

import time
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QImage

from console.core.tiles import Tile, tile_bounds, tiles_in_view, zoom_for
from console.map.tiles import TileSource
from console.ui.tasks import TaskManager

TILE_Z = -100  # under everything else of the map
MAX_TILES = 96  # per view: a big screen at the chosen zoom needs ~70
KEEP_TILES = 256  # decoded tiles kept around (for panning back), beyond those in view
RETRY_MISSING_S = 60.0  # a tile that could not be had is asked for again after this
WORKERS = 2
SKIPPED = object()


def decode(data: bytes | None) -> np.ndarray | None:
    """An encoded tile -> RGBA rows, south row first (the map's y axis points north)."""
    if not data:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    return np.ascontiguousarray(rows.reshape(h, image.bytesPerLine())[::-1, : w * 4].reshape(h, w, 4))


class TileLayer(QObject):
    """The tiles of one source in a ViewBox."""

    loaded = Signal(object)  # a Tile is now shown

    def __init__(self, source: TileSource, view_box: pg.ViewBox, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._vb = view_box
        self._tasks = TaskManager(self, workers=WORKERS)
        self.items: dict[Tile, pg.ImageItem] = {}
        self._wanted: frozenset[Tile] = frozenset()  # read by the workers: replaced, never changed
        self._inflight: set[Tile] = set()
        self._missing: dict[Tile, float] = {}  # tile -> when the source had none
        self.zoom: int | None = None

    def show(self, west: float, south: float, east: float, north: float, m_per_px: float) -> None:
        src = self.source
        z = zoom_for(m_per_px, min_zoom=src.min_zoom, max_zoom=src.max_zoom)
        wanted = tiles_in_view(west, south, east, north, z)[:MAX_TILES]
        self._wanted = frozenset(wanted)
        if z != self.zoom:
            self.zoom = z
            for tile, item in self.items.items():
                item.setZValue(TILE_Z + (tile.z == z))
        now = time.monotonic()
        for tile in wanted:
            if tile in self.items or tile in self._inflight or now - self._missing.get(tile, -1e9) < RETRY_MISSING_S:
                continue
            self._inflight.add(tile)
            self._tasks.run(partial(self._fetch, tile), on_done=partial(self._arrived, tile),
                            on_error=partial(self._failed, tile))
        self._prune()

    def _fetch(self, tile: Tile, _progress, cancel):  # on a worker
        if tile not in self._wanted or cancel.is_set():
            return SKIPPED
        return decode(self.source.get(tile))

    def _arrived(self, tile: Tile, image) -> None:
        self._inflight.discard(tile)
        if image is SKIPPED:
            return
        if image is None:
            self._missing[tile] = time.monotonic()
            self._prune()
            return
        self._missing.pop(tile, None)
        item = pg.ImageItem(image, axisOrder="row-major", levels=(0, 255))
        west, south, east, north = tile_bounds(tile)
        item.setRect(QRectF(west, south, east - west, north - south))
        item.setZValue(TILE_Z + (tile.z == self.zoom))
        self._vb.addItem(item)
        self.items[tile] = item
        self._prune()
        self.loaded.emit(tile)

    def _failed(self, tile: Tile, _exc: BaseException) -> None:
        self._arrived(tile, None)

    def _prune(self) -> None:
        """Drop tiles out of view once the view is complete (or when too many are kept)."""
        wanted = self._wanted
        complete = not any(t in self._inflight for t in wanted)
        extra = [t for t in self.items if t not in wanted]
        if complete:
            drop = [t for t in extra if t.z != self.zoom] + [t for t in extra if t.z == self.zoom][:-KEEP_TILES or None]
        else:
            drop = extra[:max(0, len(self.items) - len(wanted) - KEEP_TILES)]
        for tile in drop:
            self._vb.removeItem(self.items.pop(tile))

    def complete(self) -> bool:
        """Every tile of the view is shown or known to be missing."""
        return all(t in self.items or t in self._missing for t in self._wanted)

    def shutdown(self) -> None:
        self._tasks.shutdown()
        self.source.close()
