"""SimDevice's priorities, live sessions and emergencies, without sockets and with a fake clock; for a
pulled stream the test plays the transport's side (live_pull / live_audio / live_marker / live_ended)."""

from __future__ import annotations

import pytest

from sim_helpers import SHA, T0, Clock, device, events, group_cmd, media_item, run_until, sched, take_events


@pytest.fixture
def clock():
    return Clock()


def cached(clock, **kw):
    """A device whose scheduled media (SHA) is already downloaded."""
    dev = device(clock, **kw)
    sched(dev, media_item("warm-up", T0 - 60, 1000))
    dev.media_fetched(SHA, None)
    assert events(dev) == [("media.ready", {"sha256": SHA})]
    return dev


def test_emergency_preempts_a_scheduled_item_that_never_resumes(clock):
    dev = cached(clock)
    sched(dev, media_item("i1", T0 + 60, 120_000), media_item("i2", T0 + 120, 30_000),
          media_item("i3", T0 + 300, 30_000))
    run_until(dev, clock, T0 + 90)
    assert events(dev) == [("play.started", {"item": "i1", "prio": "normal", "source": "sched"})]
    group_cmd(dev, clock, "emergency.start", session="E", max_s=600)
    assert events(dev) == [("play.preempted", {"item": "i1", "prio": "normal", "by": "E", "played_ms": 30_000}),
                           ("play.started", {"item": "E", "prio": "emergency", "source": "emergency"})]
    run_until(dev, clock, T0 + 150)  # i2 was due during the emergency: it never starts
    assert events(dev) == [("play.preempted", {"item": "i2", "prio": "normal", "by": "E", "played_ms": 0})]
    group_cmd(dev, clock, "emergency.stop", session="other")  # not ours
    assert events(dev) == [] and dev.playing.item == "E"
    group_cmd(dev, clock, "emergency.stop", session="E")
    assert events(dev) == [("play.finished", {"item": "E", "prio": "emergency", "reason": "stopped",
                                              "played_ms": 60_000})]
    run_until(dev, clock, T0 + 299)  # i1's slot runs until T0 + 180: it does not resume
    assert events(dev) == [] and dev.playing is None
    run_until(dev, clock, T0 + 330)  # the next item plays when it starts
    assert events(dev) == [("play.started", {"item": "i3", "prio": "normal", "source": "sched"}),
                           ("play.finished", {"item": "i3", "prio": "normal", "reason": "finished",
                                              "played_ms": 30_000})]


def test_live_preempts_normal_and_priority_but_not_emergency(clock):
    dev = cached(clock)
    sched(dev, media_item("p1", T0 + 10, 60_000, prio="priority"))
    run_until(dev, clock, T0 + 20)
    assert [t for t, _ in events(dev)] == ["play.started"]
    group_cmd(dev, clock, "live.start", session="L1", chime=True, t0=int(clock.t * 1000))
    assert events(dev) == [("play.preempted", {"item": "p1", "prio": "priority", "by": "L1", "played_ms": 10_000}),
                           ("live.joined", {"session": "L1", "prio": "live"})]
    group_cmd(dev, clock, "play.now", item="news", prio="priority")  # lower: refused
    assert events(dev) == [("play.preempted", {"item": "news", "prio": "priority", "by": "L1", "played_ms": 0})]
    clock.t += 5
    group_cmd(dev, clock, "emergency.start", session="E")
    assert events(dev) == [("live.left", {"session": "L1", "reason": "preempted", "played_ms": 5000, "by": "E"}),
                           ("play.started", {"item": "E", "prio": "emergency", "source": "emergency"})]
    group_cmd(dev, clock, "live.start", session="L2")  # lower than the emergency: never joins
    assert events(dev) == [("live.left", {"session": "L2", "reason": "preempted", "played_ms": 0, "by": "E"})]
    group_cmd(dev, clock, "live.stop", session="L2")  # nothing of ours to stop
    assert events(dev) == [] and dev.playing.item == "E"


def test_last_wins_at_the_same_level(clock):
    dev = device(clock)
    group_cmd(dev, clock, "live.start", session="L1")
    clock.t += 3
    group_cmd(dev, clock, "live.start", session="L2")
    assert events(dev) == [("live.joined", {"session": "L1", "prio": "live"}),
                           ("live.left", {"session": "L1", "reason": "preempted", "played_ms": 3000, "by": "L2"}),
                           ("live.joined", {"session": "L2", "prio": "live"})]
    group_cmd(dev, clock, "live.stop", session="L1")  # already over
    clock.t += 1
    group_cmd(dev, clock, "live.stop")  # no session: whatever live plays
    assert events(dev) == [("live.left", {"session": "L2", "reason": "stopped", "played_ms": 1000})]
    group_cmd(dev, clock, "emergency.start", session="E1")
    clock.t += 2
    group_cmd(dev, clock, "emergency.start", session="E2")
    assert events(dev) == [("play.started", {"item": "E1", "prio": "emergency", "source": "emergency"}),
                           ("play.preempted", {"item": "E1", "prio": "emergency", "by": "E2", "played_ms": 2000}),
                           ("play.started", {"item": "E2", "prio": "emergency", "source": "emergency"})]
    # A live session at emergency level takes over an emergency too.
    group_cmd(dev, clock, "live.start", session="L3", prio="emergency")
    assert events(dev) == [("play.preempted", {"item": "E2", "prio": "emergency", "by": "L3", "played_ms": 0}),
                           ("live.joined", {"session": "L3", "prio": "emergency"})]


