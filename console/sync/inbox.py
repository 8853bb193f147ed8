"""The bulletin inbox: what the province sent down, what the station did with it, and the receipts
that tell the province (docs/province-api.md, "Bulletins").

- **normal**: waits for the operator, who schedules it (:meth:`Inbox.schedule`, at a time and on
  targets of their choice, or in the next free slot) or rejects it (:meth:`Inbox.reject`, with a note).
- **priority**: put into the next free slot at once: a one-off schedule at ``priority`` level on its
  targets, starting ``lead_s`` from now (time for the devices to fetch the audio), moved past any
  priority programme it would clash with (normal programmes it simply preempts). A notice goes to
  ``on_change``. Without audio, or if it cannot be placed, it waits for the operator, saying why.
- **emergency**: with ``emergency="play"`` it is broadcast at once (``LiveService.start_emergency``
  with the bulletin's audio); with ``"confirm"`` (the default), or when it cannot play, it waits for
  the operator's one-click confirmation (:meth:`Inbox.confirm`).

Audio arrives verified (sha256, size) by the sync worker and is imported into the library, then
submitted and approved as the station's user (the province's bulletin is its own authority). Every
change of state queues a receipt (``bulletin_receipts``) that the worker sends back (``on_receipt``
tells it one is queued). Writes go through the station's single DB writer when one is given.

A bulletin without audio (a text) can be read out live by the operator and marked so
(:meth:`Inbox.read_out`: ``played``).
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

from PySide6.QtCore import QT_TRANSLATE_NOOP

from console.store.models import (
    AdminUnit,
    BulletinReceipt,
    InboxBulletin,
    Receipt,
    now_ms,
)
from console.sync import api, outbox

log = logging.getLogger(__name__)

# The notes the inbox writes itself. They go to the province with the receipts as they are, in
# English; the window shows them in its language (console/ui/sync/model.py, note_text).
NOTES = {
    "waiting": QT_TRANSLATE_NOOP("InboxNote", "Waiting for the operator to schedule it."),
    "read_out": QT_TRANSLATE_NOOP("InboxNote", "A priority bulletin without audio: read it out live, "
                                               "or record it and schedule it."),
    "unschedulable": QT_TRANSLATE_NOOP("InboxNote", "It could not be scheduled: {error}"),
    "confirm": QT_TRANSLATE_NOOP("InboxNote", "An emergency bulletin: confirm to broadcast it now."),
    "retry": QT_TRANSLATE_NOOP("InboxNote", "It could not play at once ({error}); confirm to try again."),
    "bad_audio": QT_TRANSLATE_NOOP("InboxNote", "Its audio cannot be used: {error}"),
    "scheduled": QT_TRANSLATE_NOOP("InboxNote", "Scheduled at {when} (schedule {schedule}, {state})."),
    "on_air": QT_TRANSLATE_NOOP("InboxNote", "Emergency broadcast {session} started on {n} device(s)."),
    "read_live": QT_TRANSLATE_NOOP("InboxNote", "Read out live by the operator."),
}
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
        self.on_receipt: Callable[[], None] | None = None  # a receipt was queued (the sync worker sends it)
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
        if receipt is not None and self.on_receipt is not None:
            try:
                self.on_receipt()
            except Exception:
                log.exception("receipt listener failed")
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

    def receipts(self, bulletin_ids) -> dict[int, list[dict[str, Any]]]:
        """The receipts of these bulletins, oldest first: ``{"status", "note", "ts", "sent_at"}``
        (``sent_at`` None: not taken by the province yet)."""
        ids = list(bulletin_ids)
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        if not ids:
            return out
        with self._db.sessions() as s:
            for bid, status, note, ts, sent in s.execute(
                    select(BulletinReceipt.bulletin_id, BulletinReceipt.status, BulletinReceipt.note,
                           BulletinReceipt.ts, BulletinReceipt.sent_at)
                    .where(BulletinReceipt.bulletin_id.in_(ids)).order_by(BulletinReceipt.id)):
                out[bid].append({"status": status, "note": note, "ts": ts, "sent_at": sent})
        return out

    def unit_names(self, codes) -> dict[str, str]:
        """Names of administrative unit codes (a bulletin's targets), the unit in force preferred."""
        codes = sorted(set(codes))
        if not codes:
            return {}
        with self._db.sessions() as s:
            rows = s.execute(select(AdminUnit.code, AdminUnit.name, AdminUnit.valid_to)
                             .where(AdminUnit.code.in_(codes))).all()
        names: dict[str, str] = {}
        for code, name, valid_to in sorted(rows, key=lambda r: r[2] is None):  # in force last: it wins
            names[code] = name
        return names

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
                return self._set(bulletin_id, "rejected", NOTES["bad_audio"].format(error=e), "rejected")
            finally:
                media.unlink(missing_ok=True)  # the library holds its own copy
            self._write(lambda s: setattr(s.get(InboxBulletin, bulletin_id), "item_id", item_id))
        if b["priority"] == "normal":
            return self._set(bulletin_id, "waiting", NOTES["waiting"])
        if b["priority"] == "priority":
            if item_id is None:
                return self._set(bulletin_id, "waiting", NOTES["read_out"])
            try:
                return self._scheduled(bulletin_id, self._place(b, item_id, None))
            except Exception as e:  # noqa: BLE001 - ScheduleError, Refused: the operator decides
                return self._set(bulletin_id, "waiting", NOTES["unschedulable"].format(error=e))
        if self.emergency == "play":
            try:
                return self._play(b, item_id)
            except Exception as e:  # noqa: BLE001 - LiveRefused and the like
                return self._set(bulletin_id, "confirm", NOTES["retry"].format(error=e))
        return self._set(bulletin_id, "confirm", NOTES["confirm"])

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

    def _place(self, b: dict[str, Any], item_id: int, at: datetime | None, targets=None):
        """A one-off schedule of the bulletin's audio: at ``at``, or in the next free slot; on
        ``targets`` (console.schedule.model.Targets), else on the bulletin's."""
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
            spec = ScheduleSpec(title=b["title"][:256], rule=Rule.once(start, sched.tz),
                                targets=targets or self._targets(b),
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
        note = NOTES["scheduled"].format(when=when, schedule=spec.id, state=spec.state)
        return self._set(bulletin_id, "scheduled", note, "scheduled", schedule_id=spec.id)

    def devices_for(self, b: dict[str, Any]) -> int | None:
        """How many of the station's clusters the bulletin's targets reach (None: no live service to ask)."""
        if self.live is None:
            return None
        return len(self.live.devices_for(self._targets(b)))

    def _play(self, b: dict[str, Any], item_id: int | None) -> dict[str, Any]:
        if self.live is None:
            raise InboxError("this console has no live service")
        if item_id is None:
            raise InboxError("an emergency bulletin without audio must be read out live")
        targets = self._targets(b)
        if not self.live.devices_for(targets):
            raise InboxError(f"none of this station's devices is in its targets ({', '.join(b['targets'])})")
        session = self.live.start_emergency(targets, item_id=item_id)
        note = NOTES["on_air"].format(session=session.id, n=len(session.devices))
        return self._set(b["id"], "played", note, "played", session_id=session.id)

    # -- the operator ---------------------------------------------------------------------------

    def schedule(self, bulletin_id: int, at: datetime | None = None, targets=None) -> dict[str, Any]:
        """Schedule a waiting bulletin's audio at ``at`` (aware), or in the next free slot, on ``targets``
        (console.schedule.model.Targets; None: the bulletin's own). A clash at ``at`` raises the
        scheduler's ConflictError, nothing saved. Queues the ``scheduled`` receipt."""
        b = self.get(bulletin_id)
        if b["state"] not in ("waiting", "confirm"):
            raise InboxError(f"Bulletin {bulletin_id} is {b['state']}: only a waiting bulletin can be scheduled.")
        if b["item_id"] is None:
            raise InboxError(f"Bulletin {bulletin_id} has no audio to schedule.")
        return self._scheduled(bulletin_id, self._place(b, b["item_id"], at, targets))

    def confirm(self, bulletin_id: int) -> dict[str, Any]:
        """Broadcast an emergency bulletin now (the one-click confirmation)."""
        b = self.get(bulletin_id)
        if b["state"] not in ("confirm", "waiting"):
            raise InboxError(f"Bulletin {bulletin_id} is {b['state']}: there is nothing to confirm.")
        return self._play(b, b["item_id"])

    def read_out(self, bulletin_id: int, note: str = "") -> dict[str, Any]:
        """A bulletin without audio that the operator read out live: ``played``, with its receipt."""
        b = self.get(bulletin_id)
        if b["state"] not in ("waiting", "confirm"):
            raise InboxError(f"Bulletin {bulletin_id} is {b['state']}: only a waiting bulletin can be read out.")
        return self._set(bulletin_id, "played", note.strip() or NOTES["read_live"], "played")

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
