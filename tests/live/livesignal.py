"""Signals with a 1 kHz marker, their detection (Goertzel), and the real ffmpeg CLI as a stream listener."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import numpy as np

from console.audio.ffmpeg import find_tools
from fixtures.audio import write_wav

RATE = 48000
MARKER_HZ = 1000.0
WINDOW = 960  # 20 ms: 1 kHz is exactly bin 20, so a Goertzel filter there measures its amplitude


def tone(freq: float, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(round(seconds * RATE)) / RATE)).astype(np.float32)


def speech_bed(seconds: float, seed: int = 1) -> np.ndarray:
    """Something to broadcast that is not a marker: a 300 Hz tone and a little noise."""
    noise = np.random.default_rng(seed).normal(0, 0.02, round(seconds * RATE))
    return (tone(300, seconds, 0.2) + noise).astype(np.float32)


def with_marker(seconds: float, at_s: float, burst_s: float = 0.2) -> np.ndarray:
    """``speech_bed`` with a 1 kHz burst (amplitude 0.5) replacing it at ``at_s``."""
    signal = speech_bed(seconds)
    start = round(at_s * RATE)
    burst = tone(MARKER_HZ, burst_s)
    signal[start:start + burst.size] = burst
    return signal


def marker_wav(path: Path, seconds: float, at_s: float) -> Path:
    return write_wav(path, with_marker(seconds, at_s))


def amplitude_at(samples: np.ndarray, freq: float) -> np.ndarray:
    """The amplitude of ``freq`` in each 20 ms window (Goertzel)."""
    n = samples.size // WINDOW
    windows = samples[:n * WINDOW].reshape(n, WINDOW).astype(np.float64)
    k = np.exp(-2j * np.pi * freq / RATE * np.arange(WINDOW))
    return 2 * np.abs(windows @ k) / WINDOW


def markers(samples: np.ndarray, min_windows: int = 2) -> list[float]:
    """Start times (s) of the 1 kHz bursts: at least ``min_windows`` windows (40 ms) in a row where
    the 1 kHz tone carries most of the window's energy and is not faint (amplitude above 0.1)."""
    marker = amplitude_at(samples, MARKER_HZ)
    n = marker.size
    rms = np.sqrt((samples[:n * WINDOW].reshape(n, WINDOW).astype(np.float64) ** 2).mean(axis=1))
    hit = (marker > 0.1) & (marker / np.sqrt(2) > 0.8 * rms)
    found, run = [], 0
    for i, h in enumerate(hit):
        run = run + 1 if h else 0
        if run == min_windows:
            found.append((i - min_windows + 1) * WINDOW / RATE)
    return found


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.fft.rfftfreq(samples.size, 1 / RATE)[spectrum.argmax()])


class FfmpegListener:
    """``ffmpeg -i URL -f s16le -`` in a thread: a real stream client, decoding to mono 48 kHz."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.process = subprocess.Popen(
            [find_tools().ffmpeg, "-nostdin", "-v", "error", "-i", url,
             "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._data = bytearray()
        self._stderr = b""
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._read, daemon=True),
                         threading.Thread(target=self._errors, daemon=True)]
        for t in self._threads:
            t.start()

    def _read(self) -> None:
        while chunk := self.process.stdout.read1(65536):
            with self._lock:
                self._data += chunk

    def _errors(self) -> None:
        self._stderr = self.process.stderr.read()

    @property
    def seconds(self) -> float:
        return len(self._data) / 2 / RATE

    def samples(self) -> np.ndarray:
        with self._lock:
            data = bytes(self._data[:len(self._data) // 2 * 2])
        return np.frombuffer(data, "<i2").astype(np.float32) / 32768

    def wait(self, timeout: float = 60) -> int:
        """ffmpeg's exit status once the stream has ended (and its output is all read)."""
        code = self.process.wait(timeout)
        for t in self._threads:
            t.join(timeout)
        return code

    @property
    def stderr(self) -> str:
        return self._stderr.decode(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.wait()
        self.process.stdout.close()
        self.process.stderr.close()
