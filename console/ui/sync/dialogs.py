"""The inbox's two questions: when and where to schedule a bulletin, and why it is rejected."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
)

from console.schedule.model import Targets
from console.schedule.service import ALL_GROUP
from console.ui.schedule.data import load_directory, load_units
from console.ui.schedule.targets import TargetPicker
from console.ui.tasks import TaskManager

DEFAULT_LEAD_MIN = 10  # "at" starts this far ahead, on a whole 5 minutes


class ScheduleDialog(QDialog):
    """Schedule a bulletin's audio: in the next free slot, or at a time; on its own targets (units)
    or others picked like the schedule editor's (groups, units, clusters). ``choice()`` gives
    ``(at or None, Targets)`` once accepted. ``scheduler`` (may be None) supplies the time zone and,
    on a worker, the groups, clusters and units to pick from."""

    def __init__(self, bulletin: dict, scheduler=None, parent=None) -> None:
        super().__init__(parent)
        self.bulletin = bulletin
        self.scheduler = scheduler
        self.tz = ZoneInfo(scheduler.tz) if scheduler is not None else None
        self.tasks = TaskManager(self, workers=1)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.next_slot, self.at_time = QRadioButton(), QRadioButton()
        modes = QButtonGroup(self)
        modes.addButton(self.next_slot)
        modes.addButton(self.at_time)
        self.next_slot.setChecked(True)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        now = scheduler.now() if scheduler is not None else datetime.now().astimezone()
        start = (now + timedelta(minutes=DEFAULT_LEAD_MIN)).replace(second=0, microsecond=0)
        start += timedelta(minutes=-start.minute % 5)
        self.when.setDateTime(QDateTime(start.year, start.month, start.day, start.hour, start.minute, 0))
        self.when.setEnabled(False)
        self.at_time.toggled.connect(self.when.setEnabled)
        self.targets_label = QLabel()
        self.picker = TargetPicker()
        self.picker.set_units(bulletin.get("targets") or [])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.picker.changed.connect(self._update)
        at = QHBoxLayout()
        at.addWidget(self.at_time)
        at.addWidget(self.when, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.next_slot)
        lay.addLayout(at)
        lay.addWidget(self.targets_label)
        lay.addWidget(self.picker, 1)
        lay.addWidget(self.buttons)
        if scheduler is not None:
            self.tasks.run(lambda _p, _c: (load_directory(scheduler), load_units(scheduler)), on_done=self._loaded)
        else:
            self.picker.setEnabled(False)
        self.retranslate()
        self._update()
        self.resize(760, 560)

    def _loaded(self, result) -> None:
        directory, units = result
        self.picker.set_directory(directory, () if self.bulletin.get("targets") else (ALL_GROUP,))
        self.picker.set_hierarchy(units)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.picker.targets()) or not self.picker.isEnabled())

    def choice(self) -> tuple[datetime | None, Targets | None]:
        at = None
        if self.at_time.isChecked():
            d = self.when.dateTime().toPython()
            at = d.replace(tzinfo=self.tz) if self.tz is not None else d.astimezone()
        targets = self.picker.targets() if self.picker.isEnabled() else None
        return at, targets or None

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Schedule the bulletin"))
        self.title.setText(self.tr("<b>{title}</b>: when and where should it play?").format(
            title=html.escape(self.bulletin.get("title", ""))))
        self.next_slot.setText(self.tr("In the next free slot (in about two minutes, after any priority "
                                       "programme)"))
        self.at_time.setText(self.tr("At:"))
        self.targets_label.setText(self.tr("Where (the province's targets are filled in):"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def done(self, result: int) -> None:
        self.picker.stop()
        self.tasks.shutdown()
        super().done(result)


class RejectDialog(QDialog):
    """Why the bulletin is rejected: a note is required (it goes to the province with the receipt)."""

    def __init__(self, bulletin: dict, parent=None) -> None:
        super().__init__(parent)
        self.bulletin = bulletin
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._update)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.note, 1)
        lay.addWidget(self.buttons)
        self.retranslate()
        self._update()
        self.resize(480, 240)

    def text(self) -> str:
        return self.note.toPlainText().strip()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text()))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reject the bulletin"))
        self.label.setText(self.tr("Why is <b>{title}</b> rejected? The note goes back to the province with the "
                                   "receipt.").format(title=html.escape(self.bulletin.get("title", ""))))
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.note.setPlaceholderText(self.tr("Required: e.g. not for this commune, already read out, out of date"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reject"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
