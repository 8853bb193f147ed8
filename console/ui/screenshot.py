"""Render a view offscreen to PNG (docs, release notes, and to look at the UI from a headless machine).

``python -m console screenshot --view main --out main.png --lang vi`` ends up here. The "editor"
view needs no station: it shows a generated 3-minute speech-like recording. Neither does "library":
it shows a dozen generated recordings imported into a throwaway database and media store. The
"timeline" and "asrun" views show the demo station's schedules and as-run records, seeded first when
it has none (console/ui/schedule/demo.py). "live" shows the main window on the live desk, on air to the
demo station's clusters from a generated tone; "emergency" the emergency dialog's confirmation page
(console/ui/live/demo.py). "map" is the live map's dock, floated to the size asked for, with a device selected.
"graphs", "technician" and "alarms" show the Monitoring tab (the fleet graphs; a cluster's history beside
its detail; the alarms of the last 24 h, one acknowledged), the map dock hidden, after seeding a demo
history when the station has none (console/ui/monitor/demo.py). "bulletins" and "sync" show the Province
tab (the bulletin inbox; the sync page) linked to the reference collector started on loopback, with a
bulletin of each priority (console/ui/sync/demo.py).
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from console.ui import i18n, theme
from console.ui.main_window import MainWindow

VIEWS = ("main", "editor", "library", "timeline", "asrun", "live", "emergency", "map", "graphs", "technician",
         "alarms", "bulletins", "sync")
STATIONLESS = frozenset({"editor", "library"})
SCHEDULING = frozenset({"timeline", "asrun"})
LIVE = frozenset({"live", "emergency"})
MONITORING = frozenset({"graphs", "technician", "alarms"})
PROVINCE = frozenset({"bulletins", "sync"})
SETTLE_MS = 1200  # long enough for every view timer (5 Hz table, 2 Hz detail, 1 Hz status bar) to run
ANALYSIS_TIMEOUT_MS = 30_000
MAP_LOAD_TIMEOUT_MS = 20_000


def _pick_device(window: MainWindow) -> str:
    """The device to show in the detail panel: the first one with telemetry, faults first."""
    devices = window.station.fleet.state.devices.values()
    heard = [d for d in devices if d.adopted and d.state == "online" and d.temp is not None]
    ranked = sorted(heard, key=lambda d: (not d.faulty, -len(d.events), d.id))
    return ranked[0].id if ranked else next(iter(window.station.fleet.state.devices), "")


def build(view: str, station, settings: QSettings) -> QWidget:
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: expected one of {', '.join(VIEWS)}")
    if view == "editor":
        return _editor()
    return MainWindow(station, settings)


def _editor() -> QWidget:
    """The editor on a generated recording: fades at both ends, two markers, a selection, measured."""
    from console.ui.editor.demo import DEMO_SOURCE, RATE, demo_edit_list, speech_like
    from console.ui.editor.editor_widget import EditorWidget

    samples = speech_like(180)
    editor = EditorWidget()
    loop = QEventLoop()
    editor.analysed.connect(loop.quit)
    QTimer.singleShot(ANALYSIS_TIMEOUT_MS, loop.quit)
    editor.load(demo_edit_list(len(samples)), {DEMO_SOURCE: samples})
    editor.view.set_selection(65 * RATE, 88 * RATE)
    editor.view.set_cursor(65 * RATE)
    loop.exec()  # a real event loop: the measurement runs on a worker thread, which needs the GIL
    return editor


def render(view: str, out_path, station=None, lang: str = "vi", size: tuple[int, int] = (1400, 860),
           device: str | None = None) -> Path:
    """Build ``view`` for ``station``, let its timers fill it, select a device, and save a PNG.

    ``device`` picks the selected device (default: an online one with telemetry, faulty if any).
    Views in :data:`STATIONLESS` ignore ``station`` and ``device``.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: expected one of {', '.join(VIEWS)}")
    if station is None and view not in STATIONLESS:
        raise ValueError(f"the {view!r} view needs a station")
    app = QApplication.instance() or QApplication([])
    theme.apply(app)
    i18n.install(app, lang)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # A throwaway settings file: a render never reuses nor changes the user's window layout.
    with tempfile.TemporaryDirectory(prefix="tt-render-") as tmp, ExitStack() as cleanup:
        if view == "library":  # its demo database is closed (by the ExitStack) before the folder goes
            from console.ui.library.demo import demo_view

            window = cleanup.enter_context(demo_view(Path(tmp) / "library"))
        elif view in SCHEDULING:
            from console.ui.schedule.demo import demo_view as schedule_view

            window = cleanup.enter_context(schedule_view(view, station))
        elif view in LIVE:
            from console.ui.live.demo import demo_view as live_view

            settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
            window = cleanup.enter_context(live_view(view, station, settings))
        elif view in PROVINCE:
            from console.ui.sync.demo import demo_view as province_view

            settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
            window = cleanup.enter_context(province_view(view, station, settings))
        else:
            window = build(view, station, QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat))
        window.resize(*((min(size[0], 1000), min(size[1], 640)) if view == "emergency" else size))
        window.show()
        if view in ("main", "map") or view in MONITORING:
            QTest.qWait(SETTLE_MS)
            dev_id = device or _pick_device(window)
            if dev_id:
                window.devices.select_device(dev_id)
        if view in MONITORING:
            from console.ui.monitor.demo import show_page

            show_page(window, view, dev_id)
        shot = window
        if view == "map":  # the map dock floated to the size asked for, as a user would for a big map
            shot = window.map_dock
            shot.setFloating(True)
            shot.resize(*size)
            loaded = QEventLoop()
            window.map.loaded.connect(loaded.quit)
            QTimer.singleShot(MAP_LOAD_TIMEOUT_MS, loaded.quit)
            if not window.map.is_loaded:
                loaded.exec()
            window.map.fit()
        QTest.qWait(SETTLE_MS)
        saved = shot.grab().save(str(out))
        window.close()
        window.deleteLater()
    if not saved:
        raise OSError(f"cannot write {out}")
    return out
