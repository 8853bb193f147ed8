"""Fleet counts, broker connection and rejected messages, refreshed once a second."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from console.fleet.service import FleetService
from console.fleet.state import FleetCounts
from console.ui import formatting as fmt
from console.ui import theme

COUNT_COLOURS = {"online": theme.ONLINE, "offline": theme.OFFLINE, "pending": theme.PENDING,
                 "faulty": theme.FAULTY}


class FleetStatusBar(QStatusBar):
    def __init__(self, fleet: FleetService, broker_url: str, parent=None, interval_ms: int = 1000):
        super().__init__(parent)
        self._fleet = fleet
        self._broker_url = broker_url
        self._counts = FleetCounts(fleet.state)
        self.counts = {key: QLabel() for key in (*COUNT_COLOURS, "total")}
        self.broker = QLabel()
        self.rejected = QLabel()
        for label in (*self.counts.values(), self.broker, self.rejected):
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(6, 0, 6, 0)
            self.addPermanentWidget(label)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(interval_ms)
        self.refresh()

    def refresh(self) -> None:
        c = self._counts.update()
        names = {"online": self.tr("Online"), "offline": self.tr("Offline"), "pending": self.tr("Pending"),
                 "faulty": self.tr("Faulty")}
        for key, colour in COUNT_COLOURS.items():
            self.counts[key].setText(theme.coloured_dot_html(colour, f"{names[key]}: <b>{c[key]}</b>"))
        self.counts["total"].setText(self.tr("Total: <b>{n}</b>").format(n=c["total"]))
        self.counts["online"].setToolTip(self.tr("{n} clusters not heard from yet").format(n=c["unknown"]))
        url = html.escape(self._broker_url)
        if self._fleet.client.connected:
            connected = self.tr("Broker connected")
            self.broker.setText(theme.coloured_dot_html(theme.ONLINE, f"{connected} · {url}"))
        else:
            disconnected = self.tr("Broker disconnected")
            self.broker.setText(theme.coloured_dot_html(theme.OFFLINE, f"<b>{disconnected}</b> · {url}"))
        stats = self._fleet.ingest.stats()
        rejected = {**stats["rejected"], **({"overflow": stats["overflow"]} if stats["overflow"] else {})}
        total = sum(rejected.values())
        text = self.tr("Rejected messages: {n}").format(n=total)
        self.rejected.setText(f'<span style="color:{theme.WARNING.name()}">{text}</span>' if total else text)
        self.rejected.setToolTip("\n".join(f"{fmt.label(fmt.REJECT_REASONS, reason)}: {n}"
                                           for reason, n in sorted(rejected.items()))
                                 or self.tr("No malformed messages received"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
