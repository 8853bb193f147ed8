"""Audio input behind one small interface (as ``friture/audiobackend.py`` does for its audio).

:class:`CaptureBackend` is what the recorder needs from a microphone: list the input devices, start
capturing PCM16 from one of them (chunks handed to a callback on the capture thread) and stop.
:func:`default_backend` picks the implementation:

- :class:`PulseCaptureBackend` on Linux: PulseAudio's own recorder ``parec`` in a child process (also
  what PipeWire's Pulse server offers). QtMultimedia 6.11 asks PulseAudio for a server-side buffer of
  only 1024 frames (about 21 ms), so any scheduling delay longer than that drops audio; we measured
  12-30 % of the audio lost under CPU load, and occasional 10-80 ms gaps on an idle machine, where
  ``parec`` (a 4 MB server buffer, a process of its own, no GIL) lost nothing. See docs/recording.md.
- :class:`QtCaptureBackend` elsewhere (Windows, macOS) or without ``parec``: ``QAudioSource`` in its
  own ``QThread`` with its own event loop. QtMultimedia is imported lazily: if it cannot load (a
  missing system audio library), the console still starts and :func:`available` says why.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QThread

log = logging.getLogger(__name__)


class CaptureError(RuntimeError):
    """The input device cannot be opened; the message is one clear line."""


@dataclass(frozen=True)
class InputDevice:
    id: str
    name: str
    is_default: bool = False


@dataclass(frozen=True)
class CaptureFormat:
    """What a started capture actually delivers: PCM16 interleaved at ``rate`` with ``channels``."""

    device: InputDevice
    rate: int
    channels: int


class CaptureBackend(Protocol):
    def devices(self) -> list[InputDevice]:
        """The input devices, the system default marked."""

    def start(self, device_id: str | None, rate: int, channels: int,
              on_chunk: Callable[[bytes], None]) -> CaptureFormat:
        """Capture from a device (``None``: the default). ``on_chunk`` gets PCM16 bytes on the capture
        thread and must return quickly. Raises :class:`CaptureError` if the device cannot be used."""

    def stop(self) -> None:
        """Stop capturing; no ``on_chunk`` call happens after this returns."""


def _use_parec() -> bool:
    return sys.platform.startswith("linux") and bool(shutil.which("parec") and shutil.which("pactl"))


def default_backend() -> CaptureBackend:
    return PulseCaptureBackend() if _use_parec() else QtCaptureBackend()


def available() -> tuple[bool, str]:
    """Whether audio input can work here, and if not, why (the recorder is then unavailable)."""
    if _use_parec():
        try:
            _pactl("info")
        except CaptureError as e:
            return False, str(e)
        return True, ""
    try:
        import PySide6.QtMultimedia  # noqa: F401
    except (ImportError, OSError) as e:
        return False, f"QtMultimedia cannot be loaded: {e}"
    return True, ""


def _pactl(*args: str) -> str:
    try:
        done = subprocess.run(["pactl", *args], capture_output=True, encoding="utf-8", errors="replace",
                              timeout=10, check=False, env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.TimeoutExpired) as e:
        raise CaptureError(f"pactl: {e}") from None
    if done.returncode:
        raise CaptureError(f"no PulseAudio server: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


class PulseCaptureBackend:
    """Microphone input through ``parec`` (PulseAudio, or PipeWire's Pulse server) in a child process.

    ``parec -v`` reports on stderr when the server moves the stream to another source, which it does
    when the chosen microphone disappears; the capture then stops, and the recorder, hearing nothing
    more, reports the device as lost rather than recording the wrong microphone.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._threads: list[threading.Thread] = []

    def devices(self) -> list[InputDevice]:
        default = re.search(r"^Default Source: (.*)$", _pactl("info"), re.MULTILINE)
        found = []
        for block in _pactl("list", "sources").split("Source #")[1:]:
            fields = dict(re.findall(r"^\s*(Name|Description|Monitor of Sink): (.*)$", block, re.MULTILINE))
            if "Name" in fields and fields.get("Monitor of Sink", "n/a") == "n/a":  # no sink monitors
                name = fields["Name"]
                found.append(InputDevice(name, fields.get("Description", name),
                                         default is not None and name == default.group(1)))
        return found

    def start(self, device_id: str | None, rate: int, channels: int,
              on_chunk: Callable[[bytes], None]) -> CaptureFormat:
        if self._process is not None:
            raise CaptureError("capture already running")
        devices = self.devices()
        # The default is resolved to its name, so the stream stays on it if the default changes.
        device = next((d for d in devices if (d.is_default if device_id is None else d.id == device_id)), None)
        if device is None:
            raise CaptureError("no audio input device" if device_id is None
                               else f"audio input device {device_id!r} not found")
        try:
            process = subprocess.Popen(
                ["parec", "-v", f"--device={device.id}", f"--rate={rate}", f"--channels={channels}",
                 "--format=s16le", "--raw", "--latency-msec=20", "--client-name=tt-console",
                 "--stream-name=recorder"],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env={**os.environ, "LC_ALL": "C"})
        except OSError as e:
            raise CaptureError(f"parec: {e}") from None
        self._process = process
        # Daemons: should the process exit without stop(), parec ends on its next write (SIGPIPE).
        self._threads = [threading.Thread(target=self._read, args=(process, on_chunk), name="audio-capture",
                                          daemon=True),
                         threading.Thread(target=self._watch, args=(process,), name="audio-capture-log",
                                          daemon=True)]
        for t in self._threads:
            t.start()
        return CaptureFormat(device, rate, channels)

    @staticmethod
    def _read(process: subprocess.Popen, on_chunk: Callable[[bytes], None]) -> None:
        fd = process.stdout.fileno()
        while data := os.read(fd, 8192):
            on_chunk(data)

    @staticmethod
    def _watch(process: subprocess.Popen, keep: int = 4096) -> None:
        """Follow parec's verbose stderr: stop on a moved stream, log a stream error."""
        fd, seen = process.stderr.fileno(), b""
        while data := os.read(fd, 4096):
            seen = (seen + data)[-keep:]
            if b"Stream moved to device" in seen:
                log.warning("audio input: the device went away (the server moved the stream); capture stopped")
                process.terminate()
                seen = b""
            elif b"Stream error" in seen:
                log.warning("audio input: %s", seen[seen.rindex(b"Stream error"):].decode(errors="replace").strip())
                seen = b""

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        self._process.wait()
        for t in self._threads:
            t.join()
        self._process.stdout.close()
        self._process.stderr.close()
        self._process, self._threads = None, []


def _device_id(device) -> str:
    return bytes(device.id()).decode("utf-8", "replace")


class _CaptureThread(QThread):
    """Owns the QAudioSource: created, read and destroyed in this thread, driven by its event loop."""

    def __init__(self, device, audio_format, on_chunk: Callable[[bytes], None]) -> None:
        super().__init__()
        self.setObjectName("audio-capture")
        self._device = device
        self._format = audio_format
        self._on_chunk = on_chunk

    def run(self) -> None:
        from PySide6.QtMultimedia import QAudioSource

        source = QAudioSource(self._device, self._format)
        # A second of ring buffer between Qt's audio thread and this one, which needs the GIL.
        source.setBufferSize(self._format.bytesForDuration(1_000_000))
        io = source.start()
        if io is None:
            return  # no audio will come; the recorder's watchdog reports the device as lost

        def read() -> None:
            data = io.readAll().data()
            if data:
                self._on_chunk(data)

        # ``io`` lives in this thread, so readyRead is delivered here, by this thread's event loop.
        io.readyRead.connect(read)
        self.exec()
        source.stop()


class QtCaptureBackend:
    """Microphone input through QtMultimedia's QAudioSource (push mode, in a QThread)."""

    def __init__(self) -> None:
        self._thread: _CaptureThread | None = None

    def devices(self) -> list[InputDevice]:
        from PySide6.QtMultimedia import QMediaDevices

        return [InputDevice(_device_id(d), d.description(), d.isDefault()) for d in QMediaDevices.audioInputs()]

    def start(self, device_id: str | None, rate: int, channels: int,
              on_chunk: Callable[[bytes], None]) -> CaptureFormat:
        from PySide6.QtMultimedia import QAudioFormat, QMediaDevices

        if self._thread is not None:
            raise CaptureError("capture already running")
        if device_id is None:
            device = QMediaDevices.defaultAudioInput()
            if device.isNull():
                raise CaptureError("no audio input device")
        else:
            device = next((d for d in QMediaDevices.audioInputs() if _device_id(d) == device_id), None)
            if device is None:
                raise CaptureError(f"audio input device {device_id!r} not found")
        fmt = QAudioFormat()
        fmt.setSampleRate(rate)
        fmt.setChannelCount(channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(fmt):
            # The device's own rate and channel count, still as PCM16 (the recorder mixes down to mono).
            preferred = device.preferredFormat()
            fmt.setSampleRate(preferred.sampleRate())
            fmt.setChannelCount(preferred.channelCount())
            if not device.isFormatSupported(fmt):
                raise CaptureError(f"{device.description()}: 16-bit capture is not supported")
        self._thread = _CaptureThread(device, fmt, on_chunk)
        self._thread.start()
        return CaptureFormat(InputDevice(_device_id(device), device.description(), device.isDefault()),
                             fmt.sampleRate(), fmt.channelCount())

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
