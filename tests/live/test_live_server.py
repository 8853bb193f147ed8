"""Live streams served by the real media server on loopback, heard by the real ffmpeg CLI."""

from __future__ import annotations

import http.client
import socket
import threading

import numpy as np
import pytest

from console.live.source import END_OF_FILE, RATE, WavFileSource, chime
from console.live.stream import LiveBroadcast, LiveChannel
from console.media.server import MediaServer
from fixtures.audio import write_wav
from fixtures.waiting import wait_until
from livesignal import FfmpegListener, dominant_hz, markers, tone, with_marker


@pytest.fixture
def server(tmp_path):
    srv = MediaServer(tmp_path / "media").start()
    yield srv
    srv.stop()


@pytest.fixture
def listeners():
    made: list[FfmpegListener] = []
    yield lambda url: made.append(FfmpegListener(url)) or made[-1]
    for listener in made:
        listener.close()


def test_two_listeners_hear_the_chime_and_the_marker(server, listeners, tmp_path):
    wav = write_wav(tmp_path / "in.wav", with_marker(4.0, at_s=2.0))
    channel = LiveChannel(name="Thông báo")
    url = server.add_channel("s-1", channel)
    assert url == f"http://127.0.0.1:{server.port}/live/s-1.mp3" == server.live_url("s-1")
    a, b = listeners(url), listeners(url)
    assert wait_until(lambda: server.live_stats()["listeners"] == 2)  # before the broadcast: all of it
    bc = LiveBroadcast(WavFileSource(wav), channel, chime=True).start()
    assert bc.wait(60) and bc.end_reason == END_OF_FILE
    for ffmpeg in (a, b):
        assert ffmpeg.wait() == 0, ffmpeg.stderr  # the stream ended cleanly with the channel
        audio = ffmpeg.samples()[bc.encoder.delay_samples:]
        ding = chime().size
        assert abs(audio.size - (ding + 4 * RATE)) <= 1152
        assert dominant_hz(audio[:int(0.3 * RATE)]) == pytest.approx(1000, abs=5)
        assert markers(audio) == [0.0, pytest.approx(ding / RATE + 2.0, abs=0.02)]  # the chime's, the file's
    assert server.live_stats() == {"channels": 1, "listeners": 0, "dropped": 0}
    assert channel.joined == 2 and server.stats()["errors"] == 0


def test_a_late_listener_starts_at_now(server, listeners, tmp_path):
    # Six seconds, each at its own pitch: what a listener hears says where in the stream it started.
    pitches = [400, 500, 600, 700, 800, 900]
    wav = write_wav(tmp_path / "in.wav", np.concatenate([tone(f, 1.0) for f in pitches]))
    channel = LiveChannel()
    bc = LiveBroadcast(WavFileSource(wav), channel, chime=False).start()
    assert wait_until(lambda: bc.elapsed_s >= 3.0)
    late = listeners(server.add_channel("late", channel))
    assert wait_until(lambda: channel.listeners == 1)
    joined_at = bc.elapsed_s
    assert bc.wait(60)
    assert late.wait() == 0, late.stderr
    audio = late.samples()
    # It got the stream from about when it joined (frames in the encoder then: at most ~80 ms more).
    assert audio.size / RATE == pytest.approx(6.0 - joined_at, abs=0.2)
    first = dominant_hz(audio[:int(0.2 * RATE)])
    assert first >= 700 and first == pytest.approx(pitches[int(joined_at)], abs=10)


def test_headers_chunked_and_http10(server):
    channel = LiveChannel(name="xa-tan-lap")
    server.add_channel("h", channel)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/live/h.mp3", headers={"Icy-MetaData": "1"})
    resp = conn.getresponse()
    assert resp.status == 200 and resp.headers["Content-Type"] == "audio/mpeg"
    assert "Content-Length" not in resp.headers and resp.headers["Transfer-Encoding"] == "chunked"
    assert "no-cache" in resp.headers["Cache-Control"] and resp.headers["icy-name"] == "xa-tan-lap"
    assert "icy-metaint" not in resp.headers  # no in-band metadata: players then expect none
    # An HTTP/1.0 client (old ICY players) gets the stream until the connection closes, as from Icecast.
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    raw.sendall(b"GET /live/h.mp3 HTTP/1.0\r\nHost: x\r\n\r\n")
    assert wait_until(lambda: channel.listeners == 2)
    channel.publish(b"\xff\xfb\x54\xc4" + bytes(188))
    channel.close()
    assert resp.read() == b"\xff\xfb\x54\xc4" + bytes(188)  # then the chunked end
    conn.close()
    reply = b""
    while data := raw.recv(65536):
        reply += data
    raw.close()
    head, body = reply.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.0 200") and b"Transfer-Encoding" not in head and b"Content-Length" not in head
    assert body == b"\xff\xfb\x54\xc4" + bytes(188)


