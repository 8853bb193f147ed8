"""The Monitoring tab: fleet graphs, a cluster's history, alarms, what to fix first, availability."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, Signal
from PySide6.QtWidgets import QTabWidget

from console.ui.monitor.alarms import AlarmBadge, AlarmFeed, AlarmNotifier, AlarmsView
from console.ui.monitor.availability import AvailabilityView
from console.ui.monitor.fixfirst import FixFirstView
from console.ui.monitor.graphs import DeviceGraphs, FleetGraphs


class MonitorPanel(QTabWidget):
    """``monitor`` is the station's :class:`console.monitor.Monitor`; ``user`` acknowledges and resolves.
    ``badge`` (the alarm count) belongs in the window's status bar. ``deviceSelected(id)``: a cluster
    double-clicked in the alarms or the fix-first list."""

    deviceSelected = Signal(str)

    def __init__(self, monitor, state, user: str, settings: QSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.feed = AlarmFeed(monitor, self)
        self.notifier = AlarmNotifier(state, settings, self)
        self.fleet = FleetGraphs(monitor)
        self.device = DeviceGraphs(monitor, state)
        self.alarms = AlarmsView(monitor, state, user, self.notifier)
        self.fix_first = FixFirstView(monitor)
        self.availability = AvailabilityView(monitor)
        for page in (self.fleet, self.device, self.alarms, self.fix_first, self.availability):
            self.addTab(page, "")
        self.badge = AlarmBadge(monitor)
        self.badge.countsChanged.connect(lambda _c: self.retranslate())
        self.badge.clicked.connect(lambda: self.setCurrentWidget(self.alarms))
        self.feed.changed.connect(self.notifier.notify)
        self.feed.changed.connect(self.alarms.reload)
        self.feed.changed.connect(self.fix_first.reload)
        self.alarms.deviceSelected.connect(self.deviceSelected)
        self.fix_first.deviceSelected.connect(self.deviceSelected)
        self.retranslate()

    def set_device(self, dev_id: str) -> None:
        self.device.set_device(dev_id)

    def retranslate(self) -> None:
        self.setTabText(self.indexOf(self.fleet), self.tr("Fleet graphs"))
        self.setTabText(self.indexOf(self.device), self.tr("Cluster history"))
        n = (self.badge.counts or {}).get("open", 0)
        self.setTabText(self.indexOf(self.alarms), self.tr("Alarms ({n})").format(n=n) if n else self.tr("Alarms"))
        self.setTabText(self.indexOf(self.fix_first), self.tr("What to fix first"))
        self.setTabText(self.indexOf(self.availability), self.tr("Availability"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
