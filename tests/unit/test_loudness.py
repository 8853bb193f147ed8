"""Loudness on synthetic signals: the EBU Tech 3341/3342 reference cases, pyloudnorm, the
oversampled true peak, and streaming in chunks. (Against ffmpeg's ebur128 filter:
tests/integration/test_audio_import_loudness.py.)"""

import math

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from console.audio.loudness import LoudnessMeter, measure

RATE = 48000


def sine(dbfs, seconds, freq=1000.0, rate=RATE, phase=0.0):
    t = np.arange(int(seconds * rate)) / rate
    return 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t + phase)


def stereo(x):
    return np.stack([x, x], axis=1)


def speechlike(seconds, rate=RATE, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    envelope = (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)) ** 2 * (np.mod(t, 1.0) < 0.8)
    return 0.25 * rng.standard_normal(len(t)) * envelope


@pytest.mark.parametrize("dbfs", [-23.0, -33.0])
def test_tech_3341_stereo_sine_reads_its_level(dbfs):
    # EBU Tech 3341, cases 1 and 2: a stereo 1 kHz sine at -23 (-33) dBFS reads -23 (-33) LUFS +-0.1.
    assert measure(stereo(sine(dbfs, 20)), RATE).lufs == pytest.approx(dbfs, abs=0.1)


@pytest.mark.parametrize("first, second, lra", [(-20, -30, 10), (-20, -15, 5), (-40, -20, 20)])
def test_tech_3342_loudness_range(first, second, lra):
    # EBU Tech 3342, cases 1-3: 20 s of a stereo 1 kHz sine at one level, then 20 s at another.
    x = stereo(np.concatenate([sine(first, 20), sine(second, 20)]))
    assert measure(x, RATE).lra == pytest.approx(lra, abs=1.0)


@pytest.mark.parametrize("rate", [48000, 44100, 16000])
def test_integrated_loudness_is_pyloudnorms(rate):
    x = speechlike(12, rate)
    assert measure(x, rate).lufs == pytest.approx(pyloudnorm.Meter(rate).integrated_loudness(x), abs=1e-6)


def test_true_peak_finds_the_peak_between_samples():
    # A 6 kHz sine (8 samples a cycle) sampled 22.5 degrees off its crests: no sample is above
    # cos(22.5) = -0.69 dB of the amplitude; the waveform between them reaches it.
    x = sine(-6.0, 2, freq=RATE / 8, phase=math.pi / 8)
    assert 20 * np.log10(np.abs(x).max()) == pytest.approx(-6.69, abs=0.01)
    assert measure(x, RATE).true_peak_db == pytest.approx(-6.0, abs=0.1)


def test_true_peak_equals_oversampling_everything():
    # The meter only oversamples where the peak could still rise; that must not change the result.
    x = speechlike(20).astype(np.float32)
    x[123457] = 0.9  # a lone spike far above the rest
    full = 20 * np.log10(np.abs(resample_poly(x, 4, 1)).max())
    assert measure(x, RATE).true_peak_db == pytest.approx(full, abs=1e-4)


def test_chunks_of_any_size_give_the_same_result():
    x = stereo(speechlike(10))
    whole = measure(x, RATE)
    meter = LoudnessMeter(RATE, channels=2)
    for start in range(0, len(x), 7919):
        meter.add(x[start:start + 7919])
    chunked = meter.result()
    assert chunked.lufs == pytest.approx(whole.lufs, abs=1e-9)
    assert chunked.lra == pytest.approx(whole.lra, abs=1e-9)
    assert chunked.true_peak_db == pytest.approx(whole.true_peak_db, abs=1e-6)


def test_silence_and_short_signals():
    silent = measure(np.zeros(RATE * 5), RATE)
    assert (silent.lufs, silent.true_peak_db, silent.lra) == (None, None, 0.0)
    short = measure(sine(-20, 1.0), RATE)  # under 3 s: no short-term window, so no range
    assert short.lufs == pytest.approx(-23.0, abs=0.1) and short.lra == 0.0
    assert measure(np.zeros(100), RATE).lufs is None  # shorter than one 400 ms block


def test_channel_count_is_checked():
    with pytest.raises(ValueError, match="expected 1 channel"):
        LoudnessMeter(RATE).add(np.zeros((10, 2)))
