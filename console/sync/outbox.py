"""The station's outbox as the sync worker sees it: batches past the province's cursor, the backlog,
the link's state, bulk appends and the inventory snapshot.

Facts are written to the outbox by the code that writes the facts, in the same transaction
(``session.add(OutboxEntry(type, ts, data))``; ``seq`` is assigned at flush from ``outbox_head``, see
console/store/models.py). Plain functions over a ``Session``; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from console.store.models import (
    AdminUnit,
    Device,
    OutboxEntry,
    OutboxHead,
    SyncState,
    digest,
    now_ms,
    take_seqs,
)

INVENTORY_EVERY_MS = 24 * 3600 * 1000  # an unchanged inventory is sent again daily
RECORD_OVERHEAD = 48  # bytes of JSON around a record's data: {"seq":..,"type":"..","ts":..,"data":}


def state(session: Session) -> SyncState:
    """The link's state row (made if a database lacks it)."""
    row = session.get(SyncState, 1)
    if row is None:
        row = SyncState(id=1, acked_through=0, bulletin_cursor=0, last_error="", paused=False, inventory_digest="")
        session.add(row)
        session.flush()
    return row


def last_seq(session: Session) -> int:
    return session.scalar(select(OutboxHead.seq).where(OutboxHead.id == 1)) or 0


def append(session: Session, records: Sequence[tuple[str, int, dict[str, Any]]]) -> int:
    """Add ``(type, ts, data)`` records in one statement (for large batches; the ORM path numbers
    entries the same way); returns the last seq."""
    if not records:
        return last_seq(session)
    first, _ = take_seqs(session, len(records))
    now = now_ms()
    session.execute(OutboxEntry.__table__.insert(), [
        {"seq": first + i, "type": t, "ts": ts, "data": data, "created_at": now}
        for i, (t, ts, data) in enumerate(records)])
    return first + len(records) - 1


def read_batch(session: Session, after: int, max_records: int, max_bytes: int) -> tuple[list[dict[str, Any]], int]:
    """The records after ``after``, in order and without a gap, up to ``max_records`` and about
    ``max_bytes`` of JSON (at least one record), and the last seq of the outbox."""
    head = last_seq(session)
    rows = session.execute(select(OutboxEntry.seq, OutboxEntry.type, OutboxEntry.ts, OutboxEntry.data)
                           .where(OutboxEntry.seq > after).order_by(OutboxEntry.seq).limit(max_records))
    out: list[dict[str, Any]] = []
    size = 0
    expected = after + 1
    for seq, kind, ts, data in rows:
        size += len(msgspec.json.encode(data)) + RECORD_OVERHEAD
        if seq != expected or (out and size > max_bytes):
            break
        out.append({"seq": seq, "type": kind, "ts": ts, "data": data})
        expected += 1
    return out, head


def backlog_by_type(session: Session) -> dict[str, int]:
    """What waits to be shipped, by record type (as far as the province's cursor was last heard)."""
    acked = state(session).acked_through
    return dict(session.execute(select(OutboxEntry.type, func.count()).where(OutboxEntry.seq > acked)
                                .group_by(OutboxEntry.type)).all())


def set_acked(session: Session, acked: int, success: bool = True) -> None:
    """The province holds everything through ``acked``: remember it, and mark those entries sent."""
    row = state(session)
    if acked > row.acked_through:
        session.execute(update(OutboxEntry).where(OutboxEntry.seq > row.acked_through, OutboxEntry.seq <= acked,
                                                  OutboxEntry.sent_at.is_(None)).values(sent_at=now_ms())
                        .execution_options(synchronize_session=False))
    row.acked_through = acked
    if success:
        row.last_success_at = now_ms()


def set_error(session: Session, message: str) -> None:
    row = state(session)
    row.last_error, row.last_error_at = message[:2000], now_ms()


def set_paused(session: Session, paused: bool) -> None:
    state(session).paused = paused


def inventory(session: Session) -> dict[str, Any]:
    """Every device that is not retired: its place (unit code, coordinates), firmware and groups."""
    rows = session.execute(select(Device, AdminUnit.code).outerjoin(AdminUnit, Device.unit_id == AdminUnit.id)
                           .where(Device.adoption != "retired").options(selectinload(Device.groups))
                           .order_by(Device.id))
    return {"devices": [{"id": d.id, "name": d.name or "", "unit": code or "", "lat": d.lat, "lon": d.lon,
                         "fw": d.fw or "", "model": d.model or "", "adoption": d.adoption,
                         "groups": [g.id for g in d.groups]} for d, code in rows]}


def maybe_inventory(session: Session, every_ms: int = INVENTORY_EVERY_MS) -> bool:
    """Add an ``inventory`` record if the inventory changed since the last one, or a day has passed."""
    snapshot = inventory(session)
    row = state(session)
    now = now_ms()
    fresh = digest(snapshot)
    if fresh == row.inventory_digest and row.inventory_at is not None and now - row.inventory_at < every_ms:
        return False
    session.add(OutboxEntry(type="inventory", ts=now, data=snapshot))
    row.inventory_digest, row.inventory_at = fresh, now
    return True
