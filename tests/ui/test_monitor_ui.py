"""The monitoring views over a real Monitor on SQLite (no writer thread: its writes run in place):
acknowledging an alarm from the window, the graphs of a seeded device and the fleet, the
what-to-fix-first export, and the remote actions the technician needs (ping's round trip, upload logs)."""

from __future__ import annotations

import csv
import tarfile

import numpy as np
import pytest
from fleetdata import Station
from PySide6.QtCore import QSettings, Qt

from console.fleet.service import FleetService
from console.fleet.state import now_ms
from console.monitor import Monitor
from console.monitor import buckets as bk
from console.monitor import rollup
from console.settings import parse_broker_url
from console.store import repo
from console.store.db import open_database
from console.store.models import DeviceEvent
from console.ui.main_window import MainWindow
from console.ui.monitor.alarms import NOTIFY_KEY, AlarmTableModel
from console.ui.monitor.fixfirst import FixFirstView
from console.ui.monitor.graphs import DeviceGraphs, FleetGraphs
from console.ui.views.command_panel import CommandPanel

WAIT_MS = 15_000
HOUR, MIN = 3_600_000, 60_000
USER = "Nguyễn Văn Kỹ"
# id, commune code, commune, presence, hours in it
DEVICES = [("MON-1", "21553", "Xã An Nhơn", "offline", 3.0), ("MON-2", "21553", "Xã An Nhơn", "offline", 1.0),
           ("MON-3", "21610", "Xã Tuy Phước", "offline", 5.0), ("MON-4", "21610", "Xã Tuy Phước", "online", 2.0)]
COL = {c: i for i, c in enumerate(AlarmTableModel.COLUMNS)}


@pytest.fixture
def station(sqlite_url):
    """A test station holder with a fleet state, a database and the Monitor (not started: the tests
    call it)."""
    db = open_database(sqlite_url, seed=False)
    st = Station(0, demo=False)
    st.user = USER
    now = now_ms()
    with db.sessions.begin() as s:
        for dev, *_ in DEVICES:
            repo.register_device(s, dev, adoption="adopted")
    for dev, code, unit, presence, hours in DEVICES:
        d = st.fleet.state.register(dev, adopted=True, name=f"Loa {dev}", unit_code=code, unit_name=unit,
                                    lat=13.9, lon=109.0, groups=[f"c-{code}"])
        d.state, d.state_since_ms, d.last_seen_ms = presence, int(now - hours * HOUR), int(now - hours * HOUR)
        d.offline_reason = "lost" if presence == "offline" else None
    st.fleet.state.publish_changes()
    st.monitor = Monitor(db, None, st.fleet.state)
    yield st
    db.close()


def test_acknowledge_an_alarm_from_the_window(qtbot, english, station, tmp_path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    win = MainWindow(station, settings)
    qtbot.addWidget(win)
    win.show()
    raised = station.monitor.evaluate()  # offline for more than 10 minutes: three alarms
    assert sorted(a["device"] for a in raised) == ["MON-1", "MON-2", "MON-3"]
    panel, view = win.monitor_panel, win.monitor_panel.alarms
    badge = panel.badge
    qtbot.waitUntil(lambda: badge.text() == "⚠ 3 alarms · 3 new", timeout=WAIT_MS)
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)  # the status bar's count opens the alarms
    assert win.tabs.currentWidget() is panel and panel.currentWidget() is view
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=WAIT_MS)
    assert panel.tabText(panel.indexOf(view)) == "Alarms (3)"

    alarm = next(a for a in view.model.rows if a["device"] == "MON-1")
    row = view.model.row_of(alarm["id"])
    assert view.model.index(row, COL["alarm"]).data().startswith("Offline too long: offline since ")
    assert view.model.index(row, COL["state"]).data() == "New"
    assert view.select_alarm(alarm["id"]) and view.acknowledge_button.isEnabled()
    view.note.setText("Đi kiểm tra nguồn điện thôn 3")  # (QTest.keyClicks aborts on Vietnamese letters)
    qtbot.mouseClick(view.acknowledge_button, Qt.MouseButton.LeftButton)

    def shown() -> str:
        r = view.model.row_of(alarm["id"])
        return "" if r is None else view.model.index(r, COL["state"]).data()
    qtbot.waitUntil(lambda: shown() == "Acknowledged", timeout=WAIT_MS)
    handled = view.model.index(view.model.row_of(alarm["id"]), COL["handling"]).data()
    assert handled.startswith(f"Acknowledged by {USER} at ") and handled.endswith(": Đi kiểm tra nguồn điện thôn 3")
    assert f"Acknowledged by {USER}" in view.details.text() and view.message.text() == "1 alarm(s) acknowledged."
    assert view.note.text() == "" and not view.acknowledge_button.isEnabled() and view.resolve_button.isEnabled()
    [stored] = station.monitor.alarm_history(device="MON-1")
    assert (stored["state"], stored["acked_by"], stored["ack_note"]) == ("acknowledged", USER,
                                                                        "Đi kiểm tra nguồn điện thôn 3")
    qtbot.waitUntil(lambda: badge.text() == "⚠ 3 alarms · 2 new", timeout=WAIT_MS)

    # Resolved by hand: it leaves the open alarms, and the history says who closed it.
    view.select_alarm(alarm["id"])
    view.note.setText("Đã thay cầu chì")
    qtbot.mouseClick(view.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: badge.text() == "⚠ 2 alarms · 2 new", timeout=WAIT_MS)
    view.show_combo.setCurrentIndex(1)  # raised in the last 24 h
    qtbot.waitUntil(lambda: shown() == "Resolved", timeout=WAIT_MS)
    assert f"Resolved by {USER} at " in view.model.index(view.model.row_of(alarm["id"]), COL["handling"]).data()

    # New alarms make a notification once it is switched on (off by default, kept in the settings).
    assert not panel.notifier.enabled
    view.notify_box.setChecked(True)
    assert settings.value(NOTIFY_KEY, type=bool)
    station.fleet.state.get("MON-4").faults = frozenset({"amp"})
    station.monitor.evaluate()
    qtbot.waitUntil(lambda: panel.notifier.last_message is not None, timeout=WAIT_MS)
    title, text = panel.notifier.last_message
    assert title == "1 new alarm(s)" and text == "Amplifier fault — Loa MON-4 (MON-4)"


