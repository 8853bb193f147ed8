"""Listening to a library item: play/pause, a position slider and "0:12 / 1:30".

QtMultimedia (``QMediaPlayer`` + ``QAudioOutput``) is imported when the bar is built, not when the
module is. Without it, or without a sound output device, the play button is disabled and its tooltip
says why; the time label still shows the item's length.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from console.ui import theme
from console.ui.library.library_model import clock_time

NO_MULTIMEDIA, NO_DEVICE = "no-multimedia", "no-device"


class PreviewBar(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.play = QToolButton()
        self.play.setAutoRaise(True)
        self.play.setCheckable(True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.time = QLabel()
        self.time.setMinimumWidth(self.time.fontMetrics().horizontalAdvance("0:00:00 / 0:00:00") + 8)
        self.note = QLabel()  # why listening is off, where it can be seen without hovering
        self.note.setStyleSheet(f"color:{theme.MUTED.name()};")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.play)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.time)
        lay.addWidget(self.note)
        self._length_ms = 0
        self._has_source = False
        self._error = ""
        self.problem = ""
        self.player = self._make_player()
        self.play.toggled.connect(self._toggle)
        self.slider.sliderReleased.connect(lambda: self._seek(self.slider.value()))
        self.slider.sliderMoved.connect(self._show_time)
        self.slider.actionTriggered.connect(self._slider_action)
        self.set_source(None, 0)

    def _make_player(self):
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        except ImportError:
            self.problem = NO_MULTIMEDIA
            return None
        if QMediaDevices.defaultAudioOutput().isNull():
            self.problem = NO_DEVICE
            return None
        player = QMediaPlayer(self)
        player.setAudioOutput(QAudioOutput(player))
        player.positionChanged.connect(self._position_changed)
        player.durationChanged.connect(self._duration_changed)
        player.playbackStateChanged.connect(self._state_changed)
        player.errorChanged.connect(self._error_changed)
        return player

    @property
    def available(self) -> bool:
        return self.player is not None

    def unavailable_reason(self) -> str:
        if self.problem == NO_MULTIMEDIA:
            return self.tr("Listening is off: Qt Multimedia is not installed")
        if self.problem == NO_DEVICE:
            return self.tr("Listening is off: no sound output device was found")
        return ""

    def set_source(self, path: Path | None, length_ms: int) -> None:
        """Listen to ``path`` (None: nothing selected); playback stops and starts again at 0:00."""
        self._length_ms = length_ms if path is not None else 0
        self._has_source = path is not None
        self._error = ""
        if self.player is not None:
            self.player.stop()
            self.player.setSource(QUrl.fromLocalFile(str(path)) if path is not None else QUrl())
        self.slider.setRange(0, self._length_ms)
        self._set_slider(0)
        self._show_time(0)
        self.play.setChecked(False)
        self._update_enabled()

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()

    def _update_enabled(self) -> None:
        usable = self.available and self._has_source
        self.play.setEnabled(usable)
        self.slider.setEnabled(usable)
        self.retranslate()

    def retranslate(self) -> None:
        playing = self.play.isChecked()
        self.play.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay))
        self.note.setText(self.unavailable_reason())
        self.note.setVisible(not self.available)
        if not self.available:
            tip = self.unavailable_reason()
        elif self._error:
            tip = self.tr("Cannot play this file: {reason}").format(reason=self._error)
        else:
            tip = self.tr("Pause") if playing else self.tr("Listen to the imported recording")
        self.play.setToolTip(tip)
        self.slider.setToolTip(self.tr("Position: drag to jump"))

    # -- player -> widgets ------------------------------------------------------------------------

    def _toggle(self, on: bool) -> None:
        if self.player is not None:
            if on:
                self.player.play()
            else:
                self.player.pause()
        self.retranslate()

    def _seek(self, ms: int) -> None:
        if self.player is not None:
            self.player.setPosition(ms)

    def _slider_action(self, action: int) -> None:
        """Clicks on the groove and arrow keys jump there (dragging is handled on release)."""
        if action != QSlider.SliderAction.SliderMove.value:
            self._seek(self.slider.sliderPosition())

    def _set_slider(self, ms: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(ms)
        self.slider.blockSignals(False)

    def _position_changed(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self._set_slider(ms)
            self._show_time(ms)

    def _duration_changed(self, ms: int) -> None:
        if ms > 0:
            self._length_ms = ms
            self.slider.setRange(0, ms)
            self._show_time(self.slider.value())

    def _state_changed(self, _state) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        if playing != self.play.isChecked():
            self.play.blockSignals(True)
            self.play.setChecked(playing)
            self.play.blockSignals(False)
        self.retranslate()

    def _error_changed(self) -> None:
        self._error = self.player.errorString()
        self.retranslate()

    def _show_time(self, ms: int) -> None:
        self.time.setText(f"{clock_time(ms)} / {clock_time(self._length_ms)}")

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
