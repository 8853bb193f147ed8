"""Composition root of the GUI: settings -> station -> window. No logic lives here."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Sequence

from console.settings import Settings

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """``python main.py [options]``: the GUI (options as for ``python -m console gui``).

    ``python main.py COMMAND ...`` runs a headless command instead, as ``python -m console COMMAND``
    would: the frozen build has only this entry point.
    """
    from console.__main__ import COMMAND_NAMES
    from console.__main__ import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    return cli_main(args if args and args[0] in COMMAND_NAMES else ["gui", *args])


def _has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _qt_problem() -> str | None:
    """Why the Qt user interface cannot load here (a missing system library), or None."""
    try:
        import console.ui.shell  # noqa: F401 - imports Qt's widgets
    except ImportError as e:
        return str(e)
    return None


def _run_headless(settings: Settings, why: str) -> int:
    from console.station import Station

    print(f"{why}\nRunning the station without a window (Ctrl+C to stop). To look at the console without a "
          "display: python -m console screenshot --view main --out main.png", file=sys.stderr, flush=True)
    station = Station(settings).start()
    try:
        while True:
            c = station.fleet.state.counts()
            print(f"{time.strftime('%H:%M:%S')} online {c['online']}  offline {c['offline']}  pending {c['pending']}"
                  f"  faulty {c['faulty']}  broker {'connected' if station.fleet.client.connected else 'DOWN'}",
                  file=sys.stderr, flush=True)
            time.sleep(10)
    except KeyboardInterrupt:
        return 0
    finally:
        station.stop()


def _start_in_background(settings: Settings, **kw) -> Future:
    """Start the station (database migration, broker, connect) off the GUI thread."""
    from console.station import Station

    future: Future = Future()

    def work():
        try:
            future.set_result(Station(settings, **kw).start())
        except BaseException as e:  # noqa: BLE001 - delivered to the GUI thread
            future.set_exception(e)

    threading.Thread(target=work, name="station-start", daemon=True).start()
    return future


def run_gui(settings: Settings) -> int:
    if not _has_display():
        return _run_headless(settings, "No display found (DISPLAY and WAYLAND_DISPLAY are unset).")
    problem = _qt_problem()
    if problem:
        return _run_headless(settings, f"Qt cannot start: {problem}. On Debian: apt-get install libgl1 libegl1 "
                                       "libxkbcommon0 libfontconfig1 libdbus-1-3 libxcb-cursor0")
    from console.ui.shell import run_window

    return run_window(settings, _start_in_background(settings))


def screenshot(settings: Settings, *, view: str, out: str, devices: int, size: tuple[int, int]) -> int:
    """Render a view offscreen to a PNG (``python -m console screenshot``); views of the fleet get a demo
    station, the others (editor, library) build their own sample content."""
    from console.__main__ import CliError

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    problem = _qt_problem()
    if problem:
        raise CliError(f"Qt cannot start: {problem}")
    from console.ui import screenshot as shots
    from console.ui.shell import render_screenshot

    if view not in shots.VIEWS:
        raise CliError(f"unknown view {view!r}: expected one of {', '.join(shots.VIEWS)}")
    tmp = None
    if not settings.sources.get("data_dir"):
        tmp = tempfile.TemporaryDirectory(prefix="tt-screenshot-")
        settings.set("data_dir", tmp.name, "screenshot")
    settings.set("broker_url", "", "screenshot")  # always the demo station
    try:
        starting = None if view in shots.STATIONLESS else _start_in_background(settings, demo_devices=devices)
        return render_screenshot(settings, starting, view=view, out=Path(out), size=size)
    finally:
        if tmp is not None:
            tmp.cleanup()