def seed_device(monitor: Monitor, dev: str, now: int) -> list[float]:
    """Four 15-minute buckets of telemetry, an offline hour and a fault; returns the mean temperatures."""
    temps = [30.0, 31.5, 33.0, 34.5]
    res = rollup.DEVICE_RES_S
    first = bk.floor_to(now, res) - len(temps) * res * 1000
    buckets = []
    for k, temp in enumerate(temps):
        v = np.full((len(bk.FIELDS), 1), np.nan)
        v[bk.INDEX["n"]], v[bk.INDEX["online_s"]], v[bk.INDEX["observed_s"]] = 90, res, res
        for metric, mean in (("temp", temp), ("rssi", -80.0 - k), ("vol", 70.0)):
            for stat, value in zip(bk.STATS, (mean - 1, mean, mean + 1)):
                v[bk.INDEX[f"{metric}_{stat}"]] = value
        buckets.append(rollup.DeviceBucket(first + k * res * 1000, res, [dev], v))
    events = [(now - 3 * HOUR, "offline", {"reason": "lost"}), (now - 2 * HOUR, "online", {}),
              (now - 30 * MIN, "fault.raised", {"fault": "amp"})]

    def write(s):
        for b in buckets:
            rollup.save_device_bucket(s, b)
        s.add_all(DeviceEvent(device_id=dev, ts=ts, type=t, data=data, source="console") for ts, t, data in events)
        rollup.save_fleet(s, [{"res_s": 60, "t": bk.floor_to(now, 60) - (30 - i) * MIN, "samples": 6, "devices": 4.0,
                               "online": 3.0, "offline": 1.0, "unknown": 0.0, "playing": 1.0, "faulty": 0.0,
                               "pending": 0.0, "alarms": 1.0, "msgs": 240} for i in range(30)])
    rollup.run_write(monitor.db, None, write)
    return temps


def test_the_graphs_show_a_seeded_device_and_the_fleet(qtbot, english, station):
    monitor = station.monitor
    temps = seed_device(monitor, "MON-4", monitor.now())
    graphs = DeviceGraphs(monitor, station.fleet.state)
    qtbot.addWidget(graphs)
    graphs.resize(900, 700)
    graphs.show()
    with qtbot.waitSignal(graphs.loaded, timeout=WAIT_MS):
        graphs.set_device("MON-4")
    assert graphs.heading.text() == "History of Loa MON-4 · MON-4"
    means = graphs.means["temp"]
    assert list(means.yData[np.isfinite(means.yData)]) == temps
    assert np.all(np.diff(means.xData) == rollup.DEVICE_RES_S)  # one point per bucket, in order
    assert graphs.ranges["temp"].opts["y0"].tolist() == [t - 1 for t in temps]
    assert "Temperature (°C): <b>34.5</b>" in graphs.metric_plots["temp"].titleLabel.text
    assert not np.isfinite(graphs.means["vbat"].yData).any()  # never reported: nothing drawn
    # Presence bands: not known to be online (red) until the device came back, then online (green).
    bands = graphs.bands.opts
    assert len(bands["x0"]) == 2 and bands["brushes"][0].color() != bands["brushes"][1].color()
    assert bands["x0"][1] == pytest.approx((monitor.now() - 2 * HOUR) / 1000, abs=5)
    trouble = graphs.events["trouble"].data
    assert len(trouble) == 2 and "Amplifier" in trouble[-1]["data"]  # offline, then the amplifier fault

    fleet = FleetGraphs(monitor)
    qtbot.addWidget(fleet)
    fleet.resize(900, 700)
    with qtbot.waitSignal(fleet.loaded, timeout=WAIT_MS):
        fleet.show()
    online = fleet.curves["online_pct"].yData
    assert len(online) == 30 and np.allclose(online, 75.0)
    assert np.allclose(fleet.curves["msgs_per_min"].yData, 240)
    assert "Clusters online: <b>75.0 %</b>" in fleet.online_plot.titleLabel.text
    with qtbot.waitSignal(fleet.loaded, timeout=WAIT_MS):
        fleet.range_bar.buttons["7d"].click()  # hourly rows, rolled up from the minutes on the fly
    hourly = fleet.curves["online_pct"].yData  # the 30 minutes fall into one or two hours
    assert 1 <= len(hourly) <= 2 and np.allclose(hourly, 75.0)


