"""Bring up the Qt application around a station that starts in the background.

``run_window`` shows a small "starting" window while the station opens its database and connects
(off the GUI thread), then the main window; it stops the station when the application quits.
``render_screenshot`` does the same offscreen and saves a PNG.
"""

from __future__ import annotations

import signal
import gc
import sys
import time
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from console.errors import user_message
from console.settings import APP_NAME, Settings
from console.ui import i18n, theme


class QuietGc(QObject):
    """Keeps Python's cyclic garbage collector from stalling the window.

    With 10,000 devices the heap holds about 250,000 tracked objects (Qt wrappers, the administrative
    units, the fleet state), and each full collection walks all of them: 100-180 ms during which no
    Python thread runs, several times a minute while the fleet connects (bench/monitor.py). Nearly
    all of them live as long as the window, so they are frozen (``gc.freeze``: kept out of
    collections) once it is up, and so is everything allocated since, every 10 s: the collections
    the interpreter still makes walk at most 10 s worth of objects. Freezing takes no time; a
    collection before it would (up to 100 ms), so cycles that died within those 10 s stay until
    the full collection over everything made once an hour.
    """

    def __init__(self, parent: QObject | None = None, freeze_ms: int = 10_000, full_ms: int = 3_600_000):
        super().__init__(parent)
        self._freeze = QTimer(self, interval=freeze_ms, timeout=self.freeze)
        self._full = QTimer(self, interval=full_ms, timeout=self.full)
        self._freeze.start()
        self._full.start()
        QTimer.singleShot(0, self.freeze)  # once the event loop runs: the window is up

    @staticmethod
    def freeze() -> None:
        gc.freeze()

    @staticmethod
    def full() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def _app(settings: Settings) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    theme.apply(app)
    i18n.install(app, settings.language)
    return app


def run_window(settings: Settings, starting: Future) -> int:
    app = _app(settings)
    splash = QLabel(QCoreApplication.translate("Shell", "Starting the station…"))
    splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
    splash.setMinimumSize(360, 120)
    splash.setWindowTitle(QCoreApplication.translate("Shell", "Station console"))
    splash.show()
    held: dict = {}

    def check() -> None:
        if not starting.done():
            return
        poll.stop()
        splash.close()
        try:
            station = starting.result()
        except Exception as e:  # noqa: BLE001 - shown to the user in one line
            QMessageBox.critical(None, QCoreApplication.translate("Shell", "Station console"),
                                 QCoreApplication.translate("Shell", "The station could not start:\n{0}")
                                 .format(user_message(e)[0]))
            app.exit(2)
            return
        from console.ui.main_window import MainWindow

        held["station"] = station
        held["window"] = MainWindow(station)
        held["window"].show()
        held["gc"] = QuietGc(app)

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(50)
    # Ctrl+C in the terminal and SIGTERM (logout, service stop) quit cleanly, stopping the station and
    # its broker. Python only sees signals when it runs: the timer below lets it.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    tick = QTimer()
    tick.timeout.connect(lambda: None)
    tick.start(250)
    code = app.exec()
    if "station" in held:
        held["station"].stop()
    elif starting.done() and starting.exception() is None:
        starting.result().stop()
    return code


def render_screenshot(settings: Settings, starting: Future | None, *, view: str, out: Path,
                      size: tuple[int, int]) -> int:
    """Render ``view`` to ``out``; ``starting`` is the station being started, for the views that show one."""
    from console.ui.screenshot import render

    _app(settings)
    station = starting.result(timeout=120) if starting is not None else None
    try:
        if station is not None:
            # Let the fleet come online and report telemetry before the picture is taken.
            deadline = time.monotonic() + 20
            state = station.fleet.state
            while time.monotonic() < deadline:
                adopted = [d for d in state.devices.values() if d.adopted]
                if adopted and sum(d.temp is not None for d in adopted) >= 0.9 * len(adopted):
                    break
                time.sleep(0.1)
        path = render(view, out, station, lang=settings.language, size=size)
    finally:
        if station is not None:
            station.stop()
    print(path)
    return 0
