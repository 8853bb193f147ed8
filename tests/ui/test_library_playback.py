"""Listening to a library item through a real audio output: a null sink on the test PulseAudio server.

The view runs in a child process: Qt's PulseAudio engine connects once per process, and other tests
in this one may have looked for devices before the sink existed.
"""

import json
import subprocess
import sys

import pytest
from fixtures.pulse import pulse_server  # noqa: F401 - the fixture

SCRIPT = r"""
import json, os, sys, tempfile
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, "tests")
import numpy as np
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication

app = QApplication([])
from console.audio.library import Library
from console.media.store import MediaStore
from console.store.db import open_database
from console.ui.library.library_view import LibraryView
from fixtures.audio import write_wav


def run_until(done, timeout_ms):
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: done() and loop.quit())
    poll.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


run_until(lambda: not QMediaDevices.defaultAudioOutput().isNull(), 10_000)
tmp = Path(tempfile.mkdtemp())
db = open_database(f"sqlite:///{tmp / 'db.sqlite'}")
library = Library(db, MediaStore(tmp / "media"), "lan", "admin")
t = np.arange(int(1.5 * 48000)) / 48000
library.import_files([write_wav(tmp / "tone.wav", 0.3 * np.sin(2 * np.pi * 440 * t))])
view = LibraryView(library)
view.show()
run_until(lambda: view.model.rowCount() == 1, 10_000)
view.table.selectRow(0)
preview = view.preview
seen = []
enabled = preview.play.isEnabled()
preview.play.click()


def sample():
    seen.append((preview.slider.value(), preview.time.text(), preview.play.isChecked()))
    return not preview.play.isChecked()


run_until(sample, 20_000)
print(json.dumps({"enabled": enabled, "reason": preview.unavailable_reason(), "error": preview._error,
                  "seen": seen, "length": preview.slider.maximum()}))
view.tasks.shutdown()
db.close()
"""


@pytest.fixture
def speaker(pulse_server):  # noqa: F811 - the fixture above
    module = pulse_server.pactl("load-module", "module-null-sink", "sink_name=library_out",
                                "sink_properties=device.description=library_out")
    pulse_server.pactl("set-default-sink", "library_out")
    yield pulse_server
    pulse_server.pactl("unload-module", module)


def test_an_item_plays_to_the_end_with_the_slider_following(speaker):
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=speaker.env, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["enabled"], result["reason"]
    assert not result["error"]
    playing = [on for _, _, on in result["seen"]]
    assert playing[0] and not playing[-1]  # the button went back to "play" at the end
    assert result["length"] == pytest.approx(1500, abs=50)
    positions = [p for p, _, _ in result["seen"]]
    assert positions == sorted(positions) and len(set(positions)) > 3  # it moved, forwards, in steps
    assert max(positions) > 1000
    assert any(text == "0:01 / 0:01" for _, text, _ in result["seen"])
