"""The editor's side panel: fades, gain, silence and loudness normalisation.

Each group holds its parameters and asks for an operation with a signal; the editor does the edit.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QLocale,
    QPointF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from console.audio.loudness import Loudness
from console.audio.preview import fade_shape
from console.core.editlist import normalize_gain
from console.ui import theme
from console.ui.editor.waveform_view import ENVELOPE

# The curves offered, of ffmpeg's many, with names an operator recognises.
FADE_CURVES = (
    ("tri", QT_TRANSLATE_NOOP("FadeGroup", "Linear")),
    ("qsin", QT_TRANSLATE_NOOP("FadeGroup", "Smooth")),
    ("hsin", QT_TRANSLATE_NOOP("FadeGroup", "S-curve")),
    ("log", QT_TRANSLATE_NOOP("FadeGroup", "Logarithmic")),
    ("exp", QT_TRANSLATE_NOOP("FadeGroup", "Exponential")),
)
TARGET_LUFS, TARGET_TRUE_PEAK = -16.0, -1.0


def _number(value: float, decimals: int = 1, sign: bool = False) -> str:
    text = QLocale().toString(float(value), "f", decimals)
    return f"+{text}" if sign and value > 0 else text


@cache
def curve_icon(curve: str, width: int = 36, height: int = 16) -> QIcon:
    """The fade-in shape of ``curve``, drawn small for the curve chooser."""
    pm = QPixmap(width, height)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(ENVELOPE, 1.6))
    t = np.linspace(0, 1, 24)
    y = fade_shape(curve, t)
    p.drawPolyline(QPolygonF([QPointF(1 + ti * (width - 2), height - 1.5 - yi * (height - 3)) for ti, yi in zip(t, y)]))
    p.end()
    return QIcon(pm)


class _Group(QGroupBox):
    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


def _spin(low: float, high: float, value: float, suffix: str, decimals: int = 1, step: float = 0.5,
          kind: type[QDoubleSpinBox] = QDoubleSpinBox) -> QDoubleSpinBox:
    spin = kind()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


class _GainSpin(QDoubleSpinBox):
    """Decibels with their sign: "+3.0 dB" louder, "-3.0 dB" quieter."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return _number(value, self.decimals(), sign=True)


