"""Simulated devices download scheduled media over real HTTP (MediaServer on loopback), verify it and
play it, on a real Mosquitto; their events are watched by a plain paho subscriber."""

from __future__ import annotations

import math
import os
import time
from datetime import datetime

import pytest

from console.fleet import topics
from console.media.server import MediaServer
from console.media.store import MediaStore
from console.settings import parse_broker_url
from console.sim import SimFleet
from fixtures.waiting import wait_until
from sim_helpers import VN, Events

DEVICES = 3


@pytest.fixture
def setup(mosquitto, site, tmp_path):
    """(events, fleet of DEVICES in group "all", media store, server with a secret)."""
    broker = parse_broker_url(mosquitto.url)
    store = MediaStore(tmp_path / "media")
    server = MediaServer(store.root, secret="k").start()
    events = Events(broker, site)
    fleet = SimFleet(broker, site, DEVICES, keepalive=5)
    fleet.start()
    assert fleet.wait_connected(15), fleet.stats()
    yield events, fleet, store, server
    fleet.kill()
    events.close()
    server.stop()


def put(store: MediaStore, tmp_path, size: int = 200_000) -> str:
    src = tmp_path / f"src-{size}.mp3"
    src.write_bytes(os.urandom(size))
    return store.put(src, "mp3").sha256


def item(item_id: str, start: float, dur_ms: int, sha256: str, url: str) -> dict:
    return {"id": item_id, "start": datetime.fromtimestamp(start, VN).isoformat(), "dur_ms": dur_ms,
            "prio": "normal", "kind": "media", "media": {"sha256": sha256, "url": url, "bytes": 1, "codec": "mp3"},
            "vol": 80}


def publish_sched(events: Events, site: str, rev: int, *items: dict) -> None:
    doc = {"v": 1, "rev": rev, "hash": f"h{rev}", "tz": "Asia/Ho_Chi_Minh",
           "from": datetime.fromtimestamp(time.time() - 3600, VN).isoformat(),
           "to": datetime.fromtimestamp(time.time() + 86400, VN).isoformat(), "items": list(items)}
    events.publish(topics.group(site, "all", "sched"), doc)


def test_devices_download_verify_then_play(setup, site, tmp_path):
    events, fleet, store, server = setup
    sha = put(store, tmp_path)
    start = math.ceil(time.time()) + 4
    publish_sched(events, site, 1, item("i1", start, 1500, sha, server.url(sha, "mp3", time.time() + 600)))

    def done(dev: str) -> bool:
        return bool(events.of(dev, "play.finished"))

    assert wait_until(lambda: all(done(d) for d in fleet.ids), 20), {d: events.of(d) for d in fleet.ids}
    for dev in fleet.ids:
        got = [(e.type, e.data) for e in events.of(dev)]
        assert got[0] == ("media.ready", {"sha256": sha})
        assert [t for t, _ in got] == ["media.ready", "play.started", "play.finished"]
        assert got[1][1] == {"item": "i1", "prio": "normal", "source": "sched"}
        finished = got[2][1]
        assert finished["item"] == "i1" and finished["reason"] == "finished"
        assert 0 < finished["played_ms"] <= 1500
    assert server.stats()["requests"] == DEVICES and server.stats()["errors"] == 0

    # A reconnect redelivers the retained schedule: the cached media is not downloaded again. A new
    # item with other media then is (its media.ready shows that the schedule was processed).
    connects = fleet.stats()["connects"]
    fleet.drop_link(fleet.ids)
    fleet.restore(fleet.ids)
    assert wait_until(lambda: fleet.stats()["connects"] == connects + DEVICES and fleet.connected_count() == DEVICES)
    sha2 = put(store, tmp_path, size=1000)
    later = time.time() + 3600
    publish_sched(events, site, 2, item("i1", start, 1500, sha, server.url(sha, "mp3", later)),
                  item("i2", later, 1000, sha2, server.url(sha2, "mp3", later)))
    assert wait_until(lambda: all(events.of(d, "media.ready")[-1].data["sha256"] == sha2 for d in fleet.ids))
    for dev in fleet.ids:
        assert [e.data["sha256"] for e in events.of(dev, "media.ready", "media.failed")] == [sha, sha2]
        assert len(events.of(dev, "play.started")) == 1  # i1 is not played again
    assert server.stats()["requests"] == 2 * DEVICES


def test_unverified_media_is_retried_and_never_played(setup, site, tmp_path):
    events, fleet, store, server = setup
    sha = put(store, tmp_path)
    wrong, missing = "f" * 64, "e" * 64
    start = math.ceil(time.time()) + 5
    publish_sched(events, site, 1, item("bad", start, 1000, wrong, server.url(sha, "mp3")),
                  item("gone", start + 2, 1000, missing, server.url(missing, "mp3")))

    def failed(dev: str) -> bool:
        return {e.data["item"] for e in events.of(dev, "play.failed")} == {"bad", "gone"}

    assert wait_until(lambda: all(failed(d) for d in fleet.ids), 20), {d: events.of(d) for d in fleet.ids}
    for dev in fleet.ids:
        reasons = {(e.data["sha256"], e.data["reason"]) for e in events.of(dev, "media.failed")}
        assert reasons == {(wrong, "hash mismatch"), (missing, "http 404")}
        attempts = [e.data["sha256"] for e in events.of(dev, "media.failed")]
        assert attempts.count(wrong) >= 2 and attempts.count(missing) >= 2  # retried
        for e in events.of(dev, "play.failed"):
            assert e.data == {"item": e.data["item"], "prio": "normal", "reason": "media not ready"}
        assert events.of(dev, "media.ready", "play.started", "play.finished") == []
    stats = server.stats()
    assert stats["requests"] >= 4 * DEVICES and stats["errors"] >= 2 * DEVICES  # the 404s
    assert fleet.stats()["download_errors"] >= 4 * DEVICES
