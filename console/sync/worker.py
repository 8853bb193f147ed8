"""The sync worker: ships the outbox to the province and brings bulletins into the inbox
(docs/province-api.md, "The station's side").

Two loops on one asyncio loop in a thread of its own:

- **shipping**: asks the province for its cursor (at start, and again after any failure), then sends
  the records after it in order, in gzip batches of up to 1,000 records or about 1 MB, and moves the
  cursor to what the province answers. A 409 gap answer resends from the seq the province expects.
  Resending is harmless (the province stores each seq once), so a batch whose answer was lost is
  simply sent again. Failures wait with exponential backoff and jitter (1 s doubling to 5 min), and
  the backlog stays in the outbox for as long as the province is away. When idle it adds an
  inventory record if the devices changed (or daily), marks scheduled bulletins that have played,
  and sends the bulletins' receipts.
- **bulletins**: long-polls the province; each bulletin's audio is downloaded and verified (sha256,
  size) before the bulletin enters the inbox, which acts on it (console/sync/inbox.py).

``pause()`` holds the records back (kept across restarts: a metered or congested link); bulletins
still arrive and their receipts still go, since an emergency bulletin must never wait for a resume.

Database reads run in threads; writes go through the station's single writer when one is given.
``status()``, ``sync_now()``, ``pause()``/``resume()``, ``history()`` and ``backlog_by_type()`` are for
the UI (any thread; only ``backlog_by_type()`` and ``pause()``/``resume()`` touch the database). The
history (batches, errors, bulletins, receipts, pauses) is bounded and, with ``history_path``, kept in a
small JSON file so that it survives a restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from sqlalchemy.orm import Session

from console.store.models import now_ms
from console.sync import api, outbox
from console.sync.client import GapError, MediaMismatch, Province, ProvinceError
from console.sync.inbox import Inbox

log = logging.getLogger(__name__)
T = TypeVar("T")

IDLE_S = 5.0  # how often an idle worker looks for new records
POLL_WAIT_S = 30.0  # long-poll
INVENTORY_CHECK_S = 600.0  # how often the inventory is compared with the last one sent
STOP_TIMEOUT_S = 10.0
HISTORY_SIZE = 500  # entries kept (in memory and in the history file)
HISTORY_FILE = "sync-history.json"  # in the data directory (console/sync/service.py)
HISTORY_SAVE_S = 1.0  # the file is rewritten at most this often (and when idle, paused or stopped)
# What the worker is doing, for the UI: shipping or idle; paused by the operator; waiting to retry
# after a failure (``next_retry_at``); not started (or stopped).
STATES = ("running", "paused", "retrying", "stopped")


def load_history(path: Path) -> list[dict[str, Any]]:
    """The history a worker kept in ``path`` (oldest first); empty if there is none or it is unreadable."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        log.warning("province sync: the history in %s cannot be read (%s); starting a new one", path, e)
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("ts"), int) and isinstance(e.get("kind"), str)]


class Backoff:
    """Exponential backoff with "equal jitter": attempt n waits between d/2 and d, d = first·2ⁿ ≤ cap."""

    def __init__(self, first_s: float = 1.0, max_s: float = 300.0, rng: Callable[[], float] = random.random) -> None:
        self.first_s, self.max_s, self.rng = first_s, max_s, rng
        self.attempt = 0

    def next(self) -> float:
        d = min(self.max_s, self.first_s * 2 ** min(self.attempt, 30))  # 2**1024 would not fit a float
        self.attempt += 1
        return d / 2 + self.rng() * d / 2

    def reset(self) -> None:
        self.attempt = 0


