"""Per-device buckets: the fields of one bucket, how buckets combine, and how a day of them is packed.

A bucket is a column of :data:`FIELDS`: ``n`` (telemetry messages sampled), ``online_s`` and
``observed_s`` (seconds the device was online, and watched at all, in the bucket), then min/avg/max
of every metric of :data:`METRICS`, NaN where nothing was reported. A day of one device is a float
matrix ``(len(FIELDS), slots)``; :func:`encode` packs it into a few hundred bytes to a few kB
(scaled int32, byte-shuffled, zlib) for one ``monitor_device_days`` row. Pure numpy, no I/O.
"""

from __future__ import annotations

import zlib

import numpy as np

DAY_MS = 86_400_000
METRICS = ("rssi", "temp", "level_db", "vbat", "clock_offset_ms", "vol")
STATS = ("min", "avg", "max")
COUNTS = ("n", "online_s", "observed_s")
FIELDS = COUNTS + tuple(f"{m}_{s}" for m in METRICS for s in STATS)
INDEX = {f: i for i, f in enumerate(FIELDS)}
# Stored as round(value * scale) in int32: counts and seconds whole, clock offsets in whole ms
# (clamped at about +-24 days), battery volts in hundredths, the other metrics in tenths.
_SCALE_OF = {"clock_offset_ms": 1.0, "vbat": 100.0}
SCALE = np.array([1.0] * len(COUNTS) + [_SCALE_OF.get(m, 10.0) for m in METRICS for _ in STATS])[:, None]
MISSING = np.iinfo(np.int32).min  # a stored NaN
FORMAT = 1  # the first byte of every packed day


def empty(slots: int) -> np.ndarray:
    """A matrix of ``slots`` buckets with nothing in them."""
    m = np.full((len(FIELDS), slots), np.nan)
    m[: len(COUNTS)] = 0.0
    return m


def combine(m: np.ndarray) -> np.ndarray:
    """Combine buckets along the last axis (``(FIELDS, ..., k)`` -> ``(FIELDS, ...)``): counts add,
    minima and maxima are taken over the buckets that have them, averages are weighted by ``n``."""
    out = np.empty(m.shape[:-1])
    n = m[0]
    out[: len(COUNTS)] = m[: len(COUNTS)].sum(axis=-1)
    for j in range(len(COUNTS), len(FIELDS), 3):
        out[j] = np.fmin.reduce(m[j], axis=-1)
        out[j + 2] = np.fmax.reduce(m[j + 2], axis=-1)
        avg = m[j + 1]
        w = np.where(np.isnan(avg), 0.0, n)
        total = w.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[j + 1] = np.where(total > 0, (np.nan_to_num(avg) * w).sum(axis=-1) / total, np.nan)
    return out


def coarsen(m: np.ndarray, factor: int) -> np.ndarray:
    """A day matrix at ``factor`` times coarser resolution (e.g. 96 x 15 min -> 24 x 1 h)."""
    fields, slots = m.shape
    if slots % factor:
        raise ValueError(f"{slots} buckets cannot be grouped by {factor}")
    return combine(m.reshape(fields, slots // factor, factor))


def encode(m: np.ndarray) -> bytes:
    """Pack a day matrix: scaled int32 (NaN stored as MISSING), bytes shuffled by significance so
    that the slowly varying values compress well, then zlib."""
    scaled = np.clip(np.round(m * SCALE), MISSING + 1, np.iinfo(np.int32).max)
    q = np.where(np.isnan(m), MISSING, scaled).astype("<i4")
    shuffled = q.view(np.uint8).reshape(-1, 4).T.tobytes()
    return bytes([FORMAT]) + zlib.compress(shuffled, 6)


def decode(blob: bytes, slots: int, fields: list[int] | None = None) -> np.ndarray:
    """The day matrix packed by :func:`encode`, or only its rows ``fields`` (indexes in FIELDS)."""
    if not blob or blob[0] != FORMAT:
        raise ValueError("not a packed day of buckets (unknown format)")
    planes = np.frombuffer(zlib.decompress(blob[1:]), dtype=np.uint8).reshape(4, len(FIELDS), slots)
    rows = slice(None) if fields is None else fields
    q = np.ascontiguousarray(planes[:, rows].transpose(1, 2, 0)).view("<i4")[..., 0]
    m = q / SCALE[rows]
    m[q == MISSING] = np.nan
    return m


def slots_of(res_s: int) -> int:
    if DAY_MS % (res_s * 1000):
        raise ValueError(f"a day is not a whole number of {res_s} s buckets")
    return DAY_MS // (res_s * 1000)


def day_of(t_ms: int) -> int:
    """The start (epoch ms, 00:00 UTC) of the day holding ``t_ms``."""
    return t_ms - t_ms % DAY_MS


def floor_to(t_ms: int, res_s: int) -> int:
    return t_ms - t_ms % (res_s * 1000)
