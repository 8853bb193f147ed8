"""The strip across the main window for the province's bulletins: red while an emergency bulletin waits
for its one-click confirmation (it cannot be missed, and stays until it is confirmed or rejected), amber
for a notice (a priority bulletin put into the schedule), which the operator dismisses."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.ui.sync import model

EMERGENCY_STYLE = "background:#c8102e; color:#ffffff;"
NOTICE_STYLE = "background:#ffd79a; color:#2b1a00;"
BUTTON_STYLE = ("QPushButton { background:#ffffff; color:#8b0000; font-weight:700; padding:3px 14px;"
                " border-radius:3px; }")


class _Row(QWidget):
    def __init__(self, style: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("bulletinBannerRow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#bulletinBannerRow, #bulletinBannerRow > QLabel {{ {style} }}")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)  # a long title wraps instead of widening the window
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 5, 8, 5)
        lay.addWidget(self.text, 1)
        self.lay = lay


class BulletinBanner(QWidget):
    """``show_data(InboxData)`` after each read of the inbox; ``show_notice(text, id)``.
    ``openRequested(id)``: the operator wants to see that bulletin in the inbox."""

    openRequested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.confirming: list[dict] = []
        self.units: dict[str, str] = {}
        self.devices: dict[int, int | None] = {}
        self.notice_id: int | None = None
        self.emergency = _Row(EMERGENCY_STYLE)
        font = self.emergency.text.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.emergency.text.setFont(font)
        self.review = QPushButton()
        self.review.setStyleSheet(BUTTON_STYLE)
        self.review.setCursor(Qt.CursorShape.PointingHandCursor)
        self.review.clicked.connect(lambda: self.confirming and self.openRequested.emit(self.confirming[0]["id"]))
        self.emergency.lay.addWidget(self.review)
        self.notice = _Row(NOTICE_STYLE)
        self.show_button = QPushButton()
        self.show_button.clicked.connect(lambda: self.notice_id is not None and self.openRequested.emit(self.notice_id))
        self.dismiss = QToolButton()
        self.dismiss.setText("✕")
        self.dismiss.setAutoRaise(True)
        self.dismiss.clicked.connect(self.clear_notice)
        self.notice.lay.addWidget(self.show_button)
        self.notice.lay.addWidget(self.dismiss)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.emergency)
        lay.addWidget(self.notice)
        self._notice_text = ""
        self.emergency.hide()
        self.notice.hide()
        self.retranslate()

    def show_data(self, data: model.InboxData) -> None:
        self.confirming = data.confirming()
        self.units, self.devices = data.units, data.devices
        self.retranslate()

    def show_notice(self, text: str, bulletin_id: int) -> None:
        self._notice_text, self.notice_id = text, bulletin_id
        self.retranslate()

    def clear_notice(self) -> None:
        self._notice_text, self.notice_id = "", None
        self.retranslate()

    def retranslate(self) -> None:
        self.review.setText(self.tr("Review and confirm…"))
        self.show_button.setText(self.tr("Show"))
        self.dismiss.setToolTip(self.tr("Dismiss"))
        if self.confirming:
            b = self.confirming[0]
            n = self.devices.get(b["id"])
            where = model.targets_text(b["targets"], self.units)
            text = "⚠ " + self.tr("EMERGENCY BULLETIN FROM THE PROVINCE awaits your confirmation: “{title}” — "
                                  "{where}").format(title=b["title"], where=where)
            if n is not None:
                text += " " + self.tr("({n} clusters)").format(n=n)
            if len(self.confirming) > 1:
                text += " " + self.tr("and {n} more").format(n=len(self.confirming) - 1)
            self.emergency.text.setText(text)
        self.emergency.setVisible(bool(self.confirming))
        self.notice.text.setText(self._notice_text)
        self.notice.setVisible(bool(self._notice_text))
        shown = bool(self.confirming) or bool(self._notice_text)
        if self.parentWidget() is not None or not shown:  # never a window of its own
            self.setVisible(shown)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
