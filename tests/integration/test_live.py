"""Live and emergency end to end: real Mosquitto, the station's media server streaming MP3, simulated
devices that pull and really decode the stream, detect the marker tones and follow the priorities."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from console import settings as st
from console.live.source import WavFileSource
from console.schedule.model import Part, Targets
from console.schedule.rules import Rule
from console.schedule.service import ScheduleSpec
from console.sim.device import DeviceSpec
from console.sim.fleet import SimFleet
from console.station import Station
from console.store import repo
from console.store.models import Device, DeviceEvent
from fixtures.audio import write_wav
from fixtures.waiting import wait_until

DEVICES = [f"DL-{i}" for i in range(3)]
RATE = 48000


def _wav(path: Path, secs: float, bursts=(), level=0.2) -> Path:
    """Quiet speech-like noise with 1 kHz marker bursts (80 ms) at the given offsets."""
    rng = np.random.default_rng(7)
    x = (0.02 * rng.standard_normal(int(RATE * secs))).astype(np.float32)
    t = np.arange(int(RATE * 0.08)) / RATE
    for at in bursts:
        i = int(at * RATE)
        x[i:i + len(t)] += (level * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    return write_wav(path, x)


def _station(tmp_path, mosquitto, site, **env) -> Station:
    settings = st.load(cli={"data_dir": str(tmp_path / "station"), "broker_url": mosquitto.url, "site_id": site},
                       env={"TT_MEDIA_HOST": "127.0.0.1", "TT_MEDIA_PORT": "0", **env})
    s = Station(settings).start()

    def apply(session):
        for dev in DEVICES:  # the station may have seen a device already (then pending): adopt it
            if session.get(Device, dev) is None:
                repo.register_device(session, dev, adoption="adopted")
            else:
                repo.adopt_device(session, dev)
    s.writer.call(apply).result(10)
    s.scheduler.set_group("g-live", devices=DEVICES[:2])
    s.dispatcher.publish()  # configs: the devices' standing groups ("all", d-ID) and g-live
    return s


@pytest.fixture
def station(tmp_path, mosquitto, site):
    s = _station(tmp_path, mosquitto, site)
    yield s
    s.stop()


@pytest.fixture
def sim(mosquitto, site):
    fleet = SimFleet(st.parse_broker_url(mosquitto.url), site, [DeviceSpec(d, groups=()) for d in DEVICES],
                     keepalive=5, tele_s=60)
    fleet.start()
    yield fleet
    fleet.stop()


def _events(station, type_: str, session: str) -> dict[str, int]:
    assert station.writer.flush(10)
    with station.db.sessions() as s:
        rows = s.execute(select(DeviceEvent.device_id, func.count()).where(DeviceEvent.type == type_)
                         .group_by(DeviceEvent.device_id)).all()
        data = s.scalars(select(DeviceEvent).where(DeviceEvent.type == type_)).all()
    mine = {e.device_id for e in data if (e.data or {}).get("session") == session}
    return {dev: n for dev, n in rows if dev in mine}


def _joined(sim, dev: str) -> bool:
    return "g-live" in sim.device(dev).groups or "all" in sim.device(dev).groups


def test_live_session_reaches_every_decoder_markers_receipts_and_archive(station, sim, tmp_path):
    assert wait_until(lambda: all(_joined(sim, d) for d in DEVICES), 20)
    wav = _wav(tmp_path / "voice.wav", 4.0, bursts=(1.5, 3.0))
    s = station.live.go_live(WavFileSource(wav), Targets(groups=("g-live",)), chime=True)
    assert s.url.endswith(".mp3") and s.t0 is not None
    targets = DEVICES[:2]
    assert s.devices == frozenset(targets)
    assert wait_until(lambda: s.counts()["playing"] == 2, 15)
    # The source ends: the session ends, the devices leave, receipts and the archive follow.
    assert wait_until(lambda: s.ended_ms is not None, 20) and s.end_reason == "end of file"
    assert wait_until(lambda: s.archive_item_id is not None, 20)
    markers = _events(station, "live.marker", s.id)
    assert set(markers) == set(targets) and all(n >= 3 for n in markers.values())  # chime + 2 bursts
    assert all(s.status[d].latency_ms is not None and 0 <= s.status[d].latency_ms < 3000 for d in targets)
    assert station.live.latencies().keys() >= set(targets)
    rows = station.asrun.receipts()
    assert {(r["item"], r["device"], r["status"]) for r in rows} == {(s.id, d, "played") for d in targets}
    item = station.library.get(s.archive_item_id)
    assert item.source == "live" and item.author == station.user and "g-live" in item.notes
    assert item.duration_ms >= 4000  # the chime and the voice
    assert DEVICES[2] not in s.status  # not a target, never asked


def test_stuck_mic_guard_and_last_wins(station, sim, tmp_path):
    assert wait_until(lambda: all(_joined(sim, d) for d in DEVICES), 20)
    long = _wav(tmp_path / "long.wav", 60.0)
    first = station.live.go_live(WavFileSource(long), chime=False, max_s=30)
    assert wait_until(lambda: first.counts()["playing"] == 3, 15)
    second = station.live.go_live(WavFileSource(long), chime=False, max_s=2)  # last wins
    assert first.ended_ms is not None and first.end_reason == "taken over"
    assert wait_until(lambda: second.ended_ms is not None, 15) and second.end_reason == "max duration"
    assert wait_until(lambda: all(sim.device(d).playing is None for d in DEVICES), 10)


def test_emergency_preempts_a_scheduled_item_then_the_schedule_goes_on(station, sim, tmp_path):
    assert wait_until(lambda: all(_joined(sim, d) for d in DEVICES), 20)
    lib, sched = station.library, station.scheduler
    ids = []
    for name, secs in (("news", 6.0), ("alert", 30.0)):
        [r] = lib.import_files([_wav(tmp_path / f"{name}.wav", secs)])
        lib.submit(r.id)
        lib.approve(r.id)
        ids.append(r.id)
    news, alert = ids
    t0 = sched.now() + timedelta(seconds=8)
    a = sched.add(ScheduleSpec("A", Rule.once(t0), Targets(groups=("g-live",)), (Part("media", item_id=news),)))
    b = sched.add(ScheduleSpec("B", Rule.once(t0 + timedelta(seconds=9)), Targets(groups=("g-live",)),
                               (Part("media", item_id=news),)))
    station.dispatcher.request()
    targets = DEVICES[:2]
    assert wait_until(lambda: all(str(getattr(sim.device(d).playing, "item", "")).startswith(f"s{a.id}.")
                                  for d in targets), 30)
    summary = station.live.summary(Targets())
    assert summary["devices"] == 3 and [x["title"] for x in summary["airing"]] == ["A"]
    e = station.live.start_emergency(Targets(), item_id=alert)
    assert wait_until(lambda: e.counts()["playing"] == 3 and e.counts()["silent"] == 0, 10)
    station.live.stop(e.id)
    assert wait_until(lambda: all(sim.device(d).playing is None for d in DEVICES), 10)
    statuses = lambda sid: {r["device"]: r["status"] for r in station.asrun.receipts(schedule_id=sid)}  # noqa: E731
    assert wait_until(lambda: statuses(a.id) == {d: "partial" for d in targets}, 30)  # preempted, not resumed
    assert wait_until(lambda: statuses(b.id) == {d: "played" for d in targets}, 30)  # the next item plays
    assert all("preempted" in r["reason"] for r in station.asrun.receipts(schedule_id=a.id))
    assert wait_until(lambda: {r["device"]: r["status"] for r in station.asrun.receipts() if r["item"] == e.id}
                      == {d: "played" for d in DEVICES}, 15)


def test_an_emergency_ends_at_its_maximum_unless_renewed(station, sim, tmp_path):
    assert wait_until(lambda: all(_joined(sim, d) for d in DEVICES), 20)
    e = station.live.start_emergency(Targets(), source=WavFileSource(_wav(tmp_path / "siren.wav", 30.0)),
                                     max_s=3, chime=False)
    assert wait_until(lambda: e.counts()["playing"] == 3, 10)
    assert wait_until(lambda: (time.time() * 1000 - e.started_ms) > 2000, 10)
    assert station.live.renew() is e and e.remaining_s > 2.5
    # Past the first maximum, still on air everywhere; then it ends at the renewed one.
    assert wait_until(lambda: (time.time() * 1000 - e.started_ms) > 3500, 10)
    assert e.ended_ms is None, e.end_reason
    assert all(sim.device(d).playing is not None for d in DEVICES)
    assert wait_until(lambda: e.ended_ms is not None, 10) and e.end_reason == "max duration"
    assert wait_until(lambda: all(sim.device(d).playing is None for d in DEVICES), 10)


def test_emergency_needs_a_role_that_may(station):
    from console.live.service import LiveRefused

    station.scheduler.role = "editor"
    with pytest.raises(LiveRefused) as err:
        station.live.start_emergency(Targets(), item_id=1)
    assert err.value.code == "may_not_emergency"


def test_a_broker_restart_during_a_live_session_ends_cleanly(tmp_path, mosquitto, site, sim):
    """The devices pull the stream over HTTP, so they keep playing while MQTT is down; the session
    ends at the end of its source, the stop and the devices' reports go through once the broker is
    back, and the receipts are written. Nothing hangs."""
    from console.fleet.broker import MosquittoBroker

    station = _station(tmp_path, mosquitto, site)
    try:
        assert wait_until(lambda: all(_joined(sim, d) for d in DEVICES), 20)
        s = station.live.go_live(WavFileSource(_wav(tmp_path / "v.wav", 8.0, bursts=(6.0,))), chime=True)
        assert wait_until(lambda: s.counts()["playing"] == 3, 15)
        port, binary = mosquitto.port, mosquitto.proc.args[0]
        mosquitto.kill()
        assert wait_until(lambda: not station.fleet.client.connected, 10)
        again = MosquittoBroker(binary, port=port, workdir=tmp_path / "mosquitto-2")
        try:
            assert wait_until(lambda: station.fleet.client.connected and sim.connected_count() == 3, 30)
            assert wait_until(lambda: s.ended_ms is not None, 20) and s.end_reason == "end of file"
            assert wait_until(lambda: {r["device"]: r["status"] for r in station.asrun.receipts() if r["item"] == s.id}
                              == {d: "played" for d in DEVICES}, 30)
            assert _events(station, "live.marker", s.id).keys() == set(DEVICES)  # the burst after the restart
        finally:
            station.stop()
            again.stop()
    finally:
        station.stop()


def test_icecast_relays_the_live_stream_to_the_devices(tmp_path, mosquitto, site, sim, icecast):
    station = _station(tmp_path, mosquitto, site, TT_ICECAST_URL=icecast.url,
                       TT_ICECAST_PASSWORD=icecast.source_password)
    try:
        assert wait_until(lambda: all(_joined(sim, d) for d in DEVICES), 20)
        s = station.live.go_live(WavFileSource(_wav(tmp_path / "v.wav", 6.0, bursts=(4.0,))), chime=False)
        assert s.url.startswith(icecast.url) and s.push is not None
        assert wait_until(lambda: s.counts()["playing"] == 3, 20)
        assert wait_until(lambda: s.ended_ms is not None, 20)
        assert wait_until(lambda: set(_events(station, "live.marker", s.id)) == set(DEVICES), 20)
    finally:
        station.stop()
