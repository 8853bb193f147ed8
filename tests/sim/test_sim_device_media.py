"""SimDevice's downloads and play reports, without sockets and with a fake clock: the transport's side
(take_fetches / media_fetched) is played by the test."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytest

from console.fleet import topics
from console.fleet.schemas import Command, encode, make
from sim_helpers import SHA, SITE, T0, URL, Clock, device, events, media_item, run_until, sched


@pytest.fixture
def clock():
    return Clock()


def test_verified_download_then_play_with_played_ms(clock):
    dev = device(clock)
    start = T0 + 60
    sched(dev, media_item("i1", start))
    assert dev.take_fetches() == [(SHA, URL)]
    sched(dev, media_item("i1", start))  # redelivered while downloading: not fetched twice
    assert dev.take_fetches() == []
    dev.media_fetched(SHA, None)
    assert events(dev) == [("media.ready", {"sha256": SHA})]
    sched(dev, media_item("i1", start))  # and not once cached
    assert dev.take_fetches() == [] and dev.due == start
    run_until(dev, clock, start + 60)
    assert events(dev) == [("play.started", {"item": "i1", "prio": "normal", "source": "sched"}),
                           ("play.finished", {"item": "i1", "prio": "normal", "reason": "finished",
                                              "played_ms": 60_000})]


def test_failed_downloads_back_off_and_the_item_fails(clock):
    dev = device(clock)
    start = T0 + 600
    sched(dev, media_item("i1", start))
    retries = []
    for reason in ["hash mismatch", "http 404", "timeout"] * 3:
        (fetch,) = dev.take_fetches()
        assert fetch == (SHA, URL)
        failed_at = clock.t
        dev.media_fetched(SHA, reason)
        assert events(dev) == [("media.failed", {"sha256": SHA, "reason": reason})]
        assert dev.take_fetches() == []
        retries.append(dev.due - failed_at)
        clock.t = dev.due
        dev.tick()
    assert retries == [2, 4, 8, 16, 32, 60, 60, 60, 60]
    run_until(dev, clock, start)  # the fetch handed out last is still running at air time
    assert events(dev) == [("play.failed", {"item": "i1", "prio": "normal", "reason": "media not ready"})]
    assert dev.playing is None


def test_no_retry_once_no_schedule_needs_the_media(clock):
    dev = device(clock)
    sched(dev, media_item("i1", T0 + 60))
    dev.take_fetches()
    sched(dev)  # the schedule was emptied
    dev.media_fetched(SHA, "http 404")
    assert [t for t, _ in events(dev)] == ["media.failed"]
    assert dev.due == math.inf  # nothing to play, nothing to retry


def test_without_fetcher_or_url_the_download_is_simulated(clock):
    for dev, item in ((device(clock, fetch_media=False), media_item("i1", T0 + 60)),
                      (device(clock), media_item("i1", T0 + 60, url=None))):
        sched(dev, item)
        assert dev.take_fetches() == []
        run_until(dev, clock, T0 + 10)  # at most 8 s
        assert events(dev) == [("media.ready", {"sha256": SHA})]
        clock.t = T0


def test_streams_play_without_download_and_preemption_reports_played_ms(clock):
    dev = device(clock)
    stream = {"id": "s1", "start": datetime.fromtimestamp(T0 + 10, timezone.utc).isoformat(), "dur_ms": 20_000,
              "prio": "normal", "kind": "stream", "url": "http://radio.test/vov1"}
    sched(dev, stream)
    assert dev.take_fetches() == []
    run_until(dev, clock, T0 + 15)
    assert events(dev) == [("play.started", {"item": "s1", "prio": "normal", "source": "sched"})]
    cmd = make(Command, cid="e1", op="emergency.start", args={"item": "flood"}, exp=int((clock.t + 60) * 1000))
    dev.handle(topics.group(SITE, "all", "cmd"), encode(cmd))
    assert events(dev)[0] == ("play.preempted", {"item": "s1", "prio": "normal", "by": "flood", "played_ms": 5000})
    # A lower level arriving during the emergency never starts.
    cmd = make(Command, cid="n1", op="play.now", args={"item": "news", "prio": "normal"},
               exp=int((clock.t + 60) * 1000))
    dev.handle(topics.group(SITE, "all", "cmd"), encode(cmd))
    assert events(dev) == [("play.preempted", {"item": "news", "prio": "normal", "by": "flood", "played_ms": 0})]
