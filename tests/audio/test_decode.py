"""``ffmpeg.decode``: the same samples as ``decode_chunks``, read straight into one array that holds
them once, for files that announce their duration and for those that do not."""

import subprocess
import tracemalloc

import numpy as np
import pytest
from fixtures.audio import SPEECH, encode, lavfi

from console.audio import ffmpeg
from console.audio.ffmpeg import AudioError, decode, decode_chunks


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("decode")
    found = {
        "flac": encode(folder / "speech.flac", *lavfi(SPEECH), "-ac", "2", "-c:a", "flac"),
        # Matroska written to a pipe says nothing of its duration.
        "mka": folder / "speech.mka",
        "long.flac": encode(folder / "long.flac", *lavfi(SPEECH.replace("d=3", "d=30")), "-ac", "1", "-c:a", "flac"),
    }
    with open(found["mka"], "wb") as out:
        subprocess.run([ffmpeg.find_tools().ffmpeg, "-v", "error", *lavfi(SPEECH), "-c:a", "flac", "-f", "matroska",
                        "pipe:1"], stdout=out, check=True)
    assert ffmpeg.probe(found["mka"]).duration_ms is None
    return found


def whole(path, rate, channels):
    return np.concatenate(list(decode_chunks(path, rate, channels)))


@pytest.mark.parametrize(("rate", "channels"), [(48000, 1), (16000, 2), (44100, 1)])
def test_decode_gives_what_the_chunks_give(files, rate, channels):
    got = decode(files["flac"], rate, channels)
    assert got.dtype == np.float32 and got.flags.owndata and got.flags.c_contiguous
    assert got.shape == ((3 * rate,) if channels == 1 else (3 * rate, channels))
    np.testing.assert_array_equal(got, whole(files["flac"], rate, channels))


def test_a_file_without_a_duration_grows_the_array_as_it_decodes(files, monkeypatch):
    monkeypatch.setattr(ffmpeg, "DECODE_GUESS_MS", 500)  # room for 1.5 s at first (with the margin): grown twice
    got = decode(files["mka"], 48000, 1)
    assert got.flags.owndata and len(got) == 3 * 48000
    np.testing.assert_array_equal(got, whole(files["mka"], 48000, 1))


def test_the_samples_are_held_once(files):
    """The most decode() allocates is the result and its margin (numpy reports to tracemalloc); holding
    the chunks and the result at once, as it did, took twice the result."""
    tracemalloc.start()
    try:
        got = decode(files["long.flac"], 48000, 1)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.nbytes == 30 * 48000 * 4
    assert peak < 1.1 * got.nbytes


def test_a_corrupt_file_raises_as_before(audio_files):
    with pytest.raises(AudioError, match="truncated or corrupt"):
        decode(audio_files["corrupt.mp3"])
    with pytest.raises(AudioError, match="file is empty"):
        decode(audio_files["empty.mp3"])