class FadeGroup(_Group):
    fadeIn = Signal(float, str)   # seconds, curve
    fadeOut = Signal(float, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.length = _spin(0.1, 60.0, 2.0, " s")
        self.curve = QComboBox()
        self.curve.setIconSize(QSize(36, 16))
        for key, _name in FADE_CURVES:
            self.curve.addItem(curve_icon(key), "", key)
        self.fade_in = QPushButton()
        self.fade_out = QPushButton()
        self.fade_in.clicked.connect(lambda: self.fadeIn.emit(self.length.value(), self.curve.currentData()))
        self.fade_out.clicked.connect(lambda: self.fadeOut.emit(self.length.value(), self.curve.currentData()))
        form = QFormLayout(self)
        self.length_label, self.curve_label = QLabel(), QLabel()
        form.addRow(self.length_label, self.length)
        form.addRow(self.curve_label, self.curve)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fade_in)
        buttons.addWidget(self.fade_out)
        form.addRow(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Fade"))
        self.length_label.setText(self.tr("Length"))
        self.curve_label.setText(self.tr("Curve"))
        for i, (_key, name) in enumerate(FADE_CURVES):
            self.curve.setItemText(i, QCoreApplication.translate("FadeGroup", name))
        self.fade_in.setText(self.tr("Fade in"))
        self.fade_in.setToolTip(self.tr("Bring the sound up gradually at the start of the item"))
        self.fade_out.setText(self.tr("Fade out"))
        self.fade_out.setToolTip(self.tr("Take the sound down gradually at the end of the item"))


class GainGroup(_Group):
    gainRequested = Signal(float)  # dB

    def __init__(self, parent=None):
        super().__init__(parent)
        self._selection = False
        self.db = _spin(-30.0, 30.0, 3.0, " dB", kind=_GainSpin)
        self.apply = QPushButton()
        self.apply.clicked.connect(lambda: self.gainRequested.emit(self.db.value()))
        self.scope = QLabel()
        self.scope.setStyleSheet(f"color: {theme.MUTED.name()};")
        lay = QGridLayout(self)
        lay.addWidget(self.db, 0, 0)
        lay.addWidget(self.apply, 0, 1)
        lay.addWidget(self.scope, 1, 0, 1, 2)
        self.retranslate()

    def set_has_selection(self, selection: bool) -> None:
        self._selection = selection
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Volume"))
        self.apply.setText(self.tr("Change volume"))
        self.scope.setText(self.tr("Applies to the selection") if self._selection
                           else self.tr("Applies to the whole item (nothing selected)"))


class SilenceGroup(_Group):
    insertRequested = Signal(float)   # seconds, at the cursor
    trimRequested = Signal()
    thresholdChanged = Signal(float)  # dBFS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._trim: tuple[float, float] | None = None
        self.insert_length = _spin(0.1, 600.0, 1.0, " s")
        self.insert = QPushButton()
        self.insert.clicked.connect(lambda: self.insertRequested.emit(self.insert_length.value()))
        self.threshold = _spin(-80.0, -10.0, -40.0, " dBFS", decimals=0, step=1.0)
        self.threshold.valueChanged.connect(self.thresholdChanged)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.trim = QPushButton()
        self.trim.clicked.connect(self.trimRequested)
        self.threshold_label = QLabel()
        lay = QGridLayout(self)
        lay.addWidget(self.insert_length, 0, 0)
        lay.addWidget(self.insert, 0, 1)
        lay.addWidget(self.threshold_label, 1, 0, 1, 2)
        lay.addWidget(self.threshold, 2, 0)
        lay.addWidget(self.trim, 2, 1)
        lay.addWidget(self.summary, 3, 0, 1, 2)
        self.retranslate()

    def set_trim(self, trim: tuple[float, float] | None) -> None:
        """Seconds of silence at the start and end at the current threshold; None while measuring."""
        self._trim = trim
        self.trim.setEnabled(bool(trim and any(trim)))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Silence"))
        self.insert.setText(self.tr("Insert at cursor"))
        self.insert.setToolTip(self.tr("Insert this much silence at the cursor"))
        self.threshold_label.setText(self.tr("Trim quiet parts at the ends, below:"))
        self.threshold.setToolTip(self.tr("Parts quieter than this (RMS level) at the start and end count as "
                                          "silence. The dashed green lines on the waveform show it."))
        self.trim.setText(self.tr("Trim ends"))
        if self._trim is None:
            self.summary.setText(self.tr("Measuring…"))
        elif not any(self._trim):
            self.summary.setText(self.tr("No silence at the ends at this threshold."))
        else:
            self.summary.setText(self.tr("Removes {start} s at the start and {end} s at the end (shaded).")
                                 .format(start=_number(self._trim[0], 2), end=_number(self._trim[1], 2)))


class LoudnessGroup(_Group):
    """Measured loudness of the edited item, the targets, and what normalising would give."""

    normaliseRequested = Signal(float)  # gain, dB

    def __init__(self, parent=None):
        super().__init__(parent)
        self._measured: Loudness | None = None
        self._pending = True
        self.target_lufs = _spin(-40.0, -5.0, TARGET_LUFS, " LUFS")
        self.target_tp = _spin(-10.0, 0.0, TARGET_TRUE_PEAK, " dBTP")
        for spin in (self.target_lufs, self.target_tp):
            spin.valueChanged.connect(lambda _value: self.retranslate())
        self.headers = [QLabel(), QLabel()]
        self.rows = [QLabel(), QLabel(), QLabel()]
        self.measured_lufs, self.measured_tp = QLabel(), QLabel()
        self.after_lufs, self.after_tp = QLabel(), QLabel()
        for label in (self.measured_lufs, self.measured_tp, self.after_lufs, self.after_tp, *self.headers):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (self.after_lufs, self.after_tp):
            label.setStyleSheet("font-weight: 600;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.normalise = QPushButton()
        self.normalise.clicked.connect(self._normalise)
        grid = QGridLayout()
        grid.addWidget(self.headers[0], 0, 1)
        grid.addWidget(self.headers[1], 0, 2)
        for row, widgets in enumerate(((self.measured_lufs, self.measured_tp), (self.target_lufs, self.target_tp),
                                       (self.after_lufs, self.after_tp)), start=1):
            grid.addWidget(self.rows[row - 1], row, 0)
            grid.addWidget(widgets[0], row, 1)
            grid.addWidget(widgets[1], row, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(grid)
        lay.addWidget(self.note)
        lay.addWidget(self.normalise)
        self.retranslate()

    def set_measured(self, loudness: Loudness | None) -> None:
        """The loudness of the current edit list; None while it is being measured."""
        self._measured, self._pending = loudness, loudness is None
        self.retranslate()

    def measured(self) -> Loudness | None:
        return self._measured

    def gain(self) -> float | None:
        """The gain normalising would apply, or None (measuring, or silence)."""
        m = self._measured
        if m is None or m.lufs is None or m.true_peak_db is None:
            return None
        return normalize_gain(m.lufs, self.target_lufs.value(), m.true_peak_db, self.target_tp.value())

    def _normalise(self) -> None:
        gain = self.gain()
        if gain is not None:
            self.normaliseRequested.emit(gain)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Loudness (EBU R128)"))
        self.headers[0].setText(self.tr("Integrated"))
        self.headers[1].setText(self.tr("True peak"))
        self.rows[0].setText(self.tr("Now"))
        self.rows[1].setText(self.tr("Target"))
        self.rows[2].setText(self.tr("After"))
        self.normalise.setText(self.tr("Normalise loudness"))
        m, gain = self._measured, self.gain()
        if m is None:
            self.measured_lufs.setText("…" if self._pending else "")
            self.measured_tp.setText("…" if self._pending else "")
        else:
            self.measured_lufs.setText(f"{_number(m.lufs)} LUFS" if m.lufs is not None else "—")
            self.measured_tp.setText(f"{_number(m.true_peak_db)} dBTP" if m.true_peak_db is not None else "—")
        self.normalise.setEnabled(gain is not None)
        if gain is None:
            self.after_lufs.setText("")
            self.after_tp.setText("")
            self.note.setText(self.tr("Measuring the edited sound…") if self._pending
                              else self.tr("The item is silent: there is nothing to normalise."))
            return
        target_tp = self.target_tp.value()
        limited = max(0.0, m.true_peak_db + gain - target_tp)
        self.after_lufs.setText(f"{_number(m.lufs + gain)} LUFS")
        self.after_tp.setText(f"{_number(min(m.true_peak_db + gain, target_tp))} dBTP")
        note = self.tr("Changes the volume by {gain} dB.").format(gain=_number(gain, sign=True))
        if limited > 0.05:
            note += " " + self.tr("Peaks are limited by {db} dB when the item is rendered.").format(db=_number(limited))
        if m.lufs + gain < self.target_lufs.value() - 0.05:
            note += " " + self.tr("It stays below the target: more would squash the peaks too hard.")
        self.note.setText(note)
