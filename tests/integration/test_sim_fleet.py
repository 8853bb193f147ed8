"""The simulated fleet against real brokers (Mosquitto and amqtt), watched by a plain paho client."""

from __future__ import annotations

import subprocess
import threading
import time

import paho.mqtt.client as mqtt
import pytest

from console.fleet import topics
from console.fleet.broker import MosquittoBroker, find_mosquitto, free_port
from console.fleet.schemas import Command, Config, decode, encode, make
from console.settings import BrokerConfig, parse_broker_url
from console.sim import DeviceSpec, ScenarioMix, SimError, SimFleet
from fixtures.waiting import wait_until



class Watcher:
    """A plain paho subscriber that records every message it gets."""

    def __init__(self, broker: BrokerConfig, *filters: str):
        self.messages: list[mqtt.MQTTMessage] = []
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.connect(broker.host, broker.port)
        self.client.subscribe([(f, 1) for f in filters])
        self.client.loop_start()
        assert self._subscribed.wait(5)

    def _on_message(self, client, userdata, msg) -> None:
        with self._lock:
            self.messages.append(msg)

    def of(self, dev: str, leaf: str) -> list:
        """Decoded (and so validated) payloads of one device and leaf, in arrival order."""
        topic = f"/d/{dev}/{leaf}"
        with self._lock:
            msgs = [m for m in self.messages if m.topic.endswith(topic)]
        return [decode(leaf, m.payload) for m in msgs]

    def raw(self, leaf: str) -> list[mqtt.MQTTMessage]:
        with self._lock:
            return [m for m in self.messages if m.topic.endswith("/" + leaf)]

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def watch(any_broker, site):
    watchers = []

    def make_watcher(*filters):
        w = Watcher(parse_broker_url(any_broker.url), *(filters or (f"tt/v1/{site}/#",)))
        watchers.append(w)
        return w

    yield make_watcher
    for w in watchers:
        w.close()


@pytest.fixture
def fleet_of(any_broker, site):
    fleets = []

    def make_fleet(devices, **kw):
        kw = {"tele_s": 30, "keepalive": 5, "reboot_s": 0.3, **kw}
        fleet = SimFleet(parse_broker_url(any_broker.url), site, devices, **kw)
        fleets.append(fleet)
        fleet.start()
        assert fleet.wait_connected(15), fleet.stats()
        return fleet

    yield make_fleet
    for fleet in fleets:
        fleet.kill()


def send(watcher: Watcher, site: str, dev: str, op: str, cid: str, **args) -> None:
    cmd = make(Command, cid=cid, op=op, args=args, exp=int((time.time() + 60) * 1000))
    watcher.publish(topics.device(site, dev, "cmd"), encode(cmd))


def statuses(watcher: Watcher, dev: str, cid: str) -> list[str]:
    return [a.status for a in watcher.of(dev, "ack") if a.cid == cid]


def test_births_are_retained_and_valid(any_broker, site, fleet_of, watch):
    specs = [DeviceSpec(f"D{i}", ("g1", "all"), lat=13.78, lon=109.2 + i / 100) for i in range(4)]
    fleet = fleet_of(specs)
    assert fleet.stats()["protocol"] == ("5" if any_broker.kind == "mosquitto" else "3.1.1")
    assert wait_until(lambda: all(fleet.device(s.id).pending == 0 for s in specs), 5)  # births acked
    late = watch(topics.device_wildcard(site, "state"))  # subscribes after the births: retained only
    assert wait_until(lambda: len(late.raw("state")) == 4, 5)
    assert all(m.retain for m in late.raw("state"))
    for spec in specs:
        (birth,) = late.of(spec.id, "state")
        assert birth.state == "online" and birth.session == fleet.device(spec.id).session
        assert birth.groups == ["g1", "all"] and birth.loc.lon == spec.lon and birth.net.type == "4g"


def test_telemetry_arrives_and_validates(site, fleet_of, watch):
    w = watch()
    fleet = fleet_of(3, tele_s=1)
    assert wait_until(lambda: all(len(w.of(d, "tele")) >= 2 for d in fleet.ids), 5)
    for dev in fleet.ids:
        teles = w.of(dev, "tele")
        assert [t.seq for t in teles] == list(range(1, len(teles) + 1))
        assert all(-113 <= t.rssi <= -51 and t.amp == "ok" for t in teles)


def test_ping_round_trip(site, fleet_of, watch):
    w = watch()
    fleet = fleet_of(2)
    send(w, site, "SIM-00001", "ping", "p1")
    assert wait_until(lambda: statuses(w, "SIM-00001", "p1") == ["accepted", "done"], 5)
    (done,) = [a for a in w.of("SIM-00001", "ack") if a.status == "done"]
    assert done.result["session"] == fleet.device("SIM-00001").session
    assert w.of("SIM-00002", "ack") == []


