"""Monitoring at scale: the main window offscreen over N simulated devices, each figure next to the same
measurement with an empty fleet, taken in the same run.

The console (FleetService, the DB writer, the Monitor on SQLite, the main window offscreen) runs in
this process; the simulator runs in a child process (``python -m console sim``, as bench/storm.py
does) so that it does not share our GIL. First the empty fleet is measured, then the N devices are
registered and connect, and everything is measured again:

* map redraw while panning: the live map (console/ui/map, public API: ``center_on``) is moved 40 px
  per step, east and back, at a commune scale (200 m per pixel: markers summed per commune) and a
  street scale (10 m per pixel: one marker per device); a frame is the move plus a synchronous
  repaint of the map; between steps the map's own coalescing timer redraws the markers, which the
  event-loop probe below sees (``pan stall``);
* a 5 % status change: 5 % of the devices go offline (their wills, fed to the ingest), then come back
  (births of a new session); measured is the GUI thread's work to apply it once the fleet state holds
  it: the table model, the map and the status bar each draining their dirty trackers, plus a repaint
  of the window;
* fleet-graph redraw: ``FleetGraphs.apply`` with a 24 h series (1,440 one-minute rows) and a 30 d one
  (720 hourly rows) plus a synchronous repaint; 30 days of demo fleet history are seeded first
  (console/ui/monitor/demo.py's rows, scaled to the fleet); the Monitor's read of the series, done
  on a worker in the window, is reported beside it;
* memory: the process's RSS after each phase, and its peak;
* event-loop stall p50/p99/max (a 10 ms QTimer probe, bench/storm.py's) during a reconnect storm of
  all devices: the simulator is killed (the broker sends every will) and started again (every device
  is born again at once); the empty-fleet figure is the same probe over the idle window.

Targets: stall p99 < 50 ms, redraw < 30 ms (map frame, status change, fleet graph; p95 of the map's
frames).

    python bench/monitor.py --devices 10000 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psutil
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from storm import OnlineCount, Probe, run_loop

from console.core.tiles import lonlat_to_xy, xy_to_lonlat
from console.fleet import schemas
from console.fleet.broker import raise_fd_limit, start_embedded_broker
from console.fleet.service import FleetService
from console.monitor import Monitor, rollup
from console.monitor import buckets as bk
from console.settings import parse_broker_url
from console.sim.layout import demo_layout
from console.station import apply_registry, load_registry
from console.store.db import open_database
from console.store.demo import register_demo_fleet
from console.store.writer import DbWriter
from console.ui.shell import QuietGc

SITE = "monbench"
SEED = 1  # the simulator's default: the same ids and communes as demo_layout(n, SEED)
DAY_MS = 86_400_000
SCALES = {"commune": 200.0, "street": 10.0}  # metres per screen pixel
PAN_STEP_PX = 40
CHANGE = 0.05


class Holder:
    """What the main window needs of a station."""

    demo = False
    site = SITE
    user = "bench"

    def __init__(self, fleet, url, db, monitor):
        self.fleet, self.broker_url, self.db, self.monitor = fleet, url, db, monitor


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def spread(values: list[float]) -> dict:
    s = sorted(values) or [0.0]
    return {"p50_ms": round(statistics.median(s), 2), "p95_ms": round(s[min(len(s) - 1, int(len(s) * 0.95))], 2),
            "max_ms": round(s[-1], 2), "n": len(values)}


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / 2**20, 1)


# -- the measurements --------------------------------------------------------------------------------

def pan(app, win, centres: dict[str, tuple[float, float]], steps: int) -> dict:
    """Frames of a pan at each scale, and the event-loop stall while panning."""
    view = win.map
    probe = Probe()
    out = {}
    for name, m_per_px in SCALES.items():
        centre = centres[name]
        x0, y0 = (float(v) for v in lonlat_to_xy(*centre))
        view.center_on(*centre, m_per_px)
        QTest.qWait(400)
        frames = []
        probe.start()
        for i in range(steps):
            k = i if i < steps // 2 else steps - i  # east, then back
            lon, lat = xy_to_lonlat(x0 + k * PAN_STEP_PX * m_per_px, y0)
            t0 = time.perf_counter()
            view.center_on(float(lon), float(lat), m_per_px)
            app.processEvents()
            view.graphics.viewport().repaint()
            frames.append(ms(time.perf_counter() - t0))
            QTest.qWait(70)  # the map's 60 ms coalescing timer redraws the markers in between
        out[name] = {**spread(frames), "stall_p99_ms": probe.summary()["p99_ms"]}
    return out


def status_change(app, win, fleet, fraction: float) -> dict:
    """5 % of the online devices go offline, then come back: the GUI work to apply each change."""
    state = fleet.state
    online = sorted(d.id for d in state.devices.values() if d.state == "online")
    chosen = random.Random(3).sample(online, int(len(online) * fraction)) if online else []
    out = {"devices": len(chosen)}
    now = int(time.time() * 1000)
    for phase, make in (("offline", lambda d: schemas.make(schemas.State, state="offline", session=d.session, ts=now,
                                                            reason="lost")),
                        ("online", lambda d: schemas.make(schemas.State, state="online", session=d.session + 1,
                                                           ts=now, fw=d.fw, model=d.model, tele_s=d.tele_s))):
        target = state.counts()[phase] + (len(chosen) if phase == "offline" else 0)
        for dev in chosen:
            fleet.ingest.feed(f"tt/v1/{SITE}/d/{dev}/state", schemas.encode(make(state.get(dev))))
        deadline = time.monotonic() + 30
        while chosen and state.counts()[phase] < target and time.monotonic() < deadline:
            time.sleep(0.01)  # the ingest thread applies them; the GUI does not run meanwhile
        t0 = time.perf_counter()
        win.devices.model.refresh()
        t1 = time.perf_counter()
        win.map.refresh()
        t2 = time.perf_counter()
        win.statusBar().refresh()
        t3 = time.perf_counter()
        win.repaint()
        t4 = time.perf_counter()
        out[phase] = {"total_ms": ms(t4 - t0), "table_ms": ms(t1 - t0), "map_ms": ms(t2 - t1),
                      "status_bar_ms": ms(t3 - t2), "repaint_ms": ms(t4 - t3)}
        QTest.qWait(600)
    return out


def seed_fleet_history(monitor, state, days: int = 30) -> None:
    """30 days of demo fleet rows for the fleet as it is now: hourly rows for the whole span, 1-minute
    rows for the last day (as the Monitor keeps them), ending where its own rows begin."""
    from console.ui.monitor.demo import fleet_rows

    until = bk.floor_to(monitor.now() - 120_000, 60)
    rows = fleet_rows(state, until - days * DAY_MS, until, ZoneInfo(monitor.config.tz), random.Random(SEED))
    minutes = [r for r in rows if r["t"] >= until - DAY_MS]
    hours = rollup.fleet_hours(r for r in rows if r["t"] < bk.floor_to(until, 3600))

    def write(s):
        rollup.save_fleet(s, hours)
        rollup.save_fleet(s, minutes)
    rollup.run_write(monitor.db, monitor.writer, write)


def fleet_graph(app, win, rounds: int = 5) -> dict:
    panel = win.monitor_panel
    win.tabs.setCurrentWidget(panel)
    panel.setCurrentWidget(panel.fleet)
    QTest.qWait(500)
    graphs = panel.fleet
    out = {}
    for range_ in ("24h", "30d"):
        loads, draws = [], []
        points = 0
        for _ in range(rounds):
            t0 = time.perf_counter()
            series = win.station.monitor.fleet_series(range_)
            t1 = time.perf_counter()
            graphs.apply(series)
            graphs.canvas.viewport().repaint()
            t2 = time.perf_counter()
            loads.append(ms(t1 - t0))
            draws.append(ms(t2 - t1))
            points = len(series["t"])
            QTest.qWait(50)
        out[range_] = {"points": points, "redraw_ms": round(statistics.median(draws), 2), "redraw_max_ms": max(draws),
                       "load_ms": round(statistics.median(loads), 2)}
    win.tabs.setCurrentWidget(win.devices)
    QTest.qWait(300)
    return out


def measure(app, win, fleet, centres, steps: int) -> dict:
    return {"map_pan": pan(app, win, centres, steps), "status_change": status_change(app, win, fleet, CHANGE),
            "fleet_graph": fleet_graph(app, win), "rss_mb": rss_mb()}


def start_sim(url: str, devices: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "TT_DATA_DIR": str(workdir / "sim")}
    return subprocess.Popen([sys.executable, "-m", "console", "sim", "--broker", url, "--site", SITE,
                             "--devices", str(devices), "--seed", str(SEED), "--connect-rate", "0", "--tele-s", "30"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop_sim(sim: subprocess.Popen, sig=signal.SIGINT) -> None:
    sim.send_signal(sig)
    try:
        sim.wait(30)
    except subprocess.TimeoutExpired:
        sim.kill()
        sim.wait()


# -- the run ------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=10_000)
    ap.add_argument("--pan-steps", type=int, default=40, help="steps of each pan (default 40)")
    ap.add_argument("--timeout", type=float, default=180, help="for all devices to be online, s")
    ap.add_argument("--plain-gc", action="store_true", help="leave Python's garbage collector as it is "
                    "(the GUI freezes its long-lived objects: console/ui/shell.py, QuietGc)")
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    a = ap.parse_args()
    raise_fd_limit()

    from console.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="tt-monbench-"))
    broker = start_embedded_broker("mosquitto")
    db = open_database(f"sqlite:///{tmp / 'console.db'}")
    specs = demo_layout(a.devices, SEED)
    register_demo_fleet(db, specs)  # in the database now; in the fleet state after the empty phase
    writer = DbWriter(db).start()
    fleet = FleetService(parse_broker_url(broker.url), SITE).start()
    monitor = Monitor(db, writer, fleet.state, messages=lambda: fleet.ingest.processed).start()
    # The province's middle at commune scale; a commune with devices at street scale.
    centres = {"commune": (statistics.median(s.lon for s in specs), statistics.median(s.lat for s in specs)),
               "street": (specs[0].lon, specs[0].lat)}
    win = MainWindow(Holder(fleet, broker.url, db, monitor), QSettings(str(tmp / "w.ini"), QSettings.Format.IniFormat))
    win.resize(1400, 860)
    win.show()
    run_loop(lambda: win.map.is_loaded, 60)
    quiet_gc = None if a.plain_gc else QuietGc(app)
    peak = Probe()  # its rss_peak follows the whole run
    peak.start()
    seed_fleet_history(monitor, fleet.state)

    # The empty fleet.
    empty = {}
    probe = Probe()
    probe.start()
    run_loop(lambda: False, 5.0)
    empty["storm_stall"] = probe.summary()
    empty.update(measure(app, win, fleet, centres, a.pan_steps))

    # N devices: registered in the fleet state, then connecting all at once.
    apply_registry(fleet.state, load_registry(db))
    fleet.state.publish_changes()
    count = OnlineCount(fleet.state)
    sim = start_sim(broker.url, a.devices, tmp)
    t0 = time.monotonic()
    probe.start()
    connected = run_loop(lambda: count.value >= a.devices, a.timeout)
    first_connect = {**probe.summary(), "seconds": round(time.monotonic() - t0, 2)}
    run_loop(lambda: False, 3.0)

    # The reconnect storm: every device drops (the broker sends their wills), then all are born again.
    full = {}
    probe.start()
    t0 = time.monotonic()
    stop_sim(sim, signal.SIGKILL)
    run_loop(lambda: count.value == 0, 60)
    t_down = time.monotonic()
    sim = start_sim(broker.url, a.devices, tmp)
    back = run_loop(lambda: count.value >= a.devices, a.timeout)
    full["storm_stall"] = {**probe.summary(), "all_offline_s": round(t_down - t0, 2),
                           "all_online_again_s": round(time.monotonic() - t_down, 2), "converged": back}
    run_loop(lambda: False, 3.0)
    # The rest (the 5 % change feeds births of made-up sessions, so it comes after the storm).
    seed_fleet_history(monitor, fleet.state)
    full.update(measure(app, win, fleet, centres, a.pan_steps))
    rss_peak = round(max(peak.rss_peak, psutil.Process().memory_info().rss) / 2**20, 1)

    stop_sim(sim)
    count.stop()
    win.close()
    monitor.stop()
    fleet.stop()
    writer.stop()
    db.close()
    broker.stop()

    targets = {"stall_p99_ms": 50, "redraw_ms": 30}
    worst_redraw = max(full["map_pan"]["commune"]["p95_ms"], full["map_pan"]["street"]["p95_ms"],
                       full["status_change"]["offline"]["total_ms"], full["status_change"]["online"]["total_ms"],
                       full["fleet_graph"]["24h"]["redraw_ms"], full["fleet_graph"]["30d"]["redraw_ms"])
    result = {"bench": "monitor", "devices": a.devices, "quiet_gc": quiet_gc is not None, "connected": connected, "first_connect": first_connect,
              "empty": empty, "full": full, "rss_peak_mb": rss_peak, "targets": targets,
              "met": {"stall_p99": full["storm_stall"]["p99_ms"] < targets["stall_p99_ms"],
                      "redraw": worst_redraw < targets["redraw_ms"]}}
    if not a.json:
        report(result)
    print(json.dumps(result))
    return 0 if connected and back else 1


def report(r: dict) -> None:
    e, f = r["empty"], r["full"]
    n = r["devices"]
    print(f"devices: {n} ({'all online' if r['connected'] else 'NOT all online'} after "
          f"{r['first_connect']['seconds']} s; "
          f"{'QuietGc' if r['quiet_gc'] else 'plain gc'})   empty fleet | {n} devices")
    for scale in SCALES:
        pe, pf = e["map_pan"][scale], f["map_pan"][scale]
        print(f"map pan, {scale:8} frame p50/p95/max : {pe['p50_ms']}/{pe['p95_ms']}/{pe['max_ms']} ms | "
              f"{pf['p50_ms']}/{pf['p95_ms']}/{pf['max_ms']} ms; "
              f"stall p99 {pe['stall_p99_ms']} | {pf['stall_p99_ms']} ms")
    for phase in ("offline", "online"):
        se, sf = e["status_change"][phase], f["status_change"][phase]
        print(f"5 % status change ({phase:7})      : {se['total_ms']} ms | {sf['total_ms']} ms "
              f"({f['status_change']['devices']} devices: table {sf['table_ms']}, map {sf['map_ms']}, "
              f"status bar {sf['status_bar_ms']}, repaint {sf['repaint_ms']} ms)")
    for range_ in ("24h", "30d"):
        ge, gf = e["fleet_graph"][range_], f["fleet_graph"][range_]
        print(f"fleet graph {range_:3} redraw ({gf['points']} pts) : {ge['redraw_ms']} ms | {gf['redraw_ms']} ms "
              f"(read {ge['load_ms']} | {gf['load_ms']} ms, on a worker)")
    print(f"memory (RSS)                      : {e['rss_mb']} MB | {f['rss_mb']} MB; peak {r['rss_peak_mb']} MB")
    se, sf = e["storm_stall"], f["storm_stall"]
    print(f"stall during the reconnect storm  : p50/p99/max {se['p50_ms']}/{se['p99_ms']}/{se['max_ms']} ms (idle) | "
          f"{sf['p50_ms']}/{sf['p99_ms']}/{sf['max_ms']} ms (target p99 < 50 ms); all offline after "
          f"{sf['all_offline_s']} s, all online again after {sf['all_online_again_s']} s")
    print(f"first connect of all devices      : stall p99 {r['first_connect']['p99_ms']} ms, "
          f"max {r['first_connect']['max_ms']} ms")


if __name__ == "__main__":
    sys.exit(main())
