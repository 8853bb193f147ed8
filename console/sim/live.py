"""What a simulated device does with a live stream: pull it over HTTP, decode it, find marker tones.

:func:`pull` runs in a decoder thread of the fleet (console/sim/fleet.py); it reports through
callbacks and returns why it ended. :class:`ToneDetector` finds the marker bursts of docs/live.md
(1 kHz, at least 40 ms) in the decoded audio.

PyAV (``av.open`` on the URL) is used rather than an ffmpeg subprocess: it opens HTTP with a
connect/read timeout, hands out decoded frames as they come (so the time a frame leaves the decoder
is known to the millisecond, with no pipe in between), costs no process per device and is stopped
between frames by a flag. Low-delay options: a small probe and a near-zero analysis duration
(without them opening a 64 kbit/s stream takes 1.3 s instead of 0.25 s). ``fflags=nobuffer`` is not
used: it drops the packets read while opening, so the first 100-200 ms of the stream would be
lost. The MP3 demuxer reads 1,024-byte packets, so at 64 kbit/s audio leaves the decoder up to
about 130 ms after its bytes arrived.
"""

from __future__ import annotations

import errno
import threading
from typing import Callable

import av
import numpy as np

MARKER_HZ = 1000.0
WINDOW_S = 0.010
MARKER_RATIO = 0.5  # share of a window's energy in the 1 kHz bin for the window to hold the tone
MARKER_FLOOR = 1e-5  # mean square under which a window is silence (-50 dBFS)
MARKER_MIN_WINDOWS = 3  # a burst of >= 40 ms covers at least 3 whole 10 ms windows
MARKER_GAP_WINDOWS = 2  # windows without the tone before another burst can start
LOW_DELAY = {"probesize": "32768", "analyzeduration": "1"}


class ToneDetector:
    """Onsets of 1 kHz tone bursts in mono float audio.

    The audio is cut into 10 ms windows; in each, the power of the 1 kHz DFT bin (what the Goertzel
    algorithm computes; here all windows of a block at once, as one matrix product) is compared with
    the window's energy: for a pure tone the ratio is 1, for speech or noise it is small. MP3 coding
    keeps a steady tone almost pure, so the ratio threshold is 0.5. A burst is 3 windows in a row
    with the tone; its onset is the first of them, and another burst may only start after 2 windows
    without it.
    """

    def __init__(self, rate: int):
        n = self.n = max(1, round(rate * WINDOW_S))
        phase = 2 * np.pi * MARKER_HZ / rate * np.arange(n)
        self._basis = np.stack([np.cos(phase), np.sin(phase)]).astype(np.float32).T  # (n, 2)
        self._rest = np.zeros(0, np.float32)  # the start of a window, waiting for more samples
        self._rest_t = 0.0
        self._run = 0  # windows with the tone in a row
        self._quiet = MARKER_GAP_WINDOWS  # windows without the tone in a row
        self._onset_t = 0.0

    def feed(self, samples: np.ndarray, t: float) -> list[float]:
        """Samples that came out of the decoder at ``t``; returns the ``t`` of each burst onset found
        (the time the samples of the onset's window came out)."""
        n = self.n
        first_t = self._rest_t if len(self._rest) else t  # only window 0 can start in the rest
        buf = np.concatenate([self._rest, samples.astype(np.float32, copy=False)])
        m = len(buf) // n
        if len(self._rest) == 0 or m:
            self._rest_t = t
        self._rest = buf[m * n:]
        if not m:
            return []
        windows = buf[:m * n].reshape(m, n)
        energy = np.einsum("ij,ij->i", windows, windows)
        power = np.square(windows @ self._basis).sum(axis=1) * (2.0 / n)
        tone = (power > MARKER_RATIO * energy) & (energy > MARKER_FLOOR * n)
        onsets = []
        for i, on in enumerate(tone.tolist()):
            if not on:
                self._run = 0
                self._quiet += 1
                continue
            if self._run == 0:
                armed = self._quiet >= MARKER_GAP_WINDOWS
                self._onset_t = (first_t if i == 0 else t) if armed else -1.0
            self._run += 1
            self._quiet = 0
            if self._run == MARKER_MIN_WINDOWS and self._onset_t >= 0:
                onsets.append(self._onset_t)
        return onsets


PLAYOUT_BUFFER_S = 0.15  # the most audio a simulated speaker holds back before skipping ahead


def pull(url: str, stop: threading.Event, *, clock: Callable[[], float], timeout: float,
         on_audio: Callable[[float], None], on_marker: Callable[[float], None]) -> str | None:
    """Decode the stream at ``url`` until it ends or ``stop`` is set (None), or fails: then the
    reason (``timeout``, ``Server returned 404 Not Found``, ``Connection refused`` ...).

    ``on_audio(t)`` is called once, when the first samples come out of the decoder, ``on_marker(t)``
    at every burst onset; ``t`` is when those samples are played: ``clock()`` when they came out of the
    decoder, or later, when audio decoded before them is still playing (a device plays in real time, so
    a backlog a server sends at once becomes delay, up to :data:`PLAYOUT_BUFFER_S`). ``timeout`` bounds the
    connect and every read, and so how long a stalled stream keeps the thread after ``stop``.
    """
    detector: ToneDetector | None = None
    try:
        with av.open(url, timeout=timeout, options=LOW_DELAY) as container:
            if not container.streams.audio:
                return "no audio in the stream"
            resampler = av.AudioResampler(format="flt", layout="mono")
            free_at = 0.0  # when the loudspeaker's output has played what it was given
            for frame in container.decode(container.streams.audio[0]):
                if stop.is_set():
                    return None
                for mono in resampler.resample(frame):
                    samples = mono.to_ndarray()[0]
                    # A speaker plays in real time: audio decoded ahead (a server's backlog) waits its
                    # turn, up to its jitter buffer; beyond that it skips ahead, as live receivers do.
                    now = clock()
                    t = min(max(now, free_at), now + PLAYOUT_BUFFER_S)
                    free_at = t + len(samples) / mono.rate
                    if detector is None:
                        detector = ToneDetector(mono.rate)
                        on_audio(t)
                    for onset in detector.feed(samples, t):
                        on_marker(onset)
    except av.ExitError:  # PyAV's timeout interrupts a blocked read this way
        return "timeout"
    except av.FFmpegError as e:
        if detector is not None and e.errno == errno.EIO:
            return None  # FFmpeg reports the end of a body without length (Icecast-style) as EIO
        return e.strerror or repr(e)
    return None
