"""The desk-microphone recorder: level meter, pause/resume, maximum duration, crash-safe files.

Threads (see docs/recording.md):

- the **capture thread** (the backend's: reading ``parec``'s output, or ``QAudioSource`` in a
  ``QThread``) only appends PCM chunks to a bounded queue, the ring buffer between capture and
  disk; overflow is counted;
- the **writer thread** (``recorder-writer``) owns every file and all disk I/O: it measures levels,
  appends to the WAV, patches, flushes and fsyncs it about once a second, checks free space and
  watches for a device that went silent. It is the only thread that changes :attr:`Recorder.state`;
- the **GUI thread** calls the plain methods below (each only posts a command, except that
  :meth:`open`/:meth:`close` start and stop the capture backend) and polls :attr:`levels` and
  :attr:`elapsed` on a 30 Hz timer, or listens to the signals.
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import shutil
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal, Slot

from console.audio.capture import (
    CaptureBackend,
    CaptureError,
    CaptureFormat,
    InputDevice,
    available,
    default_backend,
)
from console.audio.wavjournal import (
    FINISHED,
    PAUSED,
    RECORDING,
    WavWriter,
    discard,
    find_unfinished,
    recover,
    write_journal,
)

log = logging.getLogger(__name__)

# Why a recording stopped (the ``stopped`` signal's first argument; translate with the "Recorder" context).
STOPPED_BY_USER = QT_TRANSLATE_NOOP("Recorder", "stopped by user")
MAX_DURATION_REACHED = QT_TRANSLATE_NOOP("Recorder", "maximum duration reached")
DISK_ALMOST_FULL = QT_TRANSLATE_NOOP("Recorder", "disk almost full")
DEVICE_LOST = QT_TRANSLATE_NOOP("Recorder", "device lost")
WRITE_FAILED = QT_TRANSLATE_NOOP("Recorder", "write failed")

# Recorder states. "closed": no input device open; "monitoring": the meter runs, nothing is written.
CLOSED, MONITORING = "closed", "monitoring"

FLOOR_DB = -100.0  # what the meter reports for digital silence
LEVELS_HZ = 30.0  # level updates per second, at most
SYNC_INTERVAL_S = 1.0  # header patch + fsync, free-space check, silence watchdog
SILENCE_TIMEOUT_S = 2.0  # an open device that delivers nothing this long is lost
GUARD_SECONDS = 5.0  # stop while this much audio would still fit above the reserve
QUEUE_CHUNKS = 2000  # ring buffer between capture and writer: tens of seconds of audio
MB = 1024 * 1024

_AUDIO, _OPEN, _START, _PAUSE, _RESUME, _STOP, _CLOSE, _QUIT = range(8)


def free_bytes(path: Path) -> int:
    """Free space for ``path``'s file system (a function so a test can replace it)."""
    return shutil.disk_usage(path).free


def disk_guard_bytes(reserve_bytes: int, rate: int) -> int:
    """Free space below which a recording stops: the reserve, or a few seconds of audio if more."""
    return max(reserve_bytes, int(GUARD_SECONDS * rate * 2))


def dbfs(value: float) -> float:
    """A linear level relative to full scale (1.0), in dBFS, never below :data:`FLOOR_DB`."""
    return max(FLOOR_DB, 20 * math.log10(value)) if value > 0 else FLOOR_DB


class LevelMeter:
    """Peak and RMS (dBFS) of the audio since the previous reading, at most ``rate_hz`` readings a second.

    Full scale is 32768 for both, so a sine of amplitude 0.5 reads -6.0 dBFS peak and -9.0 dBFS RMS.
    """

    def __init__(self, rate_hz: float = LEVELS_HZ, clock: Callable[[], float] = time.monotonic) -> None:
        self.latest = (FLOOR_DB, FLOOR_DB)
        self._interval = 1.0 / rate_hz
        self._clock = clock
        self._last = clock()
        self._peak = 0.0
        self._squares = 0.0
        self._count = 0

    def add(self, samples: np.ndarray) -> bool:
        """Account for PCM16 samples; True when a new reading is in :attr:`latest`."""
        if samples.size:
            wide = samples.astype(np.float64)
            self._peak = max(self._peak, float(np.abs(wide).max()))
            self._squares += float(np.dot(wide, wide))
            self._count += samples.size
        now = self._clock()
        if not self._count or now - self._last < self._interval:
            return False
        self.latest = (dbfs(self._peak / 32768), dbfs(math.sqrt(self._squares / self._count) / 32768))
        self._last, self._peak, self._squares, self._count = now, 0.0, 0.0, 0
        return True