def test_reboot_round_trip_gives_a_new_session(site, fleet_of, watch):
    w = watch()
    fleet = fleet_of(1)
    dev = "SIM-00001"
    assert wait_until(lambda: len(w.of(dev, "state")) == 1, 5)  # the birth
    old_session = fleet.device(dev).session
    send(w, site, dev, "reboot", "r1")
    assert wait_until(lambda: statuses(w, dev, "r1") == ["accepted", "done"], 10), w.of(dev, "ack")
    states = [(s.state, s.reason, s.session) for s in w.of(dev, "state")[1:]]
    assert ("offline", "reboot", old_session) in states
    assert states[-1][0] == "online" and states[-1][2] > old_session
    assert ("offline", "lost", old_session) not in states  # a clean disconnect: no will
    done = [a for a in w.of(dev, "ack") if a.status == "done"][0]
    assert done.result == {"session": states[-1][2]}


def test_power_cut_will_fires_only_after_keepalive(mosquitto, site):
    # Mosquitto only: amqtt never disconnects a client whose keepalive ran out, so it never fires the will.
    broker = parse_broker_url(mosquitto.url)
    w = Watcher(broker, f"tt/v1/{site}/#")
    fleet = SimFleet(broker, site, 2, keepalive=2)
    try:
        fleet.start()
        assert fleet.wait_connected(10)
        dev = "SIM-00001"
        session = fleet.device(dev).session
        cut = time.monotonic()
        fleet.power_cut(dev)
        assert wait_until(lambda: any(s.state == "offline" for s in w.of(dev, "state")), 10)
        assert time.monotonic() - cut >= 2.0  # noticed only through the keepalive (1.5 x 2 s)
        offline = [s for s in w.of(dev, "state") if s.state == "offline"]
        assert [(s.reason, s.session) for s in offline] == [("lost", session)]
        assert not any(s.state == "offline" for s in w.of("SIM-00002", "state"))
    finally:
        fleet.kill()
        w.close()


def test_power_cut_then_restore_boots_a_new_session(site, fleet_of, watch):
    w = watch()
    fleet = fleet_of(2)
    dev = "SIM-00001"
    session = fleet.device(dev).session
    fleet.power_cut(dev)
    assert fleet.state(dev) == "dark" and fleet.connected_count() == 1
    fleet.restore(dev)
    assert wait_until(lambda: (s := w.of(dev, "state")) and s[-1].state == "online" and s[-1].session > session, 10)
    assert fleet.wait_connected(5)


def test_events_queued_while_link_down_arrive_without_gap(site, fleet_of, watch):
    w = watch()
    fleet = fleet_of(1)
    dev = "SIM-00001"
    fleet.raise_fault(dev, "amp")
    assert wait_until(lambda: len(w.of(dev, "evt")) == 1 and fleet.device(dev).pending == 0, 5)  # PUBACK in
    fleet.drop_link(dev)  # until restore()
    assert fleet.state(dev) == "down"
    fleet.clear_fault(dev, "amp")
    fleet.raise_fault(dev, "speaker_line")
    assert not wait_until(lambda: len(w.of(dev, "evt")) > 1, 0.5)
    fleet.restore(dev)  # link up; also clears the speaker-line fault
    assert wait_until(lambda: len(w.of(dev, "evt")) >= 4, 10)
    assert not wait_until(lambda: len(w.of(dev, "evt")) > 4, 0.3)  # the confirmed first one is not re-sent
    events = w.of(dev, "evt")
    assert [(e.type, e.data["fault"]) for e in events] == [
        ("fault.raised", "amp"), ("fault.cleared", "amp"), ("fault.raised", "speaker_line"),
        ("fault.cleared", "speaker_line")]
    seqs = [e.seq for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 4))


def test_config_moves_a_device_to_another_group(site, fleet_of, watch):
    w = watch()
    fleet_of([DeviceSpec("D1", ("old",))])
    w.publish(topics.device(site, "D1", "config"), encode(make(Config, rev=1, groups=["new"])), retain=True)
    assert wait_until(lambda: w.of("D1", "state")[-1].groups == ["new"], 5)
    for grp, cid in (("old", "g-old"), ("new", "g-new")):
        cmd = make(Command, cid=cid, op="live.start", args={"session": cid}, exp=int((time.time() + 60) * 1000))
        w.publish(topics.group(site, grp, "cmd"), encode(cmd))
    assert wait_until(lambda: any(e.type == "live.joined" for e in w.of("D1", "evt")), 5)
    assert [e.data["session"] for e in w.of("D1", "evt") if e.type == "live.joined"] == ["g-new"]


