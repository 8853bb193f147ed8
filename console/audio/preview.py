"""An edit list's audio rendered in memory: for listening in the editor, drawing and measuring it.

Sources are decoded mono float32 arrays at the edit list's rate, keyed by the segment's ``source``.
Only the requested range is rendered, so playback of a long file streams in small blocks and
:func:`analyse` (loudness and block levels for silence trimming) runs in constant memory.
The distribution file is rendered by ffmpeg; the fade curves here follow its ``afade`` filter, and
what the editor plays goes through the render's limiter (:class:`LimitedPreview`).
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from console.audio.ffmpeg import FfmpegNotFound, find_tools
from console.audio.loudness import Loudness, LoudnessMeter
from console.audio.peaks import rms_blocks
from console.audio.render import limiter
from console.core.editlist import EditList, Segment

log = logging.getLogger(__name__)

ANALYSIS_CHUNK_S = 10  # seconds rendered at a time by analyse(): memory stays small for any length
LIMITED_BLOCK_S = 5  # the preview is limited this much at a time (one ffmpeg run, about 70 ms)
LIMITER_PREROLL_S = 0.5  # audio before a block that the limiter hears first: 10 times its release
LIMITER_LOOKAHEAD_S = 0.02  # audio after a block: more than the limiter's look-ahead (attack, 5 ms)
_limiting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview-limiter")


# ffmpeg's afade curves (libavfilter/af_afade.c, fade_gain), as functions of the progress t in [0, 1].
def _losi(t: np.ndarray) -> np.ndarray:
    a = 1 / (1 - 0.787) - 1
    lo, hi = 1 / (1 + np.exp(a)), 1 / (1 + np.exp(-a))
    return (1 / (1 + np.exp(-(t - 0.5) * a * 2)) - lo) / (hi - lo)


def _sinc(t: np.ndarray) -> np.ndarray:
    return np.sinc(1 - t)  # numpy's sinc is sin(pi x) / (pi x), 1 at 0


CURVES = {
    "tri": lambda t: t,
    "qsin": lambda t: np.sin(t * np.pi / 2),
    "esin": lambda t: 1 - np.cos(np.pi / 4 * ((2 * t - 1) ** 3 + 1)),
    "hsin": lambda t: (1 - np.cos(t * np.pi)) / 2,
    "log": lambda t: np.clip(1 + 0.2 * np.log10(np.maximum(t, 1e-300)), 0, 1),
    "ipar": lambda t: 1 - (1 - t) ** 2,
    "qua": lambda t: t * t,
    "cub": lambda t: t ** 3,
    "squ": np.sqrt,
    "cbr": np.cbrt,
    "par": lambda t: 1 - np.sqrt(1 - t),
    "exp": lambda t: np.exp(-11.512925464970227 * (1 - t)),
    "iqsin": lambda t: 2 / np.pi * np.arcsin(t),
    "ihsin": lambda t: np.arccos(1 - 2 * t) / np.pi,
    "dese": lambda t: np.where(t <= 0.5, np.cbrt(2 * t) / 2, 1 - np.cbrt(2 * (1 - t)) / 2),
    "desi": lambda t: np.where(t <= 0.5, (2 * t) ** 3 / 2, 1 - (2 * (1 - t)) ** 3 / 2),
    "losi": _losi,
    "sinc": _sinc,
    "isinc": lambda t: 1 - np.sinc(t),
}


def fade_shape(curve: str, t: np.ndarray) -> np.ndarray:
    """The gain of fade ``curve`` at progress ``t`` (0 = silent, 1 = full level), clipped to [0, 1] first."""
    try:
        return CURVES[curve](np.clip(np.asarray(t, dtype=np.float64), 0.0, 1.0))
    except KeyError:
        raise ValueError(f"unknown fade curve {curve!r}: expected one of {', '.join(CURVES)}") from None


def segment_gain(seg: Segment, offsets: np.ndarray) -> np.ndarray:
    """Linear gain of ``seg`` at frame ``offsets`` from its start: gain_db times its pieces of fade curve.

    The formulas of ``console.core.editlist``: fade-in ``curve((fade_in_offset + t) / fade_in)``,
    fade-out ``curve((L + fade_out_offset - t) / fade_out)``.
    """
    offsets = np.asarray(offsets, dtype=np.float64)
    gain = np.full(offsets.shape, 10.0 ** (seg.gain_db / 20.0))
    if seg.fade_in:
        inside = seg.fade_in_offset + offsets < seg.fade_in
        gain[inside] *= fade_shape(seg.fade_curve, (seg.fade_in_offset + offsets[inside]) / seg.fade_in)
    if seg.fade_out:
        remaining = seg.frames + seg.fade_out_offset - offsets
        inside = remaining < seg.fade_out
        gain[inside] *= fade_shape(seg.fade_out_curve, remaining[inside] / seg.fade_out)
    return gain


def mix(edit: EditList, sources: Mapping[str, np.ndarray], start: int = 0, end: int | None = None) -> np.ndarray:
    """Mono float32 PCM of timeline frames ``[start, end)`` of ``edit`` (default: to the end).

    Silence segments (``source == ""``) render as zeros; a missing source raises KeyError.
    """
    end = edit.frames if end is None else min(end, edit.frames)
    out = np.zeros(max(0, end - start), dtype=np.float32)
    pos = 0
    for seg in edit.segments:
        length = seg.end - seg.start
        a, b = max(start, pos), min(end, pos + length)
        if a < b and seg.source:
            chunk = sources[seg.source][seg.start + a - pos:seg.start + b - pos]
            out[a - start:b - start] = chunk * segment_gain(seg, np.arange(a - pos, b - pos))
        pos += length
        if pos >= end:
            break
    return out


def analyse(edit: EditList, sources: Mapping[str, np.ndarray], block: int,
            cancelled: Callable[[], bool] = lambda: False) -> tuple[Loudness, np.ndarray] | None:
    """Loudness of the rendered edit list and the RMS level (dBFS) of every ``block`` frames.

    Renders ``ANALYSIS_CHUNK_S`` at a time; returns None as soon as ``cancelled()`` is true.
    """
    meter = LoudnessMeter(edit.rate)
    levels = []
    chunk = max(1, edit.rate * ANALYSIS_CHUNK_S // block) * block
    for start in range(0, edit.frames, chunk):
        if cancelled():
            return None
        pcm = mix(edit, sources, start, start + chunk)
        meter.add(pcm)
        levels.append(rms_blocks(pcm, block))
    return meter.result(), (np.concatenate(levels) if levels else np.zeros(0))


def limit(pcm: np.ndarray, rate: int, ceiling_db: float) -> np.ndarray:
    """Mono float32 ``pcm`` through the render's limiter at ``ceiling_db`` (sample peak), by ffmpeg.

    Audio that never reaches the ceiling comes back as it is (the limiter would leave it so). Should
    ffmpeg fail, the peaks are clipped at the ceiling instead, so that playback goes on.
    """
    ceiling = 10 ** (ceiling_db / 20)
    if len(pcm) == 0 or np.abs(pcm).max() <= ceiling:
        return pcm
    try:
        cmd = [find_tools().ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "f32le",
               "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-af", limiter(ceiling_db), "-f", "f32le", "pipe:1"]
        proc = subprocess.run(cmd, input=np.ascontiguousarray(pcm, "<f4").tobytes(), capture_output=True,
                              check=True)
        out = np.frombuffer(proc.stdout, "<f4").astype(np.float32)
        if len(out) == len(pcm):
            return out
        log.warning("the preview limiter returned %d samples for %d", len(out), len(pcm))
    except (OSError, subprocess.CalledProcessError, FfmpegNotFound) as exc:
        stderr = (getattr(exc, "stderr", None) or b"").decode("utf-8", "replace").strip()
        log.warning("the preview limiter failed: %s", stderr or exc)
    return np.clip(pcm, -ceiling, ceiling)


class LimitedPreview:
    """``mix(edit, sources, start, end)`` through the render's limiter at ``ceiling_db``: what the editor
    plays after loudness normalisation has its peaks limited as the rendered file will, not clipped.

    The timeline is limited ``LIMITED_BLOCK_S`` at a time, each block with the audio around it that
    the limiter would have heard (``LIMITER_PREROLL_S`` before, its look-ahead after), so the blocks
    join into what one run over the whole would give. Reading a block asks for the next one on a
    worker thread, so ffmpeg rarely runs while the sound card waits; only those two are kept.
    """

    def __init__(self, edit: EditList, sources: Mapping[str, np.ndarray], ceiling_db: float) -> None:
        self.edit, self.sources, self.ceiling_db = edit, sources, ceiling_db
        self._block = LIMITED_BLOCK_S * edit.rate
        self._blocks: dict[int, Future] = {}

    def __call__(self, start: int, end: int) -> np.ndarray:
        end = min(end, self.edit.frames)
        out = np.empty(max(0, end - start), np.float32)
        if end <= start:
            return out
        first, last = start // self._block, (end - 1) // self._block
        for k in range(first, last + 1):
            a = k * self._block
            block = self._get(k).result()
            lo, hi = max(start, a), min(end, a + len(block))
            out[lo - start:hi - start] = block[lo - a:hi - a]
        self._blocks = {k: f for k, f in self._blocks.items() if first <= k <= last + 1}
        if (last + 1) * self._block < self.edit.frames:
            self._get(last + 1)  # what the sound card asks for next
        return out

    def _get(self, k: int) -> Future:
        if k not in self._blocks:
            self._blocks[k] = _limiting.submit(self._limited, k)
        return self._blocks[k]

    def _limited(self, k: int) -> np.ndarray:
        rate, frames = self.edit.rate, self.edit.frames
        a, b = k * self._block, min(frames, (k + 1) * self._block)
        before, after = max(0, a - round(LIMITER_PREROLL_S * rate)), min(frames, b + round(LIMITER_LOOKAHEAD_S * rate))
        return limit(mix(self.edit, self.sources, before, after), rate, self.ceiling_db)[a - before:b - before]
