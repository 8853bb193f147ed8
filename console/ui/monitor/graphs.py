"""Status graphs: the fleet's history and one cluster's, over 1 h, 24 h, 7 days or 30 days.

pyqtgraph's fast paths: every plot item is created once and gets ``setData`` when a read finishes;
reads run on a worker (``Loader``) when the view is shown, when the range or device changes, and
every ``refresh_ms`` while it is visible (the rollups gain a bucket a minute), never per MQTT message;
curves are clipped to the view and downsampled (peak) when there are more points than pixels.
Curves are drawn with 1-pixel pens and the plots have no grid: measured with a day of minute rows,
wider pens took the fleet graphs' repaint from 8 to 15 ms, and pyqtgraph's grid from 15 to 55 ms.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from console.monitor.rollup import RANGES_MS
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.monitor import model
from console.ui.monitor.loader import Loader
from console.ui.tasks import TaskManager

AXIS = QColor("#5f646d")
STATUS_COLOURS = {"online": theme.ONLINE, "offline": theme.OFFLINE, "unknown": theme.UNKNOWN,
                  "playing": theme.PLAYING, "faulty": theme.FAULTY, "pending": theme.PENDING}
METRIC_COLOURS = ("#1f6fb2", "#c2410c", "#7b3fc4", "#2e7d32", "#8a6d00", "#0f766e")
EVENT_STYLES = {"trouble": ("t1", theme.OFFLINE, 11), "cleared": ("t", theme.ONLINE, 11),  # t1: ▲, t: ▼
                "play": ("o", theme.PENDING, 6), "other": ("d", theme.UNKNOWN, 7)}
LEFT_AXIS_PX = 58  # the same for every plot, so that their time axes line up
DEFAULT_BUCKET_S = 900


# pyqtgraph's date formats with English names, and what the axis shows instead.
NUMERIC_DATES = {"%a %d": "%d/%m", "%d": "%d/%m", "%b": "%m/%Y"}


class TimeAxis(pg.DateAxisItem):
    """Local time, with dates as numbers (26/11) rather than English day and month names."""

    def tickStrings(self, values, scale, spacing):
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        numeric = NUMERIC_DATES.get(spec.format) if spec is not None else None
        if numeric is None:
            return super().tickStrings(values, scale, spacing)
        return [datetime.fromtimestamp(v).strftime(numeric) for v in values]


def time_plot(values_on_time_axis: bool = True) -> pg.PlotItem:
    """A plot over time with the fast paths on; x is epoch seconds shown in local time."""
    plot = pg.PlotItem(axisItems={"bottom": TimeAxis(orientation="bottom")})
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMouseEnabled(x=True, y=False)
    plot.setClipToView(True)
    plot.setDownsampling(auto=True, mode="peak")
    plot.setAutoVisible(y=True)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(AXIS)
        axis.setTextPen(AXIS)
    plot.getAxis("left").setWidth(LEFT_AXIS_PX)
    if not values_on_time_axis:
        plot.getAxis("bottom").setStyle(showValues=False)
        plot.getAxis("bottom").setHeight(6)
    return plot


def set_title(plot: pg.PlotItem, text: str) -> None:
    plot.setTitle(text, size="9pt", color="#30343b", justify="left")


class RangeBar(QWidget):
    """Buttons for 1 h / 24 h / 7 days / 30 days; ``changed(range)``."""

    changed = Signal(str)

    def __init__(self, current: str = "24h", parent=None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        for r in model.RANGES:
            b = self.buttons[r] = QToolButton()
            b.setCheckable(True)
            b.setChecked(r == current)
            self.group.addButton(b)
            lay.addWidget(b)
            b.clicked.connect(lambda _checked=False, r=r: self.changed.emit(r))
        self.retranslate()

    def value(self) -> str:
        return next(r for r, b in self.buttons.items() if b.isChecked())

    def set_value(self, range_: str) -> None:
        if range_ != self.value():
            self.buttons[range_].setChecked(True)
            self.changed.emit(range_)

    def retranslate(self) -> None:
        for r, b in self.buttons.items():
            b.setText(model.label(model.RANGE_LABELS, r))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class TimeGraphs(QWidget):
    """Plots stacked on one time axis, read on a worker. Subclasses give ``_key()``, ``_read(key)``
    and ``apply(data)``; ``loaded`` is emitted after data was applied."""

    loaded = Signal()

    def __init__(self, monitor, parent=None, refresh_ms: int = 30_000) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.tasks = TaskManager(self, workers=1)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: 600;")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.range_bar = RangeBar()
        self.range_bar.changed.connect(self._range_changed)
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setBackground("w")
        self.canvas.ci.setSpacing(0)
        self.plots: list[pg.PlotItem] = []
        self._latest: dict[str, float | None] = {}  # the last value of each curve, shown in the titles
        self._follow = True  # keep the x range on the chosen range until the user pans or zooms
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.range_bar)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 0)
        lay.addLayout(top)
        lay.addWidget(self.canvas, 1)
        self.loader = Loader(self.tasks, self._key, self._read, self._loaded, view=self, refresh_ms=refresh_ms,
                             parent=self)

    def add_plot(self, values_on_time_axis: bool = False, height: int | None = None) -> pg.PlotItem:
        plot = time_plot(values_on_time_axis)
        if self.plots:
            plot.setXLink(self.plots[0])
        plot.getViewBox().sigRangeChangedManually.connect(self._user_moved)
        if height:
            plot.setMaximumHeight(height)
        self.canvas.addItem(plot, row=len(self.plots), col=0)
        self.plots.append(plot)
        return plot

    def reload(self) -> None:
        """Read again (only while shown: a hidden view reads when it is shown)."""
        self.loader.refresh()

    @property
    def range(self) -> str:
        return self.range_bar.value()

    def _range_changed(self, _range: str) -> None:
        self._follow = True
        self.reload()

    def _user_moved(self, *_args) -> None:
        self._follow = False

    def _loaded(self, data) -> None:
        self.apply(data)
        if self._follow and self.plots:
            now = self.monitor.now() / 1000
            self.plots[0].setXRange(now - RANGES_MS[self.range] / 1000, now, padding=0.01)
        self.loaded.emit()

    def _figure(self, title: str, key: str, decimals: int = 0, unit: str = "") -> str:
        """A plot's title with the latest value of its curve."""
        value = self._latest.get(key)
        return title if value is None else f"{title}: <b>{fmt.number(value, decimals)}{unit}</b>"

    def _key(self):
        raise NotImplementedError

    def _read(self, key):
        raise NotImplementedError

    def apply(self, data) -> None:
        raise NotImplementedError

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