def test_clean_stop_publishes_shutdown_and_kill_leaves_wills(any_broker, site, watch):
    w = watch()
    broker = parse_broker_url(any_broker.url)
    stopped = SimFleet(broker, site, 3, keepalive=5, id_prefix="A")
    killed = SimFleet(broker, site, 3, keepalive=5, id_prefix="B")
    for fleet in (stopped, killed):
        fleet.start()
        assert fleet.wait_connected(10)
    stopped.stop()
    killed.kill()
    assert wait_until(lambda: all(w.of(d, "state")[-1].state == "offline" for d in stopped.ids + killed.ids), 10)
    assert {w.of(d, "state")[-1].reason for d in stopped.ids} == {"shutdown"}
    assert {w.of(d, "state")[-1].reason for d in killed.ids} == {"lost"}


def test_scenarios_make_links_flap_and_faults_appear(site, fleet_of, watch):
    w = watch()
    mix = ScenarioMix(flap_rate=1800, fault_rate=1800, flap_s=(0.2, 0.5), fault_s=(0.2, 0.5))
    fleet = fleet_of(4, scenarios=mix, seed=5)

    def births(dev):
        return [s.session for s in w.of(dev, "state") if s.state == "online"]

    # Every device drops its link about every 2 s and comes back with a new session.
    assert wait_until(lambda: all(len(births(d)) >= 2 for d in fleet.ids), 15), fleet.stats()
    assert all(births(d) == sorted(set(births(d))) for d in fleet.ids)
    assert wait_until(lambda: any(e.type == "fault.cleared" for d in fleet.ids for e in w.of(d, "evt")), 10)


def test_connect_rate_limits_the_connects(any_broker, site):
    fleet = SimFleet(parse_broker_url(any_broker.url), site, 40, keepalive=5, connect_rate=20)
    started = time.monotonic()
    fleet.start()
    try:
        assert fleet.wait_connected(15)
        # The bucket holds 2 tokens (100 ms at 20/s): the other 38 need 1.9 s.
        assert time.monotonic() - started >= 1.8
    finally:
        fleet.kill()


def test_unreachable_broker_is_a_clear_error(site):
    fleet = SimFleet(BrokerConfig("127.0.0.1", free_port()), site, 2)
    with pytest.raises(SimError, match="cannot connect to broker mqtt://127.0.0.1"):
        fleet.start()


def test_a_thousand_devices_in_one_process(mosquitto, site):
    broker = parse_broker_url(mosquitto.url)
    w = Watcher(broker, topics.device_wildcard(site, "state"))
    fleet = SimFleet(broker, site, 1000, connect_rate=0, keepalive=10)
    try:
        fleet.start()
        assert fleet.wait_connected(30), fleet.stats()
        assert fleet.stats()["threads"] == 1
        assert wait_until(lambda: len({m.topic for m in w.raw("state")}) == 1000, 10)
        fleet.stop()
        assert wait_until(lambda: sum(b'"shutdown"' in m.payload for m in w.raw("state")) == 1000, 10)
    finally:
        fleet.kill()
        w.close()


@pytest.fixture
def tls_broker(tmp_path):
    """Mosquitto with a TLS listener that wants a user name and password."""
    binary = find_mosquitto()
    if binary is None:
        pytest.skip("mosquitto is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    passwords = tmp_path / "passwords"
    subprocess.run(["mosquitto_passwd", "-b", "-c", str(passwords), "sim", "s3cret"], check=True, capture_output=True)
    port = free_port()
    broker = MosquittoBroker(binary, workdir=tmp_path / "mosquitto", extra_config=(
        f"listener {port} 127.0.0.1\ncertfile {cert}\nkeyfile {key}\n"
        f"password_file {passwords}\nallow_anonymous false\n"))
    yield broker, port, cert
    broker.stop()


def test_tls_with_password(tls_broker, site):
    broker, port, cert = tls_broker
    good = parse_broker_url(f"mqtts://sim:s3cret@localhost:{port}", ca_file=str(cert))
    fleet = SimFleet(good, site, 3, keepalive=5)
    try:
        fleet.start()
        assert fleet.wait_connected(10), fleet.stats()
    finally:
        fleet.stop()
    bad = parse_broker_url(f"mqtts://sim:wrong@localhost:{port}", ca_file=str(cert))
    with pytest.raises(SimError, match="refused"):
        SimFleet(bad, site, 1).start()


def test_will_delay_hides_a_short_blip(mosquitto, site):
    broker = parse_broker_url(mosquitto.url)
    w = Watcher(broker, f"tt/v1/{site}/#")
    fleet = SimFleet(broker, site, 2, keepalive=5, will_delay=2)
    try:
        fleet.start()
        assert fleet.wait_connected(10)
        gone, blip = fleet.ids
        dropped = time.monotonic()
        fleet.drop_link(gone)  # for good
        fleet.drop_link(blip, secs=0.2)  # back well within the will delay
        assert wait_until(lambda: any(s.state == "offline" for s in w.of(gone, "state")), 10)
        assert time.monotonic() - dropped >= 2.0
        assert not wait_until(lambda: any(s.state == "offline" for s in w.of(blip, "state")), 1.0)
        assert fleet.state(blip) == "online"
    finally:
        fleet.kill()
        w.close()
