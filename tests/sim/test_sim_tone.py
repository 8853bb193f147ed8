"""ToneDetector on really decoded MP3: a burst of 40 ms or more is one marker, a shorter one none; the
onset is the time of the decoder output that holds it (here: the frame's position in the stream)."""

from __future__ import annotations

import av
import pytest

from console.sim.live import ToneDetector
from sim_helpers import marked_wav, wav_to_mp3

BURSTS = ((0.5, 0.1), (1.0, 0.04), (1.5, 0.02), (2.0, 1.0), (3.5, 0.04))


def onsets(path) -> list[float]:
    """Decode ``path`` as a device does, each frame "coming out" at its position in the stream."""
    found, detector = [], None
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono")
        for frame in container.decode(audio=0):
            for mono in resampler.resample(frame):
                detector = detector or ToneDetector(mono.rate)
                found += detector.feed(mono.to_ndarray()[0], frame.time)
    return found


@pytest.mark.parametrize("rate, bitrate", [(48000, 64000), (44100, 32000), (22050, 32000)])
def test_bursts_of_40_ms_or_more_are_found_in_decoded_mp3(tmp_path, rate, bitrate):
    marked_wav(tmp_path / "m.wav", 4.0, BURSTS, rate)
    wav_to_mp3(tmp_path / "m.wav", tmp_path / "m.mp3", bitrate)
    found = onsets(tmp_path / "m.mp3")
    expected = [at for at, length in BURSTS if length >= 0.04]
    assert len(found) == len(expected), found
    for onset, at in zip(found, expected):
        assert abs(onset - at) <= 0.08  # the start of the frame (24-52 ms) holding it, give or take codec delay


def test_speech_like_audio_has_no_markers(audio_files):
    assert onsets(audio_files["mp3"]) == []
