"""The recorder through the real audio path: PulseAudio pipe source -> capture backend -> WAV on disk.

A private PulseAudio server's virtual microphone (tests/fixtures/pulse.py) is fed known signals in
real time; the console's Recorder captures it with its default backend (``parec`` on Linux) as it
would a desk microphone. QtMultimedia's backend is checked to hear it too.
"""

import json
import os
import signal
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from console.audio import recorder as recorder_module
from console.audio.capture import QtCaptureBackend, available
from console.audio.recorder import (
    DEVICE_LOST,
    DISK_ALMOST_FULL,
    FLOOR_DB,
    MAX_DURATION_REACHED,
    STOPPED_BY_USER,
    Recorder,
    disk_guard_bytes,
    find_unfinished,
    recover,
)
from console.audio.wavjournal import read_journal


RATE = 48000
WAIT_MS = 15000


def tone(hz: float, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    return amplitude * np.sin(2 * np.pi * hz * np.arange(round(seconds * RATE)) / RATE)


def read_wav(path) -> np.ndarray:
    """The samples (-1..1) of a recorder WAV, after checking its header matches its length."""
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        assert w.getnframes() == (Path(path).stat().st_size - 44) // 2, "header sizes disagree with the file"
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * RATE / len(x))


def band_energy(x: np.ndarray, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    return float(spectrum[np.abs(freqs - hz) < 20].sum())


def wait_state(qtbot, recorder, state, action):
    with qtbot.waitSignal(recorder.stateChanged, timeout=WAIT_MS, check_params_cb=lambda s: s == state):
        action()


def play(qtbot, mic, signal_):
    done = mic.play(signal_)
    qtbot.waitUntil(done.is_set, timeout=WAIT_MS)


@pytest.fixture
def recorder(qtbot, vmic, tmp_path):
    rec = Recorder(tmp_path / "recordings", user="tester")
    yield rec
    rec.shutdown()


def test_lists_the_virtual_microphone_as_the_default_input(recorder, monkeypatch, tmp_path):
    assert available() == (True, "")
    assert [(d.id, d.name) for d in recorder.devices() if d.is_default] == [("vmic", "vmic")]
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'nothing-here'}")
    ok, reason = available()
    assert not ok and reason.startswith("no PulseAudio server")


def test_qt_backend_hears_the_microphone_too(qtbot, vmic):
    """QAudioSource, the backend off Linux. What it hears is checked, not that nothing is lost: on
    PulseAudio it drops audio whenever it is scheduled late (see capture.py)."""
    backend = QtCaptureBackend()
    ids = [d.id for d in backend.devices()]
    assert "vmic" in ids, (f"QtMultimedia lists {ids}: Qt's PulseAudio engine connects once per process, "
                           "so fixtures.pulse must start the server before anything uses QtMultimedia")
    chunks = []
    backend.start("vmic", RATE, 1, chunks.append)
    try:
        play(qtbot, vmic, tone(1000, 1.0))
    finally:
        backend.stop()
    x = np.frombuffer(b"".join(chunks), dtype="<i2") / 32768
    loud = np.flatnonzero(np.abs(x) > 0.05)
    assert len(loud) > RATE // 2
    assert abs(dominant_hz(x[loud[0]:loud[-1]]) - 1000) < 2