@dataclass
class SyncStatus:
    """What the status bar and the sync page show."""

    backlog: int = 0  # records not yet acknowledged by the province
    acked_through: int = 0
    last_seq: int = 0
    last_success: int | None = None  # epoch ms of the last batch (or empty check) the province took
    last_error: str = ""  # empty once a request succeeds again
    last_error_at: int | None = None
    paused: bool = False
    shipped: int = 0  # records shipped by this worker since it started
    bulletins: int = 0  # bulletins received since it started
    next_retry_at: int | None = None  # epoch ms, while backing off
    state: str = "stopped"  # one of STATES

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class SyncWorker:
    def __init__(self, db, province: Province, *, inbox: Inbox | None = None, writer=None,
                 batch_records: int = api.BATCH_RECORDS, batch_bytes: int = api.BATCH_BYTES,
                 idle_s: float = IDLE_S, poll_wait_s: float = POLL_WAIT_S, inventory_check_s: float = INVENTORY_CHECK_S,
                 media_dir: Path | None = None, backoff: Callable[[], Backoff] = Backoff,
                 on_change: Callable[[SyncStatus], None] | None = None, history_path: Path | None = None,
                 history_size: int = HISTORY_SIZE) -> None:
        self._db, self._writer = db, writer
        self.province = province
        self.inbox = inbox or Inbox(db, writer=writer)
        self.batch_records, self.batch_bytes = batch_records, batch_bytes
        self.idle_s, self.poll_wait_s, self.inventory_check_s = idle_s, poll_wait_s, inventory_check_s
        self.media_dir = media_dir or Path(tempfile.gettempdir()) / "tt-province-media"
        self._backoff = backoff
        self.on_change = on_change
        self._status = SyncStatus()
        self._history: deque[dict[str, Any]] = deque(maxlen=history_size)
        self._history_lock = threading.Lock()
        self._history_saved = 0.0  # monotonic time of the last save
        self._history_dirty = False
        self.history_path = history_path
        self._acked: int | None = None  # the province's cursor as last heard in this run; None: ask
        self._next_inventory = 0.0
        self._receipts_lock: asyncio.Lock | None = None
        self._tasks: list[asyncio.Task] = []
        self._wake: asyncio.Event | None = None  # the shipping loop's
        self._poll_wake: asyncio.Event | None = None  # the bulletins loop's
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.inbox.on_receipt = self._receipt_queued  # an operator's action: send its receipt soon
        self._load_state()
        self._load_history()

    # -- the UI's side (any thread) ---------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stopping

    def status(self) -> SyncStatus:
        """A snapshot (a copy): cheap, no I/O, safe on the GUI thread."""
        st = SyncStatus(**asdict(self._status))
        st.state = ("paused" if st.paused else "stopped" if not self.running
                    else "retrying" if st.next_retry_at is not None else "running")
        return st

    def history(self) -> list[dict[str, Any]]:
        """Recent entries, oldest first, each ``{"ts", "kind", ...}`` (epoch ms):

        - ``batch``: ``records``, ``bytes`` (gzip, as sent), ``acked_through``, ``backlog`` (left);
        - ``error``: ``message``; repeats of the same message are one entry with ``count`` and
          ``first_ts`` (``ts`` is the latest);
        - ``bulletin``: ``id``, ``priority``, ``title``;
        - ``receipt``: ``bulletin``, ``status``;
        - ``paused``, ``resumed``: the operator's.
        """
        with self._history_lock:
            return [dict(h) for h in self._history]

    def backlog_by_type(self) -> dict[str, int]:
        with self._db.sessions() as s:
            return outbox.backlog_by_type(s)

    def sync_now(self) -> None:
        """Stop waiting (idle or backing off, both loops) and try at once. A pause stays a pause."""
        self._poke()

    def pause(self) -> None:
        self._set_paused(True)

    def resume(self) -> None:
        self._set_paused(False)

    def start(self) -> SyncWorker:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_until_complete, args=(self.run(),), name="province-sync",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """End both loops (a request in flight is abandoned: resending it is harmless)."""
        self._stopping = True
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._cancel)
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive() and self._loop is not None:
                self._loop.close()
        self._thread = self._loop = None
        self._flush_history()

    # -- plumbing ---------------------------------------------------------------------------------

    def _poke(self, polls: bool = True) -> None:
        loop = self._loop
        if loop is None or self._wake is None:
            return
        try:
            loop.call_soon_threadsafe(self._wake.set)
            if polls:
                loop.call_soon_threadsafe(self._poll_wake.set)
        except RuntimeError:  # the loop closed meanwhile (stopping)
            pass

    def _receipt_queued(self) -> None:
        """The inbox queued a receipt (any thread): the shipping loop sends it when it next looks."""
        self._poke(polls=False)

    def _set_paused(self, paused: bool) -> None:
        was = self._status.paused
        self._status.paused = paused
        if self._writer is not None:
            self._writer.call(lambda s: outbox.set_paused(s, paused))  # kept across restarts; no need to wait
        else:
            self._write_now(lambda s: outbox.set_paused(s, paused))
        if was != paused:
            self._note("paused" if paused else "resumed")
            self._flush_history()
        self._changed()
        self._poke()

    def _write_now(self, fn: Callable[[Session], T]) -> T:
        if self._writer is not None:
            return self._writer.call(fn).result()
        with self._db.sessions.begin() as session:
            return fn(session)

    async def _write(self, fn: Callable[[Session], T]) -> T:
        if self._writer is not None:
            return await asyncio.wrap_future(self._writer.call(fn))
        return await asyncio.to_thread(self._write_now, fn)

    async def _read(self, fn: Callable[[Session], T]) -> T:
        def run() -> T:
            with self._db.sessions() as session:
                return fn(session)
        return await asyncio.to_thread(run)

    def _load_state(self) -> None:
        with self._db.sessions() as s:
            st = outbox.state(s)
            self._status.acked_through, self._status.last_success = st.acked_through, st.last_success_at
            self._status.last_error, self._status.last_error_at = st.last_error, st.last_error_at
            self._status.paused = st.paused
            self._status.last_seq = outbox.last_seq(s)
        self._status.backlog = max(0, self._status.last_seq - self._status.acked_through)

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change(self.status())
            except Exception:
                log.exception("sync status listener failed")

    def _note(self, kind: str, **fields: Any) -> None:
        now = now_ms()
        with self._history_lock:
            last = self._history[-1] if self._history else None
            if kind == "error" and last is not None and last["kind"] == "error" \
                    and last.get("message") == fields.get("message"):
                last["first_ts"] = last.get("first_ts", last["ts"])
                last["count"] = last.get("count", 1) + 1
                last["ts"] = now
            else:
                self._history.append({"ts": now, "kind": kind, **fields})
            self._history_dirty = True
            if time.monotonic() - self._history_saved >= HISTORY_SAVE_S:
                self._save_history()

    def _flush_history(self) -> None:
        """Save the history if something is not saved yet."""
        with self._history_lock:
            if self._history_dirty:
                self._save_history()

    def _load_history(self) -> None:
        if self.history_path is not None:
            self._history.extend(load_history(self.history_path))

    def _save_history(self) -> None:
        """Replace the history file (under the history lock): some tens of kB, atomically."""
        self._history_dirty = False
        self._history_saved = time.monotonic()
        if self.history_path is None:
            return
        tmp = self.history_path.with_name(self.history_path.name + ".tmp")
        try:
            self.history_path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(list(self._history), ensure_ascii=False, separators=(",", ":")),
                           encoding="utf-8")
            os.replace(tmp, self.history_path)
        except OSError as e:
            log.warning("province sync: the history cannot be saved in %s: %s", self.history_path, e)

    async def _wait(self, timeout: float | None, event: asyncio.Event | None = None) -> None:
        """Sleep ``timeout`` seconds (None: until poked), or until sync_now/resume/stop."""
        event = event or self._wake
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        event.clear()

    async def _refresh_backlog(self) -> None:
        """The backlog as far as the province was last heard: records keep coming while the link is
        down or paused, and the status bar should say so."""
        head = await self._read(outbox.last_seq)
        st = self._status
        if head != st.last_seq:
            st.last_seq, st.backlog = head, max(0, head - st.acked_through)
            self._changed()

    async def _failed(self, e: ProvinceError, delay: float | None) -> None:
        message = str(e)
        log.warning("province sync: %s%s", message, f"; retrying in {delay:.0f} s" if delay else "")
        self._acked = None  # ask for the cursor again: the failed request may have been taken
        self._status.last_error, self._status.last_error_at = message, now_ms()
        self._status.next_retry_at = now_ms() + int(delay * 1000) if delay else None
        self._note("error", message=message)
        try:
            await self._write(lambda s: outbox.set_error(s, message))
            await self._refresh_backlog()
        except Exception as db_error:  # noqa: BLE001 - the database may be what failed
            log.warning("province sync: cannot record the error: %s", db_error)
        self._changed()

    async def _succeeded(self) -> None:
        if self._status.last_error or self._status.next_retry_at:
            self._status.last_error, self._status.next_retry_at = "", None
            await self._write(lambda s: outbox.set_error(s, ""))
            self._changed()

    # -- shipping ---------------------------------------------------------------------------------

    async def ship_once(self) -> int:
        """Send one batch; the number of records the province newly holds (0: nothing to send)."""
        if self._acked is None:
            acked = await self.province.cursor()
            head = await self._read(outbox.last_seq)
            if acked > head:
                raise ProvinceError(f"the province holds records up to {acked} but this station's outbox ends at "
                                    f"{head}: is this a new or restored station database? Ask the province.")
            self._acked = acked
            await self._write(lambda s: outbox.set_acked(s, acked, success=False))
        before = self._acked
        records, head = await self._read(lambda s: outbox.read_batch(s, before, self.batch_records, self.batch_bytes))
        if not records:
            self._status.last_seq, self._status.acked_through, self._status.backlog = head, before, head - before
            return 0
        sent_before = getattr(self.province, "bytes_sent", 0)
        try:
            acked = await self.province.send(records, backlog=head - records[-1]["seq"])
        except GapError as e:
            log.warning("province sync: %s; resending from %d", e, e.expected)
            acked = e.expected - 1
            if acked > head:
                raise ProvinceError(f"the province expects record {e.expected} but this station's outbox ends at {head}")
        except ProvinceError as e:
            if e.status == 413 and self.batch_records > 1:
                self.batch_records = max(1, len(records) // 2)  # smaller batches from now on
            raise
        self._acked = acked
        await self._write(lambda s: outbox.set_acked(s, acked))
        taken = max(0, acked - before)
        st = self._status
        st.acked_through, st.last_seq, st.backlog = acked, head, max(0, head - acked)
        st.last_success, st.shipped = now_ms(), st.shipped + taken
        self._note("batch", records=len(records), acked_through=acked,
                   bytes=getattr(self.province, "bytes_sent", 0) - sent_before, backlog=st.backlog)
        await self._succeeded()
        self._changed()
        if acked == before and records[0]["seq"] == before + 1:
            raise ProvinceError(f"the province took none of records {before + 1}–{records[-1]['seq']}")
        return max(taken, 1)

    async def housekeeping(self) -> None:
        """When idle: the inventory (if due), scheduled bulletins that played, receipts."""
        if time.monotonic() >= self._next_inventory:
            self._next_inventory = time.monotonic() + self.inventory_check_s
            await self._write(outbox.maybe_inventory)
        await asyncio.to_thread(self.inbox.refresh)
        await self.send_receipts()

    async def _ship_loop(self) -> None:
        backoff = self._backoff()
        while not self._stopping:
            if self._status.paused:  # no records shipped; the backlog kept current, receipts still sent
                self._flush_history()
                await self._wait(self.idle_s)
                try:
                    await self._refresh_backlog()
                    await asyncio.to_thread(self.inbox.refresh)
                    await self.send_receipts()
                except Exception as e:  # noqa: BLE001 - tried again at the next look
                    log.warning("province sync (paused): %s", e)
                continue
            try:
                if await self.ship_once():
                    backoff.reset()
                    continue
                await self.housekeeping()
                backoff.reset()
                self._status.last_success = now_ms()
                await self._succeeded()
                self._flush_history()
                await self._wait(self.idle_s)
            except ProvinceError as e:
                delay = backoff.next()
                await self._failed(e, delay)
                self._flush_history()
                await self._wait(delay)
            except Exception as e:
                log.exception("province sync: shipping failed")
                delay = backoff.next()
                await self._failed(ProvinceError(f"{type(e).__name__}: {e}"), delay)
                await self._wait(delay)

    # -- bulletins --------------------------------------------------------------------------------

    async def _media(self, b: api.Bulletin) -> tuple[Path | None, str]:
        """The bulletin's audio, downloaded and verified: (path, "") or (None, why it cannot be had).
        A failure to download (no answer, 5xx) raises: the bulletin is fetched again later."""
        if b.media is None:
            return None, ""
        dest = self.media_dir / f"{b.media.sha256}.part"
        try:
            await self.province.fetch(b.media.url, dest, b.media.sha256, b.media.bytes)
        except MediaMismatch as e:
            return None, str(e)
        except ProvinceError as e:
            if e.transient:
                raise
            return None, str(e)
        return dest, ""

    async def _take(self, raw: dict[str, Any]) -> None:
        try:
            b = msgspec.convert(raw, api.Bulletin)
        except msgspec.ValidationError as e:
            bulletin_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(bulletin_id, int) or bulletin_id < 1:
                log.error("province sync: a bulletin without a usable id was skipped: %s", e)
                return
            await asyncio.to_thread(self.inbox.reject_malformed, bulletin_id, f"It does not match the API: {e}.")
            return
        media, problem = await self._media(b)
        await asyncio.to_thread(self.inbox.receive, b, media, problem)
        self._status.bulletins += 1
        self._note("bulletin", id=b.id, priority=b.priority, title=b.title)
        self._changed()

    async def poll_once(self, wait: float) -> int:
        """Bring in the bulletins the province has after our cursor (waiting up to ``wait`` s)."""
        cursor = await asyncio.to_thread(self.inbox.cursor)
        found = await self.province.bulletins(cursor, wait)
        for raw in sorted(found, key=lambda r: r.get("id", 0) if isinstance(r, dict) else 0):
            if isinstance(raw, dict) and isinstance(raw.get("id"), int) and raw["id"] <= cursor:
                continue
            await self._take(raw)
        return len(found)

    async def resume_unhandled(self) -> None:
        """Bulletins stored but not acted on when the console stopped: fetch their audio again, act."""
        for b in await asyncio.to_thread(self.inbox.unhandled):
            media, problem = None, ""
            if b["media"] and b["item_id"] is None:
                media, problem = await self._media(msgspec.convert(b, api.Bulletin))
            await asyncio.to_thread(self.inbox.handle, b["id"], media, problem)

    async def send_receipts(self) -> int:
        """Send the queued receipts; returns how many the province took."""
        async with self._receipts_lock:
            pending = await asyncio.to_thread(self.inbox.pending_receipts)
            done: list[int] = []
            try:
                for rid, bulletin_id, status, note in pending:
                    try:
                        await self.province.receipt(bulletin_id, status, note)
                    except ProvinceError as e:
                        if e.transient or e.status in (401, 403):
                            raise
                        log.error("province sync: the receipt %s of bulletin %d was refused: %s", status, bulletin_id, e)
                        self._note("receipt", bulletin=bulletin_id, status=status, refused=str(e))
                    else:
                        self._note("receipt", bulletin=bulletin_id, status=status)
                    done.append(rid)
            finally:
                await asyncio.to_thread(self.inbox.receipts_sent, done)
            return len(done)

    async def _poll_loop(self) -> None:
        backoff = self._backoff()
        try:
            await self.resume_unhandled()
        except ProvinceError as e:
            log.warning("province sync: unhandled bulletins wait: %s", e)
        while not self._stopping:  # a pause holds the records back, never the bulletins
            try:
                await self.poll_once(self.poll_wait_s)
                await self.send_receipts()
                backoff.reset()
            except ProvinceError as e:
                delay = backoff.next()
                log.warning("province sync: bulletins: %s; retrying in %.0f s", e, delay)
                await self._wait(delay, self._poll_wake)  # sync_now() cuts it short
            except Exception:
                log.exception("province sync: bulletins failed")
                await self._wait(backoff.next(), self._poll_wake)

    # -- running ----------------------------------------------------------------------------------

    def _prepare(self) -> None:
        self._wake = asyncio.Event()
        self._poll_wake = asyncio.Event()
        self._receipts_lock = asyncio.Lock()

    async def run(self) -> None:
        """Both loops until :meth:`stop`."""
        self._prepare()
        self._tasks = [asyncio.create_task(self._ship_loop()), asyncio.create_task(self._poll_loop())]
        try:
            await asyncio.gather(*self._tasks)
        except asyncio.CancelledError:
            pass
        finally:
            await self.province.close()

    def _cancel(self) -> None:
        for t in self._tasks:
            t.cancel()

    async def drain(self) -> dict[str, Any]:
        """Ship all that can be shipped, take the bulletins waiting, send receipts, once (``--once``).
        Returns ``{"shipped", "acked_through", "backlog", "bulletins"}``; raises ProvinceError if the
        province could not be reached or refused."""
        self._prepare()
        try:
            await self.resume_unhandled()
            while await self.ship_once():
                pass
            await self.poll_once(0)
            await self.housekeeping()
            while await self.ship_once():  # the inventory, if one was added
                pass
        except ProvinceError as e:
            await self._failed(e, None)
            raise
        finally:
            self._flush_history()
            await self.province.close()
        st = self._status
        return {"shipped": st.shipped, "acked_through": st.acked_through, "backlog": st.backlog,
                "bulletins": st.bulletins}
