"""Live sources: files decoded and paced like a microphone, blocks and their times, the chime."""

from __future__ import annotations

import threading
import time
import wave

import numpy as np
import pytest

from console.live.source import (
    BLOCK,
    BLOCK_S,
    CHIME_PATH,
    END_OF_FILE,
    RATE,
    STOPPED,
    ArraySource,
    SourceError,
    WavFileSource,
    chime,
    make_chime,
)
from console.sim.live import ToneDetector
from fixtures.audio import encode, lavfi, write_wav
from livesignal import dominant_hz, markers, tone


def test_file_paced_in_real_time_gives_every_block(tmp_path):
    samples = tone(440, 1.01)  # 48,480 samples: 50 whole blocks and a part of one
    src = WavFileSource(write_wav(tmp_path / "a.wav", samples))
    began = time.monotonic()
    blocks = list(src.blocks())
    took = time.monotonic() - began
    assert len(blocks) == 51 and src.end_reason == END_OF_FILE
    assert all(b.samples.dtype == np.float32 and b.samples.shape == (BLOCK,) for b in blocks)
    # Block k was captured k * 20 ms after the first, and a paced source never runs ahead of real time
    # (a lower bound only: a slow machine may take longer).
    assert [round(b.t - blocks[0].t, 6) for b in blocks] == [round(k * BLOCK_S, 6) for k in range(51)]
    assert abs(blocks[0].t - time.time()) < 60
    assert took >= 51 * BLOCK_S - 0.005
    joined = np.concatenate([b.samples for b in blocks])
    assert np.allclose(joined[:samples.size], samples, atol=1 / 32767)
    assert not joined[samples.size:].any()  # the last block is padded with silence


def test_any_format_resampled_to_48k_mono(tmp_path):
    # Stereo 44.1 kHz MP3 of a 1 kHz tone, 2 s: 100 blocks (give or take the codec's padding) at 1 kHz.
    mp3 = encode(tmp_path / "tone.mp3", *lavfi("sine=f=1000:d=2:r=44100"), "-ac", "2", "-c:a", "libmp3lame")
    if mp3 is None:
        pytest.skip("no ffmpeg here encodes MP3")
    blocks = list(WavFileSource(mp3, realtime=False).blocks())
    assert 100 <= len(blocks) <= 103
    samples = np.concatenate([b.samples for b in blocks])
    assert dominant_hz(samples[RATE // 2:RATE]) == pytest.approx(1000, abs=2)


def test_stop_from_another_thread(tmp_path):
    src = WavFileSource(write_wav(tmp_path / "a.wav", tone(440, 30)))
    got = []
    for block in src.blocks():
        got.append(block)
        if len(got) == 3:
            threading.Thread(target=src.stop).start()
    assert src.end_reason == STOPPED and 3 <= len(got) < 100


def test_bad_files_are_one_line_errors(tmp_path, audio_files):
    with pytest.raises(SourceError, match="missing.wav"):
        WavFileSource(tmp_path / "missing.wav").start()
    with pytest.raises(SourceError, match="text.mp3"):
        WavFileSource(audio_files["text.mp3"]).start()
    with pytest.raises(SourceError, match="no audio stream"):
        WavFileSource(audio_files["noaudio.mp4"]).start()


def test_array_source_not_paced():
    blocks = list(ArraySource(np.ones(3 * BLOCK, np.float32), realtime=False).blocks())
    assert len(blocks) == 3 and all(b.samples.sum() == BLOCK for b in blocks)


def test_chime_is_two_tones_and_one_marker():
    samples = chime()
    with wave.open(str(CHIME_PATH)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
    assert samples.dtype == np.float32 and samples.size == round(1.2 * RATE)
    assert np.allclose(samples, make_chime(), atol=1 / 32767)  # the resource is what make_chime() makes
    assert np.abs(samples).max() == pytest.approx(0.5, abs=0.01)
    assert dominant_hz(samples[:int(0.4 * RATE)]) == pytest.approx(1000, abs=5)
    assert dominant_hz(samples[int(0.5 * RATE):int(0.9 * RATE)]) == pytest.approx(800, abs=5)
    assert abs(samples[-10:]).max() < 1e-3  # it fades out: no click at the end
    # Its first tone is the marker devices time themselves by: one burst, at its very start, by our
    # detector and by the simulated devices' one.
    assert markers(samples) == [0.0]
    assert ToneDetector(RATE).feed(samples, 0.0) == [0.0]
    assert not samples.flags.writeable
