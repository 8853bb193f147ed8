"""An edit list's audio rendered in memory: for listening in the editor, drawing and measuring it.

Sources are decoded mono float32 arrays at the edit list's rate, keyed by the segment's ``source``.
Only the requested range is rendered, so playback of a long file streams in small blocks and
:func:`analyse` (loudness and block levels for silence trimming) runs in constant memory.
The distribution file is rendered by ffmpeg; the fade curves here follow its ``afade`` filter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from console.audio.loudness import Loudness, LoudnessMeter
from console.audio.peaks import rms_blocks
from console.core.editlist import EditList, Segment

ANALYSIS_CHUNK_S = 10  # seconds rendered at a time by analyse(): memory stays small for any length


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
