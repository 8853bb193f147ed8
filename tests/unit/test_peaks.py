"""The peak cache: views at every zoom against brute-force min/max; single samples; save/load; RMS."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from console.audio.peaks import (
    COARSEST_BLOCKS,
    FINEST,
    SILENCE_DB,
    PeakCache,
    rms_blocks,
)

RATE = 48000


@pytest.fixture(scope="module")
def samples() -> np.ndarray:
    rng = np.random.default_rng(5)
    n = 1_234_567  # not a multiple of any block
    return (rng.standard_normal(n) * np.linspace(0.01, 0.5, n)).astype(np.float32)


def check_view(cache: PeakCache, samples: np.ndarray, start: int, end: int, width: int) -> None:
    x, lo, hi = cache.view(start, end, width)
    first = np.rint(x * RATE).astype(np.int64)
    assert len(x) == len(lo) == len(hi) and lo.dtype == hi.dtype == np.float32
    if end - start <= width:  # single samples
        assert np.array_equal(first, np.arange(start, end)) and np.array_equal(lo, samples[start:end])
        assert np.array_equal(hi, lo)
        return
    block = int(first[1] - first[0])
    assert np.all(np.diff(first) == block)
    per_px, coarsest = (end - start) / width, 1 << (FINEST + len(cache.lo) - 1)
    assert block <= per_px and (per_px < 2 * block or block == coarsest)  # the coarsest with >= 1 per pixel
    raw = block < 1 << FINEST  # closer than the finest level: reduced from the samples of the range
    limit = end if raw else len(samples)
    assert first[0] <= start < first[0] + block and first[-1] < end <= first[-1] + block
    if not raw:
        assert first[0] % block == 0  # levels are aligned on their block size
    for f, low, high in zip(first, lo, hi):
        part = samples[f:min(f + block, limit)]
        assert low == part.min() and high == part.max()


def test_levels_go_from_256_frames_to_at_most_2000_blocks(samples):
    cache = PeakCache.build(samples, RATE)
    sizes = [len(level) for level in cache.lo]
    assert sizes[0] == -(-len(samples) // (1 << FINEST)) and sizes[-1] <= COARSEST_BLOCKS < sizes[-2]
    assert all(b == -(-a // 2) for a, b in itertools.pairwise(sizes))
    peaks = sum(a.nbytes for a in (*cache.lo, *cache.hi))
    assert peaks < 0.02 * samples.nbytes
    assert cache.samples is samples  # no copy


@pytest.mark.parametrize("start,end,width", [
    (0, 1_234_567, 1000), (0, 1_234_567, 1), (0, 1_234_567, 1920), (1000, 900_000, 800),
    (777, 200_000, 700), (123_456, 150_000, 1500), (5, 2005, 500), (1_230_000, 1_234_567, 300),
    (10, 1290, 1280), (1_234_000, 1_234_567, 2000), (50_000, 50_001, 900), (0, 3, 5),
])
def test_views_agree_with_brute_force(samples, start, end, width):
    check_view(PeakCache.build(samples, RATE), samples, start, end, width)


def test_every_zoom_from_the_whole_file_to_single_samples(samples):
    cache = PeakCache.build(samples, RATE)
    rng = np.random.default_rng(1)
    span = len(samples)
    while span >= 1:
        start = int(rng.integers(0, len(samples) - span + 1))
        check_view(cache, samples, start, start + span, 1000)
        span //= 3


def test_views_outside_the_file_are_clipped_or_empty(samples):
    cache = PeakCache.build(samples, RATE)
    _, lo, _ = cache.view(-500, 100, 1000)
    assert np.array_equal(lo, samples[:100])
    assert all(len(a) == 0 for a in cache.view(2_000_000, 3_000_000, 100))
    assert all(len(a) == 0 for a in PeakCache.build(np.zeros(0, np.float32), RATE).view(0, 10, 10))
    with pytest.raises(ValueError):
        PeakCache.build(np.zeros((10, 2), np.float32), RATE)


def test_save_and_load(samples, tmp_path):
    cache = PeakCache.build(samples, RATE)
    path = tmp_path / "peaks.npz"
    cache.save(path)
    loaded = PeakCache.load(path, samples)
    assert (loaded.rate, loaded.frames) == (RATE, len(samples))
    for start, end, width in ((0, len(samples), 1000), (1000, 2000, 100), (40, 60, 100)):
        for a, b in zip(cache.view(start, end, width), loaded.view(start, end, width)):
            assert np.array_equal(a, b)
    alone = PeakCache.load(path)  # without the samples: the finest level is as close as it gets
    _, lo, hi = alone.view(1000, 1100, 100)
    assert np.array_equal(lo, cache.lo[0][3:5]) and np.array_equal(hi, cache.hi[0][3:5])
    with pytest.raises(ValueError):
        PeakCache.load(path, samples[:-1])


def test_rms_blocks_against_brute_force(samples):
    block = 4800
    levels = rms_blocks(samples, block)
    assert len(levels) == -(-len(samples) // block)
    for i in (0, 7, len(levels) - 1):  # the last block is short
        part = samples[i * block:(i + 1) * block].astype(np.float64)
        assert levels[i] == pytest.approx(10 * np.log10(np.mean(part ** 2)), abs=1e-6)
    tone = np.sin(np.arange(48000) * 2 * np.pi * 1000 / RATE).astype(np.float32)
    assert rms_blocks(tone, 4800) == pytest.approx(-3.0103, abs=1e-3)  # a full-scale sine: -3 dBFS
    assert list(rms_blocks(np.zeros(1000, np.float32), 480)) == [SILENCE_DB] * 3
