"""The microphone source through the private PulseAudio server's virtual microphone (tests/fixtures/pulse.py)."""

from __future__ import annotations

import threading
import time
import wave

import numpy as np
import pytest

from console.audio.capture import CaptureFormat, InputDevice
from console.live.source import BLOCK, BLOCK_S, DEVICE_LOST, RATE, STOPPED, MicSource, SourceError, chime
from console.live.stream import LiveBroadcast, LiveChannel
from console.media.server import MediaServer
from fixtures.waiting import wait_until
from livesignal import FfmpegListener, amplitude_at, dominant_hz, markers, tone


def test_mic_blocks_carry_the_tone_and_their_times(vmic):
    src = MicSource()  # the default device: vmic
    src.start()
    assert src.device.id == "vmic"
    started = time.time()
    done = vmic.play(np.concatenate([tone(1000, 1.0), np.zeros(24000, np.float32)]))  # 1 s of tone, 0.5 s quiet
    got, stopper = [], threading.Thread(target=src.stop)
    for block in src.blocks():
        got.append(block)
        if done.is_set() and stopper.ident is None:
            stopper.start()  # stop() from another thread ends blocks()
    stopper.join()
    assert src.end_reason == STOPPED
    assert all(b.samples.dtype == np.float32 and b.samples.shape == (BLOCK,) for b in got)
    # Times: 20 ms apart from the estimated start of capture, an estimate that only ever moves earlier as
    # less delayed chunks arrive (so a step may be a little shorter), made within a second of start().
    steps = np.diff([b.t for b in got])
    assert (steps <= BLOCK_S + 1e-6).all() and BLOCK_S * len(steps) - steps.sum() < 0.5
    assert abs(got[0].t - started) < 1.0
    audio = np.concatenate([b.samples for b in got])
    loud = amplitude_at(audio, 1000) > 0.45
    assert loud.sum() >= 49  # the whole second of tone (49-50 windows, by alignment), at amplitude 0.5


def test_broadcast_from_the_microphone_heard_by_ffmpeg(vmic, tmp_path):
    channel = LiveChannel()
    with MediaServer(tmp_path / "media") as server:
        ffmpeg = FfmpegListener(server.add_channel("mic", channel))
        assert wait_until(lambda: channel.listeners == 1)
        bc = LiveBroadcast(MicSource(), channel, archive_path=tmp_path / "mic.wav", chime=False).start()
        assert bc.t0 is not None
        quiet = np.zeros(RATE // 2, np.float32)
        done = vmic.play(np.concatenate([quiet, tone(1000, 0.3), quiet]))
        assert done.wait(15)
        assert wait_until(lambda: bc.elapsed_s >= 1.5)
        bc.stop()
        assert bc.wait(10) and bc.end_reason == STOPPED
        assert ffmpeg.wait() == 0, ffmpeg.stderr
    assert len(markers(ffmpeg.samples())) == 1
    assert (tmp_path / "mic.wav").stat().st_size > 44 + 2 * 48000


def test_unknown_microphone_fails_at_start(pulse_server):
    with pytest.raises(SourceError, match="not found"):
        MicSource("no-such-mic").start()


def test_unplugged_microphone_ends_with_device_lost(pulse_server):
    mic = pulse_server.add_mic("usbmic")
    try:
        src = MicSource("usbmic")
        src.start()
        blocks = src.blocks()
        next(blocks)
        mic.unplug()
        for _ in blocks:
            pass
        assert src.end_reason == DEVICE_LOST
    finally:
        mic.close()


def test_what_the_mic_hears_during_the_chime_is_left_out(vmic, tmp_path):
    """The chime replaces the microphone while it plays: right after it comes what is said then, not
    a 1.2 s backlog (500 Hz is fed during the chime, 700 Hz after it)."""
    bc = LiveBroadcast(MicSource(), LiveChannel(), archive_path=tmp_path / "a.wav", chime=True).start()
    done = vmic.play(np.concatenate([tone(500, 1.2), tone(700, 1.5)]))
    assert done.wait(15)
    bc.stop()
    assert bc.wait(10)
    with wave.open(str(tmp_path / "a.wav")) as w:
        archived = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
    ding = chime()
    assert np.allclose(archived[:ding.size], ding, atol=1.5 / 32767)
    after = archived[ding.size + int(0.3 * RATE):ding.size + int(0.8 * RATE)]
    assert dominant_hz(after) == pytest.approx(700, abs=5)


class StereoBackend:
    """A capture backend that delivers what QtCaptureBackend may: the device's own format, here stereo
    44.1 kHz PCM16 (1 s of a 1 kHz tone in 10 ms chunks, from its own thread), then nothing."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None

    def start(self, device_id, rate, channels, on_chunk):
        signal = np.round(np.sin(2 * np.pi * 1000 * np.arange(44100) / 44100) * 0.5 * 32767)
        pcm = np.repeat(signal[:, None], 2, axis=1).astype("<i2").tobytes()
        self.thread = threading.Thread(target=lambda: [on_chunk(pcm[i:i + 1764]) for i in range(0, len(pcm), 1764)])
        self.thread.start()
        return CaptureFormat(InputDevice("stereo", "Stereo USB"), 44100, 2)

    def stop(self) -> None:
        self.thread.join()


def test_a_device_in_its_own_format_is_resampled_to_48k_mono():
    src = MicSource(backend=StereoBackend())
    blocks = src.blocks()
    got = [next(blocks) for _ in range(49)]  # 1 s at 48 kHz, but for the resampler's last few samples
    src.stop()
    blocks.close()
    audio = np.concatenate([b.samples for b in got])
    assert src.name == "Stereo USB"
    assert dominant_hz(audio) == pytest.approx(1000, abs=2)
    assert np.abs(audio[RATE // 10:]).max() == pytest.approx(0.5, abs=0.02)
