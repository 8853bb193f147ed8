"""What to fix first: the offline clusters by impact (people served × hours down), grouped by commune,
exportable to CSV or XLSX to take on the road (``Monitor.fix_first`` / ``export_fix_first``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from console.ui import formatting as fmt
from console.ui import theme
from console.ui.monitor import model
from console.ui.monitor.loader import Loader
from console.ui.tasks import TaskManager

DEVICE_ROLE = Qt.ItemDataRole.UserRole


def export_label(text: str) -> str:
    """The export's column labels are marked in the "Monitor" context (console/monitor/availability.py).
    Thread-safe: the export runs on a worker."""
    return QCoreApplication.translate("Monitor", text)


def export_code(kind: str, code: str) -> str:
    """An offline reason, alarm rule or fault in words, for the export (thread-safe too)."""
    if kind == "alarm":
        return model.label(model.RULES, code)
    return fmt.label(fmt.OFFLINE_REASONS if kind == "reason" else fmt.FAULTS, code)


class FixFirstView(QWidget):
    deviceSelected = Signal(str)
    loaded = Signal()
    exported = Signal(str, int)  # path, rows written

    def __init__(self, monitor, parent=None, refresh_ms: int = 30_000) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.groups: list[dict] | None = None  # None until read
        self.tasks = TaskManager(self, workers=1)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._ask_export)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(7)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.message)
        self.loader = Loader(self.tasks, lambda: 0, lambda _k: self.monitor.fix_first(), self._show, view=self,
                             refresh_ms=refresh_ms, parent=self)
        self.retranslate()

    def reload(self, *_args) -> None:
        """Read again (only while shown: a hidden view reads when it is shown)."""
        self.loader.refresh()

    def _show(self, groups: list[dict]) -> None:
        self.groups = groups
        chosen = self.tree.currentItem().data(0, DEVICE_ROLE) if self.tree.currentItem() else None
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        rank = 0
        for g in groups:
            name = g["unit_name"] or g["unit"] or self.tr("No commune")
            top = QTreeWidgetItem([self.tr("{commune} · {n} offline").format(commune=name, n=len(g["devices"])),
                                   "", "", fmt.number(g["people"], 0), fmt.number(g["impact"], 0), "", ""])
            font = top.font(0)
            font.setBold(True)
            for col in range(7):
                top.setFont(col, font)
            for r in g["devices"]:
                rank += 1
                alarms = ", ".join(model.label(model.RULES, a) for a in r["alarms"]) or ", ".join(
                    fmt.label(fmt.FAULTS, f) for f in r["faults"])
                cluster = f"{r['name']} · {r['device']}" if r["name"] else r["device"]
                item = QTreeWidgetItem(top, [
                    f"{rank}. {cluster}", fmt.clock(r["down_since"]), fmt.number(r["down_h"]),
                    fmt.number(r["people"], 0), fmt.number(r["impact"], 0),
                    fmt.label(fmt.OFFLINE_REASONS, r["reason"]), alarms])
                item.setData(0, DEVICE_ROLE, r["device"])
                item.setForeground(2, theme.OFFLINE if r["down_h"] >= 24 else theme.WARNING)
                if r["device"] == chosen:
                    self.tree.setCurrentItem(item)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        self.tree.setUpdatesEnabled(True)
        people = sum(g["people"] for g in groups)
        if groups:
            text = self.tr("Offline clusters: <b>{n}</b> · communes: <b>{units}</b> · people without their "
                           "loudspeakers: about <b>{people}</b>. Highest impact (people × hours down) first.")
            self.summary.setText(text.format(n=rank, units=len(groups), people=fmt.number(people, 0)))
        else:
            self.summary.setText(self.tr("Every cluster is online: nothing to fix."))
        self.export_button.setEnabled(bool(groups))
        self.loaded.emit()

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        dev = item.data(0, DEVICE_ROLE)
        if dev:
            self.deviceSelected.emit(dev)

    # Export ---------------------------------------------------------------------------------------
    def _ask_export(self) -> None:
        name = f"fix-first-{datetime.now():%Y%m%d-%H%M}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Export the list"), str(Path.home() / name),
                                                    self.tr("Excel workbook (*.xlsx);;CSV, comma-separated (*.csv)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        """Write the list to ``path`` (.csv or .xlsx) on a worker; ``exported(path, rows)`` when done."""
        path = str(path)
        self.message.setText(self.tr("Exporting…"))
        self.tasks.run(lambda _p, _c: self.monitor.export_fix_first(path, translate=export_label, describe=export_code),
                       on_done=lambda rows: self._exported(path, rows), on_error=self._export_failed)

    def _exported(self, path: str, rows: int) -> None:
        self.message.setText(self.tr("{n} clusters written to {path}").format(n=rows, path=path))
        self.exported.emit(path, rows)

    def _export_failed(self, exc: BaseException) -> None:
        self.message.setText(self.tr("The list could not be exported: {error}").format(error=exc))

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr("Commune / cluster"), self.tr("Offline since"), self.tr("Hours down"),
                                   self.tr("People served"), self.tr("Impact"), self.tr("Reason"), self.tr("Alarms")])
        self.tree.header().resizeSection(0, 300)
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the list as an Excel workbook or a CSV file, to take on the road"))
        if self.groups is not None:
            self._show(self.groups)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