def test_emergency_max_duration_and_renewal(clock):
    dev = device(clock)
    group_cmd(dev, clock, "emergency.start", session="E", max_s=60)
    run_until(dev, clock, T0 + 50)
    group_cmd(dev, clock, "emergency.start", session="E", max_s=60)  # renewed: 60 s from now, no new events
    assert events(dev) == [("play.started", {"item": "E", "prio": "emergency", "source": "emergency"})]
    run_until(dev, clock, T0 + 109)
    assert events(dev) == [] and dev.playing.item == "E"
    run_until(dev, clock, T0 + 111)
    assert events(dev) == [("play.finished", {"item": "E", "prio": "emergency", "reason": "max_duration",
                                              "played_ms": 110_000})]
    # A media item plays for its dur_ms (within max_s); max_s is capped at 30 minutes.
    item = {"sha256": SHA, "url": "http://m/e.mp3", "bytes": 1, "codec": "mp3", "dur_ms": 20_000}
    group_cmd(dev, clock, "emergency.start", session="E2", item=item)
    run_until(dev, clock, T0 + 200)
    assert [(t, d["reason"], d["played_ms"]) for t, d in events(dev)[1:]] == [("play.finished", "finished", 20_000)]
    group_cmd(dev, clock, "emergency.start", session="E3", max_s=99_999)
    run_until(dev, clock, clock.t + 30 * 60 + 1)
    assert [(t, d["reason"], d["played_ms"]) for t, d in events(dev)[1:]] == [
        ("play.finished", "max_duration", 30 * 60_000)]


def test_live_max_duration_and_bad_commands(clock):
    dev = device(clock)
    group_cmd(dev, clock, "live.start", session="L", prio="normal")  # not a live level
    group_cmd(dev, clock, "live.start", session="L", url=42)
    group_cmd(dev, clock, "emergency.start", session="E", max_s=0)
    group_cmd(dev, clock, "emergency.start", session="E", item={"sha256": SHA})  # no dur_ms
    assert events(dev) == [] and dev.rejected == 4
    group_cmd(dev, clock, "live.start", session="L")
    run_until(dev, clock, T0 + 15 * 60 + 1)
    assert events(dev) == [("live.joined", {"session": "L", "prio": "live"}),
                           ("live.left", {"session": "L", "reason": "max_duration", "played_ms": 15 * 60_000})]


def test_a_pulled_stream_starts_with_its_audio(clock):
    dev = device(clock, pull_live=True)
    offset = dev.clock_offset_ms(clock.t)
    url = "http://console.test/live/L1.mp3"
    group_cmd(dev, clock, "live.start", session="L1", url=url)
    token, pulled = dev.live_pull
    assert pulled == url and events(dev) == [] and dev.playing.item == "L1"
    clock.t += 1
    dev.live_audio(token, T0 + 0.5)
    dev.live_marker(token, T0 + 0.75)
    evts = take_events(dev)
    assert [(e.type, e.data, e.ts) for e in evts] == [
        ("live.joined", {"session": "L1", "prio": "live"}, int(T0 * 1000) + 500 + offset),
        ("live.marker", {"session": "L1"}, int(T0 * 1000) + 750 + offset)]
    # Another session takes over: reports about the old stream are ignored.
    group_cmd(dev, clock, "live.start", session="L2", url=url)
    assert events(dev) == [("live.left", {"session": "L1", "reason": "preempted", "played_ms": 500, "by": "L2"})]
    token2, _ = dev.live_pull
    assert token2 != token
    dev.live_marker(token, clock.t)
    dev.live_ended(token, None)
    assert events(dev) == [] and dev.playing.item == "L2"
    dev.live_ended(token2, "Server returned 404 Not Found")  # before any audio
    assert events(dev) == [("live.left", {"session": "L2", "reason": "error", "played_ms": 0,
                                          "err": "Server returned 404 Not Found"})]
    assert dev.live_pull is None
    # An emergency stream too; one that ends reports "ended".
    group_cmd(dev, clock, "emergency.start", session="E", url=url)
    token3, _ = dev.live_pull
    assert events(dev) == []
    dev.live_audio(token3, clock.t)
    clock.t += 2
    dev.live_ended(token3, None)
    assert events(dev) == [("play.started", {"item": "E", "prio": "emergency", "source": "emergency"}),
                           ("play.finished", {"item": "E", "prio": "emergency", "reason": "ended", "played_ms": 2000})]


def test_without_url_or_pulling_a_stream_plays_at_once(clock):
    for dev, args in ((device(clock, pull_live=True), {}),
                      (device(clock), {"url": "http://console.test/live/L.mp3"})):
        group_cmd(dev, clock, "live.start", session="L", **args)
        assert events(dev) == [("live.joined", {"session": "L", "prio": "live"})]
        assert dev.live_pull is None
