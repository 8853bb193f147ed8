"""The live map of the fleet (pyqtgraph): province outlines, commune centroids, optional tiles, markers.

Layers, bottom to top: tiles (console/ui/map/tiles.py, when a source is configured), the provinces
(one filled path) and their names, commune centroids (small dots), the devices as one
ScatterPlotItem per map status (console/map/markers.py), their count labels, the selection ring.

Updates are pulled, never pushed: a ``DirtyTracker`` is drained on a timer (2 Hz) into numpy arrays
and each scatter gets one ``setData``. Zoomed out (above :data:`AGGREGATE_M_PER_PX`), devices are
summed per commune: one marker per commune, coloured by its most urgent status, with the count
on it. Filters are the device table's: the map shows the rows its ``DeviceFilterProxy`` accepts.

Mouse: drag pans, the wheel zooms; hovering a marker shows a tooltip; a click selects a device
(``deviceClicked``) or zooms into a commune; a double-click opens the device (``deviceActivated``).
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Callable
from functools import cache, partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QPoint,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from console.core.tiles import HALF_WORLD_M, lonlat_to_xy
from console.fleet.state import FleetState
from console.map import geo
from console.map.markers import STATUSES, Markers, nearest
from console.map.tiles import TileSource
from console.ui import theme
from console.ui.map.tiles import TileLayer
from console.ui.models.device_table_model import DeviceTableModel, status_tooltip
from console.ui.tasks import TaskManager

log = logging.getLogger(__name__)

AGGREGATE_M_PER_PX = 30.0  # coarser than this, devices of a commune would overlap: sum them
COMMUNES_M_PER_PX = 1500.0  # commune dots only when closer than this (the whole country is a blur of them)
PROVINCE_NAMES_M_PER_PX = 120.0  # province names only when further than this
ZOOM_IN_M_PER_PX = 12.0  # a click on a commune zooms to this
DEVICE_PX = 11
RING_PX = 8  # the selection ring is this much bigger than the marker
HIT_SLOP_PX = 4
LABEL_PX = 11
VIETNAM = (102.1, 8.4, 109.5, 23.4)  # west, south, east, north (degrees): the mainland
VIETNAM_XY = (*(float(v) for v in lonlat_to_xy(VIETNAM[0], VIETNAM[1])),
              *(float(v) for v in lonlat_to_xy(VIETNAM[2], VIETNAM[3])))
CLIP_MARGIN = 0.5  # device mode: the scatters hold the devices of the view and this much of it around
FIT_MIN_M = 4000.0  # "show all" never zooms closer than this across
FIT_MARGIN_PX = 24  # room for the markers (they have a size in pixels) at the edges
BACKGROUND = "#e9eef2"
LAND, BORDER = QColor("#fbfaf6"), QColor("#a39a8c")

COLOURS = {"online": theme.ONLINE, "playing": theme.PLAYING, "pending": theme.PENDING,
           "fault": theme.FAULTY, "offline": theme.OFFLINE}
LABELS = {
    "online": QT_TRANSLATE_NOOP("MapView", "Online"),
    "playing": QT_TRANSLATE_NOOP("MapView", "Playing"),
    "pending": QT_TRANSLATE_NOOP("MapView", "Pending"),
    "fault": QT_TRANSLATE_NOOP("MapView", "Fault"),
    "offline": QT_TRANSLATE_NOOP("MapView", "Offline"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("MapView", text)


def _cosmetic(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    return pen


@cache
def text_symbol(text: str) -> tuple[QPainterPath, float]:
    """A scatter symbol that is the text itself, and the symbol size that makes it LABEL_PX tall.

    Count labels are then one more ScatterPlotItem, drawn by pyqtgraph's fast pixmap path.
    """
    font = QFont()
    font.setPixelSize(100)
    font.setBold(True)
    path = QPainterPath()
    path.addText(0, 0, font, text)
    box = path.boundingRect()
    side = max(box.width(), box.height())
    transform = QTransform().scale(1 / side, 1 / side).translate(-box.center().x(), -box.center().y())
    return transform.map(path), LABEL_PX * side / box.height()


def _load_geo(communes: Callable[[], geo.Communes] | None) -> tuple[geo.Provinces, geo.Communes, str]:
    """On a worker: the outlines, and the centroids if they can be had (the map is useful without them)."""
    provinces = geo.load_provinces()
    try:
        return provinces, communes() if communes else geo.Communes(), ""
    except Exception as e:  # noqa: BLE001 - a database problem: say so on the map, draw the rest
        log.warning("commune centroids: %s", e)
        return provinces, geo.Communes(), str(e)


def aggregate_px(total: np.ndarray) -> np.ndarray:
    """Marker diameter of a commune with ``total`` devices: grows with the log of the count."""
    return 16 + 4 * np.log2(np.maximum(total, 1))


class MapView(QWidget):
    """The fleet on a map. ``proxy`` is the device table's filter (None: every device).

    ``tiles`` is a tile source or None (the offline map); ``tiles_error`` says why tiles are off
    when they were asked for. ``communes`` loads commune centroids (on a worker), e.g.
    ``partial(geo.load_communes, db)``.
    """

    deviceClicked = Signal(str)
    deviceActivated = Signal(str)
    loaded = Signal()  # outlines and centroids are drawn

    def __init__(self, state: FleetState, proxy=None, tiles: TileSource | None = None,
                 communes: Callable[[], geo.Communes] | None = None, parent=None, interval_ms: int = 500,
                 tiles_error: str = "") -> None:
        super().__init__(parent)
        self._state = state
        self._tracker = state.tracker()
        self._proxy = proxy
        self._communes = geo.Communes()
        self.markers = Markers(self._communes.position)
        self._pending: set[str] = set()
        self._filter_dirty = True
        self._stale = True  # the scatters do not show the arrays yet
        self._aggregated: bool | None = None
        self._fitted = False
        self._user_moved = False  # until the user pans or zooms, the map keeps every device in view
        self._selected = ""
        self._hit: tuple | None = None  # what a mouse position can hit, see _redraw
        self._clip = (0.0, 0.0, 0.0, 0.0)  # the area whose devices the scatters hold (device mode)
        self._provinces: geo.Provinces | None = None
        self.is_loaded = False
        self._tiles_error = tiles_error
        self._communes_error = ""

        self.graphics = pg.GraphicsView(background=BACKGROUND)
        self.vb = vb = pg.ViewBox(lockAspect=True, enableMenu=False, invertY=False)
        vb.disableAutoRange()
        vb.setLimits(xMin=-HALF_WORLD_M, xMax=HALF_WORLD_M, yMin=-HALF_WORLD_M, yMax=HALF_WORLD_M,
                     minXRange=300.0, minYRange=300.0)
        self.graphics.setCentralItem(vb)
        self.graphics.setMouseTracking(True)
        self._province_item = QGraphicsPathItem()
        self._province_item.setZValue(-50)
        # Cached as pixels on screen: larger than the view, the cache is the view's size and a pan
        # scrolls it and paints only the strip uncovered (about a quarter less time per frame).
        self._province_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        vb.addItem(self._province_item)
        self._province_names: list[pg.TextItem] = []
        self._commune_dots = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush("#8d96a0"), hoverable=False)
        self._commune_dots.setZValue(-10)
        vb.addItem(self._commune_dots)
        self._scatters, self._labels = [], []  # per status: markers, and the counts on them
        self._drawn: list[tuple | None] = [None] * len(STATUSES)  # what each scatter shows (see _unchanged)
        # Scatters waiting for their data, by status (see _draw_next); a newer redraw replaces its own.
        self._draws: dict[int, Callable[[], None]] = {}
        self._styles = []  # per status: (pen, brush) of a device, then of a commune (which carries a count)
        for k, status in enumerate(STATUSES):
            colour = COLOURS[status]
            filled = (pg.mkPen(colour.darker(140), width=1), pg.mkBrush(colour))
            # A pending device is a ring, as in the table; a commune is always filled, so its count shows.
            device = (pg.mkPen(colour, width=2), pg.mkBrush("#ffffff")) if status == "pending" else filled
            self._styles.append((device, filled))
            item = pg.ScatterPlotItem(symbol="o", size=DEVICE_PX, hoverable=False, pen=device[0], brush=device[1])
            item.setZValue(10 + k)
            vb.addItem(item)
            self._scatters.append(item)
            labels = pg.ScatterPlotItem(pen=None, brush=pg.mkBrush("#ffffff"), hoverable=False)
            labels.setZValue(10.5 + k)  # right above its own markers, so overlapping communes stay legible
            vb.addItem(labels)
            self._labels.append(labels)
        self._ring = pg.ScatterPlotItem(symbol="o", pen=pg.mkPen("#111111", width=2.5), brush=None, hoverable=False)
        self._ring.setZValue(30)
        vb.addItem(self._ring)

        self.tile_layer = TileLayer(tiles, vb, self) if tiles is not None else None
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.fit_button = QPushButton()
        self.fit_button.clicked.connect(self.fit)
        self.attribution = QLabel(self.graphics)
        self.attribution.setTextFormat(Qt.TextFormat.RichText)
        self.attribution.setOpenExternalLinks(True)
        self.attribution.setStyleSheet("background: rgba(255,255,255,200); color: #333; padding: 1px 5px;"
                                       "font-size: 8pt;")
        self.graphics.installEventFilter(self)
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 6, 0)
        top.addWidget(self.legend, 1)
        top.addWidget(self.fit_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.graphics, 1)

        if proxy is not None:
            model = proxy.sourceModel()
            for sig in (proxy.rowsInserted, proxy.rowsRemoved, proxy.layoutChanged, proxy.modelReset,
                        model.rowsInserted):
                sig.connect(self._filter_changed)
        scene = self.graphics.scene()
        scene.sigMouseMoved.connect(self._hover)
        scene.sigMouseClicked.connect(self._clicked)
        self._view_timer = QTimer(self, singleShot=True, interval=60)  # coalesces range changes
        self._view_timer.timeout.connect(self._view_changed)
        vb.sigRangeChanged.connect(lambda *_: self._view_timer.start())
        vb.sigRangeChangedManually.connect(self._moved_by_user)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        if interval_ms:
            self._timer.start(interval_ms)
        self._tasks = TaskManager(self, workers=1)
        self._tasks.run(lambda _p, _c: _load_geo(communes), on_done=self._geo_loaded, on_error=self._geo_failed)
        self.retranslate()
        self._set_view(*VIETNAM_XY)

    # Geography ------------------------------------------------------------------------------------
    def _geo_loaded(self, result) -> None:
        provinces, communes, self._communes_error = result
        self._provinces = provinces
        path = pg.arrayToQPath(provinces.x, provinces.y, connect="finite")
        self._province_item.setPath(path)
        self._province_item.setPen(_cosmetic(BORDER, 1.0))
        self._province_item.setBrush(QBrush(LAND) if self.tile_layer is None else QBrush(Qt.BrushStyle.NoBrush))
        for name, x, y in zip(provinces.names, provinces.label_x, provinces.label_y):
            text = pg.TextItem(name, color="#7d7365", anchor=(0.5, 0.5))
            text.setPos(float(x), float(y))
            text.setZValue(-40)
            self.vb.addItem(text)
            self._province_names.append(text)
        self._set_communes(communes)
        self.is_loaded = True
        self._view_changed()
        self._update_attribution()
        self.loaded.emit()

    def _geo_failed(self, exc: BaseException) -> None:
        self.legend.setText(_t("The map data cannot be read: {error}").format(error=exc))

    def _set_communes(self, communes: geo.Communes) -> None:
        self._communes = communes
        self.markers.centroid, self.markers.locate = communes.position, communes.nearest
        self._commune_dots.setData(x=communes.x, y=communes.y)
        self.markers.relocate(self._state.devices)
        self._stale = True
        self.refresh()

    # Pulling from the fleet state -----------------------------------------------------------------
    def _filter_changed(self, *_args) -> None:
        self._filter_dirty = True

    def _accepts(self):
        """The table filter as a predicate on ids, or None when it lets every row through."""
        proxy = self._proxy
        if proxy is None:
            return None
        if not proxy.is_filtering():
            return None
        model: DeviceTableModel = proxy.sourceModel()
        row_of, key, accepts = model.row_of, model.filter_key, proxy.accepts

        def accepted(dev_id: str) -> bool:
            row = row_of(dev_id)
            return row is not None and accepts(key(row))
        return accepted

    def refresh(self) -> None:
        """Drain the tracker into the arrays; redraw if anything changed (and the map is visible)."""
        self._pending |= self._tracker.take()
        if not self.isVisible():
            return  # hidden: keep collecting, draw when shown
        if self._pending:
            known = len(self.markers)
            self.markers.update(self._state.devices, self._pending)
            self._pending = set()
            self._filter_dirty |= len(self.markers) != known
            self._stale = True
        if self._filter_dirty:
            self._filter_dirty = False
            self.markers.set_visible(self._accepts())
            self._stale = True
        if self._stale:
            self._redraw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.refresh)
        self._view_timer.start()  # tiles are asked for only while the map is seen

    # Drawing --------------------------------------------------------------------------------------
    def m_per_px(self) -> float:
        size = self.vb.viewPixelSize()[0]
        return size if math.isfinite(size) and size > 0 else 1000.0

    def _redraw(self) -> None:
        self._stale = False
        m = self.markers
        shown = m.shown()
        if not self._fitted and len(shown) and self.graphics.height() > 50:
            self._fitted = True
            self.fit()  # the first devices: show them (fit comes back here through the range change)
        aggregated = self.m_per_px() > AGGREGATE_M_PER_PX
        self._aggregated = aggregated
        if aggregated:
            agg = m.aggregate(shown)
            sizes = aggregate_px(agg.totals)
            for k in range(len(self._scatters)):
                rows = agg.worst == k
                x, y, totals = agg.x[rows], agg.y[rows], agg.totals[rows]
                if not self._unchanged(k, True, x, y, totals):
                    self._draws[k] = partial(self._draw_communes, k, x, y, sizes[rows], totals)
            self._hit = ("commune", agg.x, agg.y, sizes / 2 + HIT_SLOP_PX, agg)
        else:  # only what is in view, and half a view around it: panning redraws when it leaves that
            (west, east), (south, north) = self.vb.viewRange()
            mx, my = (east - west) * CLIP_MARGIN, (north - south) * CLIP_MARGIN
            self._clip = (west - mx, south - my, east + mx, north + my)
            x, y = m.x[shown], m.y[shown]
            shown = shown[(x >= west - mx) & (x <= east + mx) & (y >= south - my) & (y <= north + my)]
            for k in range(len(self._scatters)):
                idx = m.points(k, shown)
                x, y = m.x[idx], m.y[idx]
                if not self._unchanged(k, False, x, y):
                    self._draws[k] = partial(self._draw_devices, k, x, y)
            self._hit = ("device", m.x[shown], m.y[shown], DEVICE_PX / 2 + HIT_SLOP_PX, shown)
        self._draw_next()
        self._draw_ring()
        self._update_legend(m.counts())

    def drawing(self) -> bool:
        """Whether scatters are still to be given their new data (see _draw_next)."""
        return bool(self._draws)

    def _draw_next(self) -> None:
        """Give one scatter its data, and come back for the next once the event loop has run: a
        ``setData`` of thousands of points costs pyqtgraph 10-20 ms, five in a row would be one stall."""
        if self._draws:
            self._draws.pop(next(iter(self._draws)))()
        if self._draws:
            QTimer.singleShot(0, self, self._draw_next)  # not after the view is gone

    def _draw_communes(self, k: int, x, y, sizes, totals) -> None:
        pen, brush = self._styles[k][1]
        self._scatters[k].setData(x=x, y=y, size=sizes, pen=pen, brush=brush)
        symbols = [text_symbol(str(n)) for n in totals]
        self._labels[k].setData(x=x, y=y, symbol=[s[0] for s in symbols], size=[s[1] for s in symbols])

    def _draw_devices(self, k: int, x, y) -> None:
        pen, brush = self._styles[k][0]
        self._scatters[k].setData(x=x, y=y, size=DEVICE_PX, pen=pen, brush=brush)
        self._labels[k].setData(x=[], y=[])

    def _unchanged(self, k: int, aggregated: bool, *arrays: np.ndarray) -> bool:
        """Whether scatter ``k`` already shows these arrays; remembers them if not. A ``setData`` of
        thousands of points costs pyqtgraph 10-20 ms, and most ticks change one status or none."""
        drawn = self._drawn[k]
        if drawn is not None and drawn[0] == aggregated and all(
                np.array_equal(a, b) for a, b in zip(drawn[1], arrays, strict=True)):
            return True
        self._drawn[k] = (aggregated, tuple(a.copy() for a in arrays))
        return False

    def _draw_ring(self) -> None:
        i = self.markers.index.get(self._selected)
        if i is None or not np.isfinite(self.markers.x[i]) or not self.markers.visible[i]:
            self._ring.setData(x=[], y=[])
            return
        x, y, size = float(self.markers.x[i]), float(self.markers.y[i]), DEVICE_PX + RING_PX
        if self._aggregated and self._hit is not None:
            agg = self._hit[4]
            k = agg.keys.index(self.markers.units[self.markers.unit[i]])
            x, y, size = float(agg.x[k]), float(agg.y[k]), float(aggregate_px(agg.totals[k])) + RING_PX
        self._ring.setData(x=[x], y=[y], size=size)

    def _update_legend(self, counts: np.ndarray) -> None:
        parts = [theme.coloured_dot_html(COLOURS[s], f"{_t(LABELS[s])} {int(counts[k])}")
                 for k, s in enumerate(STATUSES)]
        shown, total = int(counts.sum()), len(self._state.devices)
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(parts) + "&nbsp;&nbsp;&nbsp;<span style='color:#6b7079'>"
                            + _t("{shown} of {total} clusters on the map").format(shown=shown, total=total)
                            + "</span>")

    def _view_changed(self) -> None:
        m_per_px = self.m_per_px()
        if (m_per_px > AGGREGATE_M_PER_PX) != self._aggregated or not self._aggregated and not self._in_clip():
            self._redraw()
        self._commune_dots.setVisible(m_per_px < COMMUNES_M_PER_PX)
        for text in self._province_names:
            text.setVisible(m_per_px > PROVINCE_NAMES_M_PER_PX)
        if self.tile_layer is not None and self.isVisible():
            (west, east), (south, north) = self.vb.viewRange()
            self.tile_layer.show(west, south, east, north, m_per_px)

    def _in_clip(self) -> bool:
        (west, east), (south, north) = self.vb.viewRange()
        c = self._clip
        return c[0] <= west and c[1] <= south and east <= c[2] and north <= c[3]

    def _set_view(self, west, south, east, north) -> None:
        self.vb.setRange(xRange=(float(west), float(east)), yRange=(float(south), float(north)), padding=0.0)

    def fit(self) -> None:
        """Show every device on the map (or Vietnam, when there are none), markers whole."""
        bounds = self.markers.bounds()
        if bounds is None:
            self._set_view(*VIETNAM_XY)
            return
        west, south, east, north = bounds
        w = max(self.graphics.width() - 2 * FIT_MARGIN_PX, 40)
        h = max(self.graphics.height() - 2 * FIT_MARGIN_PX, 40)
        m_per_px = max((east - west) / w, (north - south) / h, FIT_MIN_M / max(w, h))
        self._show_at((west + east) / 2, (south + north) / 2, m_per_px)

    def center_on(self, lon: float, lat: float, m_per_px: float) -> None:
        """Centre the map on a point at a scale (metres per screen pixel)."""
        x, y = lonlat_to_xy(lon, lat)
        self._zoom_to(float(x), float(y), m_per_px)

    def _moved_by_user(self, *_args) -> None:
        self._user_moved = True

    def _zoom_to(self, x: float, y: float, m_per_px: float) -> None:
        self._user_moved = True
        self._show_at(x, y, m_per_px)

    def _show_at(self, x: float, y: float, m_per_px: float) -> None:
        w, h = max(self.graphics.width(), 1), max(self.graphics.height(), 1)
        self._set_view(x - w * m_per_px / 2, y - h * m_per_px / 2, x + w * m_per_px / 2, y + h * m_per_px / 2)

    # Selection ------------------------------------------------------------------------------------
    def select_device(self, dev_id: str) -> None:
        """Ring a device (the table's selection); pan to it if it is off screen."""
        self._selected = dev_id or ""
        self._draw_ring()
        i = self.markers.index.get(self._selected)
        if i is None or not np.isfinite(self.markers.x[i]):
            return
        x, y = float(self.markers.x[i]), float(self.markers.y[i])
        (west, east), (south, north) = self.vb.viewRange()
        if not (west <= x <= east and south <= y <= north):
            self._user_moved = True
            self.vb.translateBy(x=x - (west + east) / 2, y=y - (south + north) / 2)

    def selected_device(self) -> str:
        return self._selected

    def view_pos_of(self, dev_id: str) -> QPoint | None:
        """Where a device's marker is, in ``self.graphics`` viewport pixels (None: not on the map)."""
        i = self.markers.index.get(dev_id)
        if i is None or not np.isfinite(self.markers.x[i]):
            return None
        scene = self.vb.mapViewToScene(QPointF(float(self.markers.x[i]), float(self.markers.y[i])))
        return self.graphics.mapFromScene(scene)

    # Mouse ----------------------------------------------------------------------------------------
    def _target(self, scene_pos) -> tuple[str, int] | None:
        """("device", marker index) or ("commune", aggregate row) under a scene position."""
        if self._hit is None:
            return None
        kind, xs, ys, radius, payload = self._hit
        p = self.vb.mapSceneToView(scene_pos)
        k = nearest(xs, ys, p.x(), p.y(), self.m_per_px(), radius)
        if k is None:
            return None
        return (kind, int(payload[k])) if kind == "device" else (kind, k)

    def _hover(self, scene_pos) -> None:
        target = self._target(scene_pos)
        text = ""
        if target is not None and target[0] == "device":
            text = self._device_tip(self.markers.ids[target[1]])
        elif target is not None:
            text = self._commune_tip(target[1])
        elif self._commune_dots.isVisible() and len(self._communes):
            p = self.vb.mapSceneToView(scene_pos)
            k = nearest(self._communes.x, self._communes.y, p.x(), p.y(), self.m_per_px(), 5)
            text = self._communes.names[k] if k is not None else ""
        if text:
            QToolTip.showText(QCursor.pos(), text, self.graphics)
        else:
            QToolTip.hideText()
        self.graphics.setCursor(Qt.CursorShape.PointingHandCursor if target else Qt.CursorShape.ArrowCursor)

    def _device_tip(self, dev_id: str) -> str:
        d = self._state.devices.get(dev_id)
        if d is None:
            return dev_id
        lines = [f"{d.name} — {d.id}" if d.name else d.id]
        if d.unit_name or d.unit_code:
            lines.append(d.unit_name or d.unit_code)
        lines.append(status_tooltip(d))
        if d.playing:
            lines.append(_t("Playing: {item}").format(item=d.playing))
        if d.faulty:
            lines.append(_t("Faults: {faults}").format(faults=DeviceTableModel._faults_text(d)))
        return "\n".join(lines)

    def _commune_tip(self, row: int) -> str:
        agg = self._hit[4]
        key = agg.keys[row]
        name = self._communes.name(key) or self._unit_name(key)
        total = int(agg.totals[row])
        lines = [_t("{name}: {n} clusters").format(name=name, n=total)]
        lines += [f"  {_t(LABELS[s])}: {int(agg.counts[row, k])}" for k, s in enumerate(STATUSES)
                  if agg.counts[row, k]]
        lines.append(_t("Click to zoom in"))
        return "\n".join(lines)

    def _unit_name(self, key: str) -> str:
        """A unit's name as the devices report it (when the centroids do not know the code)."""
        m = self.markers
        if key.startswith("#"):
            d = self._state.devices.get(key[1:])
            return (d.name or d.id) if d else key[1:]
        for i, dev_id in enumerate(m.ids):
            if m.units[m.unit[i]] == key and (d := self._state.devices.get(dev_id)) is not None:
                return d.unit_name or key
        return key

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        target = self._target(ev.scenePos())
        if target is None:
            return
        kind, k = target
        if kind == "device":
            dev_id = self.markers.ids[k]
            self._selected = dev_id
            self._draw_ring()
            self.deviceClicked.emit(dev_id)
            if ev.double():
                self.deviceActivated.emit(dev_id)
        else:
            agg = self._hit[4]
            self._zoom_to(float(agg.x[k]), float(agg.y[k]), ZOOM_IN_M_PER_PX)
        ev.accept()

    # Texts ----------------------------------------------------------------------------------------
    def _update_attribution(self) -> None:
        parts = []
        if self.tile_layer is not None:
            src = self.tile_layer.source
            text = html.escape(src.attribution)
            parts.append(f'<a href="{html.escape(src.attribution_url)}">{text}</a>' if src.attribution_url else text)
        if self._provinces is not None:
            parts.append(self.tr('Province outlines: <a href="https://opendevelopmentmekong.net/">Open Development '
                                 'Mekong</a>, <a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>'))
        if self._communes_error:
            parts.append("<span style='color:#b85c00'>" + self.tr("No commune centroids: {error}").format(
                error=html.escape(self._communes_error)) + "</span>")
        if self._tiles_error:
            parts.append("<span style='color:#b85c00'>" + self.tr("No tiles: {error}").format(
                error=html.escape(self._tiles_error)) + "</span>")
        self.attribution.setText(" · ".join(parts))
        self._place_attribution()

    def _place_attribution(self) -> None:
        label = self.attribution
        label.adjustSize()
        label.setVisible(bool(label.text()))
        label.move(max(0, self.graphics.width() - label.width()), max(0, self.graphics.height() - label.height()))

    def eventFilter(self, obj, event) -> bool:
        if obj is self.graphics and event.type() == QEvent.Type.Resize:
            self._place_attribution()
            if self._fitted and not self._user_moved:
                QTimer.singleShot(0, self.fit)
        return super().eventFilter(obj, event)

    def retranslate(self) -> None:
        self.fit_button.setText(self.tr("Show all"))
        self.fit_button.setToolTip(self.tr("Zoom to every cluster the filters show"))
        self._update_attribution()
        if self.is_loaded:
            self._update_legend(self.markers.counts())

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def shutdown(self) -> None:
        self._timer.stop()
        self._draws.clear()
        self._tasks.shutdown()
        if self.tile_layer is not None:
            self.tile_layer.shutdown()