def test_fix_first_lists_by_commune_and_exports_a_csv(qtbot, english, station, tmp_path):
    monitor = station.monitor
    monitor.set_people("device", "MON-1", 2000)
    view = FixFirstView(monitor)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show()
    # Impact = people × hours: An Nhơn 2,000 × 3 + 1,000 × 1, before Tuy Phước 1,000 × 5.
    tops = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    assert [t.text(0) for t in tops] == ["Xã An Nhơn · 2 offline", "Xã Tuy Phước · 1 offline"]
    assert [tops[0].child(i).text(0) for i in range(2)] == ["1. Loa MON-1 · MON-1", "2. Loa MON-2 · MON-2"]
    assert tops[0].text(4) == "7,000" and tops[0].child(0).text(5) == "connection lost"

    path = tmp_path / "fix-first.csv"
    with qtbot.waitSignal(view.exported, timeout=WAIT_MS) as done:
        view.export_to(path)
    assert done.args == [str(path), 3]
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["Rank", "Commune", "Commune code", "Device", "Name"]
    assert [r[:4] for r in rows[1:]] == [["1", "Xã An Nhơn", "21553", "MON-1"], ["2", "Xã An Nhơn", "21553", "MON-2"],
                                          ["3", "Xã Tuy Phước", "21610", "MON-3"]]
    assert [r[8] for r in rows[1:]] == ["6000", "1000", "5000"]  # impact
    assert rows[1][9] == "connection lost"  # the reason in words, as on screen, not its code
    assert view.message.text() == f"3 clusters written to {path}"


SimFleet = pytest.importorskip("console.sim.fleet").SimFleet


def test_ping_shows_its_round_trip_and_logs_are_uploaded(qtbot, english, mosquitto, site, tmp_path):
    from console.media.server import MediaServer

    cfg = parse_broker_url(mosquitto.url)
    fleet = FleetService(cfg, site).start()
    sim = SimFleet(cfg, site, 1, tele_s=1)
    dev = sim.ids[0]
    fleet.state.register(dev, adopted=True)
    sim.start()
    server = MediaServer(tmp_path / "media", logs_dir=tmp_path / "logs", secret="k").start()
    try:
        panel = CommandPanel(fleet, interval_ms=100, logs=server)
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: (d := fleet.state.get(dev)) is not None and d.online, timeout=WAIT_MS)
        panel.set_device(dev)
        panel.ping.click()
        qtbot.waitUntil(lambda: "ms round trip" in panel.ping_result.text(), timeout=WAIT_MS)
        assert panel.ping_result.text().startswith(f"Ping {dev}: ")
        assert panel.logs.isEnabled()
        panel.logs.click()
        cmd = panel.log._cmds[0]
        assert cmd.op == "logs.upload" and cmd.args["url"].startswith(f"http://127.0.0.1:{server.port}/logs/{dev}/")
        qtbot.waitUntil(lambda: cmd.status == "done", timeout=WAIT_MS)
        (archive,) = (tmp_path / "logs" / dev).iterdir()  # the device's real upload
        with tarfile.open(archive) as tar:
            assert tar.extractfile("device.log").read().startswith(f"device {dev} ".encode())
        assert panel.ping_result.text() == f"Logs of {dev} saved in {tmp_path / 'logs' / dev}"
        assert not CommandPanel(fleet).logs.isEnabled()  # nowhere to upload to
    finally:
        server.stop()
        sim.kill()
        fleet.stop()


@pytest.mark.parametrize("view", ["graphs", "technician", "alarms"])
def test_the_monitoring_views_render(qapp, station, tmp_path, view):
    from PySide6.QtGui import QImage

    from console.ui import i18n
    from console.ui.screenshot import render

    station.monitor.evaluate()
    try:
        out = render(view, tmp_path / f"{view}.png", station, "en", size=(1200, 800), device="MON-1")
    finally:
        i18n.install(qapp, "en")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert len({image.pixelColor(x, y).name() for x in range(0, 1200, 37) for y in range(100, 800, 29)}) > 10
