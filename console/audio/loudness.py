"""Loudness per ITU-R BS.1770-4 and EBU R128: integrated loudness, loudness range, true peak.

- **Integrated loudness** (LUFS): K-weighting (the filters of pyloudnorm, the BS.1770 pre-filter and
  RLB high-pass, designed for the signal's rate), 400 ms blocks every 100 ms, absolute gate
  -70 LUFS, relative gate -10 LU.
- **Loudness range** (LU, EBU Tech 3342): short-term loudness over 3 s every 100 ms, absolute gate
  -70 LUFS, relative gate -20 LU, then the 95th minus the 10th percentile.
- **True peak** (dBTP, BS.1770-4 Annex 2): the peak of the signal oversampled 4x
  (``scipy.signal.resample_poly``).

:class:`LoudnessMeter` measures a stream chunk by chunk in constant memory (a 10-hour file never
needs to be held), so import and render can measure while they decode. Only 100 ms sub-block
energies are kept (36,000 floats an hour). The oversampler runs only where the true peak could
still rise: around samples within reach of the peak found so far (the filter cannot amplify more
than the sum of its absolute taps), which skips most of a speech recording.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyloudnorm.iirfilter import IIRfilter
from scipy.signal import firwin, resample_poly, sosfilt

ABSOLUTE_GATE = -70.0  # LUFS
RELATIVE_GATE = -10.0  # LU below the absolute-gated loudness (integrated)
LRA_RELATIVE_GATE = -20.0  # LU (loudness range)
OVERSAMPLE = 4
_MARGIN = 16  # input samples of context each side of an oversampled run (the filter reaches 10)
_BLOCK = 256  # input samples per candidate block of the true-peak search


@dataclass(frozen=True)
class Loudness:
    lufs: float | None  # integrated loudness; None when nothing passes the gates (silence)
    true_peak_db: float | None  # dBTP; None for digital silence
    lra: float  # loudness range, LU; 0.0 for less than 3 s or silence


def _k_weighting(rate: int) -> np.ndarray:
    """The two K-weighting biquads as second-order sections (pyloudnorm's design)."""
    stages = (IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
              IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"))
    return np.array([np.concatenate([f.b, f.a]) for f in stages])


# The interpolation filter resample_poly designs by default for 4x, designed once here.
_TAPS = firwin(2 * 10 * OVERSAMPLE + 1, 1.0 / OVERSAMPLE, window=("kaiser", 5.0)).astype(np.float32)
# The most it can amplify any input: the largest sum of absolute taps of a polyphase branch.
_GAIN_BOUND = max(float(np.abs(_TAPS[p::OVERSAMPLE]).sum()) * OVERSAMPLE for p in range(OVERSAMPLE))


def _lufs(mean_square: np.ndarray | float) -> np.ndarray | float:
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(mean_square)


class LoudnessMeter:
    """Feed chunks with :meth:`add` (shape ``(n,)`` or ``(n, channels)``; channels weigh 1.0, as
    left, right and centre do), then read :meth:`result`."""

    def __init__(self, rate: int, channels: int = 1) -> None:
        self.rate = rate
        self.channels = channels
        self._sos = _k_weighting(rate)
        self._zi = np.zeros((self._sos.shape[0], 2, channels))
        self._pos = 0  # samples consumed
        self._next_sub = 0  # index of the 100 ms sub-block being filled
        self._partial = 0.0  # its energy so far
        self._energies: list[np.ndarray] = []  # energies of complete sub-blocks, in chunks
        self._lengths: list[np.ndarray] = []
        self._tail = np.zeros((2 * _MARGIN, channels), np.float32)  # context for the oversampler
        self._peak = 0.0  # linear true peak so far (at least the sample peak)

    def add(self, samples: np.ndarray) -> None:
        x = np.asarray(samples, dtype=np.float32)  # the oversampler is ~30% faster in float32
        if x.ndim == 1:
            x = x[:, None]
        if x.shape[1] != self.channels:
            raise ValueError(f"expected {self.channels} channel(s), got {x.shape[1]}")
        if len(x):
            self._add_energy(x)
            self._add_peak(x)

    def _add_energy(self, x: np.ndarray) -> None:
        y, self._zi = sosfilt(self._sos, x, axis=0, zi=self._zi)  # float64 (the coefficients')
        cum = np.concatenate(([0.0], np.cumsum(np.square(y).sum(axis=1))))
        n, pos, rate = len(x), self._pos, self.rate
        # Sub-block k covers samples [k*rate//10, (k+1)*rate//10): ends within this chunk.
        last = ((pos + n) * 10) // rate  # sub-blocks 0..last-1 end at or before pos+n
        ks = np.arange(self._next_sub, last)
        if len(ks):
            ends = (ks + 1) * rate // 10 - pos
            starts = np.concatenate(([0], ends[:-1]))
            energy = cum[ends] - cum[starts]
            energy[0] += self._partial
            first_start = self._next_sub * rate // 10
            lengths = (ks + 1) * rate // 10 - np.concatenate(([first_start], (ks[:-1] + 1) * rate // 10))
            self._energies.append(energy)
            self._lengths.append(lengths)
            self._partial = cum[n] - cum[ends[-1]]
            self._next_sub = last
        else:
            self._partial += cum[n]
        self._pos += n

    def _add_peak(self, x: np.ndarray) -> None:
        buf = np.concatenate([self._tail, x])
        self._tail = buf[-2 * _MARGIN:]
        self._peak = max(self._peak, float(np.abs(x).max()))
        self._oversampled_peak(buf)

    def _oversampled_peak(self, buf: np.ndarray) -> None:
        """Raise the peak with the oversampled signal of ``buf[M:len-M]`` (M = _MARGIN), looking
        only at blocks whose neighbourhood could reach above the peak found so far."""
        lo, hi = _MARGIN, len(buf) - _MARGIN
        if hi <= lo:
            return
        level = np.abs(buf).max(axis=1)
        nblocks = -(-(hi - lo) // _BLOCK)
        padded = np.zeros(nblocks * _BLOCK + 2 * _MARGIN)
        padded[:hi + _MARGIN - lo + _MARGIN] = level[lo - _MARGIN:hi + _MARGIN]
        # Block b covers buf[lo + b*B, lo + (b+1)*B); its filter reaches M samples further each
        # side: the maxima of the block shifted M left and M right cover that (B >= 2M).
        left = padded[:nblocks * _BLOCK].reshape(nblocks, _BLOCK).max(axis=1)
        right = padded[2 * _MARGIN:].reshape(nblocks, _BLOCK).max(axis=1)
        reach = np.maximum(left, right)
        candidate = reach * _GAIN_BOUND > self._peak
        if not candidate.any():
            return
        # Runs of candidate blocks, each oversampled in one call.
        edges = np.flatnonzero(np.diff(np.r_[0, candidate.astype(np.int8), 0]))
        for first, stop in zip(edges[::2], edges[1::2]):
            a = lo + first * _BLOCK
            b = min(hi, lo + stop * _BLOCK)
            up = resample_poly(buf[a - _MARGIN:b + _MARGIN], OVERSAMPLE, 1, axis=0, window=_TAPS)
            inner = up[_MARGIN * OVERSAMPLE:(b - a + _MARGIN) * OVERSAMPLE]
            self._peak = max(self._peak, float(np.abs(inner).max()))

    def result(self) -> Loudness:
        # Flush the oversampler: the last samples, followed by silence.
        self._oversampled_peak(np.concatenate([self._tail, np.zeros_like(self._tail)]))
        self._tail = np.zeros_like(self._tail)
        energy = np.concatenate(self._energies) if self._energies else np.zeros(0)
        length = np.concatenate(self._lengths) if self._lengths else np.zeros(0, np.int64)
        lufs = _integrated(energy, length)
        return Loudness(
            lufs=lufs,
            true_peak_db=20 * math.log10(self._peak) if self._peak > 0 else None,
            lra=_loudness_range(energy, length),
        )


def _windows(energy: np.ndarray, length: np.ndarray, width: int) -> np.ndarray:
    """Loudness of every window of ``width`` consecutive sub-blocks (step one sub-block)."""
    if len(energy) < width:
        return np.zeros(0)
    e = np.concatenate(([0.0], np.cumsum(energy)))
    n = np.concatenate(([0], np.cumsum(length)))
    return _lufs((e[width:] - e[:-width]) / (n[width:] - n[:-width]))


def _integrated(energy: np.ndarray, length: np.ndarray) -> float | None:
    blocks = _windows(energy, length, 4)  # 400 ms
    gated = blocks[blocks > ABSOLUTE_GATE]
    if not len(gated):
        return None
    threshold = _lufs(np.mean(10 ** ((gated + 0.691) / 10))) + RELATIVE_GATE
    gated = gated[gated > threshold]
    return float(_lufs(np.mean(10 ** ((gated + 0.691) / 10))))


def _loudness_range(energy: np.ndarray, length: np.ndarray) -> float:
    short = _windows(energy, length, 30)  # 3 s
    gated = short[short > ABSOLUTE_GATE]
    if not len(gated):
        return 0.0
    threshold = _lufs(np.mean(10 ** ((gated + 0.691) / 10))) + LRA_RELATIVE_GATE
    gated = gated[gated > threshold]
    low, high = np.percentile(gated, [10, 95])
    return float(high - low)


def measure(samples: np.ndarray, rate: int) -> Loudness:
    """Loudness of a whole signal: ``(n,)`` mono or ``(n, channels)``."""
    channels = 1 if np.ndim(samples) == 1 else np.shape(samples)[1]
    meter = LoudnessMeter(rate, channels)
    for start in range(0, len(samples), rate):  # 1 s at a time: the working arrays stay small
        meter.add(samples[start:start + rate])
    return meter.result()