def _get(server: MediaServer, path: str, method: str = "GET") -> int:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_unknown_wrong_ext_removed_and_head(server):
    channel = LiveChannel()
    server.add_channel("s", channel)
    assert _get(server, "/live/s.mp3", "HEAD") == 200
    assert _get(server, "/live/nope.mp3") == 404
    assert _get(server, "/live/s.opus") == 404
    assert _get(server, "/live/..%2Fs.mp3") == 400 and _get(server, "/live/s") == 400
    server.remove_channel("s")
    assert _get(server, "/live/s.mp3") == 404
    server.add_channel("s", channel)
    channel.close()
    assert _get(server, "/live/s.mp3") == 404  # over
    with pytest.raises(ValueError):
        server.add_channel("../x", channel)


def test_signed_live_urls(tmp_path):
    with MediaServer(tmp_path / "media", secret="k") as srv:
        channel = LiveChannel()
        url = srv.add_channel("sig", channel)
        assert "exp=" in url and "sig=" in url
        assert _get(srv, "/live/sig.mp3") == 403
        assert _get(srv, url.split(str(srv.port), 1)[1], "HEAD") == 200


def test_a_slow_listener_is_cut_off_and_the_others_go_on(server):
    channel = LiveChannel(bitrate=8_000_000, max_lag_s=1.0)  # 1 MB/s here, to fill the buffers quickly
    server.add_channel("fast", channel)
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(("127.0.0.1", server.port))
    slow.sendall(b"GET /live/fast.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")  # and never reads
    received = bytearray()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/live/fast.mp3")
    resp = conn.getresponse()
    reader = threading.Thread(target=lambda: received.extend(resp.read()))
    reader.start()
    assert wait_until(lambda: channel.listeners == 2)
    published = 0
    stop = threading.Event()
    while server.live_stats()["dropped"] == 0 and published < 200_000_000:
        channel.publish(b"x" * 4096)
        published += 4096
        stop.wait(0.004)  # about 1 MB/s
    assert server.live_stats()["dropped"] == 1 and channel.listeners == 1
    for _ in range(10):
        channel.publish(b"y" * 4096)
        published += 4096
    channel.close()
    reader.join(30)
    assert len(received) == published  # the fast one got every byte, and then the end
    conn.close()
    slow.close()


def test_stopping_the_server_ends_live_responses(tmp_path, listeners):
    srv = MediaServer(tmp_path / "media").start()
    channel = LiveChannel()
    wav = write_wav(tmp_path / "in.wav", tone(300, 60))
    bc = LiveBroadcast(WavFileSource(wav), channel, chime=False).start()
    ffmpeg = listeners(srv.add_channel("s", channel))
    assert wait_until(lambda: ffmpeg.seconds > 0.5)
    srv.stop()
    assert ffmpeg.wait(30) == 0, ffmpeg.stderr  # the stream ended cleanly
    assert bc.running  # the broadcast itself goes on (for Icecast, the archive)
    bc.stop()
    assert bc.wait(10)


def test_opus_in_ogg_joined_mid_stream(server, listeners, tmp_path):
    """Ogg needs its header pages first: a listener joining mid-stream gets them, then pages from now."""
    wav = write_wav(tmp_path / "in.wav", with_marker(4.0, at_s=3.0))
    channel = LiveChannel("opus")
    url = server.add_channel("ogg", channel)
    assert url.endswith("/live/ogg.opus")
    bc = LiveBroadcast(WavFileSource(wav), channel, chime=False).start()
    assert wait_until(lambda: bc.elapsed_s >= 1.0)
    ffmpeg = listeners(url)
    assert bc.wait(60)
    assert ffmpeg.wait() == 0, ffmpeg.stderr
    audio = ffmpeg.samples()
    assert 0.5 < audio.size / RATE < 3.2 and len(markers(audio)) == 1
