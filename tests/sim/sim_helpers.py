"""Helpers of the tests in tests/sim: a SimDevice on a fake clock, a subscriber to the events of a
fleet on a real broker, and MP3 audio with 1 kHz marker bursts."""

from __future__ import annotations

import itertools
import json
import math
import threading
import wave
from datetime import datetime, timedelta, timezone

import av
import numpy as np
import paho.mqtt.client as mqtt

from console.fleet import topics
from console.fleet.schemas import Command, Event, decode, encode, make
from console.sim.device import DeviceSpec, SimDevice

SITE = "t-unit"
T0 = 1_800_000_000.0
SHA = "ab" * 32
URL = f"http://media.test/media/{SHA}.mp3"
VN = timezone(timedelta(hours=7))
_cids = itertools.count(1)


class Clock:
    t = T0

    def __call__(self) -> float:
        return self.t


def device(clock, fetch_media: bool = True, pull_live: bool = False) -> SimDevice:
    """A connected device in group ``all``, its birth taken, no telemetry in the way."""
    dev = SimDevice(DeviceSpec("SIM-00001"), SITE, seed=7, clock=clock, fetch_media=fetch_media, pull_live=pull_live)
    dev.begin_connect()
    dev.on_connect()
    dev.take()
    dev.next_tele = math.inf
    return dev


def sched(dev: SimDevice, *items: dict) -> None:
    dev.handle(topics.group(SITE, "all", "sched"), json.dumps({"v": 1, "rev": 1, "hash": "h", "items": items}).encode())


def media_item(item_id: str, start: float, dur_ms: int = 60_000, url: str | None = URL, prio: str = "normal") -> dict:
    media = {"sha256": SHA, "bytes": 1, "codec": "mp3", **({"url": url} if url else {})}
    return {"id": item_id, "start": datetime.fromtimestamp(start, VN).isoformat(), "dur_ms": dur_ms, "prio": prio,
            "kind": "media", "media": media}


def group_cmd(dev: SimDevice, clock, op: str, **args) -> None:
    """A group command to ``all``, with a fresh cid."""
    cmd = make(Command, cid=f"g{next(_cids)}", op=op, args=args, exp=int((clock.t + 60) * 1000))
    dev.handle(topics.group(SITE, "all", "cmd"), encode(cmd))


def take_events(dev: SimDevice) -> list[Event]:
    return [decode("evt", o.payload) for o in dev.take() if o.topic.endswith("/evt")]


def events(dev: SimDevice) -> list[tuple[str, dict]]:
    return [(e.type, e.data) for e in take_events(dev)]


def run_until(dev: SimDevice, clock: Clock, t: float) -> None:
    """Advance the clock to ``t``, ticking the device whenever it is due."""
    while dev.due <= t:
        clock.t = max(clock.t, dev.due)
        dev.tick()
    clock.t = t


class Events:
    """Every device event of a site on a real broker, decoded, by device id."""

    def __init__(self, broker, site: str):
        self._lock = threading.Lock()
        self._by_dev: dict[str, list] = {}
        subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.connect(broker.host, broker.port)
        self.client.subscribe(topics.device_wildcard(site, "evt"), 1)
        self.client.loop_start()
        assert subscribed.wait(5)

    def _on_message(self, client, userdata, msg) -> None:
        evt = decode("evt", msg.payload)
        with self._lock:
            self._by_dev.setdefault(msg.topic.split("/")[4], []).append(evt)

    def of(self, dev: str, *types: str) -> list:
        """Events of one device (of ``types``, if given), in ``seq`` order."""
        with self._lock:
            events = sorted(self._by_dev.get(dev, []), key=lambda e: e.seq)
        return [e for e in events if not types or e.type in types]

    def publish(self, topic: str, doc: dict) -> None:
        self.client.publish(topic, json.dumps(doc).encode(), qos=1, retain=True).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def marked_wav(path, secs: float, bursts: tuple[tuple[float, float], ...], rate: int = 48000) -> None:
    """A mono WAV: noise at -26 dBFS and a 300 Hz hum, with a 1 kHz tone at -10 dBFS mixed in for each
    ``(offset, length)`` of ``bursts`` (s)."""
    t = np.arange(int(secs * rate)) / rate
    x = 0.05 * np.random.default_rng(1).standard_normal(len(t)) + 0.05 * np.sin(2 * np.pi * 300 * t)
    for at, length in bursts:
        span = (t >= at) & (t < at + length)
        x[span] += 0.3 * np.sin(2 * np.pi * 1000 * t[span])
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


def wav_to_mp3(src, dst, bitrate: int = 64000) -> bytes:
    """Encode ``src`` to the MP3 file ``dst`` with PyAV; returns its bytes."""
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        stream = out.add_stream("libmp3lame", rate=inp.streams.audio[0].rate, layout="mono")
        stream.bit_rate = bitrate
        for frame in inp.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dst.read_bytes()
