"""A simulated fleet: thousands of :class:`SimDevice`, each with its own MQTT connection.

Every device has its own paho client (own client id, own last will), but no paho thread: the
clients of a *shard* are multiplexed with ``selectors`` by one thread through paho's external event
loop API (``loop_read``/``loop_write``/``loop_misc`` and the ``on_socket_*`` callbacks). A fleet has
1-4 shards. Everything a shard owns (clients, devices, timers) is touched only by its thread;
the public methods of :class:`SimFleet` post work to the shards and wait for it.

A fresh paho client is made for every connection attempt, so that each carries the last will of
its own session; reconnection (backoff with jitter, connect rate limit) is done here, not by paho.
The TCP connect itself is blocking (paho's), which bounds the connect rate per shard by the round
trip to the broker; on a LAN or loopback that is thousands per second.

Scheduled media is downloaded for real by a thread pool shared by the fleet: each body is streamed
through sha256 and the verdict is posted back to the device's shard. Live streams are pulled and
decoded for real (console/sim/live.py) by one thread per device and stream, at most
``live_decoders`` at a time over the fleet; what they find is posted back the same way.
"""

from __future__ import annotations

import hashlib
import heapq
import http.client
import itertools
import logging
import math
import os
import queue
import random
import selectors
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable, Sequence

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from console.fleet.broker import raise_fd_limit
from console.settings import BrokerConfig
from console.sim import live
from console.sim.device import DeviceSpec, SimDevice, numbered_specs
from console.sim.scenarios import ScenarioMix, ScenarioPlan

log = logging.getLogger(__name__)

INF = math.inf
BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 60.0
CONNECT_BATCH = 200  # connects per loop turn when unlimited, so a shard stays responsive
# Connections awaiting CONNACK, over all shards. Mosquitto listens with a backlog of 100: more
# half-accepted connections overflow it, and each dropped SYN stalls a blocking connect for 1 s.
MAX_CONNECTING = 96
FD_MARGIN = 64
UNSUPPORTED_PROTOCOL = 0x84  # MQTT 5 CONNACK reason "Unsupported Protocol Version"
RW = selectors.EVENT_READ | selectors.EVENT_WRITE
MEDIA_THREADS = 16
MEDIA_TIMEOUT_S = 20.0  # per connect or read
FETCH_CHUNK = 1 << 16
SMALL_FLEET = 50  # by default, up to this many devices decode live streams at a time
LIVE_TIMEOUT_S = 10.0  # connect or read of a live stream
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # devices use no proxy

# Connection states.
IDLE = "idle"  # waiting for a timer (backoff, reboot)
QUEUED = "queued"  # waiting for the connect rate limit
CONNECTING = "connecting"  # CONNECT sent, no CONNACK yet
ONLINE = "online"
CLOSING = "closing"  # flushing, then a clean DISCONNECT (reboot or stop)
DOWN = "down"  # link dropped; up again after a timer or restore()
DARK = "dark"  # power cut: socket left open and unserviced
STOPPED = "stopped"


class SimError(RuntimeError):
    """The fleet cannot run; the message is one clear line."""


def download_media(url: str, sha256: str, timeout: float = MEDIA_TIMEOUT_S) -> str | None:
    """Download ``url``, hashing the body as it comes: None if its sha256 is ``sha256``, else why
    not (``hash mismatch``, ``http 404``, ``timeout``, ``network: ...``). Nothing is stored."""
    digest = hashlib.sha256()
    try:
        with _OPENER.open(url, timeout=timeout) as resp:
            while chunk := resp.read(FETCH_CHUNK):
                digest.update(chunk)
    except (OSError, http.client.HTTPException, ValueError) as e:
        return _why(e)
    return None if digest.hexdigest() == sha256 else "hash mismatch"


def upload_logs(url: str, body: bytes, timeout: float = MEDIA_TIMEOUT_S) -> str | None:
    """PUT a log archive to ``url``: None when the server took it, else why not (as download_media)."""
    req = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "application/gzip"})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            resp.read()
    except (OSError, http.client.HTTPException, ValueError) as e:
        return _why(e)
    return None


def _why(e: Exception) -> str:
    """A failed HTTP transfer in a few words: ``http 404``, ``timeout``, ``network: ...``, ``bad url: ...``."""
    if isinstance(e, urllib.error.HTTPError):
        return f"http {e.code}"
    if isinstance(e, urllib.error.URLError):
        return "timeout" if isinstance(e.reason, TimeoutError) else f"network: {e.reason}"
    if isinstance(e, TimeoutError):
        return "timeout"
    if isinstance(e, ValueError):  # not a URL urllib can open
        return f"bad url: {e}"
    return f"network: {e!r}"


