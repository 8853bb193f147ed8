"""The parts of the live desk and the emergency dialog: the level meter, the input choice, the target
choice, and the ON AIR banner across the main window."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.schedule.model import Targets
from console.ui import formatting as fmt
from console.ui.live.model import (
    KINDS_ORDER,
    METER_FLOOR_DB,
    Ballistics,
    Levels,
    Snapshot,
    clock_text,
)
from console.ui.schedule.data import load_directory, load_units
from console.ui.schedule.targets import TargetPicker
from console.ui.tasks import TaskManager

log = logging.getLogger(__name__)

ON_AIR = QColor("#c8102e")
EMERGENCY = QColor("#8b0000")
ON_AIR_TEXT = "#ffffff"
COUNTDOWN_TEXT = "#ffe14d"
METER_MS = 33  # the meter repaints at 30 Hz while a broadcast runs
COUNT_DELAY_MS = 300
GREEN, YELLOW, RED = QColor("#2e9d44"), QColor("#e0b000"), QColor("#d13438")
TICKS_DB = (-60, -48, -36, -24, -18, -12, -6, -3, 0)
MIC, FILE = "mic:", "file:"  # the input combo's data: a prefix and the device id or the path


# -- the level meter ------------------------------------------------------------------------------

class LevelMeter(QWidget):
    """Peak and RMS (dBFS) of what goes on air, from a :class:`Levels` holder, with a held peak.

    :meth:`start` repaints at 30 Hz from the holder (the broadcast writes it on its own thread), so a
    meter costs nothing while nothing is on air; :meth:`stop` rests it at the floor.
    """

    def __init__(self, levels: Levels | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.levels = levels or Levels()
        self.ballistics = Ballistics()
        self.peak = self.rms = self.held = METER_FLOOR_DB
        self.active = False
        self.setMinimumHeight(58)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setInterval(METER_MS)
        self._timer.timeout.connect(self.tick)

    def sizeHint(self) -> QSize:
        return QSize(360, 58)

    def start(self) -> None:
        self.active = True
        self._timer.start()

    def stop(self) -> None:
        self.active = False
        self._timer.stop()
        self.ballistics.reset()
        self.peak = self.rms = self.held = METER_FLOOR_DB
        self.update()

    def tick(self) -> None:
        peak, rms = self.levels.value
        self.set_levels(*self.ballistics.feed(peak, rms, time.monotonic()))

    def set_levels(self, peak: float, rms: float, held: float | None = None) -> None:
        self.peak, self.rms = peak, rms
        self.held = peak if held is None else held
        self.update()

    @staticmethod
    def _x(db: float, width: float) -> float:
        return (max(METER_FLOOR_DB, min(0.0, db)) - METER_FLOOR_DB) / -METER_FLOOR_DB * width

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        text_h = fm.height()
        bar = QRectF(1, 1, self.width() - 2, self.height() - text_h - 6)
        p.fillRect(bar, QColor("#1e2228"))
        w = bar.width()
        # the scale's zones, dim; the RMS in full colour over them; the peak as a lighter band
        zones = ((METER_FLOOR_DB, -18, GREEN), (-18, -6, YELLOW), (-6, 0, RED))
        for lo, hi, colour in zones:
            dim = QColor(colour)
            dim.setAlpha(45)
            p.fillRect(QRectF(bar.left() + self._x(lo, w), bar.top(), self._x(hi, w) - self._x(lo, w), bar.height()), dim)
        half = bar.height() / 2
        for level, top, h, alpha in ((self.peak, bar.top() + 2, half - 3, 150), (self.rms, bar.top() + half + 1,
                                                                                half - 3, 255)):
            for lo, hi, colour in zones:
                if level <= lo:
                    continue
                c = QColor(colour)
                c.setAlpha(alpha)
                x0, x1 = self._x(lo, w), self._x(min(level, hi), w)
                p.fillRect(QRectF(bar.left() + x0, top, x1 - x0, h), c)
        if self.held > METER_FLOOR_DB:
            x = bar.left() + self._x(self.held, w)
            p.setPen(QPen(QColor("#ffffff"), 2))
            p.drawLine(int(x), int(bar.top() + 1), int(x), int(bar.top() + half - 1))
        p.setPen(QColor("#8a8f98"))
        for db in TICKS_DB:
            x = bar.left() + self._x(db, w)
            p.drawLine(int(x), int(bar.bottom()), int(x), int(bar.bottom() + 3))
            label = str(db)
            tw = fm.horizontalAdvance(label)
            p.drawText(int(min(max(x - tw / 2, 0), self.width() - tw)), int(bar.bottom() + 3 + fm.ascent()), label)
        p.end()

    def text(self) -> str:
        """The levels in words, for the label beside the meter."""
        if not self.active or self.peak <= METER_FLOOR_DB:
            return self.tr("Peak — · RMS —")
        return self.tr("Peak {peak} dBFS · RMS {rms} dBFS").format(peak=fmt.number(self.peak),
                                                                   rms=fmt.number(self.rms))


# -- the input ------------------------------------------------------------------------------------

class InputChooser(QWidget):
    """The microphone (listed on a worker: the capture layer asks the sound server) or an audio file.

    :meth:`source_factory` returns what makes a fresh source for a broadcast (None: nothing usable
    is chosen); :meth:`set_file` chooses a file without the file dialog."""

    OPEN_FILE = "open-file"  # the combo entry that opens the file dialog

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = TaskManager(self)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(18)
        self.reload = QToolButton()
        self.reload.setText("↻")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color:#6b7079;")
        self.devices: list = []
        self.why = ""  # why there is no microphone
        self.file: Path | None = None
        self._loading = False
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.reload)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.status)
        self.combo.activated.connect(self._activated)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.reload.clicked.connect(self.load)
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.reload.setToolTip(self.tr("List the microphones again"))
        self._fill()

    def load(self) -> None:
        """List the input devices off the GUI thread."""
        def work():
            from console.audio.capture import available, default_backend

            ok, why = available()
            return (default_backend().devices() if ok else []), ("" if ok else why)

        def failed(exc: BaseException) -> None:
            self._listed(([], str(exc)))

        self._loading = True
        self._fill()
        self.tasks.run(lambda progress, cancel: work(), on_done=self._listed, on_error=failed)

    def _listed(self, result) -> None:
        self._loading = False
        self.devices, self.why = result
        self._fill()

    def _fill(self) -> None:
        chosen = self.combo.currentData()
        blocked = self.combo.blockSignals(True)
        self.combo.clear()
        for dev in self.devices:
            self.combo.addItem(self.tr("Microphone: {name}").format(name=dev.name), MIC + dev.id)
            if dev.is_default and chosen is None:
                chosen = MIC + dev.id
        if self.file is not None:
            self.combo.addItem(self.tr("Audio file: {name}").format(name=self.file.name), FILE + str(self.file))
        self.combo.addItem(self.tr("Play an audio file…"), self.OPEN_FILE)
        index = self.combo.findData(chosen) if chosen is not None else -1
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(blocked)
        if self._loading:
            self.status.setText(self.tr("Looking for microphones…"))
        elif not self.devices:  # the first part of the capture layer's reason; all of it in the tooltip
            why = self.why or self.tr("none found")
            self.status.setText(self.tr("No microphone can be used here: {reason}").format(
                reason=why.split(":")[0].strip()))
            self.status.setToolTip(why)
        else:
            self.status.setText("")
            self.status.setToolTip("")
        self.changed.emit()

    def _activated(self, index: int) -> None:
        if self.combo.itemData(index) != self.OPEN_FILE:
            return
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Play an audio file live"), "",
                                                    self.tr("Audio files (*.wav *.mp3 *.m4a *.ogg *.opus *.flac);;"
                                                            "All files (*)"))
        if path:
            self.set_file(path)
        else:
            self.combo.setCurrentIndex(0)

    def set_file(self, path: str | Path) -> None:
        self.file = Path(path)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(-1)
        self.combo.blockSignals(False)
        self._fill()
        self.combo.setCurrentIndex(self.combo.findData(FILE + str(self.file)))

    def choice(self) -> tuple[str, str] | None:
        """("mic", device id) or ("file", path), or None."""
        data = self.combo.currentData()
        for kind in (MIC, FILE):
            if isinstance(data, str) and data.startswith(kind):
                return kind.rstrip(":"), data[len(kind):]
        return None

    def source_factory(self):
        """A function making a new source for what is chosen, or None."""
        choice = self.choice()
        if choice is None:
            return None
        kind, value = choice
        if kind == "file":
            from console.live.source import WavFileSource

            return lambda: WavFileSource(value)
        from console.live.source import MicSource

        return lambda: MicSource(value or None)

    def description(self) -> str:
        index = self.combo.currentIndex()
        return self.combo.itemText(index) if index >= 0 and self.choice() else ""

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


# -- the targets ----------------------------------------------------------------------------------

class TargetChooser(QWidget):
    """Every cluster, or chosen groups, administrative units and single clusters (the schedule
    editor's :class:`~console.ui.schedule.targets.TargetPicker`), with how many clusters that is.

    ``control`` is a :class:`~console.ui.live.control.LiveControl`; the directory, the units and the
    count are read through it on workers. Signal ``changed()``; :meth:`targets`, :attr:`count`."""

    changed = Signal()

    def __init__(self, control, parent: QWidget | None = None, everyone: bool = True):
        super().__init__(parent)
        self.control = control
        self.tasks = TaskManager(self)
        self.count: int | None = None  # clusters the choice reaches, once counted
        self._count_task = None
        self.everyone = QRadioButton()
        self.chosen = QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.everyone)
        group.addButton(self.chosen)
        (self.everyone if everyone else self.chosen).setChecked(True)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-weight:600;")
        self.picker = TargetPicker()
        self.picker.setEnabled(not everyone)
        top = QHBoxLayout()
        top.addWidget(self.everyone)
        top.addWidget(self.chosen)
        top.addStretch(1)
        top.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.picker, 1)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._recount)
        self.everyone.toggled.connect(self._mode)
        self.picker.changed.connect(self._changed)
        self.retranslate()
        scheduler = control.service.scheduler

        def failed(exc: BaseException) -> None:
            log.warning("loading the targets: %s", exc)

        self.tasks.run(lambda progress, cancel: load_directory(scheduler), on_done=self.picker.set_directory,
                       on_error=failed)
        self.tasks.run(lambda progress, cancel: load_units(scheduler), on_done=self.picker.set_hierarchy,
                       on_error=failed)
        self._recount()

    def retranslate(self) -> None:
        self.everyone.setText(self.tr("Every cluster"))
        self.chosen.setText(self.tr("Chosen groups, units or clusters"))
        self.picker.retranslate()
        self._show_count()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def targets(self) -> Targets:
        return Targets() if self.everyone.isChecked() else self.picker.targets()

    def set_everyone(self, everyone: bool) -> None:
        (self.everyone if everyone else self.chosen).setChecked(True)

    def _mode(self, everyone: bool) -> None:
        self.picker.setEnabled(not everyone)
        self._changed()

    def _changed(self) -> None:
        self.count = None
        self._show_count()
        self._count_timer.start()
        self.changed.emit()

    def _recount(self) -> None:
        targets = self.targets()
        if self.chosen.isChecked() and not targets:
            self.count = 0  # nothing chosen yet (not "everyone": the service reads no targets so)
            self._show_count()
            return

        def done(n: int) -> None:
            if task is self._count_task:
                self.count = n
                self._show_count()
                self.changed.emit()

        task = self.control.count_devices(self.tasks, targets, done)
        self._count_task = task

    def valid(self) -> bool:
        """A usable choice: every cluster, or something chosen."""
        return self.everyone.isChecked() or bool(self.picker.targets())

    def _show_count(self) -> None:
        if self.chosen.isChecked() and not self.picker.targets():
            self.count_label.setText(self.tr("Choose where to broadcast"))
        elif self.count is None:
            self.count_label.setText(self.tr("Counting the clusters…"))
        else:
            self.count_label.setText(self.tr("{n} cluster(s)").format(n=self.count))


# -- the ON AIR banner ----------------------------------------------------------------------------

class OnAirRow(QFrame):
    """One running session across the window: what, how long, to how many, who joined, stop."""

    stopRequested = Signal(str)  # kind

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        colour = EMERGENCY if kind == "emergency" else ON_AIR
        self.setObjectName(f"onAir_{kind}")
        self.setStyleSheet(f"QFrame#onAir_{kind} {{ background:{colour.name()}; }}"
                           f"QLabel {{ color:{ON_AIR_TEXT}; }}")
        self.badge, self.elapsed, self.what, self.countdown = QLabel(), QLabel(), QLabel(), QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        for label in (self.badge, self.elapsed):
            label.setFont(big)
        self.elapsed.setStyleSheet("font-family: monospace;")
        self.countdown.setStyleSheet(f"color:{COUNTDOWN_TEXT}; font-weight:700;")
        self.what.setWordWrap(True)
        self.stop = QPushButton()
        self.stop.setCursor(Qt.CursorShape.PointingHandCursor)
        self.stop.setStyleSheet("QPushButton { background:#ffffff; color:#8b0000; font-weight:700; padding:6px 16px;"
                                " border-radius:4px; } QPushButton:disabled { color:#999999; }")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 6, 10, 6)
        lay.setSpacing(16)
        lay.addWidget(self.badge)
        lay.addWidget(self.elapsed)
        lay.addWidget(self.what, 1)
        lay.addWidget(self.countdown)
        lay.addWidget(self.stop)
        self.stop.clicked.connect(lambda: self.stopRequested.emit(self.kind))

    def show_snapshot(self, s: Snapshot, busy: bool) -> None:
        emergency = self.kind == "emergency"
        self.badge.setText(("⚠ " + self.tr("EMERGENCY")) if emergency else ("● " + self.tr("ON AIR")))
        self.elapsed.setText(clock_text(s.elapsed_s))
        if emergency:
            self.what.setText(self.tr("Emergency broadcast to {n} cluster(s) · {playing} playing · {silent} not "
                                      "responded · {left} left").format(
                n=s.targets, playing=s.playing, silent=s.silent, left=clock_text(s.countdown_s)))
        else:
            self.what.setText(self.tr("Live announcement to {n} cluster(s) · {joined} joined").format(
                n=s.targets, joined=s.playing))
        self.countdown.setVisible(s.countdown)
        self.countdown.setText(self.tr("Ends in {time} (maximum duration)").format(time=clock_text(s.countdown_s)))
        self.stop.setText(self.tr("Emergency stop") if emergency else self.tr("Stop"))
        self.stop.setEnabled(not busy)


class OnAirBanner(QWidget):
    """The red strip across the main window while a live or emergency session runs (one row each).
    It follows ``control.changed``; hidden when nothing is on air."""

    def __init__(self, control, parent: QWidget | None = None):
        super().__init__(parent)
        self.control = control
        self.rows = {k: OnAirRow(k) for k in KINDS_ORDER}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        for kind in reversed(KINDS_ORDER):  # the emergency first
            lay.addWidget(self.rows[kind])
            self.rows[kind].stopRequested.connect(lambda k: control.stop(k, reason="stopped"))
        control.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        any_on = False
        for kind, row in self.rows.items():
            s = self.control.running(kind)
            row.setVisible(s is not None)
            if s is not None:
                any_on = True
                row.show_snapshot(s, self.control.busy[kind])
        self.setVisible(any_on)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
