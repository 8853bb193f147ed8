"""The recorder without a sound server: the level meter, and a capture backend swapped at its boundary."""

import wave

import numpy as np

from console.audio.capture import CaptureFormat, InputDevice
from console.audio.recorder import FLOOR_DB, STOPPED_BY_USER, LevelMeter, Recorder


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def sine(amplitude: float, frames: int = 4800) -> np.ndarray:
    return np.round(amplitude * 32767 * np.sin(2 * np.pi * 1000 * np.arange(frames) / 48000)).astype("<i2")


def test_levels_in_dbfs():
    clock = FakeClock()
    meter = LevelMeter(clock=clock)
    clock.now = 1
    assert meter.add(sine(0.5))
    peak, rms = meter.latest
    assert abs(peak + 6.02) < 0.01 and abs(rms + 9.03) < 0.01
    clock.now = 2
    assert meter.add(np.zeros(480, dtype="<i2")) and meter.latest == (FLOOR_DB, FLOOR_DB)
    clock.now = 3
    assert meter.add(np.array([-32768, 0], dtype="<i2")) and meter.latest[0] == 0.0


def test_a_reading_covers_everything_since_the_last_one_at_most_30_times_a_second():
    clock = FakeClock()
    meter = LevelMeter(clock=clock)
    readings = []
    for i in range(100):  # one second of 10 ms chunks, one loud click among them
        clock.now += 0.01
        chunk = np.zeros(480, dtype="<i2")
        if i == 50:
            chunk[7] = 16384
        if meter.add(chunk):
            readings.append(meter.latest[0])
    assert 20 <= len(readings) <= 30
    assert readings.count(FLOOR_DB) == len(readings) - 1 and max(readings) == -6.020599913279624


class FakeMic:
    """A CaptureBackend whose audio the test hands over: stereo at 44.1 kHz, as some devices insist."""

    device = InputDevice("fake", "Fake stereo mic", True)

    def __init__(self):
        self.on_chunk = None

    def devices(self):
        return [self.device]

    def start(self, device_id, rate, channels, on_chunk):
        self.on_chunk = on_chunk
        return CaptureFormat(self.device, 44100, 2)

    def stop(self):
        self.on_chunk = None


def test_a_stereo_device_is_recorded_as_mono_at_its_own_rate(qtbot, tmp_path):
    mic = FakeMic()
    rec = Recorder(tmp_path, user="lan", backend=mic)
    try:
        with qtbot.waitSignal(rec.stateChanged, check_params_cb=lambda s: s == "recording"):
            rec.start()
        stereo = np.tile(np.array([1000, 3000], dtype="<i2"), 4410).tobytes()  # 0.1 s
        for part in (stereo[:1001], stereo[1001:], stereo):  # split inside a frame
            mic.on_chunk(part)
        with qtbot.waitSignal(rec.stopped) as stopped:
            rec.stop()
    finally:
        rec.shutdown()
    assert stopped.args[0] == STOPPED_BY_USER
    with wave.open(stopped.args[1]) as w:
        assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (1, 44100, 8820)
        assert set(np.frombuffer(w.readframes(8820), dtype="<i2")) == {2000}
    assert rec.elapsed == 0.2 and rec.device == mic.device
