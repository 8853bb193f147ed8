"""Audio sources for live broadcasts: 20 ms blocks of float32 mono 48 kHz, each with its capture time.

Every source has the same small interface (:class:`Source`):

- ``start()`` opens the device or file and, for a microphone, starts capturing; it raises
  :class:`SourceError` (one clear line) when that cannot be done, so a caller learns it before going
  on air. Calling it is optional: ``blocks()`` starts the source if needed.
- ``blocks()`` yields :class:`Block` s, ``samples`` (960 float32 samples in -1..1) and ``t`` (epoch
  seconds at which the block's first sample was captured), on the caller's thread, as they are
  captured: a microphone delivers a block every 20 ms, a file source is paced the same way
  (``realtime=False``: as fast as it decodes). It ends at the end of the file, when the device is
  lost, or soon after ``stop()``; ``end_reason`` then says which (:data:`END_OF_FILE`,
  :data:`DEVICE_LOST`, :data:`STOPPED`). A source is used once.
- ``stop()`` may be called from any thread, also before or after ``blocks()`` ends.

:class:`MicSource` reads a microphone through console/audio/capture.py (``parec`` on Linux) on the
backend's own thread, :class:`WavFileSource` any file ffmpeg decodes (through PyAV),
:class:`ArraySource` samples in memory (the chime). :func:`chime` is the announcement chime, from
``resources/sounds/chime.wav``, which :func:`write_chime` generates
(``python -c "from console.live.source import write_chime; write_chime()"``).
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
import wave
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple, Protocol

import av
import numpy as np

from console.audio.capture import CaptureBackend, CaptureError, default_backend

RATE = 48000
BLOCK = 960  # 20 ms
BLOCK_S = BLOCK / RATE
SILENCE_TIMEOUT_S = 2.0  # a microphone that delivers nothing this long is lost (as in the recorder)
CHIME_PATH = Path(__file__).resolve().parents[2] / "resources" / "sounds" / "chime.wav"

# Why blocks() ended.
END_OF_FILE = "end of file"
DEVICE_LOST = "device lost"
STOPPED = "stopped"


class SourceError(RuntimeError):
    """The source cannot be opened; the message is one clear line."""


class Block(NamedTuple):
    samples: np.ndarray  # float32, mono, 48 kHz; BLOCK samples (a file's last block is padded)
    t: float  # epoch seconds at which samples[0] was captured


class Source(Protocol):
    name: str  # what it is, for logs and the archive's journal
    end_reason: str | None

    def start(self) -> None: ...

    def blocks(self) -> Iterator[Block]: ...

    def stop(self) -> None: ...


def _float_mono(frames: Iterable[av.AudioFrame], resampler: av.AudioResampler) -> Iterator[np.ndarray]:
    """Decoded frames (any rate, layout, sample format) as float32 mono 48 kHz arrays, then the
    resampler's tail."""
    for frame in itertools.chain(frames, [None]):
        for out in resampler.resample(frame):
            yield out.to_ndarray().reshape(-1)


def _resampler() -> av.AudioResampler:
    return av.AudioResampler(format="flt", layout="mono", rate=RATE)


class _PacedSource:
    """Cuts a stream of float32 arrays into blocks and, with ``realtime``, hands each out when a
    microphone would have: block k (first sample at t0 + k * 20 ms) once its last sample is "captured"."""

    name = "samples"

    def __init__(self, realtime: bool = True) -> None:
        self.realtime = realtime
        self.end_reason: str | None = None
        self._stop = threading.Event()

    def _arrays(self) -> Iterator[np.ndarray]:
        raise NotImplementedError

    def start(self) -> None:
        pass

    def stop(self) -> None:
        self._stop.set()

    def blocks(self) -> Iterator[Block]:
        self.start()
        t0, start, k = time.time(), time.monotonic(), 0
        pending = np.empty(0, np.float32)
        arrays = self._arrays()
        try:
            while True:
                chunk = next(arrays, None)
                if chunk is not None:
                    pending = np.concatenate((pending, chunk))
                elif pending.size:
                    pending = np.concatenate((pending, np.zeros(-pending.size % BLOCK, np.float32)))
                while pending.size >= BLOCK:
                    wait = start + (k + 1) * BLOCK_S - time.monotonic() if self.realtime else 0.0
                    if self._stop.wait(wait) if wait > 0 else self._stop.is_set():
                        self.end_reason = STOPPED
                        return
                    yield Block(pending[:BLOCK], t0 + k * BLOCK_S)
                    pending, k = pending[BLOCK:], k + 1
                if chunk is None:
                    self.end_reason = END_OF_FILE
                    return
        finally:
            arrays.close()


