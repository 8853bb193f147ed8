"""The ingest worker: routing, validation, counting, persistence hand-off (no broker)."""

import random

from console.fleet import schemas
from console.fleet.ingest import Ingest
from console.fleet.state import FleetState


class Sink:
    def __init__(self):
        self.seen, self.events = {}, []

    def device_seen(self, dev_id, ts_ms, **fields):
        self.seen[dev_id] = fields

    def add_events(self, events):
        self.events.extend(events)


def enc(cls, **kw):
    return schemas.encode(schemas.make(cls, **kw))


def test_batch_applies_and_persists():
    fs, sink, acks, unborn = FleetState(), Sink(), [], []
    ing = Ingest("s", fs, sink, on_ack=lambda d, a: acks.append((d, a.status)), on_unborn=unborn.append)
    ing.process([
        ("tt/v1/s/d/a/state", enc(schemas.State, state="online", session=1, fw="1.0")),
        ("tt/v1/s/d/a/tele", enc(schemas.Tele, seq=1, rssi=-70)),
        ("tt/v1/s/d/b/tele", enc(schemas.Tele, seq=1, rssi=-90)),  # no birth yet
        ("tt/v1/s/d/a/evt", enc(schemas.Event, seq=1, ts=5, type="play.started")),
        ("tt/v1/s/d/a/evt", enc(schemas.Event, seq=1, ts=5, type="play.started")),  # duplicate
        ("tt/v1/s/d/a/ack", enc(schemas.Ack, cid="c", status="accepted")),
    ])
    assert fs.get("a").rssi == -70 and fs.get("a").online
    assert unborn == ["b"]
    assert acks == [("a", "accepted")]
    assert sink.seen["a"]["fw"] == "1.0" and "b" in sink.seen
    assert [(e["type"], e["seq"]) for e in sink.events] == [("online", None), ("play.started", 1)]
    assert ing.duplicates == 1 and ing.processed == 6


def test_malformed_messages_are_counted_per_reason_and_never_stop_the_worker():
    fs = FleetState()
    ing = Ingest("s", fs)
    ing.start()
    rng = random.Random(4)
    expected = {"topic": 0, "json": 0, "schema": 0, "version": 0}
    for _ in range(1000):
        kind = rng.choice(list(expected))
        if kind == "topic":
            ing.feed(rng.choice(["tt/v1/other/d/x/tele", "tt/v1/s/d/x/cmd", "junk", "tt/v1/s/g/a/sched",
                                 "tt/v1/s/d/x/tele/extra"]), b"{}")
        elif kind == "json":
            ing.feed("tt/v1/s/d/x/tele", b"\x00" + rng.randbytes(rng.randint(0, 40)))
        elif kind == "schema":
            ing.feed("tt/v1/s/d/x/tele", rng.choice([b'{"v":1}', b'{"v":1,"seq":-5}', b"[1,2]", b'"x"',
                                                     b'{"v":1,"seq":1,"rssi":"loud"}']))
        else:
            ing.feed("tt/v1/s/d/x/tele", b'{"v":9,"seq":1}')
        expected[kind] += 1
    ing.feed("tt/v1/s/d/good/state", enc(schemas.State, state="online", session=1))
    assert ing.wait_idle(10)
    ing.stop()
    assert dict(ing.rejected) == {k: v for k, v in expected.items() if v}
    assert fs.get("good").online
    assert ing.processed == 1001


def test_overflow_is_counted_not_silent():
    ing = Ingest("s", FleetState(), maxsize=10)
    for _ in range(15):
        ing.feed("tt/v1/s/d/a/tele", b"{}")
    assert ing.overflow == 5 and ing.stats()["overflow"] == 5
