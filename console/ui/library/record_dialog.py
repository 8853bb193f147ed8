"""Recording an announcement at the desk microphone into the library.

The dialog drives a :class:`~console.audio.recorder.Recorder` (capture and disk I/O run on its own
threads) and repaints from its attributes on a 30 Hz timer: the input device, a live peak/RMS meter
before and while recording, record / pause / stop, a time counter and a maximum duration. When the
recorder stops (the user, the maximum duration, an almost full disk, a lost device), what was
recorded is handed to ``import_files`` and the reason is shown.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QSpinBox, QVBoxLayout)

METER_FLOOR_DB = -60


class RecordDialog(QDialog):
    def __init__(self, recorder, import_files: Callable[[list[str]], None], parent=None):
        super().__init__(parent)
        self.recorder = recorder
        self._import = import_files
        self.setWindowTitle(self.tr("Record an announcement"))
        self.device = QComboBox()
        self.status = QLabel()
        self.status.setWordWrap(True)
        try:
            devices = recorder.devices()
        except Exception as e:  # noqa: BLE001 - the capture layer's one-line reason
            devices = []
            self.status.setText(self.tr("The microphone cannot be used: {0}").format(e))
        for dev in devices:
            self.device.addItem(dev.name, dev.id)
            if dev.is_default:
                self.device.setCurrentIndex(self.device.count() - 1)
        self.peak, self.rms = self._meter(), self._meter()
        self.time = QLabel("00:00")
        self.time.setStyleSheet("font-size: 28px; font-weight: 600;")
        self.max_minutes = QSpinBox()
        self.max_minutes.setRange(1, 180)
        self.max_minutes.setValue(15)
        self.max_minutes.setSuffix(self.tr(" min"))
        self.record = QPushButton(self.tr("Record"))
        self.pause = QPushButton(self.tr("Pause"))
        self.stop = QPushButton(self.tr("Stop and import"))

        form = QFormLayout()
        form.addRow(self.tr("Microphone"), self.device)
        form.addRow(self.tr("Peak"), self.peak)
        form.addRow(self.tr("RMS"), self.rms)
        form.addRow(self.tr("Maximum length"), self.max_minutes)
        buttons = QHBoxLayout()
        for b in (self.record, self.pause, self.stop):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.time)
        lay.addLayout(buttons)
        lay.addWidget(self.status)

        self.device.currentIndexChanged.connect(self._open)
        self.record.clicked.connect(lambda: recorder.start(max_duration=self.max_minutes.value() * 60))
        self.pause.clicked.connect(lambda: recorder.resume() if recorder.state == "paused" else recorder.pause())
        self.stop.clicked.connect(recorder.stop)
        recorder.stopped.connect(self._stopped)
        recorder.error.connect(self.status.setText)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(33)
        if devices:
            self._open()

    @staticmethod
    def _meter() -> QProgressBar:
        bar = QProgressBar()
        bar.setRange(METER_FLOOR_DB * 10, 0)
        bar.setFormat("%v")
        return bar

    def _open(self) -> None:
        try:
            self.recorder.open(self.device.currentData())
        except Exception as e:  # noqa: BLE001 - the capture layer's one-line reason
            self.status.setText(self.tr("The microphone cannot be used: {0}").format(e))

    def refresh(self) -> None:
        peak, rms = self.recorder.levels
        for bar, db in ((self.peak, peak), (self.rms, rms)):
            bar.setValue(int(max(METER_FLOOR_DB, min(0.0, db)) * 10))
            bar.setFormat(f"{db:.1f} dBFS" if db > METER_FLOOR_DB else "—")
        e = self.recorder.elapsed
        self.time.setText(f"{int(e) // 60:02d}:{int(e) % 60:02d}.{int(e * 10) % 10}")
        state = self.recorder.state
        self.record.setEnabled(state == "monitoring")
        self.pause.setEnabled(state in ("recording", "paused"))
        self.pause.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        self.stop.setEnabled(state in ("recording", "paused"))
        self.device.setEnabled(state in ("monitoring", "closed"))

    def _stopped(self, reason: str, path: str) -> None:
        reason_text = QCoreApplication.translate("Recorder", reason)
        self.status.setText(self.tr("Recording stopped: {0}.").format(reason_text))
        if path:
            self._import([path])

    def done(self, result: int) -> None:
        self._timer.stop()
        self.recorder.stop()
        self.recorder.close()
        super().done(result)