class FleetGraphs(TimeGraphs):
    """The fleet: online %, counts per status, message rate, open alarms."""

    def __init__(self, monitor, parent=None, refresh_ms: int = 30_000) -> None:
        super().__init__(monitor, parent, refresh_ms)
        self.online_plot = self.add_plot()
        self.online_plot.setLimits(yMin=0, yMax=101)
        self.counts_plot = self.add_plot()
        self.msgs_plot = self.add_plot()
        self.alarms_plot = self.add_plot(values_on_time_axis=True)
        self.alarms_plot.setLimits(yMin=0)
        self.curves = {"online_pct": self.online_plot.plot(pen=pg.mkPen(theme.ONLINE), connect="finite")}
        for status, colour in STATUS_COLOURS.items():
            self.curves[status] = self.counts_plot.plot(pen=pg.mkPen(colour), connect="finite")
        self.curves["msgs_per_min"] = self.msgs_plot.plot(pen=pg.mkPen("#1f6fb2"), connect="finite")
        self.curves["alarms"] = self.alarms_plot.plot(pen=pg.mkPen(theme.WARNING), connect="finite",
                                                      fillLevel=0, brush=pg.mkBrush(184, 92, 0, 40))
        self.retranslate()

    def _key(self):
        return self.range

    def _read(self, range_: str):
        return self.monitor.fleet_series(range_)

    def apply(self, series: dict[str, np.ndarray]) -> None:
        for key, (x, y) in model.fleet_curves(series).items():
            self.curves[key].setData(x, y)
            self._latest[key] = model.latest(x, y)
        self.retranslate()

    def retranslate(self) -> None:
        self.range_bar.retranslate()
        self.heading.setText(self.tr("The fleet over time"))
        set_title(self.online_plot, self._figure(self.tr("Clusters online"), "online_pct", 1, " %"))
        set_title(self.msgs_plot, self._figure(self.tr("Messages per minute"), "msgs_per_min"))
        set_title(self.alarms_plot, self._figure(self.tr("Open alarms"), "alarms"))
        names = {"online": fmt.label(fmt.PRESENCE, "online"), "offline": fmt.label(fmt.PRESENCE, "offline"),
                 "unknown": fmt.label(fmt.PRESENCE, "unknown"), "playing": self.tr("Playing"),
                 "faulty": self.tr("Faulty"), "pending": self.tr("Pending")}
        legend = "&nbsp;&nbsp;".join(theme.coloured_dot_html(colour, names[status])
                                     for status, colour in STATUS_COLOURS.items())
        title = self.tr("Clusters by status")  # outside the f-string, where lupdate finds it
        set_title(self.counts_plot, f"{title}&nbsp;&nbsp;&nbsp;{legend}")


