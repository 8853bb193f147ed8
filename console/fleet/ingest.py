"""The ingest path: paho's thread enqueues, one worker validates and applies in batches.

``on_message`` runs on paho's network thread and does nothing but append to a bounded deque (atomic
under the GIL, so no lock per message); overflow is counted, never silent. The worker drains the
deque in batches, parses the topic, decodes and validates the payload (msgspec), applies it to the
:class:`FleetState`, hands acks to the command manager and persistent facts to the single DB writer. A malformed topic or payload never
stops the worker: it is counted per reason and logged at most once per reason every few seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from typing import Callable, Protocol

from console.core.presence import Verdict
from console.fleet import schemas, topics
from console.fleet.state import FleetState, now_ms

log = logging.getLogger(__name__)

ROUTE_CACHE = 100_000  # 4 topics per device; cleared when full (garbage topics cannot grow it)
POLL_S = 0.05  # the worker drains the queue this often: the most latency it adds


class EventSink(Protocol):
    """Where persistent facts go (the DB writer implements it)."""

    def device_seen(self, dev_id: str, ts_ms: int, **fields) -> None: ...
    def add_events(self, events: list[dict]) -> None: ...


class RateLimitedLog:
    """Log one line per key at most every ``interval`` seconds, saying how many were suppressed."""

    def __init__(self, logger: logging.Logger, interval: float = 10.0):
        self._log, self._interval = logger, interval
        self._last: dict[str, float] = {}
        self._suppressed: Counter[str] = Counter()

    def warning(self, key: str, msg: str, *args) -> None:
        now = time.monotonic()
        if now - self._last.get(key, -1e9) < self._interval:
            self._suppressed[key] += 1
            return
        self._last[key] = now
        n = self._suppressed.pop(key, 0)
        self._log.warning(msg + (f" (and {n} more since the last report)" if n else ""), *args)


class Ingest:
    """Bounded queue + batch worker. Start with :meth:`start`; feed with :meth:`on_message`."""

    def __init__(self, site: str, state: FleetState, sink: EventSink | None = None, *,
                 on_ack: Callable[[str, schemas.Ack], None] | None = None,
                 on_unborn: Callable[[str], None] | None = None,
                 maxsize: int = 200_000, batch: int = 5000):
        self.site = site
        self.state = state
        self.sink = sink
        self.on_ack = on_ack
        self.on_unborn = on_unborn  # a device sent data but we hold no birth: ask for a rebirth
        self.batch = batch
        self.maxsize = maxsize
        self._queue: deque = deque()
        self._calls: deque = deque()  # functions to run on the worker (the fleet state's only writer)
        self._wake = threading.Event()  # set by call() and stop(); messages are polled for
        self._busy = False
        self._running = False
        self.received = 0  # written by paho's thread only
        self.overflow = 0  # written by paho's thread only
        self.processed = 0
        self.rejected: Counter[str] = Counter()
        self.stale = 0
        self.duplicates = 0
        self._log = RateLimitedLog(log)
        self._thread: threading.Thread | None = None
        self._prefix = f"{topics.ROOT}/{site}/d/"
        self._routes: dict[str, tuple[str, str]] = {}  # topic -> (device, leaf): topics repeat

    # paho's network thread --------------------------------------------------------------------
    def on_message(self, client, userdata, msg) -> None:
        try:
            self.feed(msg.topic, msg.payload)
        except Exception:  # noqa: BLE001 - a topic that is not UTF-8 must not kill paho's loop
            self.rejected["topic"] += 1

    def feed(self, topic: str, payload: bytes) -> None:
        """Enqueue one message (paho's thread; also tests and replay)."""
        self.received += 1
        if len(self._queue) >= self.maxsize:
            self.overflow += 1
            return
        self._queue.append((topic, payload))

    def call(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the worker thread, between batches: how other threads change the fleet state
        (registry updates after adoption, say) without a second writer."""
        self._calls.append(fn)
        self._wake.set()

    # Worker -------------------------------------------------------------------------------------
    def start(self) -> None:
        self._running = True
        self._thread = threading.Thread(target=self._run, name="fleet-ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Process what is queued, then stop the worker."""
        if self._thread is not None:
            self._running = False
            self._wake.set()
            self._thread.join(timeout)
            self._thread = None

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until everything enqueued so far has been processed (tests, CLI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._queue and not self._calls and not self._busy:
                return True
            time.sleep(0.005)
        return False

    def _run(self) -> None:
        q, popleft = self._queue, self._queue.popleft
        while True:
            while self._calls:
                try:
                    self._calls.popleft()()
                except Exception:  # noqa: BLE001
                    log.exception("ingest call failed")
                self.state.publish_changes()
            if not q:
                if not self._running:
                    return
                self._wake.wait(POLL_S)
                self._wake.clear()
                continue
            self._busy = True
            while q:
                items = [popleft() for _ in range(min(len(q), self.batch))]
                try:
                    self.process(items)
                except Exception:  # noqa: BLE001 - keep ingesting whatever happens
                    log.exception("ingest batch failed")
            self._busy = False
            # Let messages gather while paho's thread has the GIL to itself. paho gives up the GIL at
            # every recv() and must win it back each time; a worker that runs often (woken per message,
            # or in small batches) makes it wait again and again (the convoy effect) and halves what
            # paho can receive. One drain every POLL_S costs paho only the drain's own CPU time.
            self._wake.wait(POLL_S)
            self._wake.clear()

    def process(self, items: list[tuple[str, bytes]]) -> None:
        """Validate and apply one batch (also callable directly in tests and benchmarks)."""
        state, now, routes = self.state, now_ms(), self._routes
        seen: dict[str, dict] = {}
        events: list[dict] = []
        for topic, payload in items:
            try:
                route = routes.get(topic)
                if route is None:
                    route = self._route(topic)
                    if len(routes) >= ROUTE_CACHE:
                        routes.clear()
                    routes[topic] = route
                dev, leaf = route
                msg = schemas.decode(leaf, payload)
            except topics.TopicError as e:
                self._reject("topic", topic, e)
                continue
            except schemas.PayloadError as e:
                self._reject(e.reason, topic, e.detail)
                continue
            if leaf == "tele":
                if not state.apply_tele(dev, msg, now) and self.on_unborn:
                    self.on_unborn(dev)
                if dev not in seen:
                    seen[dev] = {}
            elif leaf == "state":
                verdict, _ = state.apply_state(dev, msg, now)
                if verdict is Verdict.STALE:
                    self.stale += 1
                    continue
                if msg.state == "online":
                    info = seen.setdefault(dev, {})
                    info.update(fw=msg.fw, model=msg.model)
                    if msg.loc is not None:
                        info.update(lat=msg.loc.lat, lon=msg.loc.lon)
                if verdict is Verdict.APPLIED:
                    events.append({"device_id": dev, "seq": None, "ts": msg.ts or now, "type": msg.state,
                                   "data": {"session": msg.session, "reason": msg.reason}, "source": "console"})
            elif leaf == "evt":
                if state.apply_event(dev, msg, now):
                    events.append({"device_id": dev, "seq": msg.seq, "ts": msg.ts, "type": msg.type,
                                   "data": msg.data, "source": "device"})
                else:
                    self.duplicates += 1
                seen.setdefault(dev, {})
            else:  # ack
                seen.setdefault(dev, {})
                if self.on_ack:
                    self.on_ack(dev, msg)
        self.processed += len(items)
        state.publish_changes()
        if self.sink is not None:
            for dev, info in seen.items():
                self.sink.device_seen(dev, now, **info)
            if events:
                self.sink.add_events(events)

    def _route(self, topic: str) -> tuple[str, str]:
        if topic.startswith(self._prefix):
            rest = topic[len(self._prefix):]
            dev, sep, leaf = rest.partition("/")
            if sep and leaf in topics.DEVICE_UP and 0 < len(dev) <= 64:
                return dev, leaf
        t = topics.parse(topic)  # raises TopicError with the precise reason
        raise topics.TopicError(f"not a device-to-console topic of site {self.site}: {t.site}/{t.scope}/{t.leaf}")

    def _reject(self, reason: str, topic: str, detail) -> None:
        self.rejected[reason] += 1
        self._log.warning(reason, "rejected message on %s (%s): %s", topic[:120], reason, str(detail)[:200])

    def stats(self) -> dict:
        return {
            "received": self.received, "processed": self.processed, "queued": len(self._queue),
            "overflow": self.overflow, "rejected": dict(self.rejected), "stale": self.stale,
            "duplicates": self.duplicates,
        }
