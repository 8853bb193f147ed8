"""Playback of the edited audio through the default output, streamed from an in-memory render.

QtMultimedia is imported on first use. Without it, or without an output device (a headless test
machine), :attr:`Player.available` is False, ``play()`` does nothing and :meth:`unavailable_reason`
says why; the position can still be moved with ``seek()``, so the playhead and the editor work.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QIODevice, QObject, QTimer, Signal

Render = Callable[[int, int], np.ndarray]  # (start, end) frames -> mono float32 PCM


class _PcmStream(QIODevice):
    """A read-only device that hands the audio sink 16-bit PCM rendered on demand."""

    def __init__(self, read: Callable[[int], bytes], remaining: Callable[[], int], parent=None):
        super().__init__(parent)
        self._read = read
        self._remaining = remaining

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 - Qt override
        return self._read(maxlen)

    def bytesAvailable(self) -> int:  # noqa: N802 - Qt override: the sink pulls only what is announced
        return self._remaining() + super().bytesAvailable()

    def writeData(self, data) -> int:  # noqa: N802 - Qt override
        return -1

    def isSequential(self) -> bool:  # noqa: N802 - Qt override
        return True


class Player(QObject):
    """Plays frames ``[position, frames)`` of whatever ``render`` returns, and reports the position.

    ``position()`` is in frames: while playing, the frame the sink has consumed (its start plus
    the processed time); otherwise the last seek or pause position.
    """

    stateChanged = Signal(bool)  # playing

    NO_MULTIMEDIA, NO_DEVICE = "no-multimedia", "no-device"

    def __init__(self, parent=None):
        super().__init__(parent)
        self._render: Render | None = None
        self._frames = 0
        self._rate = 48000
        self._pos = 0        # position while stopped
        self._start = 0      # frame where the running sink started
        self._fed = 0        # next frame to hand to the sink
        self._sink = None
        self._stream: _PcmStream | None = None
        self._problem = ""
        self._device = None
        self._watch = QTimer(self)
        self._watch.setInterval(100)
        self._watch.timeout.connect(self._check_end)
        try:
            from PySide6.QtMultimedia import QMediaDevices
        except ImportError:
            self._problem = self.NO_MULTIMEDIA
        else:
            self._device = QMediaDevices.defaultAudioOutput()
            if self._device.isNull():
                self._problem = self.NO_DEVICE

    @property
    def available(self) -> bool:
        return not self._problem

    def unavailable_reason(self) -> str:
        """Why playback is off, in the interface language ("" when it works)."""
        if self._problem == self.NO_MULTIMEDIA:
            return self.tr("Playback is off: Qt Multimedia is not installed")
        if self._problem == self.NO_DEVICE:
            return self.tr("Playback is off: no sound output device was found")
        return ""

    def set_source(self, render: Render | None, frames: int, rate: int) -> None:
        """Play from ``render`` from now on; stops playback and keeps the position within ``frames``."""
        self.pause()
        self._render, self._frames, self._rate = render, frames, rate
        self._pos = min(self._pos, frames)

    def is_playing(self) -> bool:
        return self._sink is not None

    def position(self) -> int:
        if self._sink is None:
            return self._pos
        played = self._start + int(self._sink.processedUSecs() * self._rate / 1_000_000)
        return min(played, self._fed)

    def seek(self, frame: int) -> None:
        frame = max(0, min(int(frame), self._frames))
        if self._sink is None:
            self._pos = frame
            return
        self._stop_sink(frame)
        self._start_sink()

    def play(self) -> bool:
        """Start from the current position (from the start when at the end). False when unavailable."""
        if self._sink is not None:
            return True
        if self._problem or self._render is None or self._frames == 0:
            return False
        if self._pos >= self._frames:
            self._pos = 0
        self._start_sink()
        self.stateChanged.emit(True)
        return True

    def pause(self) -> None:
        if self._sink is None:
            return
        self._stop_sink(self.position())
        self.stateChanged.emit(False)

    def toggle(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def _start_sink(self) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink

        fmt = QAudioFormat()
        fmt.setSampleRate(self._rate)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._start = self._fed = self._pos
        self._stream = _PcmStream(self._read, lambda: 2 * (self._frames - self._fed), self)
        self._stream.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(self._device, fmt, self)
        self._sink.start(self._stream)
        self._watch.start()

    def _stop_sink(self, position: int) -> None:
        sink, stream = self._sink, self._stream
        self._sink = self._stream = None
        self._watch.stop()
        self._pos = position
        sink.stop()
        sink.deleteLater()
        stream.close()
        stream.deleteLater()

    def _read(self, maxlen: int) -> bytes:
        n = min(maxlen // 2, self._frames - self._fed)
        if n <= 0 or self._render is None:
            return b""
        pcm = self._render(self._fed, self._fed + n)
        self._fed += n
        return (np.clip(pcm, -1.0, 1.0) * 32767).astype("<i2").tobytes()

    def _check_end(self) -> None:
        """Stop at the end, once the sink has played everything. (Polled: PySide 6.11 cannot deliver the
        sink's stateChanged to Python, "QAudio::State cannot be converted".)"""
        from PySide6.QtMultimedia import QtAudio

        if self._sink is not None and self._fed >= self._frames and self._sink.state() == QtAudio.State.IdleState:
            self._stop_sink(self._frames)
            self.stateChanged.emit(False)
