"""Presence semantics: late wills, session rollover, rebirths; pending devices."""

import random

from console.core.presence import Verdict, judge, offline_detect_s
from console.fleet import schemas
from console.fleet.state import FleetCounts, FleetState


def state(s, session, **kw):
    return schemas.make(schemas.State, state=s, session=session, **kw)


def test_judge_table():
    assert judge("unknown", -1, "online", 0) is Verdict.APPLIED
    assert judge("online", 5, "offline", 5) is Verdict.APPLIED  # will of the live session
    assert judge("online", 6, "offline", 5) is Verdict.STALE  # late will of an old session
    assert judge("online", 5, "online", 5) is Verdict.REPEATED  # rebirth
    assert judge("offline", 5, "online", 6) is Verdict.APPLIED  # reconnect
    assert judge("offline", 5, "online", 5) is Verdict.STALE  # replayed birth of a dead session
    assert judge("online", 5, "online", 4) is Verdict.STALE
    assert offline_detect_s(30, 15) == 60


def test_late_will_never_kills_a_reborn_device():
    fs = FleetState()
    fs.register("d1", adopted=True)
    fs.apply_state("d1", state("online", 1), 1000)
    fs.apply_state("d1", state("online", 2), 2000)  # reconnected before the old will fired
    verdict, _ = fs.apply_state("d1", state("offline", 1, reason="lost"), 3000)
    assert verdict is Verdict.STALE
    d = fs.get("d1")
    assert d.state == "online" and d.session == 2


def test_session_rollover_and_will():
    fs = FleetState()
    fs.apply_state("d1", state("online", 7, fw="2.0"), 1000)
    fs.apply_state("d1", state("offline", 7, reason="lost"), 5000)
    d = fs.get("d1")
    assert (d.state, d.offline_reason, d.state_since_ms) == ("offline", "lost", 5000)
    fs.apply_state("d1", state("online", 8), 9000)
    assert (d.state, d.session, d.fw, d.offline_reason) == ("online", 8, "2.0", None)


def test_unknown_device_is_pending_until_adopted():
    fs = FleetState()
    _, is_new = fs.apply_state("stranger", state("online", 1), 1)
    assert is_new and fs.get("stranger").pending
    assert fs.counts()["pending"] == 1
    fs.register("stranger", adopted=True, name="Cụm loa thôn 3")
    assert not fs.get("stranger").pending and fs.counts()["pending"] == 0


def test_faults_from_events_and_dirty_tracking():
    fs = FleetState()
    t = fs.tracker()
    fs.apply_event("d1", schemas.make(schemas.Event, seq=1, ts=1, type="fault.raised", data={"fault": "amp"}), 1)
    fs.publish_changes()
    assert t.take() == {"d1"} and t.take() == set()
    assert fs.get("d1").faulty
    assert not fs.apply_event("d1", schemas.make(schemas.Event, seq=1, ts=1, type="fault.raised"), 2)  # duplicate
    fs.apply_event("d1", schemas.make(schemas.Event, seq=3, ts=3, type="fault.cleared", data={"fault": "amp"}), 3)
    assert not fs.get("d1").faulty and fs.get("d1").evt_gaps == 1


def test_kept_counts_follow_every_change_like_a_full_count():
    fs = FleetState()
    kept = FleetCounts(fs)
    rng = random.Random(7)
    for step in range(400):
        dev = f"d{rng.randrange(30)}"
        kind = rng.randrange(4)
        if kind == 0:
            fs.apply_state(dev, state(rng.choice(["online", "offline"]), step), step)
        elif kind == 1:
            fs.register(dev, adopted=rng.random() < 0.7)
        elif kind == 2:
            change = rng.choice(["fault.raised", "fault.cleared"])
            fs.apply_event(dev, schemas.make(schemas.Event, seq=step, ts=step, type=change, data={"fault": "amp"}), step)
        else:
            fs.apply_tele(dev, schemas.make(schemas.Tele, seq=step, ts=step, amp=rng.choice(["ok", "fault"])), step)
        if rng.random() < 0.3:
            fs.publish_changes()
            assert kept.update() == fs.counts()
    fs.publish_changes()
    assert kept.update() == fs.counts() and fs.counts()["total"] == 30
