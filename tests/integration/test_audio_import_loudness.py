"""Measured loudness against ffmpeg's ebur128 filter (an independent BS.1770-4 / EBU R128 meter):
within 0.5 LU integrated and 0.5 dB true peak, for signals decoded by ffmpeg and for imported items."""

import re
import subprocess

import numpy as np
import pytest

from console.audio.ffmpeg import decode, find_tools
from console.audio.library import Library
from console.audio.loudness import measure
from console.media.store import MediaStore
from console.store.db import open_database
from fixtures.audio import write_wav

RATE = 48000
SECONDS = 12


def signals():
    rng = np.random.default_rng(5)
    t = np.arange(SECONDS * RATE) / RATE
    syllables = (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)) ** 2 * (np.mod(t, 2.0) < 1.6)  # pauses
    syllables *= np.where(np.mod(t, 8.0) < 4.0, 1.0, 0.3)  # a loud and a soft speaker: a loudness range
    return {
        "tone": 0.5 * np.sin(2 * np.pi * 997 * t),
        "noise": 0.1 * rng.standard_normal(len(t)),
        "speech-like": np.clip(0.3 * rng.standard_normal(len(t)) * syllables, -1, 1),
        "quiet": 0.002 * np.sin(2 * np.pi * 440 * t) + 0.0005 * rng.standard_normal(len(t)),
        "stereo": np.stack([0.2 * np.sin(2 * np.pi * 300 * t), 0.05 * rng.standard_normal(len(t))], axis=1),
    }


def ebur128(path):
    """(integrated LUFS, true peak dBTP, LRA) from the summary of ffmpeg's ebur128 filter."""
    r = subprocess.run([find_tools().ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-i", str(path),
                        "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, text=True, check=True)
    summary = r.stderr[r.stderr.rindex("Summary:"):]
    number = r"(-?\d+(?:\.\d+)?|-inf)"
    return tuple(float(re.search(pattern + number, summary)[1])
                 for pattern in (r"I:\s+", r"True peak:\s+Peak:\s+", r"LRA:\s+"))


@pytest.fixture(scope="module")
def wavs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loudness")
    return {name: write_wav(folder / f"{name}.wav", x) for name, x in signals().items()}


@pytest.mark.parametrize("name", list(signals()))
def test_measure_agrees_with_ebur128(name, wavs):
    path = wavs[name]
    lufs, true_peak, lra = ebur128(path)
    channels = 2 if name == "stereo" else 1
    got = measure(decode(path, RATE, channels), RATE)
    assert got.lufs == pytest.approx(lufs, abs=0.5)
    assert got.true_peak_db == pytest.approx(true_peak, abs=0.5)
    assert got.lra == pytest.approx(lra, abs=1.0)


def test_imported_items_carry_the_same_loudness(wavs, sqlite_url, tmp_path):
    db = open_database(sqlite_url, seed=False)
    try:
        mono = [wavs[n] for n in ("tone", "noise", "speech-like", "quiet")]
        results = Library(db, MediaStore(tmp_path / "media"), "minh", "editor").import_files(mono)
        for path, result in zip(mono, results):
            lufs, true_peak, _ = ebur128(path)
            assert result.lufs == pytest.approx(lufs, abs=0.5), path.name
            assert result.true_peak_db == pytest.approx(true_peak, abs=0.5), path.name
    finally:
        db.close()
