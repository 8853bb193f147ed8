"""The fleet end to end against real brokers: the console's FleetService and the simulator."""

import random
import threading
import time

import paho.mqtt.client as mqtt
import pytest

from console.fleet import schemas, topics
from console.fleet.broker import MosquittoBroker, find_mosquitto
from console.fleet.service import FleetService
from console.settings import parse_broker_url
from console.sim.fleet import SimFleet
from fixtures.waiting import wait_until



@pytest.fixture
def run_fleet():
    """Start (service, sim) pairs and stop them after the test."""
    started = []

    def start(broker, site, n=10, adopt=True, **sim_kw):
        cfg = parse_broker_url(broker.url)
        svc = FleetService(cfg, site).start()
        sim = SimFleet(cfg, site, n, **sim_kw)
        if adopt:
            for dev_id in sim.ids:
                svc.state.register(dev_id, adopted=True)
        sim.start()
        started.append((svc, sim))
        return svc, sim

    yield start
    for svc, sim in started:
        sim.kill()
        svc.stop()


def online(svc):
    return svc.state.counts()["online"]


def test_simulated_devices_appear_online(any_broker, site, run_fleet):
    svc, sim = run_fleet(any_broker, site, n=25, tele_s=1)
    assert wait_until(lambda: online(svc) == 25), svc.state.counts()
    assert wait_until(lambda: all(d.rssi is not None for d in svc.state.devices.values()))
    d = svc.state.get(sim.ids[0])
    assert d.fw and d.model and d.session > 0 and -150 <= d.rssi <= 0
    assert svc.ingest.rejected == {}


def test_unknown_devices_are_pending_and_get_no_commands(mosquitto, site, run_fleet):
    svc, sim = run_fleet(mosquitto, site, n=3, adopt=False)
    assert wait_until(lambda: online(svc) == 3)
    assert svc.state.counts()["pending"] == 3
    from console.fleet.commands import CommandRefused
    with pytest.raises(CommandRefused):
        svc.send(sim.ids[0], "ping")


def test_power_cut_shows_offline_only_after_keepalive(mosquitto, site, run_fleet):
    svc, sim = run_fleet(mosquitto, site, n=3, keepalive=2)
    assert wait_until(lambda: online(svc) == 3)
    victim = sim.ids[1]
    cut = time.monotonic()
    sim.power_cut(victim)
    assert not wait_until(lambda: svc.state.get(victim).state == "offline", timeout=1.0)  # no FIN, no will yet
    assert wait_until(lambda: svc.state.get(victim).state == "offline", timeout=10)
    elapsed = time.monotonic() - cut
    assert 1.0 <= elapsed <= 1.5 * 2 + 3, elapsed
    assert svc.state.get(victim).offline_reason == "lost"
    assert online(svc) == 2


def test_killed_simulator_shows_offline(any_broker, site, run_fleet):
    svc, sim = run_fleet(any_broker, site, n=5, keepalive=2)
    assert wait_until(lambda: online(svc) == 5)
    sim.kill()  # sockets closed without DISCONNECT: the broker fires every will
    assert wait_until(lambda: svc.state.counts()["offline"] == 5, timeout=10), svc.state.counts()


def test_reboot_round_trips_with_two_stage_ack(any_broker, site, run_fleet):
    svc, sim = run_fleet(any_broker, site, n=2)
    assert wait_until(lambda: online(svc) == 2)
    dev = sim.ids[0]
    before = svc.state.get(dev).session
    seen_offline = []
    tracker = svc.state.tracker()

    def watch():
        while not cmd.final:
            if dev in tracker.take() and svc.state.get(dev).state == "offline":
                seen_offline.append(svc.state.get(dev).offline_reason)
            threading.Event().wait(0.01)

    cmd = svc.send(dev, "reboot")
    t = threading.Thread(target=watch)
    t.start()
    assert cmd.wait(20), cmd.as_dict()
    t.join()
    assert cmd.status == "done", cmd.as_dict()
    assert [s for _, s in cmd.history][:3] == ["sent", "accepted", "done"]
    assert wait_until(lambda: svc.state.get(dev).online and svc.state.get(dev).session > before)
    assert seen_offline and seen_offline[0] == "reboot"