class _Conn:
    """One device and the state of its connection; owned by one shard."""

    __slots__ = ("dev", "plan", "client", "dead_client", "state", "after_close", "attempt", "fresh",
                 "inflight", "subs", "timer_at", "epoch", "writing", "pull")

    def __init__(self, dev: SimDevice, plan: ScenarioPlan):
        self.dev = dev
        self.plan = plan
        self.client: mqtt.Client | None = None
        self.dead_client: mqtt.Client | None = None  # kept so that its socket stays open (power cut)
        self.state = IDLE
        self.after_close = ""  # "reboot" or "stop"
        self.attempt = 0  # failed connects in a row (backoff)
        self.fresh = True  # no session at the broker yet: clean start
        self.inflight: dict[int, object] = {}  # mid -> Out of QoS 1 publishes awaiting PUBACK
        self.subs: set[str] = set()
        self.timer_at = INF  # when the device's tick timer fires
        self.epoch = 0  # bumped by power cuts, link drops and restores: stale timers are ignored
        self.writing = False  # registered for EVENT_WRITE
        self.pull: tuple[int, threading.Event | None] | None = None  # live stream token, its decoder's stop


class _Shard:
    """A thread that runs the connections of a share of the fleet."""

    def __init__(self, fleet: SimFleet, index: int, conns: list[_Conn], connect_rate: float, max_connecting: int):
        self.fleet = fleet
        self.conns = conns
        self.online = 0
        self._connecting = 0  # connections awaiting CONNACK
        self._max_connecting = max_connecting
        self.counts = dict.fromkeys(("connects", "connect_errors", "lost", "published", "received",
                                     "downloads", "download_errors"), 0)
        self._clock = fleet.clock
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._sel.register(self._wake_r, selectors.EVENT_READ, None)
        self._posts: queue.SimpleQueue = queue.SimpleQueue()
        self._timers: list = []  # heap of (time, n, fn, args)
        self._n = itertools.count()
        self._queue: deque[_Conn] = deque()  # waiting to connect
        self._rate = connect_rate
        self._burst = max(1.0, self._rate / 10)
        self._tokens = self._burst
        self._refilled = self._clock()
        self._writers: set[_Conn] = set()
        self._rng = random.Random(f"{fleet.seed}:shard:{index}")
        self._stopping = False
        self._stop_deadline = INF
        self._done = False
        self._next_misc = 0.0
        self._misc_every = min(5.0, max(0.5, fleet.keepalive / 10))
        self.thread = threading.Thread(target=self._run, name=f"sim-shard-{index}", daemon=True)

    # --- plumbing --------------------------------------------------------------------------------

    def post(self, fn: Callable, *args) -> Future:
        """Run ``fn(*args)`` in this shard's thread."""
        fut: Future = Future()
        self._posts.put((fut, fn, args))
        try:
            self._wake_w.send(b"x")
        except (BlockingIOError, OSError):
            pass  # already awake, or shut down (the future then never completes; callers time out)
        return fut

    def _drain_posts(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass
        while True:
            try:
                fut, fn, args = self._posts.get_nowait()
            except queue.Empty:
                return
            try:
                fut.set_result(fn(*args))
            except Exception as e:  # noqa: BLE001 - handed to the caller
                fut.set_exception(e)

    def _at(self, t: float, fn: Callable, *args) -> None:
        if t < INF:
            heapq.heappush(self._timers, (t, next(self._n), fn, args))

    def _run(self) -> None:
        try:
            self._start_scenarios(self._clock())
            for conn in self.conns:
                self._enqueue(conn, conn.epoch)
            while not self._done:
                now = self._clock()
                while self._timers and self._timers[0][0] <= now:
                    _, _, fn, args = heapq.heappop(self._timers)
                    fn(*args)
                self._connect_some(now)
                self._flush()
                if self._stopping and (now >= self._stop_deadline
                                       or not any(c.state == CLOSING for c in self.conns)):
                    break
                for key, mask in self._sel.select(self._timeout(now)):
                    if key.data is None:
                        self._drain_posts()
                    else:
                        self._service(key.data, key.fileobj, mask)
                if now >= self._next_misc:  # keepalive: PINGREQ when idle, give up without PINGRESP
                    self._next_misc = now + self._misc_every
                    for conn in self.conns:
                        if conn.state in (CONNECTING, ONLINE, CLOSING):
                            conn.client.loop_misc()
        except Exception:  # noqa: BLE001 - a simulator bug must not hang the caller
            log.exception("simulator shard crashed")
        finally:
            for conn in self.conns:
                self._abandon(conn)
                conn.state = STOPPED
                self._sync_pull(conn)
            self._drain_posts()
            self._sel.close()
            self._wake_r.close()
            self._wake_w.close()

    def _timeout(self, now: float) -> float:
        t = self._next_misc
        if self._timers:
            t = min(t, self._timers[0][0])
        if self._queue and not self._stopping and self._connecting < self._max_connecting:
            t = min(t, now + (0 if not self._rate or self._tokens >= 1 else (1 - self._tokens) / self._rate))
        return min(1.0, max(0.0, t - now))

    def _service(self, conn: _Conn, sock, mask: int) -> None:
        client = conn.client
        if client is None or client.socket() is not sock:
            return
        if mask & selectors.EVENT_READ:
            client.loop_read()
            # TLS may hold decrypted bytes that select() cannot see.
            while conn.client is client and isinstance(sock, ssl.SSLSocket) and sock.pending():
                client.loop_read()
        if mask & selectors.EVENT_WRITE and conn.client is client:
            client.loop_write()

    def _flush(self) -> None:
        """Write what paho queued during this turn; wait for EVENT_WRITE only when the socket is full."""
        writers, self._writers = self._writers, set()
        for conn in writers:
            client = conn.client
            if client is None or client.socket() is None:
                continue
            client.loop_write()
            sock = client.socket()
            if conn.client is client and sock is not None and client.want_write() and not conn.writing:
                conn.writing = True
                self._sel.modify(sock, RW, conn)

    # --- paho callbacks (userdata is the _Conn) --------------------------------------------------

    def _on_socket_open(self, client, conn: _Conn, sock) -> None:
        self._sel.register(sock, selectors.EVENT_READ, conn)

    def _on_socket_close(self, client, conn: _Conn, sock) -> None:
        self._unregister(sock)

    def _on_register_write(self, client, conn: _Conn, sock) -> None:
        self._writers.add(conn)

    def _on_unregister_write(self, client, conn: _Conn, sock) -> None:
        if conn.writing and conn.client is client:
            conn.writing = False
            self._sel.modify(sock, selectors.EVENT_READ, conn)

    def _on_connect(self, client, conn: _Conn, flags, reason, properties) -> None:
        if conn.client is not client:
            return
        if reason.is_failure:
            self.fleet.last_error = f"the broker refused the connection: {reason}"
            return  # paho closes the socket next, and _on_disconnect retries
        conn.state = ONLINE
        self._connecting -= 1
        conn.attempt = 0
        conn.fresh = False
        self.online += 1
        self.counts["connects"] += 1
        subs = conn.dev.subscriptions()
        client.subscribe([(topic, 1) for topic in subs])
        conn.subs = set(subs)
        conn.dev.on_connect()
        self._pump(conn)

    def _on_disconnect(self, client, conn: _Conn, flags, reason, properties) -> None:
        if conn.client is not client:
            return
        was = conn.state
        self._forget(conn)
        if was == CLOSING and conn.after_close == "reboot":
            conn.dev.boot()
            conn.state = IDLE
            self._at(self._clock() + self.fleet.reboot_s, self._enqueue, conn, conn.epoch)
            self._sync_pull(conn)
        elif was == CLOSING:
            conn.state = STOPPED
        else:
            self.counts["lost"] += 1
            self._retry(conn)

    def _on_message(self, client, conn: _Conn, msg) -> None:
        if conn.client is not client or conn.state != ONLINE:
            return
        self.counts["received"] += 1
        conn.dev.handle(msg.topic, msg.payload)
        self._pump(conn)

    def _on_publish(self, client, conn: _Conn, mid, reason, properties) -> None:
        out = conn.inflight.pop(mid, None)
        if out is not None:
            conn.dev.confirm(out)
        if conn.state == CLOSING and conn.client is client:
            self._close_when_flushed(conn)

    # --- connections -----------------------------------------------------------------------------

    def _enqueue(self, conn: _Conn, epoch: int) -> None:
        if conn.epoch == epoch and conn.state == IDLE and not self._stopping:
            conn.state = QUEUED
            self._queue.append(conn)

    def _connect_some(self, now: float) -> None:
        if self._stopping:
            return
        if self._rate:
            self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self._rate)
            self._refilled = now
        budget = min(int(self._tokens) if self._rate else CONNECT_BATCH, self._max_connecting - self._connecting)
        while self._queue and budget > 0:
            conn = self._queue.popleft()
            if conn.state != QUEUED:
                continue
            budget -= 1
            if self._rate:
                self._tokens -= 1
            self._connect(conn)

    def _connect(self, conn: _Conn) -> None:
        fleet, dev = self.fleet, conn.dev
        will = dev.begin_connect()
        client = fleet._client(dev.id, conn)
        client.will_set(will.topic, will.payload, will.qos, will.retain, properties=fleet._will_props)
        client.on_socket_open = self._on_socket_open
        client.on_socket_close = self._on_socket_close
        client.on_socket_register_write = self._on_register_write
        client.on_socket_unregister_write = self._on_unregister_write
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_publish = self._on_publish
        conn.client = client
        conn.state = CONNECTING
        self._connecting += 1
        cfg = fleet.broker
        try:
            if fleet.protocol == MQTTProtocolVersion.MQTTv5:
                client.connect_async(cfg.host, cfg.port, fleet.keepalive, properties=fleet._connect_props,
                                     clean_start=conn.fresh or not fleet.will_delay)
            else:
                client.connect_async(cfg.host, cfg.port, fleet.keepalive)
            client.reconnect()
        except (OSError, ValueError) as e:
            self.counts["connect_errors"] += 1
            fleet.last_error = f"cannot connect to {cfg.url}: {e}"
            self._abandon(conn)
            self._retry(conn)

    def _retry(self, conn: _Conn) -> None:
        """Connect again after an exponential backoff with jitter."""
        delay = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** min(conn.attempt, 10)) * self._rng.uniform(0.5, 1.0)
        conn.attempt += 1
        conn.state = IDLE
        self._at(self._clock() + delay, self._enqueue, conn, conn.epoch)

    def _forget(self, conn: _Conn) -> None:
        """The connection is gone (or abandoned): account for it and tell the device."""
        if conn.state in (ONLINE, CLOSING):
            self.online -= 1
        elif conn.state == CONNECTING:
            self._connecting -= 1
        conn.client = None
        conn.inflight.clear()
        conn.subs = set()
        conn.writing = False
        self._writers.discard(conn)
        conn.dev.on_disconnect()

    def _abandon(self, conn: _Conn, keep_socket: bool = False) -> None:
        """Drop the connection without DISCONNECT. ``keep_socket``: leave it open, unserviced."""
        client = conn.client
        if client is not None:
            for name in ("on_socket_open", "on_socket_close", "on_socket_register_write",
                         "on_socket_unregister_write", "on_connect", "on_disconnect", "on_message", "on_publish"):
                setattr(client, name, None)
            sock = client.socket()
            if sock is not None:
                self._unregister(sock)
                if keep_socket:
                    conn.dead_client = client
                else:
                    sock.close()
            self._forget(conn)
        if not keep_socket and conn.dead_client is not None:
            sock = conn.dead_client.socket()
            if sock is not None:
                sock.close()
            conn.dead_client = None

    def _unregister(self, sock) -> None:
        try:
            self._sel.unregister(sock)
        except (KeyError, ValueError):
            pass  # never registered, or already closed

    # --- device output ---------------------------------------------------------------------------

    def _pump(self, conn: _Conn) -> None:
        """Publish what the device has to say, and act on what it asks of the transport."""
        dev = conn.dev
        self._sync_pull(conn)
        if conn.state == ONLINE:
            client = conn.client
            for out in dev.take():
                info = client.publish(out.topic, out.payload, out.qos, out.retain)
                self.counts["published"] += 1
                if out.qos:
                    conn.inflight[info.mid] = out
            if dev.groups_changed:
                dev.groups_changed = False
                want = set(dev.subscriptions())
                if conn.subs - want:
                    client.unsubscribe(sorted(conn.subs - want))
                if want - conn.subs:
                    client.subscribe([(topic, 1) for topic in sorted(want - conn.subs)])
                conn.subs = want
            if dev.want_reboot:
                dev.want_reboot = False
                self._close(conn, "reboot")
        for sha, url in dev.take_fetches():  # downloads do not need the MQTT link
            self.fleet._fetch(self, conn, sha, url)
        for cid, url, body in dev.take_uploads():
            self.fleet._upload(self, conn, cid, url, body)
        due = dev.due if conn.state not in (DARK, STOPPED) else INF
        if due < conn.timer_at:
            conn.timer_at = due
            self._at(due, self._tick, conn, due)

    def _sync_pull(self, conn: _Conn) -> None:
        """Decode the live stream the device wants (none while it is dark or stopped): stop the
        decoder of an older one, start one for a new one, or, when the fleet's decoders are all
        busy, let the device play it without pulling it."""
        want = conn.dev.live_pull if conn.state not in (DARK, STOPPED) else None
        token = want[0] if want is not None else 0
        if conn.pull is not None and conn.pull[0] != token:
            if conn.pull[1] is not None:
                conn.pull[1].set()
            conn.pull = None
        if want is not None and conn.pull is None:
            stop = self.fleet._decode(self, conn, *want)
            conn.pull = (token, stop)
            if stop is None:
                conn.dev.live_audio(token, self._clock())

    def _tick(self, conn: _Conn, t: float) -> None:
        if t != conn.timer_at:
            return  # superseded by an earlier timer
        conn.timer_at = INF
        if conn.state not in (DARK, STOPPED):
            conn.dev.tick()
        self._pump(conn)

    def _close(self, conn: _Conn, after: str) -> None:
        """Clean disconnect once every QoS 1 publish is acknowledged; then reboot or stop."""
        conn.state = CLOSING
        conn.after_close = after
        self._close_when_flushed(conn)

    def _close_when_flushed(self, conn: _Conn) -> None:
        if not conn.inflight and conn.client.is_connected():
            conn.client.disconnect()

    # --- scenarios and triggers (run in this thread) ---------------------------------------------

    def _start_scenarios(self, now: float) -> None:
        for conn in self.conns:
            for kind in conn.plan.kinds():
                self._at(now + conn.plan.delay(kind), self._episode, conn, kind)

    def _episode(self, conn: _Conn, kind: str) -> None:
        plan, now = conn.plan, self._clock()
        secs = plan.duration(kind)
        if conn.state not in (DARK, DOWN, STOPPED):
            dev = conn.dev
            if kind == "flap":
                self.drop_link(conn, secs)
            elif kind == "dark":
                self.power_cut(conn)
                self._at(now + secs, self._power_on, conn, conn.epoch)
            elif kind == "fault":
                fault = plan.fault()
                dev.raise_fault(fault)
                self._at(now + secs, self._end_fault, conn, fault)
            elif kind == "drift":
                dev.start_drift(plan.drift_rate())
                self._at(now + secs, self._end_drift, conn)
            self._pump(conn)
        self._at(now + secs + plan.delay(kind), self._episode, conn, kind)

    def _end_fault(self, conn: _Conn, fault: str) -> None:
        conn.dev.clear_fault(fault)
        self._pump(conn)

    def _end_drift(self, conn: _Conn) -> None:
        conn.dev.resync_clock()

    def power_cut(self, conn: _Conn) -> None:
        if conn.state in (DARK, STOPPED):
            return
        conn.epoch += 1
        self._abandon(conn, keep_socket=True)
        conn.state = DARK
        self._sync_pull(conn)

    def _power_on(self, conn: _Conn, epoch: int) -> None:
        if conn.epoch == epoch and conn.state == DARK:
            self._abandon(conn)
            conn.dev.boot()
            self._link_up(conn, epoch)

    def drop_link(self, conn: _Conn, secs: float | None) -> None:
        if conn.state in (DARK, STOPPED):
            return
        conn.epoch += 1
        self._abandon(conn)
        conn.state = DOWN
        if secs is not None:
            self._at(self._clock() + secs, self._link_up, conn, conn.epoch)
        self._pump(conn)

    def _link_up(self, conn: _Conn, epoch: int) -> None:
        if conn.epoch == epoch and conn.state in (IDLE, DOWN, DARK):
            conn.state = IDLE
            self._enqueue(conn, epoch)
            self._pump(conn)

    def restore(self, conn: _Conn) -> None:
        """Back to healthy: power and link up, faults cleared, clock in sync."""
        conn.epoch += 1
        self._power_on(conn, conn.epoch)
        self._link_up(conn, conn.epoch)
        for fault in list(conn.dev.faults):
            conn.dev.clear_fault(fault)
        conn.dev.resync_clock()
        self._pump(conn)

    def device_call(self, conn: _Conn, fn: Callable, *args) -> None:
        fn(conn.dev, *args)
        self._pump(conn)

    def media_fetched(self, conn: _Conn, sha256: str, error: str | None) -> None:
        self.counts["downloads" if error is None else "download_errors"] += 1
        self.device_call(conn, SimDevice.media_fetched, sha256, error)

    def shutdown(self, timeout: float) -> None:
        """Publish every online device's retained offline ("shutdown"), then disconnect cleanly."""
        self._stopping = True
        self._stop_deadline = self._clock() + timeout
        for conn in self.conns:
            if conn.state == ONLINE:
                conn.dev.offline("shutdown")
                self._pump(conn)
                self._close(conn, "stop")
            elif conn.state == CLOSING:
                conn.after_close = "stop"
            else:
                self._abandon(conn)
                conn.state = STOPPED

    def kill(self) -> None:
        self._done = True


