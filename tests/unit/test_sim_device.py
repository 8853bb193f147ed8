"""SimDevice: the device side of the protocol, without sockets and with a fake clock."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from console.fleet import topics
from console.fleet.schemas import Ack, Command, Config, Event, State, Tele, decode, encode, make
from console.sim.device import DeviceSpec, SimDevice

SITE = "t-unit"
T0 = 1_800_000_000.0


class FakeClock:
    def __init__(self, t: float = T0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return FakeClock()


def make_device(clock, **spec) -> SimDevice:
    spec = {"id": "SIM-00001", "groups": ("c-21583", "all"), "lat": 13.78, "lon": 109.23, **spec}
    return SimDevice(DeviceSpec(**spec), SITE, seed=7, tele_s=30, clock=clock)


def connect(dev: SimDevice):
    will = dev.begin_connect()
    dev.on_connect()
    return will, dev.take()


def leaf(out) -> str:
    return topics.parse(out.topic).leaf


def decoded(outs, want_leaf):
    return [decode(want_leaf, o.payload) for o in outs if leaf(o) == want_leaf]


def command(dev, clock, op, cid="c1", args=None, exp_in_s=60):
    cmd = make(Command, cid=cid, op=op, args=args or {}, exp=int((clock.t + exp_in_s) * 1000))
    dev.handle(topics.device(SITE, dev.id, "cmd"), encode(cmd))
    return dev.take()


def acks(outs):
    return [(a.cid, a.status) for a in decoded(outs, "ack")]


def test_birth_and_will_validate(clock):
    dev = make_device(clock)
    will, outs = connect(dev)
    assert will.qos == 1 and will.retain and will.topic == topics.device(SITE, "SIM-00001", "state")
    assert json.loads(will.payload) == {"v": 1, "state": "offline", "session": dev.session, "reason": "lost"}
    birth = outs[0]
    assert birth.topic == will.topic and birth.qos == 1 and birth.retain
    state = decode("state", birth.payload)
    assert isinstance(state, State)
    assert state.state == "online" and state.session == dev.session
    assert state.groups == ["c-21583", "all"] and state.tele_s == 30
    assert state.net.type == "4g" and state.net.operator in ("Viettel", "VNPT", "MobiFone")
    assert (state.loc.lat, state.loc.lon) == (13.78, 109.23)
    assert state.fw and state.model and state.caps


def test_session_increases_at_every_connect_and_beyond_the_clock(clock):
    dev = make_device(clock)
    sessions = []
    for _ in range(3):
        connect(dev)
        sessions.append(dev.session)
        dev.on_disconnect()
    assert sessions[0] >= int(T0)
    assert sessions == sorted(set(sessions))
    # A new simulator process (same id) later on still starts above the previous one.
    clock.t += 5
    again = make_device(clock)
    connect(again)
    assert again.session > sessions[-1]


def test_telemetry_is_staggered_valid_and_counts(clock):
    dev = make_device(clock)
    connect(dev)
    assert T0 <= dev.due <= T0 + 30
    teles = []
    for _ in range(5):
        clock.t = dev.due
        dev.tick()
        teles += decoded(dev.take(), "tele")
    assert [t.seq for t in teles] == [1, 2, 3, 4, 5]
    for t in teles:
        assert isinstance(t, Tele)
        assert -113 <= t.rssi <= -51 and 28 <= t.temp <= 55 and t.vol == 70
        assert t.amp == "ok" and t.playing is None and t.level_db < -80
        assert t.power in ("mains", "solar") and t.vbat > 11
    assert teles[-1].uptime >= 4 * 30 - 1


def test_no_telemetry_while_disconnected(clock):
    dev = make_device(clock)
    connect(dev)
    dev.on_disconnect()
    clock.t += 100
    dev.tick()
    assert dev.take() == []


def test_event_seq_is_monotonic_and_kept_across_reconnects(clock):
    dev = make_device(clock)
    _, outs = connect(dev)
    dev.raise_fault("amp")
    first = decoded(dev.take(), "evt")
    dev.on_disconnect()  # the PUBACK never came
    dev.clear_fault("amp")
    dev.raise_fault("speaker_line")
    assert dev.take() == []  # nothing goes out while disconnected
    _, outs = connect(dev)
    assert leaf(outs[0]) == "state"  # birth first
    events = decoded(outs, "evt")
    assert [e.type for e in events] == ["fault.raised", "fault.cleared", "fault.raised"]
    seqs = [e.seq for e in events]
    assert seqs[0] == first[0].seq and seqs == list(range(seqs[0], seqs[0] + 3))
    assert events[0].data["fault"] == "amp" and events[2].data["fault"] == "speaker_line"
    assert all(isinstance(e, Event) for e in events)


def test_confirmed_events_are_not_resent(clock):
    dev = make_device(clock)
    connect(dev)
    dev.raise_fault("amp")
    (out,) = [o for o in dev.take() if leaf(o) == "evt"]
    dev.confirm(out)
    dev.on_disconnect()
    _, outs = connect(dev)
    assert decoded(outs, "evt") == []


def test_event_seq_does_not_restart_with_a_new_process(clock):
    dev = make_device(clock)
    connect(dev)
    for _ in range(3):
        dev.raise_fault("amp")
        dev.clear_fault("amp")
    last = decoded(dev.take(), "evt")[-1].seq
    clock.t += 1
    again = make_device(clock)
    connect(again)
    again.raise_fault("amp")
    assert decoded(again.take(), "evt")[0].seq > last


def test_ping_acks_accepted_then_done(clock):
    dev = make_device(clock)
    connect(dev)
    clock.t += 42
    outs = command(dev, clock, "ping")
    assert acks(outs) == [("c1", "accepted"), ("c1", "done")]
    done = decoded(outs, "ack")[1]
    assert isinstance(done, Ack) and done.result["uptime"] == 42
    assert all(o.qos == 1 and not o.retain for o in outs)


def test_duplicate_cid_is_not_executed_twice(clock):
    dev = make_device(clock)
    connect(dev)
    assert acks(command(dev, clock, "volume.set", args={"vol": 40})) == [("c1", "accepted"), ("c1", "done")]
    dev.vol = 55  # changed since: a second execution would set 40 again
    again = command(dev, clock, "volume.set", args={"vol": 40})
    assert acks(again) == [("c1", "done")]  # the latest ack, re-sent
    assert dev.vol == 55 and dev.duplicates == 1


def test_expired_command_is_dropped(clock):
    dev = make_device(clock)
    connect(dev)
    outs = command(dev, clock, "volume.set", args={"vol": 10}, exp_in_s=-1)
    assert outs == [] and dev.vol == 70 and dev.expired == 1


@pytest.mark.parametrize("vol", [101, -1, "50", 50.5, True, None])
def test_bad_volume_gets_an_error_ack(clock, vol):
    dev = make_device(clock)
    connect(dev)
    outs = command(dev, clock, "volume.set", args={"vol": vol})
    assert acks(outs) == [("c1", "accepted"), ("c1", "error")]
    assert "vol" in decoded(outs, "ack")[1].err
    assert dev.vol == 70


def test_malformed_command_error_ack_only_with_a_cid(clock):
    dev = make_device(clock)
    connect(dev)
    cmd_topic = topics.device(SITE, dev.id, "cmd")
    dev.handle(cmd_topic, b'{"v":1,"cid":"bad1","op":"ping"}')  # no exp
    outs = dev.take()
    assert acks(outs) == [("bad1", "error")]
    assert decoded(outs, "ack")[0].err.startswith("bad command")
    for junk in (b"not json", b'{"v":1,"op":"ping","exp":1}', b"[1,2]"):
        dev.handle(cmd_topic, junk)
    assert dev.take() == [] and dev.rejected == 4


def test_unknown_op_is_an_error(clock):
    dev = make_device(clock)
    connect(dev)
    assert acks(command(dev, clock, "selfdestruct")) == [("c1", "error")]


def test_test_tone_plays_then_done(clock):
    dev = make_device(clock)
    connect(dev)
    outs = command(dev, clock, "test_tone", args={"secs": 10})
    assert acks(outs) == [("c1", "accepted")]
    assert [e.type for e in decoded(outs, "evt")] == ["play.started"]
    assert dev.due <= T0 + 10  # the tone's end, or telemetry before it
    clock.t += 5
    dev.next_tele = clock.t
    dev.tick()
    (tele,) = decoded(dev.take(), "tele")
    assert tele.playing.item == "test_tone" and -14 < tele.level_db < -10
    clock.t += 5
    dev.tick()
    outs = dev.take()
    assert acks(outs) == [("c1", "done")]
    assert [e.type for e in decoded(outs, "evt")] == ["play.finished"]
    assert dev.playing is None


def test_test_tone_needs_a_sane_duration(clock):
    dev = make_device(clock)
    connect(dev)
    assert acks(command(dev, clock, "test_tone", args={"secs": 0})) == [("c1", "accepted"), ("c1", "error")]


def test_reboot_goes_offline_then_done_after_the_new_birth(clock):
    dev = make_device(clock)
    connect(dev)
    old_session = dev.session
    outs = command(dev, clock, "reboot")
    assert acks(outs) == [("c1", "accepted")]
    (offline,) = decoded(outs, "state")
    assert offline.state == "offline" and offline.reason == "reboot" and offline.session == old_session
    assert dev.want_reboot
    dev.on_disconnect()
    dev.boot()
    clock.t += 2
    _, outs = connect(dev)
    births = decoded(outs, "state")
    assert births[0].state == "online" and births[0].session > old_session
    assert acks(outs)[-1] == ("c1", "done")
    assert decoded(outs, "ack")[-1].result == {"session": dev.session}


def test_rebirth_resync_stop_logs(clock):
    dev = make_device(clock)
    connect(dev)
    outs = command(dev, clock, "rebirth", cid="r")
    assert decoded(outs, "state")[0].state == "online" and acks(outs)[-1] == ("r", "done")
    assert acks(command(dev, clock, "resync", cid="s")) == [("s", "accepted"), ("s", "done")]
    assert acks(command(dev, clock, "logs.upload", cid="l1")) == [("l1", "accepted"), ("l1", "error")]
    assert acks(command(dev, clock, "logs.upload", cid="l2", args={"url": "http://x/up"}))[-1] == ("l2", "done")
    assert acks(command(dev, clock, "stop", cid="st")) == [("st", "accepted"), ("st", "done")]


def test_play_now_and_priorities(clock):
    dev = make_device(clock)
    connect(dev)
    outs = command(dev, clock, "play.now", cid="p1", args={"item": "news", "prio": "normal"})
    assert acks(outs)[-1] == ("p1", "done") and dev.playing.item == "news"
    # An emergency over the group topic preempts it.
    cmd = make(Command, cid="e1", op="emergency.start", args={"item": "flood"}, exp=int((clock.t + 60) * 1000))
    dev.handle(topics.group(SITE, "all", "cmd"), encode(cmd))
    events = decoded(dev.take(), "evt")
    assert [(e.type, e.data.get("item")) for e in events] == [("play.preempted", "news"), ("play.started", "flood")]
    # A lower-level play.now is refused while the emergency plays.
    outs = command(dev, clock, "play.now", cid="p2", args={"item": "music"})
    assert acks(outs)[-1] == ("p2", "error") and "busy" in decoded(outs, "ack")[-1].err
    outs = command(dev, clock, "play.now", cid="p3")
    assert decoded(outs, "ack")[-1].err == "args.item is required" and dev.playing.item == "flood"


def test_group_commands_are_not_acked_and_deduplicated(clock):
    dev = make_device(clock)
    connect(dev)
    cmd = encode(make(Command, cid="g1", op="live.start", args={"session": "L1"}, exp=int((clock.t + 60) * 1000)))
    dev.handle(topics.group(SITE, "c-21583", "cmd"), cmd)
    dev.handle(topics.group(SITE, "c-21583", "cmd"), cmd)
    outs = dev.take()
    assert acks(outs) == []
    assert [e.type for e in decoded(outs, "evt")] == ["live.joined"]
    # Not one of our groups: ignored.
    other = encode(make(Command, cid="g2", op="live.stop", args={}, exp=int((clock.t + 60) * 1000)))
    dev.handle(topics.group(SITE, "c-99999", "cmd"), other)
    assert dev.take() == [] and dev.playing.item == "L1"


def test_config_changes_groups_volume_and_period(clock):
    dev = make_device(clock)
    connect(dev)
    cfg = make(Config, rev=3, groups=["c-1", "all"], vol=35, tele_s=60)
    dev.handle(topics.device(SITE, dev.id, "config"), encode(cfg))
    assert dev.groups == ["c-1", "all"] and dev.vol == 35 and dev.tele_s == 60 and dev.groups_changed
    assert topics.group(SITE, "c-1", "sched") in dev.subscriptions()
    assert topics.group(SITE, "c-21583", "sched") not in dev.subscriptions()
    (birth,) = decoded(dev.take(), "state")
    assert birth.groups == ["c-1", "all"]
    # An older revision is not applied.
    dev.handle(topics.device(SITE, dev.id, "config"), encode(make(Config, rev=2, groups=["c-2"], vol=90)))
    assert dev.groups == ["c-1", "all"] and dev.vol == 35


def test_schedule_downloads_media_then_plays(clock):
    dev = make_device(clock)
    connect(dev)
    start = T0 + 600
    local = datetime.fromtimestamp(start, timezone(timedelta(hours=7)))
    doc = {"rev": 1, "hash": "h", "tz": "Asia/Ho_Chi_Minh", "items": [
        {"id": "i1", "start": local.isoformat(), "dur_ms": 60_000, "prio": "normal", "kind": "media",
         "media": {"sha256": "ab" * 32, "url": "http://m/x.mp3", "bytes": 1, "codec": "mp3"}}]}
    dev.handle(topics.group(SITE, "all", "sched"), json.dumps(doc).encode())
    clock.t += 10  # downloads take at most 8 s
    dev.tick()
    assert [e.type for e in decoded(dev.take(), "evt")] == ["media.ready"]
    assert dev.due <= start
    clock.t = start
    dev.tick()
    events = decoded(dev.take(), "evt")
    assert [(e.type, e.data["item"]) for e in events] == [("play.started", "i1")]
    clock.t = start + 60
    dev.tick()
    assert [e.type for e in decoded(dev.take(), "evt")] == ["play.finished"]


def test_faults_show_in_telemetry(clock):
    dev = make_device(clock)
    connect(dev)
    dev.raise_fault("amp")
    dev.raise_fault("amp")  # already raised: no second event
    events = decoded(dev.take(), "evt")
    assert [(e.type, e.data["fault"]) for e in events] == [("fault.raised", "amp")]
    dev.next_tele = clock.t
    dev.tick()
    assert decoded(dev.take(), "tele")[0].amp == "fault"


def test_clock_drift_grows_past_two_seconds(clock):
    dev = make_device(clock)
    connect(dev)
    dev.start_drift(300)
    clock.t += 10 * 60
    dev.next_tele = clock.t
    dev.tick()
    assert decoded(dev.take(), "tele")[0].clock_offset_ms > 2000
    dev.resync_clock()
    assert abs(dev.clock_offset_ms(clock.t)) <= 40
