"""The report dialog: choose a period (year, quarter or month), a format and a file; the report is
read, computed and written on a worker (``TaskManager``), with a progress bar and Cancel, so the window
never waits for it (console/report/, docs/reports.md).

Not wired into the main window here; open it with ``ReportDialog(station, parent).show()``.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.report import Cancelled, check_output, generate, station_facts
from console.report.period import KINDS, ROMAN, Period, current
from console.report.sources import station_tz
from console.ui.tasks import TaskManager

FORMATS = ("pdf", "xlsx")
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))  # each in its own language, never translated
STEPS = 1000  # of the progress bar


class ReportDialog(QDialog):
    written = Signal(str)  # the path of the report written
    cancelled = Signal()
    failed = Signal(str)  # the message shown

    def __init__(self, station, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = TaskManager(self, workers=1)
        self.task = None
        today = today or date.today()
        self.kind = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.part = QComboBox()  # the quarter or the month
        self.format = QComboBox()
        self.lang = QComboBox()
        for code, name in LANGUAGES:
            self.lang.addItem(name, code)
        self.path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.progress = QProgressBar()
        self.progress.setRange(0, STEPS)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.create = QPushButton()
        self.create.setDefault(True)
        self.create.clicked.connect(self.start)
        self.stop = QPushButton()
        self.stop.clicked.connect(self.cancel)
        self.stop.setEnabled(False)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)

        self.labels = [QLabel() for _ in range(4)]  # period, format, language, file
        form = QFormLayout()
        when = QHBoxLayout()
        when.addWidget(self.kind)
        when.addWidget(self.year)
        when.addWidget(self.part, 1)
        form.addRow(self.labels[0], when)
        form.addRow(self.labels[1], self.format)
        form.addRow(self.labels[2], self.lang)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(self.browse)
        form.addRow(self.labels[3], where)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create)
        buttons.addWidget(self.stop)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addLayout(buttons)

        self._today = today
        self.retranslate()
        self.kind.setCurrentIndex(KINDS.index("year"))
        self._fill_parts()
        self.kind.currentIndexChanged.connect(self._fill_parts)
        for signal in (self.kind.currentIndexChanged, self.year.valueChanged, self.part.currentIndexChanged,
                       self.format.currentIndexChanged):
            signal.connect(self._suggest_path)
        self._suggest_path()
        self.resize(560, self.sizeHint().height())

    # -- choices ------------------------------------------------------------------------------------
    def period(self) -> Period:
        kind = KINDS[self.kind.currentIndex()]
        return Period(kind, self.year.value(), 0 if kind == "year" else self.part.currentIndex() + 1)

    def set_period(self, period: Period) -> None:
        self.kind.setCurrentIndex(KINDS.index(period.kind))
        self.year.setValue(period.year)
        if period.kind != "year":
            self.part.setCurrentIndex(period.index - 1)

    def fmt(self) -> str:
        return FORMATS[self.format.currentIndex()]

    def language(self) -> str:
        return self.lang.currentData()

    def _fill_parts(self) -> None:
        kind = KINDS[self.kind.currentIndex()]
        self.part.blockSignals(True)
        self.part.clear()
        if kind == "quarter":
            self.part.addItems([self.tr("Quarter {roman}").format(roman=r) for r in ROMAN])
        elif kind == "month":
            self.part.addItems([self.tr("Month {n}").format(n=n) for n in range(1, 13)])
        if kind != "year":
            self.part.setCurrentIndex(current(kind, self._today).index - 1)
        self.part.blockSignals(False)
        self.part.setVisible(kind != "year")

    def _default_name(self) -> str:
        site = getattr(self.station, "site", "") or "station"
        return f"bao-cao-{site}-{self.period().text}.{self.fmt()}"

    def _suggest_path(self, *_args) -> None:
        text = self.path.text().strip()
        if text:
            folder = Path(text).expanduser().parent
        else:
            folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                          or Path.home())
        self.path.setText(str(folder / self._default_name()))

    def _browse(self) -> None:
        pdf = self.tr("PDF document (*.pdf)")
        xlsx = self.tr("Excel workbook (*.xlsx)")
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the report"), self.path.text(),
                                                    pdf if self.fmt() == "pdf" else xlsx)
        if path:
            self.path.setText(path)

    # -- the work -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Write the report on a worker; ``written``, ``cancelled`` or ``failed`` when it is over."""
        if self.task is not None:
            return
        period, fmt, lang = self.period(), self.fmt(), self.language()
        try:
            out = check_output(self.path.text().strip(), fmt)
        except ValueError as e:
            self._show_failure(str(e))
            return
        source = self._source(period)
        self.progress.setValue(0)
        self.status.setText(self.tr("Writing the report for {period}…").format(period=period.text))
        self._running(True)
        self.task = self.tasks.run(lambda progress, cancel: generate(source, fmt, out, lang, progress=progress,
                                                                      cancel=cancel),
                                   on_progress=lambda f: self.progress.setValue(round(f * STEPS)),
                                   on_done=lambda _report: self._done(str(out)), on_error=self._error)

    def _source(self, period: Period):
        """Reads the facts (on the worker): the station's own database."""
        station = self.station
        tz = station_tz(getattr(station, "settings", None))

        def read(progress, cancel: threading.Event):
            return station_facts(station.db, period, station.site, tz=tz, progress=progress, cancel=cancel)
        return read

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.stop.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _done(self, path: str) -> None:
        self.task = None
        self._running(False)
        self.progress.setValue(STEPS)
        self.status.setText(self.tr("The report was written to {path}").format(path=path))
        self.written.emit(path)

    def _error(self, exc: BaseException) -> None:
        self.task = None
        self._running(False)
        if isinstance(exc, Cancelled):
            self.progress.setValue(0)
            self.status.setText(self.tr("Cancelled: no file was written."))
            self.cancelled.emit()
        else:
            self._show_failure(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    def _show_failure(self, message: str) -> None:
        self.status.setText(self.tr("The report could not be written: {error}").format(error=message))
        self.failed.emit(message)

    def _running(self, running: bool) -> None:
        for w in (self.create, self.kind, self.year, self.part, self.format, self.lang, self.path, self.browse):
            w.setEnabled(not running)
        self.stop.setEnabled(running)

    def reject(self) -> None:
        """Closing the dialog stops a report in progress."""
        if self.task is not None:
            self.task.cancel()
        super().reject()

    # -- language -----------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Reports"))
        kind = self.kind.currentIndex()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItems([self.tr("Year"), self.tr("Quarter"), self.tr("Month")])
        self.kind.setCurrentIndex(max(kind, 0))
        self.kind.blockSignals(False)
        fmt = self.format.currentIndex()
        self.format.blockSignals(True)
        self.format.clear()
        self.format.addItems([self.tr("PDF document"), self.tr("Excel workbook (XLSX)")])
        self.format.setCurrentIndex(max(fmt, 0))
        self.format.blockSignals(False)
        if self.part.count():
            part = self.part.currentIndex()
            self._fill_parts()
            self.part.setCurrentIndex(part)
        for label, text in zip(self.labels, (self.tr("Period"), self.tr("Format"), self.tr("Language of the report"),
                                             self.tr("File"))):
            label.setText(text)
        self.browse.setText(self.tr("Choose…"))
        self.create.setText(self.tr("Create the report"))
        self.stop.setText(self.tr("Cancel"))
        self.close_button.setText(self.tr("Close"))
        if not self.status.text():
            self.status.setText(self.tr("The yearly report to the province is due before 10 December."))
