"""A command sent from the window shows its acks (sent → accepted → done) from a simulated device."""

import pytest
from fleetdata import Station

from console.fleet.service import FleetService
from console.settings import parse_broker_url
from console.ui.models.command_log_model import PROGRESS
from console.ui.views.command_panel import CommandPanel

SimFleet = pytest.importorskip("console.sim.fleet").SimFleet


@pytest.fixture
def live(mosquitto, site):
    cfg = parse_broker_url(mosquitto.url)
    fleet = FleetService(cfg, site).start()
    sim = SimFleet(cfg, site, 2, tele_s=1)
    for dev_id in sim.ids:
        fleet.state.register(dev_id, adopted=True)
    sim.start()
    yield Station(fleet=fleet, site=site, demo=False, broker_url=mosquitto.url), sim
    sim.kill()
    fleet.stop()


def progress(panel: CommandPanel, row: int = 0) -> str:
    return panel.log.index(row, PROGRESS).data()


def test_command_ack_progress_shows_in_the_log(qtbot, english, live):
    station, sim = live
    panel = CommandPanel(station.fleet, interval_ms=100)
    qtbot.addWidget(panel)
    dev = sim.ids[0]
    qtbot.waitUntil(lambda: (d := station.fleet.state.get(dev)) is not None and d.online, timeout=10_000)
    panel.set_device(dev)
    panel.ping.click()
    assert panel.log.rowCount() == 1
    qtbot.waitUntil(lambda: progress(panel).startswith("sent → accepted → done"), timeout=10_000)
    assert " ms" in progress(panel) and '"session"' in progress(panel)
    panel.volume.setValue(55)
    panel.set_volume.click()
    qtbot.waitUntil(lambda: "done" in progress(panel), timeout=10_000)
    assert panel.log.index(0, 2).data() == f"Set volume {55} %"
    qtbot.waitUntil(lambda: station.fleet.state.get(dev).vol == 55, timeout=10_000)


def test_error_ack_shows_its_text(qtbot, english, live):
    station, sim = live
    panel = CommandPanel(station.fleet, interval_ms=100)
    qtbot.addWidget(panel)
    dev = sim.ids[1]
    qtbot.waitUntil(lambda: (d := station.fleet.state.get(dev)) is not None and d.online, timeout=10_000)
    panel.set_device(dev)
    panel._send("volume.set", {"vol": 555})  # the device refuses it
    qtbot.waitUntil(lambda: "error" in progress(panel), timeout=10_000)
    assert "vol must be an integer 0..100" in progress(panel)
