"""Reconnect storm: N simulated devices connect at once while the GUI runs offscreen.

The console (FleetService + the main window, offscreen) runs in this process; the simulator runs in
a child process (``python -m console sim --connect-rate 0``) so it does not share our GIL. Measured:

* event-loop stall: a 10 ms QTimer probe records how late each tick fires (p50 / p99 / max);
* convergence: time from the last birth reaching our MQTT client to the fleet state showing every
  device online, and the total time from the simulator's start;
* peak RSS of the console process.

Baseline in the same run: the same probe with the window idle before the storm (what the event
loop does with nothing to do). Targets: stall p99 < 50 ms, converged within 2 s of the last birth,
RSS < 400 MB.

    python bench/storm.py --devices 10000 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psutil  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from console.fleet.broker import raise_fd_limit, start_embedded_broker  # noqa: E402
from console.fleet.service import FleetService  # noqa: E402
from console.settings import parse_broker_url  # noqa: E402

SITE = "storm"
PROBE_MS = 10


class Holder:
    """What the main window needs of a station (no database in this benchmark)."""

    demo = False
    site = SITE

    def __init__(self, fleet: FleetService, url: str):
        self.fleet = fleet
        self.broker_url = url


class Probe:
    """A QTimer that records how late it fires: the event loop's stall."""

    def __init__(self):
        self.lates: list[float] = []
        self.rss_peak = 0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._tick)
        self._proc = psutil.Process()

    def start(self):
        self.lates = []
        self._clock.start()
        self._timer.start()

    def _tick(self):
        elapsed = self._clock.restart()
        self.lates.append(max(0, elapsed - PROBE_MS))
        if len(self.lates) % 10 == 0:
            self.rss_peak = max(self.rss_peak, self._proc.memory_info().rss)

    def summary(self) -> dict:
        s = sorted(self.lates) or [0]
        return {"p50_ms": statistics.median(s), "p99_ms": s[min(len(s) - 1, int(len(s) * 0.99))],
                "max_ms": s[-1], "ticks": len(s)}


def online(state) -> int:
    return sum(d.state == "online" for d in list(state.devices.values()))


class OnlineCount:
    """The number of online devices, counted every 100 ms on a thread of its own: counting 10,000
    devices on the GUI thread (5 ms) would be the benchmark stalling the loop it measures."""

    def __init__(self, state) -> None:
        self.value = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(state,), daemon=True)
        self._thread.start()

    def _run(self, state) -> None:
        while not self._stop.wait(0.1):
            self.value = online(state)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_loop(predicate, timeout: float) -> bool:
    """Run the event loop until ``predicate()`` or the timeout; True if it came true. A local loop:
    ``QApplication.quit()`` would close the window in Qt 6. The predicate
    runs on the GUI thread every 250 ms, so it must be cheap (not ``FleetState.counts()``, 6 ms at
    10,000 devices: see OnlineCount)."""
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    check = QTimer()
    check.timeout.connect(lambda: (predicate() or time.monotonic() > deadline) and loop.quit())
    check.start(250)
    loop.exec()
    check.stop()
    return predicate()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=10_000)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    a = ap.parse_args()
    raise_fd_limit()

    from console.ui.main_window import MainWindow
    from console.ui.shell import QuietGc

    app = QApplication.instance() or QApplication([])
    QuietGc(app)  # the garbage collector as the GUI runs it (console/ui/shell.py)
    broker = start_embedded_broker("mosquitto")
    url = broker.url
    fleet = FleetService(parse_broker_url(url), SITE).start()
    births = {"last": 0.0, "n": 0, "counting": True}
    feed = fleet.ingest.feed

    def timed_feed(topic, payload):  # bench-only: when the last birth reached the console
        if births["counting"] and topic.endswith("/state"):
            births["last"] = time.monotonic()
            births["n"] += 1
        feed(topic, payload)

    fleet.ingest.feed = timed_feed
    win = MainWindow(Holder(fleet, url))
    win.resize(1400, 860)
    win.show()
    probe = Probe()

    # Baseline: the idle window for 2 s.
    probe.start()
    run_loop(lambda: False, 2.0)
    idle = probe.summary()

    env = {**os.environ, "TT_DATA_DIR": str(Path(broker.workdir) / "sim")}
    sim = subprocess.Popen([sys.executable, "-m", "console", "sim", "--broker", url, "--site", SITE,
                            "--devices", str(a.devices), "--connect-rate", "0", "--tele-s", "30"],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.monotonic()
    probe.start()
    count = OnlineCount(fleet.state)
    ok = run_loop(lambda: count.value >= a.devices, a.timeout)
    t_all = time.monotonic()
    births["counting"] = False
    count.stop()
    online = fleet.state.counts()["online"]
    storm = probe.summary()
    # Keep running a few seconds after convergence: the views catch up and telemetry starts.
    run_loop(lambda: False, 3.0)
    after = probe.summary()
    rss_peak = max(probe.rss_peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)

    sim.send_signal(signal.SIGINT)
    try:
        sim.wait(30)
    except subprocess.TimeoutExpired:
        sim.kill()
    win.close()
    fleet.stop()
    broker.stop()
    result = {
        "bench": "storm", "devices": a.devices, "converged": ok,
        "online": online,
        "births_received": births["n"],
        "seconds_to_all_online": round(t_all - t0, 2),
        "converge_after_last_birth_s": round(t_all - births["last"], 3) if births["last"] else None,
        "stall_p50_ms": after["p50_ms"], "stall_p99_ms": after["p99_ms"], "stall_max_ms": after["max_ms"],
        "storm_phase_stall_p99_ms": storm["p99_ms"],
        "baseline_idle_stall_p99_ms": idle["p99_ms"], "baseline_idle_stall_max_ms": idle["max_ms"],
        "rss_peak_mb": round(rss_peak / 2**20, 1),
        "ingest": {k: v for k, v in fleet.ingest.stats().items() if k != "rejected"},
    }
    if not a.json:
        print(f"devices              : {a.devices} ({'converged' if ok else 'NOT converged'})")
        print(f"all online after     : {result['seconds_to_all_online']} s from simulator start; "
              f"{result['converge_after_last_birth_s']} s after the last birth arrived (target <= 2 s)")
        print(f"event-loop stall     : p50 {after['p50_ms']} ms, p99 {after['p99_ms']} ms, max {after['max_ms']} ms "
              f"(target p99 < 50 ms); idle baseline p99 {idle['p99_ms']} ms, max {idle['max_ms']} ms")
        print(f"peak RSS             : {result['rss_peak_mb']} MB (target < 400 MB)")
    print(json.dumps(result))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