def test_command_to_a_silent_device_times_out(mosquitto, site):
    svc = FleetService(parse_broker_url(mosquitto.url), site, commands_need_adoption=False).start()
    svc.commands.accept_timeout = 0.3
    try:
        cmd = svc.send("nobody", "ping", ttl=1.5)
        assert cmd.wait(5)
        assert cmd.status == "timeout" and cmd.attempts == 3  # first send + 2 retries with the same cid
    finally:
        svc.stop()


def _garbage(rng: random.Random, site: str) -> tuple[str, bytes, str]:
    kind = rng.choice(["topic", "json", "schema", "version"])
    dev = f"g{rng.randint(0, 20)}"
    if kind == "topic":
        # Topics we subscribe to (so the broker delivers them) but that no device may use.
        return f"tt/v1/{site}/d/{'x' * 70}/tele", b"{}", kind
    if kind == "json":
        return topics.device(site, dev, rng.choice(["tele", "state", "evt", "ack"])), \
            b"\x00" + rng.randbytes(rng.randint(0, 60)), kind
    if kind == "schema":
        return topics.device(site, dev, rng.choice(["tele", "state", "evt", "ack"])), rng.choice(
            [b"[]", b"42", b'{"v":1}', b'{"v":1,"seq":-3}', b'{"v":1,"state":"dead","session":1}',
             b'{"v":1,"cid":"x","status":"maybe"}',
             # invalid for every leaf: rssi (tele), type (evt), cid (ack), state (state)
             b'{"v":1,"seq":1,"ts":1,"type":"","rssi":5,"cid":"","state":"x","session":1}']), kind
    return topics.device(site, dev, "tele"), b'{"v":7,"seq":1}', kind


def test_thousand_malformed_payloads_leave_the_console_running(any_broker, site):
    cfg = parse_broker_url(any_broker.url)
    svc = FleetService(cfg, site).start()
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    pub.connect(cfg.host, cfg.port)
    pub.loop_start()
    try:
        rng = random.Random(7)
        expected = {}
        for _ in range(1000):
            topic, payload, kind = _garbage(rng, site)
            pub.publish(topic, payload, qos=1).wait_for_publish(5)
            expected[kind] = expected.get(kind, 0) + 1
        birth = schemas.encode(schemas.make(schemas.State, state="online", session=1))
        pub.publish(topics.device(site, "good", "state"), birth, qos=1).wait_for_publish(5)
        assert wait_until(lambda: svc.state.get("good") is not None and svc.state.get("good").online, 20)
        assert wait_until(lambda: sum(svc.ingest.rejected.values()) == 1000, 10), (svc.ingest.rejected, expected)
        assert dict(svc.ingest.rejected) == expected
        assert svc.client.connected and svc.ingest._thread.is_alive()
    finally:
        pub.loop_stop()
        pub.disconnect()
        svc.stop()


@pytest.mark.skipif(find_mosquitto() is None, reason="needs mosquitto")
def test_broker_restart_reconnects_and_resubscribes(tmp_path, site):
    broker = MosquittoBroker(find_mosquitto(), workdir=tmp_path / "b1")
    port = broker.port
    cfg = parse_broker_url(broker.url)
    svc = FleetService(cfg, site).start()
    sim = SimFleet(cfg, site, 5, tele_s=1)
    for dev_id in sim.ids:
        svc.state.register(dev_id, adopted=True)
    sim.start()
    try:
        assert wait_until(lambda: online(svc) == 5)
        broker.kill()
        assert wait_until(lambda: not svc.client.connected, 10)
        broker = MosquittoBroker(find_mosquitto(), port=port, workdir=tmp_path / "b2")
        assert wait_until(lambda: svc.client.connected, 40)
        # Retained state was lost with the broker; devices reconnect and are born again.
        assert wait_until(lambda: svc.client.connects >= 2 and online(svc) == 5, 40)
        before = svc.ingest.processed
        assert wait_until(lambda: svc.ingest.processed > before + 5, 10)  # telemetry flows again
        assert svc.send(sim.ids[0], "ping").wait(10)
    finally:
        sim.kill()
        svc.stop()
        broker.stop()


def test_publish_wait_returns_once_the_broker_acknowledged(mosquitto, site):
    from console.fleet.client import MqttClient

    client = MqttClient(parse_broker_url(mosquitto.url), site=site).connect()
    try:
        assert client.publish_wait(topics.device(site, "x", "config"), b"{}", qos=1, retain=True, timeout=5)
    finally:
        client.disconnect()
    with pytest.raises(Exception, match="not connected"):
        client.publish_wait(topics.device(site, "x", "config"), b"{}")
