"""Alarm rules and lifecycle with a controllable clock (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from monhelpers import HOUR, MIN, T0, Clock, add, fleet, open_db, tele
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from console import settings as settings_mod
from console.fleet import schemas
from console.monitor.alarms import AlarmEngine, Thresholds
from console.store.models import Alarm, Device, OutboxEntry


@pytest.fixture
def db(db_url):
    database = open_db(db_url, ["d", "e"])
    yield database
    database.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def engine(db, clock):
    return AlarmEngine(db, thresholds=Thresholds(), clock=clock)


def rules(changes):
    return sorted((c["device"], c["rule"], c["change"]) for c in changes)


def outbox(db):
    with db.sessions() as s:
        return [(o.type, o.data["rule"], o.data["change"]) for o in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))]


def test_offline_longer_than_the_threshold_raises_once_and_clears_when_back(db, engine, clock):
    fs = fleet()
    d = add(fs, "d", state="offline", since=T0)
    d.offline_reason = "lost"
    assert engine.evaluate(fs, clock.advance(10 * MIN - 1)) == []
    (raised,) = engine.evaluate(fs, clock.advance(1))
    assert (raised["rule"], raised["severity"], raised["state"], raised["change"]) == ("offline", "major", "new", "raised")
    assert raised["detail"] == {"since": T0, "reason": "lost"} and raised["raised_at"] == T0 + 10 * MIN
    assert engine.evaluate(fs, clock.advance(MIN)) == []  # one open alarm per device and rule
    assert engine.counts() == {"open": 1, "new": 1, "acknowledged": 0, "major": 1, "minor": 0}
    d.state = "unknown"  # e.g. a restarted console that has not heard the retained state yet
    assert engine.evaluate(fs, clock.advance(MIN)) == []
    d.state, d.state_since_ms = "online", clock.ms
    (resolved,) = engine.evaluate(fs, clock.advance(1000))
    assert (resolved["id"], resolved["state"], resolved["resolved_by"]) == (raised["id"], "resolved", None)
    assert resolved["resolve_note"] == "condition cleared" and resolved["resolved_at"] == clock.ms
    assert outbox(db) == [("alarm", "offline", "raised"), ("alarm", "offline", "resolved")]
    assert engine.counts()["open"] == 0 and engine.open_alarms() == []
    assert [a["state"] for a in engine.history()] == ["resolved"]


def test_faults_amplifier_speaker_line_and_power_to_battery(db, engine, clock):
    fs = fleet()
    d = add(fs, "d", state="online", amp="ok", power="mains")
    d.faults = frozenset({"amp", "speaker_line"})
    assert rules(engine.evaluate(fs, clock.ms)) == [("d", "fault.amp", "raised"), ("d", "fault.speaker_line", "raised")]
    d.faults = frozenset()
    d.tele = tele(2, amp="fault", power="battery", vbat=11.9)  # the amplifier still says fault; mains lost
    changes = engine.evaluate(fs, clock.advance(5000))
    assert rules(changes) == [("d", "fault.power", "raised"), ("d", "fault.speaker_line", "resolved")]
    assert [c["detail"] for c in changes if c["rule"] == "fault.power"] == [{"power": "battery", "vbat": 11.9}]
    d.state = "offline"  # telemetry is stale now: the power and amplifier alarms stay as they are
    assert engine.evaluate(fs, clock.advance(5000)) == []
    d.state, d.tele = "online", tele(3, amp="ok", power="mains")
    assert rules(engine.evaluate(fs, clock.advance(5000))) == [("d", "fault.amp", "resolved"),
                                                               ("d", "fault.power", "resolved")]


def test_playing_but_silent_for_the_sustained_period(engine, clock):
    fs = fleet()
    d = add(fs, "d", state="online", level_db=-60.0, playing=schemas.Playing(item="s1.x.0"))
    assert engine.evaluate(fs, clock.ms) == []
    assert engine.evaluate(fs, clock.advance(90_000)) == []
    d.tele = tele(2, level_db=-12.0, playing=schemas.Playing(item="s1.x.0"))  # loud once: the period restarts
    assert engine.evaluate(fs, clock.advance(10_000)) == []
    d.tele = tele(3, level_db=-60.0, playing=schemas.Playing(item="s1.x.0"))
    start = clock.advance(5000)
    assert engine.evaluate(fs, start) == []
    assert engine.evaluate(fs, clock.advance(90_000)) == []
    (raised,) = engine.evaluate(fs, clock.advance(30_000))
    assert raised["rule"] == "silent" and raised["detail"] == {"level_db": -60.0, "item": "s1.x.0", "since": start}
    d.tele = tele(4, level_db=-60.0)  # stopped playing: silence is fine
    assert rules(engine.evaluate(fs, clock.advance(5000))) == [("d", "silent", "resolved")]


def test_clock_offset_over_two_seconds(engine, clock):
    fs = fleet()
    d = add(fs, "d", state="online", clock_offset_ms=2000)
    assert engine.evaluate(fs, clock.ms) == []
    d.tele = tele(2, clock_offset_ms=-2500)
    (raised,) = engine.evaluate(fs, clock.advance(5000))
    assert (raised["rule"], raised["severity"], raised["detail"]) == ("clock", "minor", {"offset_ms": -2500})
    d.tele = tele(3, clock_offset_ms=150)
    assert rules(engine.evaluate(fs, clock.advance(5000))) == [("d", "clock", "resolved")]


def test_weak_signal_sustained_and_kept_while_offline(engine, clock):
    fs = fleet()
    d = add(fs, "d", state="online", rssi=-110)
    assert engine.evaluate(fs, clock.ms) == []
    assert engine.evaluate(fs, clock.advance(15 * MIN - 1)) == []
    (raised,) = engine.evaluate(fs, clock.advance(1))
    assert raised["rule"] == "weak_signal" and raised["detail"]["rssi"] == -110
    d.state, d.state_since_ms = "offline", clock.ms
    assert engine.evaluate(fs, clock.advance(MIN)) == []
    d.state, d.tele = "online", tele(2, rssi=-90)
    assert rules(engine.evaluate(fs, clock.advance(MIN))) == [("d", "weak_signal", "resolved")]


def test_adopted_but_never_seen(db, engine, clock):
    with db.sessions.begin() as s:
        s.execute(update(Device).where(Device.id == "d").values(created_at=T0 - 25 * HOUR))
        s.execute(update(Device).where(Device.id == "e").values(created_at=T0 - 23 * HOUR))
    fs = fleet()
    d = add(fs, "d", state="unknown")
    add(fs, "e", state="unknown")
    (raised,) = engine.evaluate(fs, clock.ms)
    assert (raised["device"], raised["rule"], raised["detail"]) == ("d", "never_seen", {"adopted_at": T0 - 25 * HOUR})
    d.state, d.last_seen_ms = "online", clock.ms
    assert rules(engine.evaluate(fs, clock.advance(5000))) == [("d", "never_seen", "resolved")]


def test_acknowledge_then_resolve_by_hand_and_no_repeat_until_the_condition_clears(db, engine, clock):
    fs = fleet()
    d = add(fs, "d", state="offline", since=T0)
    (raised,) = engine.evaluate(fs, clock.advance(11 * MIN))
    acked = engine.acknowledge(raised["id"], "Tuấn", "on my way")
    assert (acked["state"], acked["acked_by"], acked["acked_at"], acked["ack_note"]) == (
        "acknowledged", "Tuấn", clock.ms, "on my way")
    assert engine.counts()["acknowledged"] == 1 and engine.open_alarms()[0]["state"] == "acknowledged"
    with pytest.raises(ValueError):
        engine.acknowledge(raised["id"], "Tuấn")
    with pytest.raises(KeyError):
        engine.acknowledge(99_999, "Tuấn")
    with pytest.raises(ValueError):
        engine.resolve(raised["id"], "")
    done = engine.resolve(raised["id"], "Tuấn", "pole replaced, power back tomorrow")
    assert (done["state"], done["resolved_by"], done["resolve_note"]) == ("resolved", "Tuấn", "pole replaced, power back tomorrow")
    with pytest.raises(ValueError):
        engine.resolve(raised["id"], "Tuấn")
    assert engine.evaluate(fs, clock.advance(MIN)) == []  # still offline, but resolved by hand
    d.state, d.state_since_ms = "online", clock.ms
    assert engine.evaluate(fs, clock.advance(MIN)) == []
    d.state, d.state_since_ms = "offline", clock.ms
    (again,) = engine.evaluate(fs, clock.advance(10 * MIN))
    assert again["id"] != raised["id"] and again["change"] == "raised"
    assert outbox(db) == [("alarm", "offline", c) for c in ("raised", "acknowledged", "resolved", "raised")]


def test_an_acknowledged_alarm_resolves_itself_when_the_condition_clears(engine, clock):
    fs = fleet()
    d = add(fs, "d", state="online", clock_offset_ms=5000)
    (raised,) = engine.evaluate(fs, clock.ms)
    engine.acknowledge(raised["id"], "Lan")
    d.tele = tele(2, clock_offset_ms=0)
    (resolved,) = engine.evaluate(fs, clock.advance(5000))
    assert (resolved["state"], resolved["acked_by"], resolved["resolved_by"]) == ("resolved", "Lan", None)


def test_open_alarms_survive_a_restart_without_repeats(db, clock):
    fs = fleet()
    add(fs, "d", state="offline", since=T0)
    d2 = add(fs, "e", state="online")
    d2.faults = frozenset({"speaker_line"})
    first = AlarmEngine(db, clock=clock)
    assert len(first.evaluate(fs, clock.advance(10 * MIN))) == 2
    # The console restarts: the fleet state has forgotten the fault (faults are events).
    restarted = fleet()
    add(restarted, "d", state="offline", since=T0)
    add(restarted, "e", state="online")
    second = AlarmEngine(db, clock=clock)
    assert second.counts()["open"] == 2
    assert second.evaluate(restarted, clock.advance(MIN)) == []
    second.on_events([{"device_id": "e", "seq": 9, "ts": clock.ms, "type": "fault.cleared",
                       "data": {"fault": "speaker_line"}}])
    assert rules(second.evaluate(restarted, clock.advance(5000))) == [("e", "fault.speaker_line", "resolved")]
    # The database itself refuses a second open alarm for the same device and rule.
    with pytest.raises(IntegrityError), db.sessions.begin() as s:
        s.add(Alarm(device_id="d", rule="offline", severity="major", state="new", detail={}, raised_at=clock.ms,
                    ack_note="", resolve_note=""))


def test_pending_devices_raise_nothing_and_alarms_of_devices_gone_are_resolved(db, clock):
    seen = []
    engine = AlarmEngine(db, clock=clock, on_change=seen.append)
    fs = fleet()
    add(fs, "d", state="offline", since=T0)
    add(fs, "stray", state="offline", since=T0, adopted=False)
    assert rules(engine.evaluate(fs, clock.advance(20 * MIN))) == [("d", "offline", "raised")]
    del fs.devices["d"]  # retired
    assert rules(engine.evaluate(fs, clock.advance(5000))) == [("d", "offline", "resolved")]
    assert [rules(batch) for batch in seen] == [[("d", "offline", "raised")], [("d", "offline", "resolved")]]


def test_thresholds_come_from_the_settings(tmp_path):
    s = settings_mod.load(env={"TT_ALARM_OFFLINE_MIN": "3", "TT_ALARM_SILENT_DB": "-45.5",
                               "TT_ALARM_WEAK_RSSI_DBM": "-100"}, config_file=None)
    th = Thresholds.from_settings(s)
    assert (th.offline_min, th.silent_db, th.weak_rssi_dbm, th.clock_ms, th.never_seen_h) == (3, -45.5, -100, 2000, 24)
    with pytest.raises(settings_mod.SettingsError):
        settings_mod.load(env={"TT_ALARM_OFFLINE_MIN": "-1"}, config_file=None)