class SimFleet:
    """Simulated loudspeaker clusters connected to ``broker`` under site ``site``.

    ``devices`` is a list of :class:`DeviceSpec` or a count (``{id_prefix}-00001`` ..., group
    ``all``). ``media_threads`` download scheduled media (0: downloads are only simulated).
    ``live_decoders`` devices at most pull and decode live streams at a time (None: up to
    :data:`SMALL_FLEET`; 0: none); the others play them without pulling.
    ``clock`` is the epoch clock of the devices and their timers: it may be offset from the real
    time, but must run at its speed. See docs/simulator.md.
    """

    def __init__(self, broker: BrokerConfig, site: str, devices: Sequence[DeviceSpec] | int, *, seed: int = 1,
                 tele_s: int = 30, keepalive: int = 30, will_delay: int = 0, connect_rate: float = 1000,
                 scenarios: ScenarioMix = ScenarioMix(), id_prefix: str = "SIM", threads: int = 0,
                 reboot_s: float = 2.0, connect_timeout: float = 5.0, media_threads: int = MEDIA_THREADS,
                 media_timeout: float = MEDIA_TIMEOUT_S, live_decoders: int | None = None,
                 live_timeout: float = LIVE_TIMEOUT_S, clock: Callable[[], float] = time.time):
        specs = numbered_specs(devices, id_prefix) if isinstance(devices, int) else list(devices)
        if not site or any(c in site for c in "/+#$ "):
            raise ValueError(f"bad site id {site!r}: no spaces or / + # $")
        if not 1 <= tele_s <= 3600:
            raise ValueError("tele_s must be 1..3600")
        if keepalive < 1 or will_delay < 0 or connect_rate < 0:
            raise ValueError("keepalive must be >= 1, will_delay and connect_rate >= 0")
        if media_threads < 0 or media_timeout <= 0:
            raise ValueError("media_threads must be >= 0, media_timeout > 0")
        if (live_decoders is not None and live_decoders < 0) or live_timeout <= 0:
            raise ValueError("live_decoders must be >= 0, live_timeout > 0")
        self.broker = broker
        self.site = site
        self.seed = seed
        self.tele_s = tele_s
        self.keepalive = keepalive
        self.will_delay = will_delay
        self.connect_rate = connect_rate
        self.scenarios = scenarios
        self.id_prefix = id_prefix
        self.reboot_s = reboot_s
        self.connect_timeout = connect_timeout
        self.media_timeout = media_timeout
        self.clock = clock
        self._fetcher = ThreadPoolExecutor(media_threads, "sim-media") if media_threads else None
        self.live_decoders = min(len(specs), SMALL_FLEET) if live_decoders is None else live_decoders
        self.live_timeout = live_timeout
        self._decoding = 0  # decoder threads running
        self._decoding_lock = threading.Lock()
        self.protocol: MQTTProtocolVersion | None = None  # known after start()
        self.last_error = ""
        self.devices = [SimDevice(spec, site, seed=seed, tele_s=tele_s, clock=clock, fetch_media=bool(media_threads),
                                  pull_live=bool(self.live_decoders)) for spec in specs]
        self.ids = [dev.id for dev in self.devices]
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("device ids must be unique")
        n_threads = threads or min(4, 1 + len(specs) // 2500)
        conns = [_Conn(dev, ScenarioPlan(scenarios, seed, dev.id)) for dev in self.devices]
        self._shards = [_Shard(self, i, conns[i::n_threads], connect_rate / n_threads, MAX_CONNECTING // n_threads)
                        for i in range(n_threads)]
        self._where = {conn.dev.id: (shard, conn) for shard in self._shards for conn in shard.conns}
        self._ssl: ssl.SSLContext | None = None
        self._will_props: Properties | None = None
        self._connect_props: Properties | None = None
        self._started = False

    # --- life ------------------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        """Check the broker (and pick MQTT 5 or 3.1.1), then connect every device in the background."""
        if self._shards[0].thread.ident is not None:
            raise SimError("a fleet can be started only once")
        limit = raise_fd_limit()
        if len(self.devices) + FD_MARGIN > limit:
            raise SimError(f"{len(self.devices)} devices need {len(self.devices) + FD_MARGIN} open files; "
                           f"the limit is {limit} (ulimit -n)")
        if self.broker.tls:
            try:
                self._ssl = ssl.create_default_context(cafile=self.broker.ca_file or None)
                if self.broker.cert_file:
                    self._ssl.load_cert_chain(self.broker.cert_file, self.broker.key_file or None)
            except (OSError, ssl.SSLError) as e:
                raise SimError(f"TLS set-up failed: {e}") from None
            self._ssl.check_hostname = not self.broker.tls_insecure
        self.protocol = self._probe(timeout)
        if self.protocol == MQTTProtocolVersion.MQTTv5 and self.will_delay:
            self._will_props = Properties(PacketTypes.WILLMESSAGE)
            self._will_props.WillDelayInterval = self.will_delay
            self._connect_props = Properties(PacketTypes.CONNECT)
            self._connect_props.SessionExpiryInterval = self.will_delay
        self._started = True
        for shard in self._shards:
            shard.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Clean stop: retained offline "shutdown" from every online device, DISCONNECT, threads end."""
        self._end(lambda shard: shard.post(shard.shutdown, timeout), timeout + 5)

    def kill(self) -> None:
        """Abrupt stop, like a crashed process: sockets closed without DISCONNECT (wills fire)."""
        self._end(lambda shard: shard.post(shard.kill), 10)

    def _end(self, ask: Callable[[_Shard], Future], timeout: float) -> None:
        if not self._started:
            return
        for shard in self._shards:
            if shard.thread.is_alive():
                ask(shard)
        deadline = time.monotonic() + timeout
        for shard in self._shards:
            shard.thread.join(max(0.0, deadline - time.monotonic()))
        if self._fetcher is not None:
            self._fetcher.shutdown(wait=False, cancel_futures=True)
        self._started = False

    def __enter__(self) -> SimFleet:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- status ----------------------------------------------------------------------------------

    def connected_count(self) -> int:
        return sum(shard.online for shard in self._shards)

    def wait_connected(self, timeout: float, count: int | None = None) -> bool:
        """Wait until ``count`` devices (default: all) are online; False on timeout."""
        want = len(self.devices) if count is None else count
        deadline = time.monotonic() + timeout
        while self.connected_count() < want:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def state(self, dev_id: str) -> str:
        """Connection state of one device: idle, queued, connecting, online, closing, down, dark, stopped."""
        return self._find(dev_id)[1].state

    def device(self, dev_id: str) -> SimDevice:
        """The device object, for reading (it is owned by a simulator thread)."""
        return self._find(dev_id)[1].dev

    def stats(self) -> dict:
        out = {"devices": len(self.devices), "connected": self.connected_count(),
               "protocol": {MQTTProtocolVersion.MQTTv5: "5", MQTTProtocolVersion.MQTTv311: "3.1.1"}.get(
                   self.protocol, ""), "threads": len(self._shards)}
        for shard in self._shards:
            for key, value in shard.counts.items():
                out[key] = out.get(key, 0) + value
        states = [conn.state for shard in self._shards for conn in shard.conns]
        out.update(dark=states.count(DARK), down=states.count(DOWN),
                   pending=sum(dev.pending for dev in self.devices),
                   faults=sum(1 for dev in self.devices if dev.faults),
                   expired=sum(dev.expired for dev in self.devices),
                   duplicates=sum(dev.duplicates for dev in self.devices),
                   rejected=sum(dev.rejected for dev in self.devices), decoding=self._decoding,
                   last_error=self.last_error)
        return out

    # --- triggers --------------------------------------------------------------------------------

    def power_cut(self, ids: str | Iterable[str]) -> None:
        """Power cut: the devices stop servicing their sockets (no DISCONNECT, no FIN); the broker
        fires their wills after 1.5 x keepalive. They boot again on :meth:`restore`."""
        self._each(ids, _Shard.power_cut)

    def drop_link(self, ids: str | Iterable[str], secs: float | None = None) -> None:
        """Lose the 4G link: TCP closed without DISCONNECT. Reconnect after ``secs``, or on restore."""
        self._each(ids, _Shard.drop_link, secs)

    def restore(self, ids: str | Iterable[str]) -> None:
        """Back to healthy: power and link up, faults cleared, clock resynced."""
        self._each(ids, _Shard.restore)

    def raise_fault(self, dev_id: str, fault: str = "amp", detail: str | None = None) -> None:
        self._each(dev_id, _Shard.device_call, SimDevice.raise_fault, fault, detail)

    def clear_fault(self, dev_id: str, fault: str = "amp") -> None:
        self._each(dev_id, _Shard.device_call, SimDevice.clear_fault, fault)

    def drift_clock(self, ids: str | Iterable[str], ms_per_min: float = 300.0) -> None:
        """Start a clock drift: ``clock_offset_ms`` grows by ``ms_per_min`` every minute."""
        self._each(ids, _Shard.device_call, SimDevice.start_drift, ms_per_min)

    def _find(self, dev_id: str) -> tuple[_Shard, _Conn]:
        try:
            return self._where[dev_id]
        except KeyError:
            raise KeyError(f"no simulated device {dev_id!r}") from None

    def _each(self, ids: str | Iterable[str], method: Callable, *args, timeout: float = 10.0) -> None:
        if not self._started:
            raise SimError("the fleet is not running")
        by_shard: dict[_Shard, list[_Conn]] = {}
        for dev_id in [ids] if isinstance(ids, str) else ids:
            shard, conn = self._find(dev_id)
            by_shard.setdefault(shard, []).append(conn)
        futures = [shard.post(lambda s=shard, cs=conns: [method(s, c, *args) for c in cs])
                   for shard, conns in by_shard.items()]
        for fut in futures:
            fut.result(timeout)

    # --- media -----------------------------------------------------------------------------------

    def _fetch(self, shard: _Shard, conn: _Conn, sha256: str, url: str) -> None:
        """Download in the pool; the verdict goes back to the device in its shard's thread."""
        def done(fut: Future) -> None:
            if not fut.cancelled():
                exc = fut.exception()  # a bug: the device must still hear of it, or it waits forever
                shard.post(shard.media_fetched, conn, sha256, fut.result() if exc is None else f"error: {exc!r}")

        self._fetcher.submit(download_media, url, sha256, self.media_timeout).add_done_callback(done)

    def _upload(self, shard: _Shard, conn: _Conn, cid: str, url: str, body: bytes) -> None:
        """Upload a log archive in the pool; the outcome goes back to the device in its shard's thread."""
        def done(fut: Future) -> None:
            if not fut.cancelled():
                exc = fut.exception()
                error = fut.result() if exc is None else f"error: {exc!r}"
                shard.post(shard.device_call, conn, SimDevice.logs_uploaded, cid, error, len(body))

        self._fetcher.submit(upload_logs, url, body, self.media_timeout).add_done_callback(done)

    # --- live streams ----------------------------------------------------------------------------

    def _decode(self, shard: _Shard, conn: _Conn, token: int, url: str) -> threading.Event | None:
        """Pull and decode ``url`` in a thread of its own, reporting to the device in its shard's
        thread; returns the event that stops it, or None when ``live_decoders`` are all busy."""
        with self._decoding_lock:
            if self._decoding >= self.live_decoders:
                return None
            self._decoding += 1
        stop = threading.Event()

        def report(method: Callable, *args) -> None:
            shard.post(shard.device_call, conn, method, token, *args)

        def run() -> None:
            try:
                err = live.pull(url, stop, clock=self.clock, timeout=self.live_timeout,
                                on_audio=lambda t: report(SimDevice.live_audio, t),
                                on_marker=lambda t: report(SimDevice.live_marker, t))
            except Exception as e:  # noqa: BLE001 - a bug: the device must still hear that it ended
                log.exception("live decoder failed")
                err = f"error: {e!r}"
            finally:
                with self._decoding_lock:
                    self._decoding -= 1
            if not stop.is_set():
                report(SimDevice.live_ended, err)

        threading.Thread(target=run, name=f"sim-live-{conn.dev.id}", daemon=True).start()
        return stop

    # --- MQTT ------------------------------------------------------------------------------------

    def _client(self, client_id: str, userdata=None, protocol: MQTTProtocolVersion | None = None) -> mqtt.Client:
        cfg = self.broker
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, userdata=userdata,
                             protocol=protocol or self.protocol, transport=cfg.transport,
                             reconnect_on_failure=False)
        client.connect_timeout = self.connect_timeout
        if cfg.username:
            client.username_pw_set(cfg.username, cfg.password)
        if self._ssl is not None:
            client.tls_set_context(self._ssl)
        return client

    def _probe(self, timeout: float) -> MQTTProtocolVersion:
        """Connect once, MQTT 5 first and 3.1.1 if the broker refuses it; raise SimError if unusable."""
        url = self.broker.url
        for protocol in (MQTTProtocolVersion.MQTTv5, MQTTProtocolVersion.MQTTv311):
            answer: list = []
            client = self._client(f"{self.id_prefix}-probe-{os.getpid()}", protocol=protocol)
            client.on_connect = lambda c, u, flags, reason, props: answer.append(reason)
            try:
                client.connect(self.broker.host, self.broker.port, keepalive=max(5, self.keepalive))
                deadline = time.monotonic() + timeout
                while not answer and time.monotonic() < deadline:
                    if client.loop(0.1) != MQTTErrorCode.MQTT_ERR_SUCCESS:
                        break
            except (OSError, ValueError) as e:
                raise SimError(f"cannot connect to broker {url}: {e}") from None
            finally:
                client.disconnect()
            if answer and not answer[0].is_failure:
                return protocol
            if protocol == MQTTProtocolVersion.MQTTv5 and (not answer or answer[0] == UNSUPPORTED_PROTOCOL):
                continue  # an MQTT 3.1.1 broker: refused, or closed the connection
            if not answer:
                raise SimError(f"broker {url} did not answer CONNECT within {timeout:g} s")
            raise SimError(f"broker {url} refused the connection: {answer[0]}")
        raise SimError(f"broker {url} closed the connection (neither MQTT 5 nor 3.1.1 accepted)")
