"""Scheduling end to end: real Mosquitto, the station's media server on loopback, simulated devices
that follow their retained schedules, download over HTTP, verify the hash and play on their own clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from console import settings as st
from console.schedule.model import Part, Targets
from console.schedule.rules import Rule
from console.schedule.service import ScheduleSpec
from console.sim.device import DeviceSpec
from console.sim.fleet import SimFleet
from console.station import Station
from console.store import repo
from console.store.models import DeviceEvent, OutboxEntry
from fixtures.audio import write_wav
from fixtures.waiting import wait_until

GROUP_A = [f"DA-{i}" for i in range(3)]
GROUP_B = [f"DB-{i}" for i in range(3)]
DEVICES = GROUP_A + GROUP_B
LEAD_S = 12  # air time this far ahead: publish, subscribe, download and verify happen before


def _settings(tmp_path: Path, mosquitto, site: str) -> st.Settings:
    return st.load(cli={"data_dir": str(tmp_path / "station"), "broker_url": mosquitto.url, "site_id": site},
                   env={"TT_MEDIA_HOST": "127.0.0.1", "TT_MEDIA_PORT": "0"})


def _register(station: Station) -> None:
    def apply(session):
        for dev in DEVICES:
            repo.register_device(session, dev)
            repo.adopt_device(session, dev)
    station.writer.call(apply).result(10)
    station.scheduler.set_group("grp-a", devices=GROUP_A, name="Nhóm A")
    station.scheduler.set_group("grp-b", devices=GROUP_B, name="Nhóm B")


def _approved_item(station: Station, tmp_path: Path, secs: float = 3.0) -> int:
    t = np.arange(int(48000 * secs)) / 48000
    wav = write_wav(tmp_path / "news.wav", (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32))
    [result] = station.library.import_files([wav])
    assert result.ok, result.error
    station.library.submit(result.id)
    station.library.approve(result.id)
    return result.id


def _schedule(station: Station, item_id: int, at: datetime, groups=("grp-a", "grp-b")) -> ScheduleSpec:
    spec = ScheduleSpec(title="Bản tin sáng", rule=Rule.once(at), targets=Targets(groups=tuple(groups)),
                        programme=(Part("media", item_id=item_id),))
    return station.scheduler.add(spec)


def _sim(mosquitto, site: str) -> SimFleet:
    return SimFleet(st.parse_broker_url(mosquitto.url), site, [DeviceSpec(d, groups=()) for d in DEVICES],
                    keepalive=5, tele_s=60)


def _statuses(station: Station, schedule_id: int) -> dict[str, str]:
    return {r["device"]: r["status"] for r in station.asrun.receipts(schedule_id=schedule_id)}


@pytest.fixture
def station(tmp_path, mosquitto, site):
    s = Station(_settings(tmp_path, mosquitto, site)).start()
    yield s
    s.stop()


def test_an_item_for_two_groups_is_distributed_verified_played_and_receipted(station, tmp_path, mosquitto, site):
    _register(station)
    item = _approved_item(station, tmp_path)
    with _sim(mosquitto, site) as sim:
        assert sim.wait_connected(20)
        at = station.scheduler.now() + timedelta(seconds=LEAD_S)
        spec = _schedule(station, item, at)
        assert spec.state == "approved"
        station.dispatcher.request()
        # Every device subscribes to its groups from its config, fetches the schedule and the media.
        sha = station.scheduler.distribution(item)["sha256"]
        assert wait_until(lambda: 
                          station.scheduler.readiness([(sha, frozenset(DEVICES))])[sha]["ready"] == sorted(DEVICES), 20)
        # It plays at air time on every device, and the receipts say so.
        assert wait_until(lambda: 
                          _statuses(station, spec.id) == {d: "played" for d in DEVICES}, LEAD_S + 20)
        rows = station.asrun.receipts(schedule_id=spec.id)
        assert all(abs(r["played_ms"] - 3000) < 500 for r in rows)
        with station.db.sessions() as s:
            sent = s.scalars(select(OutboxEntry).where(OutboxEntry.type == "asrun")).all()
        assert {(e.data["item"], e.data["device"]) for e in sent} == {(r["item"], r["device"]) for r in rows}


def test_devices_play_while_the_console_is_down_and_receipts_arrive_after(tmp_path, mosquitto, site):
    settings = _settings(tmp_path, mosquitto, site)
    station = Station(settings).start()
    try:
        _register(station)
        item = _approved_item(station, tmp_path)
        sim = _sim(mosquitto, site)
        sim.start()
        assert sim.wait_connected(20)
        at = station.scheduler.now() + timedelta(seconds=LEAD_S)
        spec = _schedule(station, item, at)
        station.dispatcher.request()
        sha = station.scheduler.distribution(item)["sha256"]
        assert wait_until(lambda: 
                          len(station.scheduler.readiness([(sha, frozenset(DEVICES))])[sha]["ready"]) == 6, 20)
    finally:
        station.stop()
    try:
        # The console is closed: the speakers play on their own clock.
        # (read from the simulator: which items each device began, and that none is still playing)
        assert wait_until(lambda: all(sim.device(d).playing is None and
                                      any(i.startswith(f"s{spec.id}.") for i in sim.device(d)._started)
                                      for d in DEVICES), LEAD_S + 20)
        station = Station(settings).start()
        try:
            assert wait_until(lambda: 
                              _statuses(station, spec.id) == {d: "played" for d in DEVICES}, 30)
        finally:
            station.stop()
    finally:
        sim.stop()


def test_a_device_offline_at_publish_catches_up_and_one_away_at_air_time_is_missed(station, tmp_path, mosquitto, site):
    _register(station)
    item = _approved_item(station, tmp_path)
    late, away = GROUP_A[0], GROUP_B[0]
    with _sim(mosquitto, site) as sim:
        assert sim.wait_connected(20)
        sim.power_cut([late, away])
        at = station.scheduler.now() + timedelta(seconds=LEAD_S + 4)
        spec = _schedule(station, item, at)
        station.dispatcher.request()
        assert wait_until(lambda: station.dispatcher.last is not None and "grp-a" in station.dispatcher.last.groups, 20)
        sim.restore(late)  # back before air: the retained config and schedule reach it, then the media
        sha = station.scheduler.distribution(item)["sha256"]
        assert wait_until(lambda: 
                          late in station.scheduler.readiness([(sha, frozenset(DEVICES))])[sha]["ready"], 25)
        station.asrun.grace = timedelta(seconds=2)
        expected = {d: "played" for d in DEVICES} | {away: "missed"}
        assert wait_until(lambda: _statuses(station, spec.id) == expected, LEAD_S + 30)
        [missed] = station.asrun.receipts(schedule_id=spec.id, status="missed")
        assert missed["reason"] == "offline at air time"


def test_a_corrupt_file_is_reported_failed_retried_and_never_played(station, tmp_path, mosquitto, site):
    _register(station)
    item = _approved_item(station, tmp_path)
    dist = station.scheduler.distribution(item)
    path = station.library.store.path(dist["sha256"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: the served file no longer has its sha256
    path.write_bytes(bytes(data))
    with _sim(mosquitto, site) as sim:
        assert sim.wait_connected(20)
        spec = _schedule(station, item, station.scheduler.now() + timedelta(seconds=LEAD_S), groups=("grp-a",))
        station.dispatcher.request()
        sha = dist["sha256"]
        assert wait_until(lambda: station.scheduler.readiness([(sha, frozenset(GROUP_A))])[sha]["failed"]
                          == {d: "hash mismatch" for d in GROUP_A}, 20)
        assert wait_until(lambda: station.media_server.stats()["requests"] >= 2 * len(GROUP_A), 20)  # retried
        assert wait_until(lambda: _statuses(station, spec.id) == {d: "failed" for d in GROUP_A}, LEAD_S + 20)
        assert {r["reason"] for r in station.asrun.receipts(schedule_id=spec.id)} == {"media not ready"}
        with station.db.sessions() as s:
            started = s.scalars(select(DeviceEvent).where(DeviceEvent.type == "play.started")).all()
        assert not [e for e in started if str(e.data.get("item", "")).startswith(f"s{spec.id}.")]