class ArraySource(_PacedSource):
    """Samples in memory (float32 mono 48 kHz), paced like a microphone."""

    def __init__(self, samples: np.ndarray, realtime: bool = True) -> None:
        super().__init__(realtime)
        self.samples = np.asarray(samples, np.float32).reshape(-1)

    def _arrays(self) -> Iterator[np.ndarray]:
        yield self.samples


class WavFileSource(_PacedSource):
    """Any audio (or video) file ffmpeg decodes, as 48 kHz mono, paced in real time unless told not to;
    ends at the end of the file. Opened by ``start()`` (SourceError for a missing or undecodable file)."""

    def __init__(self, path: str | Path, realtime: bool = True) -> None:
        super().__init__(realtime)
        self.path = Path(path)
        self.name = str(self.path)
        self._container: av.container.InputContainer | None = None

    def start(self) -> None:
        if self._container is not None:
            return
        try:
            container = av.open(str(self.path))
        except (av.FFmpegError, OSError) as e:
            raise SourceError(f"{self.path}: {e}") from None
        if not container.streams.audio:
            container.close()
            raise SourceError(f"{self.path}: no audio stream")
        self._container = container

    def _arrays(self) -> Iterator[np.ndarray]:
        container = self._container
        try:
            yield from _float_mono(container.decode(audio=0), _resampler())
        except av.FFmpegError:  # damage further in: what was decoded has been played
            pass
        finally:
            container.close()


