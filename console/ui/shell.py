"""Bring up the Qt application around a station that starts in the background.

``run_window`` shows a small "starting" window while the station opens its database and connects
(off the GUI thread), then the main window; it stops the station when the application quits.
``render_screenshot`` does the same offscreen and saves a PNG.
"""

from __future__ import annotations

import signal
import sys
import time
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from console.errors import user_message
from console.settings import APP_NAME, Settings
from console.ui import i18n, theme


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
