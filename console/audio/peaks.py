"""Multi-resolution peak cache for drawing waveforms, and block RMS levels.

Level ``k`` holds the minimum and maximum of every block of ``2**k`` frames (the last block may be
short), from ``2**FINEST`` frames up to the first level with at most ``COARSEST_BLOCKS`` blocks, so a
60-minute mono file at 48 kHz keeps about 11 MB of peaks beside its 690 MB of samples. A view picks
the coarsest level that still gives at least one block per pixel; closer in it reduces the raw
samples of the visible range (fewer than ``2**FINEST`` frames per pixel, so few), and past one frame
per pixel it returns the samples themselves: zoom goes from the whole file to single samples.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

FINEST = 8  # 256 frames per block
COARSEST_BLOCKS = 2000
SILENCE_DB = -120.0  # floor of rms_blocks (digital silence)


def _reduce(samples: np.ndarray, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of every ``block`` frames of ``samples`` (the last block may be short)."""
    whole = len(samples) // block * block
    body = samples[:whole].reshape(-1, block)
    lo, hi = body.min(axis=1), body.max(axis=1)
    if whole < len(samples):
        tail = samples[whole:]
        lo, hi = np.append(lo, tail.min()), np.append(hi, tail.max())
    return lo, hi


def _halve(values: np.ndarray, pick) -> np.ndarray:
    """One level coarser: ``pick`` (np.minimum or np.maximum) of each pair of blocks."""
    if len(values) % 2:
        values = np.append(values, values[-1])
    return pick(values[0::2], values[1::2])


@dataclass(eq=False)
class PeakCache:
    rate: int
    frames: int
    lo: tuple[np.ndarray, ...]  # lo[i]: minimum per block of 2**(FINEST + i) frames
    hi: tuple[np.ndarray, ...]
    samples: np.ndarray | None = None  # the mono samples, for views closer than the finest level

    @classmethod
    def build(cls, samples: np.ndarray, rate: int) -> PeakCache:
        """The cache of a mono float array; keeps a reference to ``samples`` (no copy)."""
        if samples.ndim != 1:
            raise ValueError(f"a peak cache is built from mono samples, not an array of shape {samples.shape}")
        if len(samples) == 0:
            return cls(rate, 0, (), (), samples)
        lo, hi = _reduce(samples, 1 << FINEST)
        los, his = [lo], [hi]
        while len(los[-1]) > COARSEST_BLOCKS:
            los.append(_halve(los[-1], np.minimum))
            his.append(_halve(his[-1], np.maximum))
        return cls(rate, len(samples), tuple(los), tuple(his), samples)

    def view(self, start_frame: int, end_frame: int, width_px: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What to draw of frames [start_frame, end_frame) across ``width_px`` pixels.

        Returns (x, lo, hi): x is the first frame of each block in seconds, lo/hi the block's minimum
        and maximum (between ``width_px`` and about twice as many blocks). With fewer frames than
        pixels, every frame is its own block: x are the frames' times and lo == hi the samples.
        Without ``samples`` (a cache loaded on its own), the finest level is as close as it gets.
        """
        start, end = max(0, int(start_frame)), min(self.frames, int(end_frame))
        if end <= start:
            empty = np.empty(0, np.float32)
            return np.empty(0), empty, empty
        per_px = (end - start) / max(1, int(width_px))
        if self.samples is not None and per_px < 1 << FINEST:
            block = max(1, int(per_px))
            part = self.samples[start:end]
            if block == 1:
                return np.arange(start, end) / self.rate, part, part
            lo, hi = _reduce(part, block)
            return (start + np.arange(len(lo)) * block) / self.rate, lo, hi
        level = min(len(self.lo) - 1, max(0, int(np.log2(max(per_px, 1))) - FINEST))
        block = 1 << (FINEST + level)
        i0, i1 = start // block, -(-end // block)
        return np.arange(i0, i1) * block / self.rate, self.lo[level][i0:i1], self.hi[level][i0:i1]

    def save(self, path: str | os.PathLike) -> None:
        """Write the peaks (not the samples) to an .npz file."""
        np.savez(path, rate=self.rate, frames=self.frames,
                 **{f"lo{i}": a for i, a in enumerate(self.lo)}, **{f"hi{i}": a for i, a in enumerate(self.hi)})

    @classmethod
    def load(cls, path: str | os.PathLike, samples: np.ndarray | None = None) -> PeakCache:
        """A cache written by :meth:`save`; pass the samples too for views down to single samples."""
        with np.load(path) as z:
            levels = sum(1 for name in z.files if name.startswith("lo"))
            cache = cls(int(z["rate"]), int(z["frames"]), tuple(z[f"lo{i}"] for i in range(levels)),
                        tuple(z[f"hi{i}"] for i in range(levels)), samples)
        if samples is not None and len(samples) != cache.frames:
            raise ValueError(f"the peak cache {path} is of {cache.frames} frames, the samples have {len(samples)}")
        return cache


def rms_blocks(samples: np.ndarray, block: int) -> np.ndarray:
    """RMS level in dBFS of every ``block`` frames of mono ``samples`` (the last block may be short),
    floored at ``SILENCE_DB``: for level meters and silence trimming (``editlist.trim_silence``)."""
    whole = len(samples) // block * block
    body = samples[:whole].reshape(-1, block)
    power = np.einsum("ij,ij->i", body, body, dtype=np.float64) / block  # no squared copy of the samples
    if whole < len(samples):
        tail = samples[whole:].astype(np.float64)
        power = np.append(power, np.dot(tail, tail) / len(tail))
    return np.maximum(10 * np.log10(np.maximum(power, 1e-30)), SILENCE_DB)
