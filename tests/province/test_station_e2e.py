"""A real station (Mosquitto, simulated loudspeakers, the single DB writer) synced to the collector on
loopback: the devices' events reach the province exactly once, and an emergency bulletin sent at the
collector plays on the devices at once, with its receipts (and the as-run of the broadcast) going back."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from fixtures.audio import write_wav
from fixtures.waiting import wait_until
from provhelpers import province, station_records

from console import settings as st
from console.province import store
from console.sim.device import DeviceSpec
from console.sim.fleet import SimFleet
from console.station import Station
from console.store import repo
from console.sync.inbox import Inbox
from console.sync.worker import Backoff, SyncWorker

DEVICES = [f"PV-{i}" for i in range(3)]


@pytest.fixture
def station(tmp_path, mosquitto, site):
    settings = st.load(cli={"data_dir": str(tmp_path / "station"), "broker_url": mosquitto.url, "site_id": site},
                       env={"TT_MEDIA_HOST": "127.0.0.1", "TT_MEDIA_PORT": "0"})
    s = Station(settings).start()
    s.writer.call(lambda ses: [repo.register_device(ses, d, adoption="adopted") for d in DEVICES]).result(10)
    s.dispatcher.publish()  # the devices' standing groups ("all", d-ID)
    yield s
    s.stop()


@pytest.fixture
def sim(mosquitto, site):
    fleet = SimFleet(st.parse_broker_url(mosquitto.url), site, [DeviceSpec(d, groups=()) for d in DEVICES],
                     keepalive=5, tele_s=60)
    fleet.start()
    yield fleet
    fleet.stop()


def test_device_events_arrive_once_and_an_emergency_bulletin_plays_on_the_devices(station, sim, sqlite_collector,
                                                                                  tmp_path):
    site = station.site
    token = sqlite_collector.token(site)
    assert wait_until(lambda: all("all" in sim.device(d).groups for d in DEVICES), 20)
    inbox = Inbox(station.db, writer=station.writer, library=station.library, scheduler=station.scheduler,
                  live=station.live, emergency="play")
    worker = SyncWorker(station.db, province(sqlite_collector.url, site, token), inbox=inbox, writer=station.writer,
                        media_dir=tmp_path / "inbox", backoff=lambda: Backoff(0.01, 0.2), idle_s=0.05, poll_wait_s=1)
    worker.start()
    try:
        # the devices came online: device_event records at the province, as in the station's outbox
        assert wait_until(lambda: len([r for r in sqlite_collector.records(site) if r[1] == "device_event"]) >= 3, 30)
        rate = 48000
        alert = write_wav(tmp_path / "bao.wav", (0.1 * np.sin(np.arange(rate * 3) * 2 * np.pi * 440 / rate))
                          .astype(np.float32))
        with sqlite_collector.db.sessions.begin() as s:
            store.send_bulletin(s, site, "emergency", "Bão khẩn cấp", media=alert, issued_by="UBND tỉnh")
        assert wait_until(lambda: inbox.counts().get("played") == 1, 60), inbox.list()
        session_id = inbox.get(1)["session_id"]
        assert wait_until(lambda: {r["device"]: r["status"] for r in station.asrun.receipts() if r["item"] == session_id}
                          == {d: "played" for d in DEVICES}, 60)  # it played on every device
        assert wait_until(lambda: set(sqlite_collector.receipts(site, 1)) == {"received", "played"}, 30)
        # the broadcast's as-run receipts follow (one per device), and everything is there once
        assert wait_until(lambda: len([r for r in sqlite_collector.records(site) if r[1] == "asrun"]) >= 3, 60)
        station.writer.flush(10)
        assert wait_until(lambda: sqlite_collector.records(site) == station_records(station.db), 30)
    finally:
        worker.stop()
    assert asyncio.run(SyncWorker(station.db, province(sqlite_collector.url, site, token)).drain())["backlog"] == 0
