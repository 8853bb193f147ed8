"""The record dialog through the real audio path: the virtual microphone's tone shows on the meter,
is recorded, and is handed to the library's import when stopped."""

import numpy as np

from console.audio.recorder import Recorder
from console.ui.library.record_dialog import RecordDialog

RATE = 48000
WAIT_MS = 15000


def test_meter_record_stop_and_import(qtbot, english, vmic, tmp_path):
    imported = []
    recorder = Recorder(tmp_path / "recordings", user="tester")
    dialog = RecordDialog(recorder, imported.extend)
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        qtbot.waitUntil(lambda: dialog.record.isEnabled(), timeout=WAIT_MS)  # monitoring: the meter is live
        assert dialog.device.currentData() == "vmic"
        tone = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(RATE) / RATE)
        vmic.play(np.concatenate([tone] * 3))
        qtbot.waitUntil(lambda: "-6." in dialog.peak.format(), timeout=WAIT_MS)  # 0.5 amplitude = -6 dBFS
        dialog.record.click()
        qtbot.waitUntil(lambda: dialog.stop.isEnabled() and recorder.elapsed > 0.5, timeout=WAIT_MS)
        assert not dialog.device.isEnabled() and dialog.time.text().startswith("00:00.")
        dialog.stop.click()
        qtbot.waitUntil(lambda: bool(imported), timeout=WAIT_MS)
        assert imported[0].endswith(".wav") and "stopped by user" in dialog.status.text()
    finally:
        dialog.done(0)
        recorder.shutdown()
