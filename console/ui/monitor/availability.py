"""Availability per commune or per group over 24 h / 7 days / 30 days: a table, and a chart of the worst
(``Monitor.availability_by``; for the province report later)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from console.ui import formatting as fmt
from console.ui.monitor import model
from console.ui.monitor.graphs import AXIS
from console.ui.monitor.loader import Loader
from console.ui.tasks import TaskManager

KINDS = ("unit", "group")
CHART_ROWS = 25  # the worst this many in the chart; all of them in the table
NAME_AXIS_PX = 170


class AvailabilityView(QWidget):
    loaded = Signal()

    def __init__(self, monitor, parent=None, refresh_ms: int = 300_000) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.rows: list[dict] | None = None
        self.tasks = TaskManager(self, workers=1)
        self.by_label, self.window_label = QLabel(), QLabel()
        self.kind = QComboBox()
        self.window = QComboBox()
        self.window.addItems([""] * len(model.WINDOWS))
        self.window.setCurrentIndex(model.WINDOWS.index("7d"))
        self.kind.addItems([""] * len(KINDS))
        for combo in (self.kind, self.window):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        self.table = QTableWidget(0, 6)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((190, 60, 64, 96, 110)):
            self.table.horizontalHeader().resizeSection(col, width)

        self.chart = pg.PlotWidget(background="w")
        plot = self.plot = self.chart.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.invertY(True)
        plot.setXRange(0, 100, padding=0.02)
        plot.showGrid(x=True, alpha=0.15)
        for name in ("left", "bottom"):
            plot.getAxis(name).setPen(AXIS)
            plot.getAxis(name).setTextPen(AXIS)
        plot.getAxis("left").setWidth(NAME_AXIS_PX)
        self.bars = pg.BarGraphItem(x0=0, y=[], height=0.7, width=[], pen=None)
        plot.addItem(self.bars)
        self.target = pg.InfiniteLine(model.AVAILABILITY_GOOD, angle=90,
                                      pen=pg.mkPen(AXIS, width=1, style=Qt.PenStyle.DashLine))
        plot.addItem(self.target)

        top = QHBoxLayout()
        for w in (self.by_label, self.kind, self.window_label, self.window):
            top.addWidget(w)
        top.addWidget(self.summary, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([520, 480])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        self.loader = Loader(self.tasks, self._key, self._read, self._show, view=self,
                             refresh_ms=refresh_ms, parent=self)
        self.retranslate()

    def reload(self, *_args) -> None:
        """Read again (only while shown: a hidden view reads when it is shown)."""
        self.loader.refresh()

    def _key(self):
        return KINDS[max(0, self.kind.currentIndex())], model.WINDOWS[max(0, self.window.currentIndex())]

    def _read(self, key):
        kind, window = key
        return self.monitor.availability_by(kind, window)

    def _show(self, rows: list[dict]) -> None:
        self.rows = rows
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            pct = r["availability"]
            cells = (r["name"] or r["key"] or self.tr("No commune"), r["key"], str(r["devices"]), model.percent(pct),
                     fmt.duration(r["online_s"]), fmt.duration(r["observed_s"]))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, col, item)
            self.table.item(i, 3).setForeground(model.availability_colour(pct))
        self.table.setUpdatesEnabled(True)
        watched = [r for r in rows if r["availability"] is not None][:CHART_ROWS]
        values = np.array([r["availability"] for r in watched], dtype=float)
        self.bars.setOpts(y=np.arange(len(watched)), width=values,
                          brushes=[pg.mkBrush(model.availability_colour(v)) for v in values])
        self.plot.getAxis("left").setTicks([[(i, r["name"] or r["key"]) for i, r in enumerate(watched)]])
        self.plot.setYRange(-0.6, max(len(watched), 8) - 0.4, padding=0)
        observed = sum(r["observed_s"] for r in rows)
        total = 100.0 * sum(r["online_s"] for r in rows) / observed if observed else None
        self.summary.setText(self.tr("{n} rows; all together {pct}. The chart shows the worst {k}.").format(
            n=len(rows), pct=model.percent(total), k=len(watched)))
        self.loaded.emit()

    def retranslate(self) -> None:
        self.by_label.setText(self.tr("Availability by"))
        self.kind.setItemText(0, self.tr("commune/ward"))
        self.kind.setItemText(1, self.tr("group"))
        self.window_label.setText(self.tr("over the last"))
        for i, w in enumerate(model.WINDOWS):
            self.window.setItemText(i, model.label(model.RANGE_LABELS, w))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Code"), self.tr("Clusters"),
                                              self.tr("Availability"), self.tr("Online"), self.tr("Watched")])
        self.plot.setLabel("bottom", self.tr("Availability (%), worst first; dashed: {pct} %").format(
            pct=fmt.number(model.AVAILABILITY_GOOD, 0)))
        if self.rows is not None:
            self._show(self.rows)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