class DeviceGraphs(TimeGraphs):
    """One cluster: online/offline bands with its events, then its telemetry (min–max band and mean
    per bucket). ``set_device(id)`` follows the selection."""

    def __init__(self, monitor, state, parent=None, refresh_ms: int = 30_000) -> None:
        super().__init__(monitor, parent, refresh_ms)
        self.state = state
        self.device_id = ""
        self.strip = self.add_plot(height=64)
        self.strip.setYRange(0, 1, padding=0.05)
        self.strip.setAutoVisible(y=False)
        self.strip.enableAutoRange(axis="y", enable=False)
        self.strip.getAxis("left").setStyle(showValues=False)
        self.strip.getAxis("left").setTicks([[]])
        self.bands = pg.BarGraphItem(x0=[], x1=[], y0=0.15, height=0.7, pen=None, brush=theme.UNKNOWN)
        self.strip.addItem(self.bands)
        self.events = {}
        for kind, (symbol, colour, size) in EVENT_STYLES.items():
            item = pg.ScatterPlotItem(symbol=symbol, size=size, pen=pg.mkPen(QColor(colour).darker(140)),
                                      brush=pg.mkBrush(colour), hoverable=True, tip=lambda x, y, data: data)
            item.setZValue(5)
            self.strip.addItem(item)
            self.events[kind] = item
        self.metric_plots, self.ranges, self.means = {}, {}, {}
        for i, (metric, _title, _unit) in enumerate(model.METRICS):
            plot = self.metric_plots[metric] = self.add_plot(values_on_time_axis=i == len(model.METRICS) - 1)
            colour = QColor(METRIC_COLOURS[i])
            band = QColor(colour)
            band.setAlpha(55)
            self.ranges[metric] = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=None, brush=band)
            plot.addItem(self.ranges[metric])
            self.means[metric] = plot.plot(pen=pg.mkPen(colour), connect="finite")
        self.retranslate()

    def set_device(self, dev_id: str) -> None:
        if dev_id != self.device_id:
            self.device_id = dev_id
            self._latest = {}
            self.retranslate()
            self.reload()

    def _key(self):
        return (self.device_id, self.range) if self.device_id else None

    def _read(self, key):
        dev, range_ = key
        return model.read_device(self.monitor, dev, range_)

    def apply(self, data: dict) -> None:
        x0, x1, online = model.band_bars(data["bands"])
        brushes = [pg.mkBrush(theme.ONLINE if on else theme.OFFLINE) for on in online]
        self.bands.setOpts(x0=x0, x1=x1, brushes=brushes)
        for kind, (x, tips) in model.event_points(data["events"]).items():
            self.events[kind].setData(x=x, y=np.full(len(x), 0.5), data=tips)
        series = data["series"]
        t = model.seconds(series["t"])
        width = float(np.min(np.diff(t))) if len(t) > 1 else DEFAULT_BUCKET_S
        for metric, _title, _unit in model.METRICS:
            x, lo, mean, hi = model.metric_curves(series, metric)
            known = np.isfinite(lo) & np.isfinite(hi)
            self.ranges[metric].setOpts(x0=x[known], x1=x[known] + width, y0=lo[known], y1=hi[known])
            self.means[metric].setData(x + width / 2, mean)
            self._latest[metric] = model.latest(x, mean)
        self.retranslate()

    def retranslate(self) -> None:
        self.range_bar.retranslate()
        d = self.state.get(self.device_id) if self.device_id else None
        if d is None:
            self.heading.setText(self.tr("Select a loudspeaker cluster to see its history."))
        else:
            self.heading.setText(self.tr("History of {name}").format(name=f"{d.name} · {d.id}" if d.name else d.id))
        set_title(self.strip, self.tr("Online (green) / offline (red), and events: ▲ trouble, ▼ cleared, "
                                      "● playback"))
        for metric, title, unit in model.METRICS:
            decimals = 0 if metric in ("rssi", "vol", "clock_offset_ms") else 1
            set_title(self.metric_plots[metric], self._figure(f"{model.translated(title)} ({unit})", metric, decimals))