class MicSource:
    """A microphone (``device_id``; None: the system default) through the capture backend, which calls
    back on its own thread; ``blocks()`` hands the audio over on the caller's thread.

    Times: ``parec`` delivers PCM in bursts, late by varying amounts. The capture time of the
    stream's first sample is estimated as ``min(arrival - samples received so far / rate)`` over every
    chunk received, the least delayed arrival, and block k's time is that plus k * 20 ms. The estimate
    only moves earlier as less delayed chunks arrive, so a step between blocks may be a little shorter
    than 20 ms (by a few ms at the start, typically).
    """

    def __init__(self, device_id: str | None = None, backend: CaptureBackend | None = None) -> None:
        self.device_id = device_id
        self.device = None  # the InputDevice once started
        self.end_reason: str | None = None
        self._backend = backend if backend is not None else default_backend()
        self._chunks: queue.SimpleQueue = queue.SimpleQueue()  # (arrival epoch s, pcm16 bytes); None: stop
        self._format = None
        self._capturing = False
        self._lock = threading.Lock()  # start/stop of the backend, from blocks()' thread and stop()'s
        self._stopped = threading.Event()

    @property
    def name(self) -> str:
        return self.device.name if self.device else self.device_id or "default microphone"

    def start(self) -> None:
        with self._lock:
            if self._format is not None:
                return
            if self._stopped.is_set():
                raise SourceError("the microphone source was stopped")
            try:
                self._format = self._backend.start(self.device_id, RATE, 1,
                                                   lambda data: self._chunks.put((time.time(), data)))
            except CaptureError as e:
                raise SourceError(str(e)) from None
            self._capturing = True
            self.device = self._format.device

    def stop(self) -> None:
        self._stopped.set()
        self._chunks.put(None)
        self._release()

    def _release(self) -> None:
        with self._lock:
            if self._capturing:
                self._capturing = False
                self._backend.stop()

    def _converter(self):
        """PCM16 bytes (whole frames) -> float32 mono 48 kHz: channels averaged, then resampled."""
        rate, channels = self._format.rate, self._format.channels

        def mono(data: bytes) -> np.ndarray:
            pcm = np.frombuffer(data, "<i2").astype(np.float32) / 32768
            return pcm if channels == 1 else pcm.reshape(-1, channels).mean(axis=1, dtype=np.float32)

        if rate == RATE:
            return mono
        resampler = _resampler()

        def convert(data: bytes) -> np.ndarray:
            frame = av.AudioFrame.from_ndarray(mono(data).reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = rate
            outs = [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
            return np.concatenate(outs) if outs else np.empty(0, np.float32)

        return convert

    def blocks(self) -> Iterator[Block]:
        self.start()
        convert, frame_bytes = self._converter(), 2 * self._format.channels
        pending, rest = np.empty(0, np.float32), b""
        received = sent = 0  # samples at 48 kHz
        first: float | None = None  # estimated capture time of the first sample
        try:
            while not self._stopped.is_set():
                try:
                    item = self._chunks.get(timeout=SILENCE_TIMEOUT_S)
                except queue.Empty:
                    self.end_reason = DEVICE_LOST
                    return
                if item is None:
                    break
                arrived, data = item
                data, rest = rest + data, b""
                if cut := len(data) % frame_bytes:
                    data, rest = data[:-cut], data[-cut:]
                samples = convert(data)
                received += samples.size
                estimate = arrived - received / RATE
                first = estimate if first is None else min(first, estimate)
                pending = np.concatenate((pending, samples))
                while pending.size >= BLOCK:
                    yield Block(pending[:BLOCK], first + sent / RATE)
                    pending, sent = pending[BLOCK:], sent + BLOCK
            self.end_reason = STOPPED
        finally:
            self._release()


# --- the chime ---------------------------------------------------------------------------------------

def make_chime(rate: int = RATE) -> np.ndarray:
    """A two-tone "ding-dong", 1000 Hz then 800 Hz (a major third down), bell-like partials, 1.2 s,
    peaking at -6 dBFS.

    The first tone is also the marker of docs/live.md (1 kHz, here about 0.4 s long): devices report
    ``live.marker`` for it, so each broadcast with a chime tells every device's latency from ``t0``.
    The second tone ends that burst (800 Hz is a whole number of 10 ms or 20 ms windows' bins away
    from 1 kHz, so it does not leak into the marker's), so the chime makes exactly one marker.
    """
    length = round(1.2 * rate)
    t = np.arange(length) / rate
    out = np.zeros(length)
    for start, freq in ((0.0, 1000.0), (0.42, 800.0)):
        local = t - start
        attack = np.clip(local / 0.006, 0, 1)  # 6 ms: no click
        tone = sum(w * np.exp(-local / decay) * np.sin(2 * np.pi * m * freq * local)
                   for m, w, decay in ((1, 1.0, 0.45), (2, 0.3, 0.2), (3, 0.1, 0.1)))
        out += np.where(local >= 0, attack * tone, 0.0)
    out *= np.clip((length - np.arange(length)) / (0.08 * rate), 0, 1)  # fade to silence at the end
    return (0.5 * out / np.abs(out).max()).astype(np.float32)


def write_chime(path: str | Path = CHIME_PATH) -> Path:
    """Write :func:`make_chime` as a PCM16 mono 48 kHz WAV (how resources/sounds/chime.wav was made)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.round(make_chime() * 32767).astype("<i2").tobytes())
    return path


@cache
def _load_chime(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
            raise SourceError(f"{path}: the chime must be PCM16 mono {RATE} Hz")
        samples = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    samples.flags.writeable = False
    return samples


def chime(path: str | Path = CHIME_PATH) -> np.ndarray:
    """The announcement chime's samples (float32 mono 48 kHz, read-only), from resources/sounds/chime.wav."""
    return _load_chime(Path(path))

