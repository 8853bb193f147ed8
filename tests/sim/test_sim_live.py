"""Simulated devices pull a live MP3 stream over real HTTP, decode it with PyAV and report the 1 kHz
marker bursts in it, on a real Mosquitto.

The stream is served by the test: a WAV file (noise, a hum and 1 kHz bursts mixed in at known
offsets) encoded to MP3 at 64 kbit/s with PyAV, sent with chunked transfer encoding in 40 ms chunks
paced in real time, from the start to every client."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from console.sim.live import PLAYOUT_BUFFER_S

from console.fleet import topics
from console.fleet.schemas import Command, encode, make
from console.settings import parse_broker_url
from console.sim import SimFleet
from fixtures.waiting import wait_until
from sim_helpers import SHA, Events, marked_wav, wav_to_mp3

BITRATE = 64000
CHUNK_S = 0.04


class StreamServer:
    """``GET /live/{name}.mp3``: the stream ``name`` from its start, paced in real time; 404 for others."""

    def __init__(self, streams: dict[str, bytes]):
        self.requests = 0
        closing = self.closing = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                owner.requests += 1
                body = streams.get(self.path.removeprefix("/live/").removesuffix(".mp3"))
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "audio/mpeg")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                step, began = int(BITRATE / 8 * CHUNK_S), time.monotonic()
                try:
                    for i in range(0, len(body), step):
                        chunk = body[i:i + step]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                        if closing.wait(max(0.0, began + (i + step) / (BITRATE / 8) - time.monotonic())):
                            return
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass  # the device hung up

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/live/{name}.mp3"

    def stop(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    streams = {}
    for name, secs, bursts in (("long", 30.0, ((1.0, 0.1), (2.0, 0.1), (3.0, 0.1))), ("short", 1.5, ((0.5, 0.1),))):
        marked_wav(tmp / f"{name}.wav", secs, bursts)
        streams[name] = wav_to_mp3(tmp / f"{name}.wav", tmp / f"{name}.mp3", BITRATE)
    srv = StreamServer(streams)
    yield srv
    srv.stop()


@pytest.fixture
def run(mosquitto, site):
    """Start a fleet of n devices in group "all" (with ``kw``); returns (events, fleet)."""
    broker = parse_broker_url(mosquitto.url)
    events = Events(broker, site)
    fleets = []

    def start(n: int, **kw):
        fleet = SimFleet(broker, site, n, keepalive=5, **kw)
        fleets.append(fleet)
        fleet.start()
        assert fleet.wait_connected(15), fleet.stats()
        return events, fleet

    yield start
    for fleet in fleets:
        fleet.kill()
    events.close()


def send(events: Events, site: str, op: str, **args) -> None:
    cmd = make(Command, cid=f"{op}-{time.monotonic_ns()}", op=op, args=args, exp=int((time.time() + 60) * 1000))
    events.client.publish(topics.group(site, "all", "cmd"), encode(cmd), qos=1).wait_for_publish(5)


def kinds(events: Events, dev: str) -> list[str]:
    return [e.type for e in events.of(dev)]


def test_devices_decode_a_live_stream_and_report_its_markers(run, site, server):
    events, fleet = run(3)
    requests = server.requests
    send(events, site, "live.start", session="L1", url=server.url("long"), prio="live", chime=False,
         t0=int(time.time() * 1000))
    assert wait_until(lambda: all(len(events.of(d, "live.marker")) == 3 for d in fleet.ids), 20), \
        {d: events.of(d) for d in fleet.ids}
    send(events, site, "live.stop", session="L1")
    assert wait_until(lambda: all(events.of(d, "live.left") for d in fleet.ids), 10)
    for dev in fleet.ids:
        evts = events.of(dev)
        assert [e.type for e in evts] == ["live.joined"] + ["live.marker"] * 3 + ["live.left"]
        joined, *markers, left = evts
        assert joined.data == {"session": "L1", "prio": "live"}
        assert all(m.data == {"session": "L1"} for m in markers)
        # A marker's time is when it is played, which may be up to the playout buffer after it was decoded.
        assert joined.ts <= markers[0].ts < markers[1].ts < markers[2].ts <= left.ts + PLAYOUT_BUFFER_S * 1000
        assert left.data["session"] == "L1" and left.data["reason"] == "stopped" and left.data["played_ms"] > 0
    assert server.requests == requests + 3
    assert wait_until(lambda: fleet.stats()["decoding"] == 0, 15)  # the decoders stop with the session


def test_a_limited_fleet_pretends_and_an_emergency_takes_over(run, site, server):
    events, fleet = run(3, live_decoders=2)
    send(events, site, "live.start", session="L2", url=server.url("short"))
    # Two devices decode the stream to its end; the third plays it without pulling.
    assert wait_until(lambda: sum(bool(events.of(d, "live.left")) for d in fleet.ids) == 2, 20), \
        {d: events.of(d) for d in fleet.ids}
    decoded = [d for d in fleet.ids if events.of(d, "live.left")]
    (pretending,) = set(fleet.ids) - set(decoded)
    for dev in decoded:
        assert kinds(events, dev) == ["live.joined", "live.marker", "live.left"]
        left = events.of(dev, "live.left")[0].data
        assert left["reason"] == "ended" and left["played_ms"] > 0
    assert kinds(events, pretending) == ["live.joined"]
    item = {"sha256": SHA, "url": "http://console.test/media/e.mp3", "bytes": 1, "codec": "mp3", "dur_ms": 300}
    send(events, site, "emergency.start", session="E1", item=item, max_s=60)
    assert wait_until(lambda: all(events.of(d, "play.finished") for d in fleet.ids), 10)
    assert [(e.type, e.data.get("reason")) for e in events.of(pretending)[1:]] == [
        ("live.left", "preempted"), ("play.started", None), ("play.finished", "finished")]
    for dev in fleet.ids:
        started, finished = events.of(dev, "play.started", "play.finished")
        assert started.data == {"item": "E1", "prio": "emergency", "source": "emergency"}
        assert finished.data["played_ms"] == 300


def test_emergency_stream_and_stream_errors(run, site, server):
    events, fleet = run(1)
    (dev,) = fleet.ids
    send(events, site, "live.start", session="L3", url=server.url("missing"))
    assert wait_until(lambda: events.of(dev, "live.left"), 10)
    assert [(e.type, e.data) for e in events.of(dev)] == [
        ("live.left", {"session": "L3", "reason": "error", "played_ms": 0, "err": "Server returned 404 Not Found"})]
    send(events, site, "emergency.start", session="E2", url=server.url("long"), max_s=60)
    assert wait_until(lambda: events.of(dev, "live.marker"), 10)
    send(events, site, "emergency.stop", session="E2")
    assert wait_until(lambda: events.of(dev, "play.finished"), 10)
    started, marker, finished = events.of(dev)[1:]
    assert (started.type, started.data) == ("play.started", {"item": "E2", "prio": "emergency", "source": "emergency"})
    assert (marker.type, marker.data) == ("live.marker", {"session": "E2"})
    assert finished.data["reason"] == "stopped" and finished.data["played_ms"] > 0
