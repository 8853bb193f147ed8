"""Live and emergency screenshots of the demo station (``screenshot --view live`` / ``emergency``).

``live``: the main window on the live desk, ON AIR to every cluster from a generated WAV file (a
warbling tone, so the meter shows a level), once the simulated clusters have joined; the detail
panel shows a cluster's measured latency. ``emergency``: the emergency dialog's confirmation page,
with a prepared emergency message in the library, a programme airing now and a live announcement on
air, so the page lists what the emergency would interrupt.
"""

from __future__ import annotations

import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

RATE = 16000
TONE_S = 240  # longer than any screenshot takes: the source must not end before the picture
JOIN_TIMEOUT_S = 20
LOAD_TIMEOUT_S = 30
SCROLL_AFTER_MS = 400  # after the screenshot shows the window (it then waits 1.2 s)
RELAY_TITLE = "Tiếp sóng Đài Tiếng nói Việt Nam"
RELAY_URL = "https://stream.example.vn/vov1"
MESSAGE_TITLE = "Cảnh báo lũ quét: sơ tán khẩn cấp khu vực ven suối"


def tone_wav(path: Path, seconds: float = TONE_S) -> Path:
    """A 440 Hz tone with a slow warble and a syllable-like swell, about -10 dBFS peak (16 kHz mono)."""
    t = np.arange(int(seconds * RATE)) / RATE
    swell = 0.55 + 0.45 * np.abs(np.sin(2 * np.pi * 2.5 * t))
    samples = 0.32 * swell * np.sin(2 * np.pi * (440 * t + 6 * np.sin(2 * np.pi * 0.5 * t)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def _wait(predicate, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        QTest.qWait(50)
    return True


def seed_emergency(station, folder: Path) -> None:
    """An approved emergency message and a relay airing now to every cluster, unless already there."""
    from console.schedule.model import Part, Targets
    from console.schedule.rules import Rule
    from console.schedule.service import ALL_GROUP, ScheduleError, ScheduleSpec
    from console.ui.editor.demo import speech_like
    from console.ui.library.demo import _write_wav
    from console.ui.schedule.demo import _admin

    library, sched = _admin(station)
    if not library.list_items(state="approved", category="emergency"):
        folder.mkdir(parents=True, exist_ok=True)
        path = _write_wav(folder / "canh-bao-lu-quet.wav", speech_like(84, 16000, seed=5) * 0.8)
        [result] = library.import_files([path])
        if not result.ok:
            raise RuntimeError(f"the demo emergency message could not be imported: {result.error}")
        library.update_metadata(result.id, title=MESSAGE_TITLE, category="emergency",
                                source="Ban Chỉ huy PCTT xã", tags=["lũ", "khẩn"])
        library.submit(result.id)
        library.approve(result.id)
    now = sched.now()
    if not any(a.title == RELAY_TITLE for a in sched.occurrences(now, now)):
        start = (now - timedelta(minutes=12)).replace(second=0, microsecond=0)
        try:
            sched.add(ScheduleSpec(title=RELAY_TITLE, rule=Rule.once(start), targets=Targets(groups=(ALL_GROUP,)),
                                   programme=(Part("stream", dur_ms=60 * 60_000, url=RELAY_URL),)))
        except ScheduleError:  # (a conflict with the station's own schedules: the page lists those)
            pass


@contextmanager
def demo_view(view: str, station, settings: QSettings) -> Iterator[QWidget]:
    """The ``live`` main window on air, or the ``emergency`` dialog on its confirmation page."""
    from console.live.source import WavFileSource
    from console.ui.live.control import LiveControl
    from console.ui.live.emergency import CONFIRM, EmergencyDialog
    from console.ui.main_window import MainWindow

    folder = station.settings.data_path / "demo-live"
    wav = tone_wav(folder / "tone.wav")
    if view == "live":
        window = MainWindow(station, settings)
        if getattr(window, "map_dock", None) is not None:
            window.map_dock.hide()  # as a desk operator would: the desk gets the window's height
        control, desk = window.live_control, window.live_desk
        window.show_live_desk()
        desk.toggle_mode.setChecked(True)
        desk.input.set_file(wav)
        _wait(lambda: desk.targets.count is not None, LOAD_TIMEOUT_S)
        desk.talk.talkPressed.emit()  # what a click does
        desk.talk.talkReleased.emit()
        _wait(lambda: control.sessions["live"] is not None, LOAD_TIMEOUT_S)
        s = control.sessions["live"]
        if s is not None:  # most clusters joined, the chime is over and the tone measured
            _wait(lambda: s.counts()["playing"] >= 0.8 * max(1, len(s.devices)) and control.levels.count > 100,
                  JOIN_TIMEOUT_S)
            _wait(lambda: control.refresh_latencies() or bool(control.latencies), JOIN_TIMEOUT_S)
            measured = sorted(d for d in s.devices if s.status.get(d) and s.status[d].latency_ms is not None)
            if measured:  # its latency shows in the detail panel, scrolled there once the window is shown
                window.devices.select_device(measured[0])
                QTimer.singleShot(SCROLL_AFTER_MS, lambda: window.detail.ensureWidgetVisible(
                    window.detail.values["latency"], 0, 120))
        try:
            yield window
        finally:
            station.live.stop(reason="stopped")  # the picture is taken: no need to spare the GUI thread
        return
    seed_emergency(station, folder)
    control = LiveControl(station.live)
    control.go_live(lambda: WavFileSource(wav), chime=False)  # on air now: the page says it is cut off
    _wait(lambda: control.sessions["live"] is not None, LOAD_TIMEOUT_S)
    dialog = EmergencyDialog(control)
    try:
        _wait(lambda: dialog.item is not None and dialog.targets.count is not None, LOAD_TIMEOUT_S)
        dialog.show_confirmation()
        _wait(lambda: dialog.summary is not None, LOAD_TIMEOUT_S)
        assert dialog.pages.currentIndex() == CONFIRM
        yield dialog
    finally:
        dialog.close()
        station.live.stop(reason="stopped")
        control.shutdown()
        control.deleteLater()
