"""The strip across the top of a demo station's window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel

from console.ui import theme


class DemoBanner(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("demoBanner")
        self.setStyleSheet(theme.DEMO_BANNER_STYLE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("DEMO STATION — simulated loudspeakers, embedded broker. Nothing here goes on air."))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
