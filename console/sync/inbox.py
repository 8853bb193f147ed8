"""The bulletin inbox: what the province sent down, what the station did with it, and the receipts
that tell the province (docs/province-api.md, "Bulletins").

- **normal**: waits for the operator, who schedules it (:meth:`Inbox.schedule`) or rejects it.
- **priority**: put into the next free slot at once: a one-off schedule at ``priority`` level on its
  targets, starting ``lead_s`` from now (time for the devices to fetch the audio), moved past any
  priority programme it would clash with (normal programmes it simply preempts). A notice goes to
  ``on_change``. Without audio, or if it cannot be placed, it waits for the operator, saying why.
- **emergency**: with ``emergency="play"`` it is broadcast at once (``LiveService.start_emergency``
  with the bulletin's audio); with ``"confirm"`` (the default), or when it cannot play, it waits for
  the operator's one-click confirmation (:meth:`Inbox.confirm`).

Audio arrives verified (sha256, size) by the sync worker and is imported into the library, then
submitted and approved as the station's user (the province's bulletin is its own authority). Every
change of state queues a receipt (``bulletin_receipts``) that the worker sends back. Writes go
through the station's single DB writer when one is given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from console.store.models import BulletinReceipt, InboxBulletin, Receipt, now_ms
from console.sync import api, outbox

log = logging.getLogger(__name__)
T = TypeVar("T")

EMERGENCY_MODES = ("confirm", "play")
LEAD_S = 120  # a priority bulletin airs no sooner than this: the devices fetch its audio first
SLOT_TRIES = 50


class InboxError(ValueError):
    """An operator action that cannot be done; the message is one sentence for the user."""


def bulletin_json(b: InboxBulletin) -> dict[str, Any]:
    return {"id": b.id, "priority": b.priority, "title": b.title, "text": b.text, "media": b.media,
            "targets": list(b.targets or []), "valid_from": b.valid_from, "valid_to": b.valid_to,
            "issued_by": b.issued_by, "issued_at": b.issued_at, "received_at": b.received_at, "state": b.state,
            "note": b.note, "item_id": b.item_id, "schedule_id": b.schedule_id, "session_id": b.session_id,
            "updated_at": b.updated_at}


class Inbox:
    def __init__(self, db, *, writer=None, library=None, scheduler=None, live=None, emergency: str = "confirm",
                 lead_s: float = LEAD_S, on_change: Callable[[str, dict[str, Any]], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        if emergency not in EMERGENCY_MODES:
            raise ValueError(f"emergency must be one of {', '.join(EMERGENCY_MODES)}, not {emergency!r}")
        self._db, self._writer = db, writer
        self.library, self.scheduler, self.live = library, scheduler, live
        self.emergency = emergency
        self.lead_s = lead_s
        self.on_change = on_change  # (state, bulletin) on every change: the UI's list and notices
        self.clock = clock

    # -- plumbing -------------------------------------------------------------------------------

    def _write(self, fn: Callable[[Session], T]) -> T:
        if self._writer is not None:
            return self._writer.call(fn).result()
        with self._db.sessions.begin() as session:
            return fn(session)

    def _set(self, bulletin_id: int, state: str, note: str, receipt: str | None = None, **fields: Any) -> dict[str, Any]:
        """Move a bulletin to ``state`` with ``note``; queue a receipt of status ``receipt``."""
        def apply(s: Session) -> dict[str, Any]:
            row = s.get(InboxBulletin, bulletin_id)
            row.state, row.note, row.updated_at = state, note[:2000], now_ms()
            for k, v in fields.items():
                setattr(row, k, v)
            if receipt is not None:
                s.add(BulletinReceipt(bulletin_id=bulletin_id, status=receipt, note=note[:2000], ts=now_ms()))
            return bulletin_json(row)

        b = self._write(apply)
        log.info("bulletin %d (%s) %s: %s", bulletin_id, b["priority"], state, note)
        if self.on_change is not None:
            try:
                self.on_change(state, b)
            except Exception:
                log.exception("inbox listener failed")
        return b

    # -- reading --------------------------------------------------------------------------------

    def list(self, states: tuple[str, ...] | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Bulletins, newest first."""
        query = select(InboxBulletin).order_by(InboxBulletin.id.desc()).limit(limit)
        if states:
            query = query.where(InboxBulletin.state.in_(states))
        with self._db.sessions() as s:
            return [bulletin_json(b) for b in s.scalars(query)]

    def get(self, bulletin_id: int) -> dict[str, Any]:
        with self._db.sessions() as s:
            row = s.get(InboxBulletin, bulletin_id)
            if row is None:
                raise InboxError(f"There is no bulletin {bulletin_id} in the inbox.")
            return bulletin_json(row)

    def counts(self) -> dict[str, int]:
        with self._db.sessions() as s:
            return dict(s.execute(select(InboxBulletin.state, func.count()).group_by(InboxBulletin.state)).all())

    def cursor(self) -> int:
        with self._db.sessions() as s:
            return outbox.state(s).bulletin_cursor

    def unhandled(self) -> list[dict[str, Any]]:
        """Bulletins stored but not handled yet (the console stopped in between)."""
        return self.list(("received",))

    # -- from the sync worker -------------------------------------------------------------------

    def receive(self, b: api.Bulletin, media: Path | None = None, problem: str = "") -> dict[str, Any] | None:
        """Store a bulletin (once: a bulletin seen before is ignored), move the cursor past it, queue the
        ``received`` receipt, then handle it. ``media`` is its verified audio; ``problem`` says why
        its audio could not be had (the bulletin is then rejected)."""
        def store(s: Session) -> bool:
            st = outbox.state(s)
            st.bulletin_cursor = max(st.bulletin_cursor, b.id)
            if s.get(InboxBulletin, b.id) is not None:
                return False
            s.add(InboxBulletin(id=b.id, priority=b.priority, title=b.title[:256], text=b.text,
                                media=({"url": b.media.url, "sha256": b.media.sha256, "bytes": b.media.bytes}
                                       if b.media else None),
                                targets=list(b.targets), valid_from=b.valid_from, valid_to=b.valid_to,
                                issued_by=b.issued_by[:128], issued_at=b.issued_at, state="received", note=""))
            s.flush()
            s.add(BulletinReceipt(bulletin_id=b.id, status="received", note="", ts=now_ms()))
            return True

        if not self._write(store):
            return None
        return self.handle(b.id, media, problem)

    def reject_malformed(self, bulletin_id: int, problem: str) -> None:
        """A bulletin that does not match the API: kept as rejected, so that the province hears of it."""
        def store(s: Session) -> None:
            st = outbox.state(s)
            st.bulletin_cursor = max(st.bulletin_cursor, bulletin_id)
            if s.get(InboxBulletin, bulletin_id) is None:
                s.add(InboxBulletin(id=bulletin_id, priority="normal", title="?", state="rejected", note=problem[:2000]))
                s.flush()
                s.add(BulletinReceipt(bulletin_id=bulletin_id, status="rejected", note=problem[:2000], ts=now_ms()))
        self._write(store)

    def handle(self, bulletin_id: int, media: Path | None = None, problem: str = "") -> dict[str, Any]:
        """Act on a received bulletin as its priority says."""
        b = self.get(bulletin_id)
        if b["state"] != "received":
            return b
        if problem:
            return self._set(bulletin_id, "rejected", problem, "rejected")
        if b["valid_to"] is not None and self.clock() * 1000 > b["valid_to"]:
            return self._set(bulletin_id, "rejected", "It expired before it arrived.", "rejected")
        item_id = b["item_id"]
        if media is not None and item_id is None:
            try:
                item_id = self._import(b, media)
            except Exception as e:  # noqa: BLE001 - refused by the library: say why to the province
                return self._set(bulletin_id, "rejected", f"Its audio cannot be used: {e}", "rejected")
            finally:
                media.unlink(missing_ok=True)  # the library holds its own copy
            self._write(lambda s: setattr(s.get(InboxBulletin, bulletin_id), "item_id", item_id))
        if b["priority"] == "normal":
            return self._set(bulletin_id, "waiting", "Waiting for the operator to schedule it.")
        if b["priority"] == "priority":
            if item_id is None:
                return self._set(bulletin_id, "waiting", "A priority bulletin without audio: read it out live, "
                                 "or record it and schedule it.")
            try:
                return self._scheduled(bulletin_id, self._place(b, item_id, None))
            except Exception as e:  # noqa: BLE001 - ScheduleError, Refused: the operator decides
                return self._set(bulletin_id, "waiting", f"It could not be scheduled: {e}")
        if self.emergency == "play":
            try:
                return self._play(b, item_id)
            except Exception as e:  # noqa: BLE001 - LiveRefused and the like
                return self._set(bulletin_id, "confirm", f"It could not play at once ({e}); confirm to try again.")
        return self._set(bulletin_id, "confirm", "An emergency bulletin: confirm to broadcast it now.")

    def _import(self, b: dict[str, Any], media: Path) -> int:
        """Import the verified audio into the library, named after the bulletin, and approve it."""
        if self.library is None:
            raise InboxError("this console has no audio library")
        result = self.library.import_files([media])[0]
        if not result.ok:
            raise InboxError(result.error or "the import failed")
        if not result.existing:
            self.library.update_metadata(result.id, title=b["title"][:256], source=f"province bulletin {b['id']}",
                                         category="emergency" if b["priority"] == "emergency" else "news",
                                         notes=b["text"])
        state = self.library.get(result.id).state
        if state == "draft":
            self.library.submit(result.id, f"province bulletin {b['id']}")
            state = "submitted"
        if state == "submitted":
            self.library.approve(result.id, f"province bulletin {b['id']}")
        return result.id

    # -- placing and playing ----------------------------------------------------------------------

    def _targets(self, b: dict[str, Any]):
        from console.schedule.model import Targets
        from console.schedule.service import ALL_GROUP

        return Targets(units=tuple(b["targets"])) if b["targets"] else Targets(groups=(ALL_GROUP,))

    def _place(self, b: dict[str, Any], item_id: int, at: datetime | None):
        """A one-off schedule of the bulletin's audio: at ``at``, or in the next free slot."""
        from console.schedule.model import Part
        from console.schedule.rules import Rule
        from console.schedule.service import ConflictError, ScheduleError, ScheduleSpec

        if self.scheduler is None:
            raise InboxError("this console has no scheduler")
        sched = self.scheduler
        start = at or sched.now() + timedelta(seconds=self.lead_s)
        if b["valid_from"] is not None:
            start = max(start, datetime.fromtimestamp(b["valid_from"] / 1000, start.tzinfo))
        prio = "normal" if b["priority"] == "normal" else "priority"
        for _ in range(1 if at is not None else SLOT_TRIES):
            start = start.replace(microsecond=0)
            if b["valid_to"] is not None and start.timestamp() * 1000 > b["valid_to"]:
                raise ScheduleError("There is no free slot before the bulletin expires.")
            spec = ScheduleSpec(title=b["title"][:256], rule=Rule.once(start, sched.tz), targets=self._targets(b),
                                programme=(Part("media", item_id=item_id),), priority=prio,
                                notes=f"province bulletin {b['id']}")
            try:
                return sched.add(spec, f"province bulletin {b['id']}")
            except ConflictError as e:
                if at is not None:
                    raise
                start = max(c.end for c in e.conflicts) + timedelta(seconds=1)
        raise ScheduleError("No free slot was found.")

    def _scheduled(self, bulletin_id: int, spec) -> dict[str, Any]:
        when = spec.rule.start.strftime("%H:%M %d/%m/%Y")
        note = f"Scheduled at {when} (schedule {spec.id}, {spec.state})."
        return self._set(bulletin_id, "scheduled", note, "scheduled", schedule_id=spec.id)

    def _play(self, b: dict[str, Any], item_id: int | None) -> dict[str, Any]:
        if self.live is None:
            raise InboxError("this console has no live service")
        if item_id is None:
            raise InboxError("an emergency bulletin without audio must be read out live")
        targets = self._targets(b)
        if not self.live.devices_for(targets):
            raise InboxError(f"none of this station's devices is in its targets ({', '.join(b['targets'])})")
        session = self.live.start_emergency(targets, item_id=item_id)
        note = f"Emergency broadcast {session.id} started on {len(session.devices)} device(s)."
        return self._set(b["id"], "played", note, "played", session_id=session.id)

    # -- the operator ---------------------------------------------------------------------------

    def schedule(self, bulletin_id: int, at: datetime | None = None) -> dict[str, Any]:
        """Schedule a waiting bulletin's audio at ``at`` (aware), or in the next free slot. A clash at
        ``at`` raises the scheduler's ConflictError, nothing saved."""
        b = self.get(bulletin_id)
        if b["state"] not in ("waiting", "confirm"):
            raise InboxError(f"Bulletin {bulletin_id} is {b['state']}: only a waiting bulletin can be scheduled.")
        if b["item_id"] is None:
            raise InboxError(f"Bulletin {bulletin_id} has no audio to schedule.")
        return self._scheduled(bulletin_id, self._place(b, b["item_id"], at))

    def confirm(self, bulletin_id: int) -> dict[str, Any]:
        """Broadcast an emergency bulletin now (the one-click confirmation)."""
        b = self.get(bulletin_id)
        if b["state"] not in ("confirm", "waiting"):
            raise InboxError(f"Bulletin {bulletin_id} is {b['state']}: there is nothing to confirm.")
        return self._play(b, b["item_id"])

    def reject(self, bulletin_id: int, note: str) -> dict[str, Any]:
        if not note.strip():
            raise InboxError("A rejection needs a note that says why.")
        b = self.get(bulletin_id)
        if b["state"] in ("played", "rejected"):
            raise InboxError(f"Bulletin {bulletin_id} is {b['state']} already.")
        return self._set(bulletin_id, "rejected", note.strip(), "rejected")

    def refresh(self) -> int:
        """Scheduled bulletins that have played on a device (as-run) become ``played``."""
        with self._db.sessions() as s:
            played = s.execute(select(InboxBulletin.id, func.count(Receipt.device_id))
                               .join(Receipt, Receipt.schedule_id == InboxBulletin.schedule_id)
                               .where(InboxBulletin.state == "scheduled", Receipt.status.in_(("played", "partial")))
                               .group_by(InboxBulletin.id)).all()
        for bulletin_id, devices in played:
            self._set(bulletin_id, "played", f"Played on {devices} device(s).", "played")
        return len(played)

    # -- receipts ---------------------------------------------------------------------------------

    def pending_receipts(self, limit: int = 100) -> list[tuple[int, int, str, str]]:
        """(receipt id, bulletin id, status, note) not yet taken by the province, oldest first."""
        with self._db.sessions() as s:
            return [tuple(r) for r in s.execute(
                select(BulletinReceipt.id, BulletinReceipt.bulletin_id, BulletinReceipt.status, BulletinReceipt.note)
                .where(BulletinReceipt.sent_at.is_(None)).order_by(BulletinReceipt.id).limit(limit))]

    def receipts_sent(self, ids: list[int]) -> None:
        if ids:
            self._write(lambda s: s.execute(update(BulletinReceipt).where(BulletinReceipt.id.in_(ids))
                                            .values(sent_at=now_ms())))