def test_records_what_the_microphone_hears(qtbot, recorder, vmic):
    levels = []
    recorder.levelsChanged.connect(lambda peak, rms: levels.append((peak, rms)))
    wait_state(qtbot, recorder, "monitoring", recorder.open)
    assert recorder.device.id == "vmic"

    # The meter works before recording, and nothing is written while monitoring.
    play(qtbot, vmic, tone(1000, 0.5))
    qtbot.waitUntil(lambda: any(abs(peak + 6.02) < 0.2 for peak, _ in levels), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: recorder.levels == (FLOOR_DB, FLOOR_DB), timeout=WAIT_MS)  # all of it heard
    assert not recorder.directory.exists() or not any(recorder.directory.iterdir())

    wait_state(qtbot, recorder, "recording", recorder.start)
    levels.clear()
    play(qtbot, vmic, np.concatenate([tone(1000, 2.0), np.zeros(RATE)]))
    with qtbot.waitSignal(recorder.stopped, timeout=WAIT_MS) as stopped:
        recorder.stop()
    reason, path = stopped.args
    assert reason == STOPPED_BY_USER and recorder.state == "monitoring"

    x = read_wav(path)
    assert abs(len(x) / RATE - 3.0) < 0.3, f"recorded {len(x) / RATE:.3f} s of the 3 s fed"
    assert recorder.elapsed == len(x) / RATE
    loud = np.flatnonzero(np.abs(x) > 0.05)
    onset, end = loud[0], loud[-1]
    assert onset / RATE < 0.3
    # Every block of the tone arrived: none dropped, none repeated.
    assert abs((end - onset) / RATE - 2.0) < 0.002, \
        f"{(end - onset) / RATE:.3f} s of tone (blocks the mic dropped: {vmic.dropped_blocks})"
    assert abs(dominant_hz(x[onset + RATE // 10:onset + 19 * RATE // 10]) - 1000) < 2
    assert abs(np.abs(x).max() - 0.5) < 0.01
    assert np.abs(x[onset + 21 * RATE // 10:]).max() < 1e-3  # the silence after it

    tone_levels = [(peak, rms) for peak, rms in levels if peak > -20]
    assert len(tone_levels) >= 20, "the meter reported too rarely during the 2 s tone"
    assert abs(np.median([p for p, _ in tone_levels]) + 6.02) < 0.1
    assert abs(np.median([r for _, r in tone_levels]) + 9.03) < 0.2
    assert levels[-1] == (FLOOR_DB, FLOOR_DB) and recorder.levels == (FLOOR_DB, FLOOR_DB)

    journal = read_journal(Path(path))
    assert (journal["state"], journal["device_id"], journal["user"], journal["stop_reason"]) == \
        ("finished", "vmic", "tester", STOPPED_BY_USER)


def test_pause_leaves_out_what_was_heard_meanwhile(qtbot, recorder, vmic):
    wait_state(qtbot, recorder, "recording", recorder.start)
    play(qtbot, vmic, tone(1000, 1.0))
    wait_state(qtbot, recorder, "paused", recorder.pause)
    assert read_journal(recorder.path)["state"] == "paused"
    play(qtbot, vmic, tone(2000, 1.0))
    wait_state(qtbot, recorder, "recording", recorder.resume)
    play(qtbot, vmic, tone(1000, 1.0))
    with qtbot.waitSignal(recorder.stopped, timeout=WAIT_MS) as stopped:
        recorder.stop()

    x = read_wav(stopped.args[1])
    assert abs(len(x) / RATE - 2.0) < 0.3, f"recorded {len(x) / RATE:.3f} s, expected the 2 s not paused"
    assert band_energy(x, 2000) < 0.15 * band_energy(x, 1000)


def test_stops_at_the_maximum_duration(qtbot, recorder, vmic):
    wait_state(qtbot, recorder, "recording", lambda: recorder.start(max_duration=1.0))
    with qtbot.waitSignal(recorder.stopped, timeout=WAIT_MS) as stopped:
        vmic.play(tone(1000, 2.0))
    assert stopped.args[0] == MAX_DURATION_REACHED
    assert len(read_wav(stopped.args[1])) == RATE
    assert recorder.state == "monitoring" and recorder.stop_reason == MAX_DURATION_REACHED


def test_a_microphone_that_goes_away_ends_the_recording(qtbot, pulse_server, vmic, tmp_path):
    # The default microphone keeps sounding: PulseAudio moves the stream to it when "usbmic" goes,
    # and the recorder must notice instead of recording the wrong microphone.
    mic = pulse_server.add_mic("usbmic")
    rec = Recorder(tmp_path, user="tester")
    try:
        qtbot.waitUntil(lambda: "usbmic" in [d.id for d in rec.devices()], timeout=WAIT_MS)
        rec.open("usbmic")
        wait_state(qtbot, rec, "recording", rec.start)
        play(qtbot, mic, tone(1000, 0.5))
        with qtbot.waitSignal(rec.stopped, timeout=WAIT_MS) as stopped:
            mic.unplug()
        assert stopped.args[0] == DEVICE_LOST
        assert len(read_wav(stopped.args[1])) >= 0.4 * RATE  # what was recorded is kept
        qtbot.waitUntil(lambda: rec.state == "closed", timeout=WAIT_MS)
    finally:
        rec.shutdown()
        mic.close()


@pytest.fixture
def small_disk(tmp_path, monkeypatch, request):
    """A tmpfs with ``room`` bytes (we run as root, as CI does); without mount rights, a pretended one."""
    disk = tmp_path / "small"
    disk.mkdir()
    room = disk_guard_bytes(256 * 1024, RATE) + 2 * RATE * 2  # about 2 s of audio above the guard
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={room}", "tmpfs", str(disk)],
                           capture_output=True, text=True, check=False)
    if mount.returncode == 0:
        request.addfinalizer(lambda: subprocess.run(["umount", str(disk)], check=True))
    else:
        # Fallback only when mounting is refused (not root): free space computed from what was written.
        print(f"mount failed ({mount.stderr.strip()}): pretending a {room}-byte disk")
        monkeypatch.setattr(recorder_module, "free_bytes",
                            lambda path: room - sum(f.stat().st_size for f in Path(path).iterdir()))
    return disk


def test_disk_guard_stops_before_the_disk_is_full(qtbot, vmic, small_disk):
    disk = small_disk
    rec = Recorder(disk / "recordings", user="tester", reserve_bytes=256 * 1024)
    try:
        wait_state(qtbot, rec, "recording", rec.start)
        with qtbot.waitSignal(rec.stopped, timeout=WAIT_MS) as stopped:
            vmic.play(tone(1000, 10.0))
        reason, path = stopped.args
        assert reason == DISK_ALMOST_FULL and rec.state == "monitoring"
        assert len(read_wav(path)) > RATE // 2  # what was recorded is kept, and valid
        assert recorder_module.free_bytes(disk / "recordings") > RATE * 2  # it stopped with room left
        assert read_journal(Path(path))["stop_reason"] == DISK_ALMOST_FULL
    finally:
        rec.shutdown()


CHILD = """
import sys
from PySide6.QtCore import QCoreApplication
from console.audio.recorder import Recorder

app = QCoreApplication([])
recorder = Recorder(sys.argv[1], user="child")
recorder.stateChanged.connect(lambda state: print(state, flush=True))
recorder.start()
app.exec()
"""


def test_a_killed_recording_is_recovered_with_at_most_a_second_lost(qtbot, vmic, tmp_path):
    directory = tmp_path / "recordings"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(directory)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert "recording" in (line.strip() for line in child.stdout), child.stderr.read()
        play(qtbot, vmic, tone(1000, 2.5))
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()

    [unfinished] = find_unfinished(directory)
    assert (unfinished.user, unfinished.device) == ("child", "vmic")
    x = read_wav(recover(unfinished.wav))
    assert unfinished.duration_s == len(x) / RATE
    # The tone was the last thing fed before the kill: what is missing of it was lost.
    loud = np.flatnonzero(np.abs(x) > 0.05)
    kept = (loud[-1] - loud[0]) / RATE
    assert 1.5 <= kept < 2.51, f"{kept:.3f} s of the 2.5 s tone kept (mic blocks dropped: {vmic.dropped_blocks})"
    assert abs(dominant_hz(x[loud[0]:loud[-1]]) - 1000) < 2
    assert find_unfinished(directory) == []
    assert json.loads(unfinished.wav.with_suffix(".json").read_text())["state"] == "recovered"
