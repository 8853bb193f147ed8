"""The single database writer: one thread owns the writes, in batched transactions.

Producers (the fleet ingest, the UI) only enqueue; they never wait for the database. The
worker drains what has accumulated (up to ``batch_max`` items), coalesces sightings of the
same device, and commits the lot in one transaction.

A failing commit is never dropped: an operational error (disk full, database locked or read
only, server gone, table missing) keeps the batch and retries it with exponential backoff, for
as long as it takes. A batch that fails because of its *content* (a constraint violated, a value
that cannot be stored) is split in halves until the offending items are found; those are
rejected (counted and logged) and the rest is committed. Failures are logged rate-limited.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.orm import Session

from console.store import repo
from console.store.db import Database
from console.store.repo import Sighting

log = logging.getLogger(__name__)

T = TypeVar("T")
Op = Sighting | Mapping[str, Any]  # a coalesced sighting or one event


def _is_bad_data(exc: BaseException) -> bool:
    """True if retrying cannot help because the rows themselves are refused."""
    if isinstance(exc, (IntegrityError, DataError)):
        return True
    if isinstance(exc, SQLAlchemyError):
        # A StatementError that is not from the driver failed while binding a value (e.g. JSON
        # that cannot be serialised); every other database error may pass on a later try.
        return isinstance(exc, StatementError) and not isinstance(exc, DBAPIError)
    return True  # malformed input (a missing key, a wrong type) raised by our own code


def _one_line(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    lines = str(inner).strip().splitlines()
    return f"{type(inner).__name__}: {lines[0] if lines else ''}"


class DbWriter:
    """Owns the database writes of the console. Start it, submit work from any thread, stop it."""

    def __init__(self, db: Database, *, batch_max: int = 5000, retry_min_s: float = 0.05,
                 retry_max_s: float = 5.0, log_every_s: float = 30.0, name: str = "db-writer") -> None:
        self._sessions = db.sessions
        self._batch_max = batch_max
        self._retry_min_s = retry_min_s
        self._retry_max_s = retry_max_s
        self._log_every_s = log_every_s
        self._queue: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._lock = threading.Lock()  # guards _stopping against late submissions
        self._stopping = False
        self._stop_event = threading.Event()
        self._deadline = float("inf")
        self._counts = dict.fromkeys(
            ("sightings", "events", "calls", "transactions", "retries", "rejected", "lost"), 0)
        self._last_error: str | None = None
        self._failing_since_ok = 0
        self._last_log: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}

    # -- producer side (any thread) ---------------------------------------------------------

    def start(self) -> DbWriter:
        self._thread.start()
        return self

    def device_seen(self, device_id: str, ts_ms: int, fw: str | None = None, model: str | None = None,
                    lat: float | None = None, lon: float | None = None) -> None:
        """A message came from ``device_id`` at ``ts_ms``: create it as *pending* if unknown,
        else move last_seen forward and update what is given."""
        self._put(("seen", device_id, int(ts_ms), fw, model, lat, lon))

    def add_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Store events ``{device_id, seq|None, ts, type, data, source}``; idempotent by (device_id, seq)."""
        events = list(events)
        if events:
            self._put(("events", events))

    def call(self, fn: Callable[[Session], T]) -> Future[T]:
        """Run ``fn(session)`` on the writer thread in its own transaction, after everything
        submitted before it is committed. The future holds its result or its exception (no retry).
        Objects it returns stay readable afterwards (the sessions have ``expire_on_commit=False``)."""
        future: Future[T] = Future()
        self._put(("call", fn, future))
        return future

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted so far is committed; False on timeout."""
        done = threading.Event()
        self._put(("flush", done))
        return done.wait(timeout)

    def stop(self, timeout: float = 10.0) -> bool:
        """Commit what is queued (retrying for at most ``timeout``) and end the thread.
        True if it ended with nothing lost."""
        with self._lock:
            if self._stopping:
                return False
            self._stopping = True
            self._deadline = time.monotonic() + timeout
            self._queue.put(("stop",))
        self._stop_event.set()
        if self._thread.ident is not None:
            self._thread.join(timeout + 1.0)
        return not self._thread.is_alive() and self._counts["lost"] == 0

    def stats(self) -> dict[str, Any]:
        """Committed sightings (after coalescing), events (including redelivered ones skipped),
        calls and transactions; retries (failed attempts), rejected and lost items; queue depth."""
        return {**self._counts, "queued": self._queue.qsize(), "last_error": self._last_error}

    def _put(self, item: tuple) -> None:
        with self._lock:
            if self._stopping:
                raise RuntimeError("the database writer is stopped")
            self._queue.put(item)

    # -- worker side ------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self._batch_max:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                if not self._process(batch):
                    return
            except Exception:  # a bug here must not end the only writer
                log.exception("database writer: unexpected error")

    def _process(self, batch: list[tuple]) -> bool:
        """Commit a batch in order; False once the stop item is reached."""
        sightings: dict[str, Sighting] = {}
        events: list[Mapping[str, Any]] = []
        for item in batch:
            kind = item[0]
            if kind == "seen":
                _, device_id, ts_ms, fw, model, lat, lon = item
                sighting = sightings.setdefault(device_id, Sighting(device_id, ts_ms, ts_ms))
                sighting.merge(ts_ms, fw, model, lat, lon)
            elif kind == "events":
                events.extend(item[1])
            else:  # a barrier: what came before is committed first
                self._commit([*sightings.values(), *events])
                sightings, events = {}, []
                if kind == "call":
                    self._call(item[1], item[2])
                elif kind == "flush":
                    item[1].set()
                elif kind == "stop":
                    return False
        self._commit([*sightings.values(), *events])
        return True

    def _commit(self, ops: list[Op]) -> None:
        """Commit ``ops`` in one transaction, retrying operational errors; isolate bad rows."""
        if not ops:
            return
        delay = self._retry_min_s
        while True:
            try:
                with self._sessions.begin() as session:
                    repo.record_sightings(session, [o for o in ops if isinstance(o, Sighting)])
                    repo.add_events(session, [o for o in ops if not isinstance(o, Sighting)])
            except Exception as exc:
                if _is_bad_data(exc):
                    if len(ops) == 1:
                        self._counts["rejected"] += 1
                        self._report("rejected", logging.ERROR, "database writer: rejected %r: %s",
                                     ops[0], _one_line(exc))
                    else:  # find the offending rows by halves; the others go through
                        half = len(ops) // 2
                        self._commit(ops[:half])
                        self._commit(ops[half:])
                    return
                self._last_error = _one_line(exc)
                self._failing_since_ok += 1
                remaining = self._deadline - time.monotonic()
                if remaining <= 0:  # stopping and out of time
                    self._counts["lost"] += len(ops)
                    log.error("database writer: stopped with %d items not written: %s",
                              len(ops), self._last_error)
                    return
                self._counts["retries"] += 1
                self._report("retry", logging.WARNING,
                             "database writer: write failed, keeping %d items and retrying: %s",
                             len(ops), self._last_error)
                if self._stopping:
                    time.sleep(min(delay, remaining))
                else:
                    self._stop_event.wait(delay)
                delay = min(delay * 2, self._retry_max_s)
                continue
            self._counts["transactions"] += 1
            self._counts["sightings"] += sum(isinstance(o, Sighting) for o in ops)
            self._counts["events"] += sum(not isinstance(o, Sighting) for o in ops)
            if self._failing_since_ok:
                log.info("database writer: writing again after %d failed attempts", self._failing_since_ok)
                self._failing_since_ok = 0
            return

    def _call(self, fn: Callable[[Session], Any], future: Future) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            with self._sessions.begin() as session:
                result = fn(session)
        except Exception as exc:  # handed to the caller through the future
            future.set_exception(exc)
        else:
            self._counts["calls"] += 1
            future.set_result(result)

    def _report(self, key: str, level: int, message: str, *args: Any) -> None:
        """Log at most once per ``log_every_s`` for each kind of problem, counting the rest."""
        now = time.monotonic()
        if now - self._last_log.get(key, -float("inf")) < self._log_every_s:
            self._suppressed[key] = self._suppressed.get(key, 0) + 1
            return
        suppressed = self._suppressed.pop(key, 0)
        self._last_log[key] = now
        log.log(level, message + (f" (and {suppressed} more since the last report)" if suppressed else ""),
                *args)