class Recorder(QObject):
    """Records the chosen input device to ``directory`` (the data dir's ``recordings/``).

    Drive it with :meth:`open` (meter on), :meth:`start`, :meth:`pause`, :meth:`resume`, :meth:`stop`,
    :meth:`close`; call :meth:`shutdown` at exit. No method waits for the disk (only shutdown waits
    for the writer thread): what happened arrives by the signals, emitted on the writer thread and
    so queued to GUI-thread receivers, and in the attributes below.
    """

    levelsChanged = Signal(float, float)  # peak dBFS, RMS dBFS; at most LEVELS_HZ times a second
    stateChanged = Signal(str)  # "closed", "monitoring", "recording", "paused"
    stopped = Signal(str, str)  # reason (STOPPED_BY_USER, ...), path of the kept WAV ("" if none was made)
    error = Signal(str)  # the device failed while no recording was running (one clear line)
    _deviceLost = Signal(int)  # writer thread -> GUI thread: stop the capture of this session

    def __init__(self, directory: str | Path, *, user: str = "", backend: CaptureBackend | None = None,
                 rate: int = 48000, reserve_bytes: int = 50 * MB, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = Path(directory)
        self.user = user
        self.rate = rate
        self.reserve_bytes = reserve_bytes
        self._backend = backend or default_backend()
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._session = 0  # one per open(); a stale device-lost report is ignored
        self._capturing = False
        # Read from any thread; written by the writer thread only.
        self.state = CLOSED
        self.device: InputDevice | None = None
        self.levels = (FLOOR_DB, FLOOR_DB)
        self.elapsed = 0.0  # seconds recorded (pauses excluded)
        self.path: Path | None = None  # the current or last recording
        self.stop_reason: str | None = None
        self.dropped_chunks = 0  # audio chunks lost because the writer fell behind
        self._deviceLost.connect(self._on_device_lost)

    # --- GUI thread ---------------------------------------------------------------------------
    def devices(self) -> list[InputDevice]:
        return self._backend.devices()

    def open(self, device_id: str | None = None) -> None:
        """Open an input device (``None``: the system default) and run the level meter.

        Opening another device while recording finishes that recording ("stopped by user").
        Raises :class:`CaptureError` if the device cannot be used.
        """
        self._backend.stop()
        self._capturing = False
        self._session += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="recorder-writer", daemon=True)
            self._thread.start()
        try:
            fmt = self._backend.start(device_id, self.rate, 1, self._on_chunk)
        except CaptureError:
            self._queue.put((_CLOSE,))
            raise
        self._capturing = True
        self._queue.put((_OPEN, self._session, fmt))

    def start(self, max_duration: float | None = None) -> None:
        """Start recording (opening the default device if none is open); stops by itself after
        ``max_duration`` seconds of audio."""
        if not self._capturing:
            self.open()
        self._queue.put((_START, max_duration))

    def pause(self) -> None:
        self._queue.put((_PAUSE,))

    def resume(self) -> None:
        self._queue.put((_RESUME,))

    def stop(self) -> None:
        self._queue.put((_STOP, STOPPED_BY_USER))

    def close(self) -> None:
        """Release the input device (a recording in progress is finished first)."""
        self._backend.stop()
        self._capturing = False
        if self._thread is not None:
            self._queue.put((_CLOSE,))

    def shutdown(self) -> None:
        """Close, then wait for the writer thread to finish the files (call at exit)."""
        self.close()
        if self._thread is not None:
            self._queue.put((_QUIT,))
            self._thread.join()
            self._thread = None

    @Slot(int)
    def _on_device_lost(self, session: int) -> None:
        if session == self._session and self._capturing:
            self._backend.stop()
            self._capturing = False

    # --- capture thread -----------------------------------------------------------------------
    def _on_chunk(self, data: bytes) -> None:
        if self._queue.qsize() >= QUEUE_CHUNKS:
            self.dropped_chunks += 1
        else:
            self._queue.put((_AUDIO, data))

    # --- writer thread ------------------------------------------------------------------------
    def _run(self) -> None:
        writer = _Writer(self)
        next_tick = time.monotonic() + SYNC_INTERVAL_S
        while True:
            try:
                item = self._queue.get(timeout=0.2)
            except queue.Empty:
                item = None
            if item is not None and item[0] == _QUIT:
                writer.close()
                return
            try:  # a bug in one step must not kill the thread that keeps the file safe
                if item is not None:
                    writer.handle(item)
                now = time.monotonic()
                if now >= next_tick:
                    next_tick = now + SYNC_INTERVAL_S
                    writer.tick(now)
            except Exception:
                log.exception("recorder writer")


