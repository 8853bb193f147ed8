"""Playback through a real audio output: a null sink on the test PulseAudio server.

The editor runs in a child process: Qt's PulseAudio engine connects once per process, and other
tests in this one may have looked for devices before the sink existed.
"""

import json
import subprocess
import sys

import pytest
from fixtures.pulse import pulse_server  # noqa: F401 - the fixture

SCRIPT = r"""
import json, os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication

app = QApplication([])
from console.core.editlist import EditList
from console.ui.editor.demo import speech_like
from console.ui.editor.editor_widget import EditorWidget


def run_until(done, timeout_ms):
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: done() and loop.quit())
    poll.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


run_until(lambda: not QMediaDevices.defaultAudioOutput().isNull(), 10_000)
samples = speech_like(1.5, 48000)
editor = EditorWidget()
editor.load(EditList.whole("speech", len(samples), 48000), {"speech": samples})
editor.resize(900, 500)
editor.show()
states, seen = [], []
editor.player.stateChanged.connect(states.append)
enabled = editor.play_action.isEnabled()
editor.play_action.trigger()


def sample():
    seen.append((editor.player.position(), editor.view.playhead_line.value()))
    return not editor.player.is_playing()


run_until(sample, 20_000)
run_until(lambda: False, 100)  # the playhead's last tick
print(json.dumps({"enabled": enabled, "reason": editor.player.unavailable_reason(), "states": states,
                  "seen": seen, "frames": len(samples), "end": [editor.player.position(),
                                                                editor.view.playhead_line.value()]}))
"""


@pytest.fixture
def speaker(pulse_server):  # noqa: F811 - the fixture above
    module = pulse_server.pactl("load-module", "module-null-sink", "sink_name=editor_out",
                                "sink_properties=device.description=editor_out")
    pulse_server.pactl("set-default-sink", "editor_out")
    yield pulse_server
    pulse_server.pactl("unload-module", module)


def test_playback_runs_to_the_end_with_the_playhead(speaker):
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=speaker.env, capture_output=True, text=True, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["enabled"], result["reason"]
    assert result["states"] == [True, False]
    positions = [p for p, _ in result["seen"]]
    assert positions == sorted(positions) and len(set(positions)) > 3  # it moved, forwards, in steps
    assert result["end"] == [result["frames"], pytest.approx(1.5)]
    playheads = {round(x, 3) for _, x in result["seen"]}
    assert len(playheads) > 3  # the playhead followed on the way