class _Writer:
    """The writer thread's state: the open device's format, the level meter and the current file."""

    def __init__(self, recorder: Recorder) -> None:
        self.rec = recorder
        self.session = 0
        self.format: CaptureFormat | None = None
        self.meter = LevelMeter()
        self.carry = b""  # a partial frame left over from the previous chunk
        self.last_audio = 0.0
        self.wav: WavWriter | None = None
        self.journal: dict = {}
        self.max_frames: int | None = None
        self.paused = False

    def set_state(self, state: str) -> None:
        if state != self.rec.state:
            self.rec.state = state
            self.rec.stateChanged.emit(state)

    def handle(self, item: tuple) -> None:
        kind = item[0]
        if kind == _AUDIO:
            if self.format is not None:
                self.audio(item[1])
        elif kind == _OPEN:
            self.finish(STOPPED_BY_USER)
            _, self.session, self.format = item
            self.rec.device = self.format.device
            self.carry = b""
            self.last_audio = time.monotonic()
            self.set_state(MONITORING)
        elif kind == _START:
            self.begin(item[1])
        elif kind in (_PAUSE, _RESUME):
            self.set_paused(kind == _PAUSE)
        elif kind == _STOP:
            self.finish(item[1])
        elif kind == _CLOSE:
            self.close()

    def close(self) -> None:
        self.finish(STOPPED_BY_USER, CLOSED)
        self.format = None
        self.rec.levels = (FLOOR_DB, FLOOR_DB)
        self.rec.levelsChanged.emit(FLOOR_DB, FLOOR_DB)
        self.set_state(CLOSED)

    def audio(self, data: bytes) -> None:
        self.last_audio = time.monotonic()
        channels = self.format.channels
        data = self.carry + data
        whole = len(data) - len(data) % (2 * channels)
        self.carry = data[whole:]
        samples = np.frombuffer(data[:whole], dtype="<i2")
        if channels > 1:
            samples = samples.reshape(-1, channels).mean(axis=1).round().astype("<i2")
        if self.meter.add(samples):
            self.rec.levels = self.meter.latest
            self.rec.levelsChanged.emit(*self.meter.latest)
        if self.wav is None or self.paused:
            return
        if self.max_frames is not None:
            samples = samples[:self.max_frames - self.wav.frames]
        try:
            self.wav.write(samples.tobytes())
        except OSError as e:
            log.error("recording %s: %s", self.wav.path, e)
            self.finish(WRITE_FAILED)
            return
        self.rec.elapsed = self.wav.frames / self.wav.rate
        if self.max_frames is not None and self.wav.frames >= self.max_frames:
            self.finish(MAX_DURATION_REACHED)

    def tick(self, now: float) -> None:
        """Once a second: the silence watchdog, then make the file durable and check free space."""
        if self.format is not None and now - self.last_audio > SILENCE_TIMEOUT_S:
            name = self.format.device.name
            if self.wav is None:
                self.rec.error.emit(f"{name}: no audio for {SILENCE_TIMEOUT_S:g} s, the device was closed")
            self.finish(DEVICE_LOST, CLOSED)
            self.close()
            self.rec._deviceLost.emit(self.session)
            return
        if self.wav is None:
            return
        try:
            self.wav.sync()
            low = free_bytes(self.rec.directory) < disk_guard_bytes(self.rec.reserve_bytes, self.wav.rate)
        except OSError as e:
            log.error("recording %s: %s", self.wav.path, e)
            self.finish(WRITE_FAILED)
            return
        if low:
            self.finish(DISK_ALMOST_FULL)

    def begin(self, max_duration: float | None) -> None:
        if self.format is None or self.wav is not None:
            return
        rec, rate, wav = self.rec, self.format.rate, None
        try:
            rec.directory.mkdir(parents=True, exist_ok=True)
            if free_bytes(rec.directory) < disk_guard_bytes(rec.reserve_bytes, rate):
                rec.stop_reason = DISK_ALMOST_FULL
                rec.stopped.emit(DISK_ALMOST_FULL, "")
                return
            wav = _create_wav(rec.directory, rate)
            self.journal = {"device": self.format.device.name, "device_id": self.format.device.id,
                            "user": rec.user, "started_at": datetime.now(UTC).isoformat(),
                            "rate": rate, "channels": 1}
            self.save_journal(wav.path, RECORDING)
        except OSError as e:
            log.error("cannot start a recording in %s: %s", rec.directory, e)
            if wav is not None:
                with contextlib.suppress(OSError):
                    wav.close()
                    discard(wav.path)
            rec.stop_reason = WRITE_FAILED
            rec.stopped.emit(WRITE_FAILED, "")
            return
        self.wav = wav
        self.max_frames = round(max_duration * rate) if max_duration else None
        self.paused = False
        rec.path, rec.elapsed, rec.stop_reason = wav.path, 0.0, None
        self.set_state(RECORDING)

    def set_paused(self, paused: bool) -> None:
        if self.wav is None or paused == self.paused:
            return
        self.paused = paused
        try:
            self.save_journal(self.wav.path, PAUSED if paused else RECORDING)
        except OSError as e:
            log.error("journal of %s: %s", self.wav.path, e)
        self.set_state(PAUSED if paused else RECORDING)

    def save_journal(self, wav: Path, state: str) -> None:
        self.journal["state"] = state
        write_journal(wav, self.journal)

    def finish(self, reason: str, next_state: str = MONITORING) -> None:
        """End the current recording, keeping what was written; nothing to do if none is running."""
        wav = self.wav
        if wav is None:
            return
        self.wav = None
        try:
            wav.close()
        except OSError as e:
            log.error("recording %s: %s", wav.path, e)
        try:
            self.journal.update(duration_s=wav.frames / wav.rate, stop_reason=reason,
                                stopped_at=datetime.now(UTC).isoformat())
            self.save_journal(wav.path, FINISHED)
        except OSError as e:  # it stays "recording": the next start offers to recover it
            log.error("journal of %s: %s", wav.path, e)
        self.rec.stop_reason = reason
        self.set_state(next_state)
        self.rec.stopped.emit(reason, str(wav.path))


def _create_wav(directory: Path, rate: int) -> WavWriter:
    stem = "rec-" + datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        try:
            return WavWriter.create(directory / f"{stem}{f'-{n}' if n > 1 else ''}.wav", rate)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free recording name for {stem} in {directory}")


__all__ = [
    "CLOSED",
    "DEVICE_LOST",
    "DISK_ALMOST_FULL",
    "FLOOR_DB",
    "MAX_DURATION_REACHED",
    "MONITORING",
    "PAUSED",
    "RECORDING",
    "STOPPED_BY_USER",
    "WRITE_FAILED",
    "CaptureBackend",
    "CaptureError",
    "InputDevice",
    "LevelMeter",
    "Recorder",
    "available",
    "dbfs",
    "discard",
    "disk_guard_bytes",
    "find_unfinished",
    "free_bytes",
    "recover",
]
