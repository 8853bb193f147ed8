"""SQLAlchemy models: the administrative hierarchy, the device registry, device events, the outbox,
the audio library.

Timestamps are UTC epoch milliseconds (``BigInteger``) throughout, as on the wire
(``console/fleet/schemas.py``); dates of administrative validity are ``Date``.
A schema change needs a new Alembic revision in ``db/versions/`` (see docs/storage.md).
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from console.core.approval import STATES

# Explicit constraint names, so that migrations (and SQLite batch mode) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ADOPTION_STATES = ("pending", "adopted", "retired")
EVENT_SOURCES = ("device", "console")


def now_ms() -> int:
    """The current UTC time in epoch milliseconds."""
    return time.time_ns() // 1_000_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AdminUnit(Base):
    """One administrative unit (province, district, commune, ...) valid over a period.

    ``level`` is data: a village or cluster level is new rows with ``parent_id`` set, no schema
    change. Pre-2025 units have ``valid_to = 2025-07-01``; post-2025 units ``valid_from = 2025-07-01``.
    GSO codes are reused across the reform, hence uniqueness by (level, code, valid_from).
    """

    __tablename__ = "admin_units"
    __table_args__ = (UniqueConstraint("level", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(128))
    short_name: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("admin_units.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    area_km2: Mapped[float | None] = mapped_column(Float)


class AdminUnitSuccessor(Base):
    """A pre-2025 unit merged (wholly or in part) into a post-2025 unit.

    A unit that was split has several rows; ``is_default`` marks the one that took most of it
    (the package's default, used when nothing more precise is known).
    """

    __tablename__ = "admin_unit_successors"

    old_id: Mapped[int] = mapped_column(ForeignKey("admin_units.id", ondelete="CASCADE"), primary_key=True)
    new_id: Mapped[int] = mapped_column(
        ForeignKey("admin_units.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    is_default: Mapped[bool] = mapped_column(default=True)


device_groups = Table(
    "device_groups",
    Base.metadata,
    Column("device_id", ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Group(Base):
    """A group of devices; ``id`` is the slug used in MQTT group topics."""

    __tablename__ = "groups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)

    devices: Mapped[list[Device]] = relationship(
        secondary=device_groups, back_populates="groups", order_by="Device.id"
    )


class Device(Base):
    """A loudspeaker cluster, keyed by its serial. Unknown devices that connect are ``pending``."""

    __tablename__ = "devices"
    __table_args__ = (
        CheckConstraint(
            "adoption IN (" + ", ".join(f"'{s}'" for s in ADOPTION_STATES) + ")", name="adoption"
        ),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(128))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_units.id", ondelete="SET NULL"), index=True
    )
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    adoption: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    fw: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[int | None] = mapped_column(BigInteger)
    last_seen: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    notes: Mapped[str] = mapped_column(Text, default="")

    groups: Mapped[list[Group]] = relationship(
        secondary=device_groups, back_populates="devices", order_by="Group.id"
    )


class DeviceEvent(Base):
    """An event reported by a device (``seq`` set) or made by the console (``seq`` NULL).

    Idempotent by (device_id, seq): a redelivered event is ignored (see ``writer.py``).
    """

    __tablename__ = "device_events"
    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        CheckConstraint(
            "source IN (" + ", ".join(f"'{s}'" for s in EVENT_SOURCES) + ")", name="source"
        ),
        Index("ix_device_events_device_id_ts", "device_id", "ts"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    seq: Mapped[int | None] = mapped_column(BigInteger)
    ts: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(16), default="device")
    received_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class OutboxEntry(Base):
    """A loggable fact waiting to be shipped to the province (store-and-forward, by ``seq``).

    ``seq`` is gap-free: it is assigned at flush from the ``outbox_head`` counter row, in the same
    transaction (see "Province sync" below); writers just ``session.add(OutboxEntry(type, ts, data))``.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    type: Mapped[str] = mapped_column(String(64))
    ts: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    sent_at: Mapped[int | None] = mapped_column(BigInteger, index=True)


# ---------------------------------------------------------------------------------------------
# The audio library (console/audio/library.py; states and permissions in console/core/approval.py)

MEDIA_CATEGORIES = ("news", "policy", "emergency", "culture", "advertisement", "other")
MEDIA_STATES = STATES


class MediaItem(Base):
    """An item of the audio library: its metadata, its imported source and its approval state.

    The imported file is kept in the media store under ``source_sha256``; the audio that airs is
    the current revision's edit list rendered (``media_renders``).
    """

    __tablename__ = "media_items"
    __table_args__ = (
        CheckConstraint(
            "category IN (" + ", ".join(f"'{c}'" for c in MEDIA_CATEGORIES) + ")", name="category"
        ),
        CheckConstraint("state IN (" + ", ".join(f"'{s}'" for s in MEDIA_STATES) + ")", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    category: Mapped[str] = mapped_column(String(16), default="other")
    source: Mapped[str] = mapped_column(String(256), default="")
    author: Mapped[str] = mapped_column(String(128), default="")
    language: Mapped[str] = mapped_column(String(16), default="vi")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    expires_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_filename: Mapped[str] = mapped_column(String(512))
    original_format: Mapped[str] = mapped_column(String(64))
    duration_ms: Mapped[int] = mapped_column(BigInteger)
    lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_db: Mapped[float | None] = mapped_column(Float)
    lra: Mapped[float | None] = mapped_column(Float)
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_revisions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms, index=True)
    created_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class MediaRevision(Base):
    """One saved edit list of an item (``console.core.editlist.EditList`` as JSON), numbered 1, 2, ..."""

    __tablename__ = "media_revisions"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("media_items.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    editlist: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    created_by: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")


class MediaRender(Base):
    """A distribution file rendered from a revision, kept in the media store under ``sha256``."""

    __tablename__ = "media_renders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("media_revisions.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(16))
    bitrate_k: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(BigInteger)
    duration_ms: Mapped[int] = mapped_column(BigInteger)
    lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_db: Mapped[float | None] = mapped_column(Float)
    lra: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class MediaHistory(Base):
    """Who did what to an item, and when: import, edit, revision, submit, approve, reject, archive, render."""

    __tablename__ = "media_history"
    __table_args__ = (Index("ix_media_history_item_id_ts", "item_id", "ts"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("media_items.id", ondelete="CASCADE"))
    ts: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    user_name: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


# ---------------------------------------------------------------------------------------------
# Scheduling (console/schedule/, docs/scheduling.md)

SCHEDULE_PRIORITIES = ("normal", "priority")
RECEIPT_STATUSES = ("played", "partial", "missed", "failed")
READINESS_STATES = ("ready", "failed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Schedule(Base):
    """A programme, its recurrence rule (wall clock in ``tz``), its targets and its approval state."""

    __tablename__ = "schedules"
    __table_args__ = (
        CheckConstraint(_in("priority", SCHEDULE_PRIORITIES), name="priority"),
        CheckConstraint(_in("state", STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    programme: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    targets: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # console.schedule.rules.Rule.as_json()
    vol: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    created_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class ScheduleHistory(Base):
    """Who did what to a schedule, and when."""

    __tablename__ = "schedule_history"
    __table_args__ = (Index("ix_schedule_history_schedule_id_ts", "schedule_id", "ts"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    ts: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    user_name: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class Publication(Base):
    """The last retained document published on a topic (a group's ``sched`` or a device's ``config``):
    its revision and hash, so the console republishes only what changed and revisions only grow."""

    __tablename__ = "publications"

    topic: Mapped[str] = mapped_column(String(256), primary_key=True)
    rev: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    doc: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MediaReadiness(Base):
    """What a device last said about a media file: ``ready`` (hash verified) or ``failed``."""

    __tablename__ = "media_readiness"
    __table_args__ = (CheckConstraint(_in("state", READINESS_STATES), name="state"),)

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    ts: Mapped[int] = mapped_column(BigInteger)


class Receipt(Base):
    """As-run: what happened to one scheduled part on one device."""

    __tablename__ = "receipts"
    __table_args__ = (
        CheckConstraint(_in("status", RECEIPT_STATUSES), name="status"),
        Index("ix_receipts_start", "start"),
    )

    item: Mapped[str] = mapped_column(String(64), primary_key=True)  # s{schedule}.{YYYYMMDDTHHMM}.{part}
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    schedule_id: Mapped[int | None] = mapped_column(Integer, index=True)
    start: Mapped[int] = mapped_column(BigInteger)  # planned air time, epoch ms
    dur_ms: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    played_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    ts: Mapped[int] = mapped_column(BigInteger)  # when it was decided / last changed


# ---------------------------------------------------------------------------------------------
# Monitoring (console/monitor/, docs/monitoring.md)

ALARM_STATES = ("new", "acknowledged", "resolved")
PEOPLE_SCOPES = ("device", "unit")


class FleetBucket(Base):
    """Fleet status over one bucket of ``res_s`` seconds starting at ``t``: the mean of the counts
    sampled in it, and the messages received. 1-minute rows are rolled up into hourly ones."""

    __tablename__ = "monitor_fleet"

    res_s: Mapped[int] = mapped_column(Integer, primary_key=True)
    t: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    samples: Mapped[int] = mapped_column(Integer)
    devices: Mapped[float] = mapped_column(Float)  # adopted devices
    online: Mapped[float] = mapped_column(Float)
    offline: Mapped[float] = mapped_column(Float)
    unknown: Mapped[float] = mapped_column(Float)  # adopted, nothing heard yet
    playing: Mapped[float] = mapped_column(Float)
    faulty: Mapped[float] = mapped_column(Float)
    pending: Mapped[float] = mapped_column(Float)  # not adopted
    alarms: Mapped[float] = mapped_column(Float)  # open alarms
    msgs: Mapped[int] = mapped_column(BigInteger)


class DeviceDay(Base):
    """One device's buckets of one UTC day, packed (``console.monitor.buckets``): per bucket the
    telemetry samples, online and observed seconds, and min/avg/max of each metric. ``online_s`` and
    ``observed_s`` are the day's totals, so that availability needs no unpacking."""

    __tablename__ = "monitor_device_days"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[int] = mapped_column(BigInteger, primary_key=True, index=True)  # epoch ms of 00:00 UTC
    res_s: Mapped[int] = mapped_column(Integer)
    online_s: Mapped[int] = mapped_column(Integer)
    observed_s: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Alarm(Base):
    """An alarm on a device: new -> acknowledged -> resolved. At most one open (not resolved) alarm
    per device and rule."""

    __tablename__ = "alarms"
    __table_args__ = (
        CheckConstraint(_in("state", ALARM_STATES), name="state"),
        Index("ix_alarms_open_device_rule", "device_id", "rule", unique=True,
              sqlite_where=text("state != 'resolved'"), postgresql_where=text("state != 'resolved'")),
        Index("ix_alarms_raised_at", "raised_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="new", index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raised_at: Mapped[int] = mapped_column(BigInteger)
    acked_by: Mapped[str | None] = mapped_column(String(128))
    acked_at: Mapped[int | None] = mapped_column(BigInteger)
    ack_note: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str | None] = mapped_column(String(128))  # None: resolved automatically
    resolved_at: Mapped[int | None] = mapped_column(BigInteger)
    resolve_note: Mapped[str] = mapped_column(Text, default="")


class PeopleServed(Base):
    """How many people a device, or the devices of a unit together, serve ("what to fix first")."""

    __tablename__ = "people_served"
    __table_args__ = (CheckConstraint(_in("scope", PEOPLE_SCOPES), name="scope"),)

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), primary_key=True)  # a device id or a unit code
    people: Mapped[int] = mapped_column(Integer)


# ---------------------------------------------------------------------------------------------
# Province sync (console/sync/, docs/province-api.md)

OUTBOX_TYPES = ("asrun", "device_event", "alarm", "audit", "content", "schedule", "inventory")
BULLETIN_PRIORITIES = ("normal", "priority", "emergency")
# received: stored, not handled yet; waiting: for the operator; confirm: an emergency waiting for its
# one-click confirmation; scheduled, played, rejected: as the receipts say.
INBOX_STATES = ("received", "waiting", "confirm", "scheduled", "played", "rejected")
BULLETIN_RECEIPT_STATUSES = ("received", "scheduled", "played", "rejected")


class OutboxHead(Base):
    """The outbox's single counter row (``id`` 1): the last ``seq`` handed out, and the hash at the
    head of the audit chain.

    Every transaction that adds outbox entries updates this row, so ``seq`` has no gaps (a rolled
    back transaction rolls its numbers back too, unlike a database sequence) and entries become
    visible in ``seq`` order (PostgreSQL keeps the row locked until commit; SQLite has one writer)."""

    __tablename__ = "outbox_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")


class SyncState(Base):
    """The station's end of the province link (one row, ``id`` 1). The province's cursor is the truth;
    ``acked_through`` is what it last said, for the backlog shown while the link is down."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    acked_through: Mapped[int] = mapped_column(BigInteger, default=0)
    bulletin_cursor: Mapped[int] = mapped_column(BigInteger, default=0)  # the newest bulletin id received
    last_success_at: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[int | None] = mapped_column(BigInteger)
    paused: Mapped[bool] = mapped_column(default=False)
    inventory_digest: Mapped[str] = mapped_column(String(64), default="")  # of the last inventory record
    inventory_at: Mapped[int | None] = mapped_column(BigInteger)


class InboxBulletin(Base):
    """A bulletin the province sent down, keyed by the province's id, and what became of it."""

    __tablename__ = "inbox"
    __table_args__ = (
        CheckConstraint(_in("priority", BULLETIN_PRIORITIES), name="priority"),
        CheckConstraint(_in("state", INBOX_STATES), name="state"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    priority: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text, default="")
    media: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {url, sha256, bytes} as sent
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)  # unit codes; none: the whole station
    valid_from: Mapped[int | None] = mapped_column(BigInteger)
    valid_to: Mapped[int | None] = mapped_column(BigInteger)
    issued_by: Mapped[str] = mapped_column(String(128), default="")
    issued_at: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    state: Mapped[str] = mapped_column(String(16), default="received", index=True)
    note: Mapped[str] = mapped_column(Text, default="")  # why it waits, how it was placed, why rejected
    item_id: Mapped[int | None] = mapped_column(ForeignKey("media_items.id", ondelete="SET NULL"))
    schedule_id: Mapped[int | None] = mapped_column(Integer)
    session_id: Mapped[str | None] = mapped_column(String(64))  # the emergency broadcast that played it
    updated_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class BulletinReceipt(Base):
    """A receipt for the province about a bulletin, kept until the province has taken it."""

    __tablename__ = "bulletin_receipts"
    __table_args__ = (CheckConstraint(_in("status", BULLETIN_RECEIPT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("inbox.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    ts: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    sent_at: Mapped[int | None] = mapped_column(BigInteger, index=True)


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the form that digests and the audit chain hash."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def take_seqs(session: Session, n: int) -> tuple[int, str]:
    """Reserve ``n`` outbox seqs in the session's transaction: (the first one, the audit chain head)."""
    head = OutboxHead.__table__
    row = session.execute(update(head).where(head.c.id == 1).values(seq=head.c.seq + n)
                          .returning(head.c.seq, head.c.audit_hash)).first()
    if row is None:  # a database built without the migrations
        last = session.scalar(select(func.coalesce(func.max(OutboxEntry.seq), 0)))
        session.execute(head.insert().values(id=1, seq=last + n, audit_hash=""))
        return last + 1, ""
    return row[0] - n + 1, row[1]


def _columns(obj: Base, before: bool = False) -> dict[str, Any]:
    """An object's column values, JSON-ready; with ``before``, as they were before this flush."""
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        value = getattr(obj, attr.key)
        if before and (old := state.attrs[attr.key].history.deleted):
            value = old[0]
        out[attr.key] = value.isoformat() if isinstance(value, date) else value
    return out


# history row -> (outbox type, the changed object's model, the history column naming it)
_AUDITED = {MediaHistory: ("content", MediaItem, "item_id"), ScheduleHistory: ("schedule", Schedule, "schedule_id")}


@event.listens_for(Session, "before_flush")
def _outbox_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Number the new outbox entries; for each new library or schedule history row add a ``content``
    or ``schedule`` record (the object after the change) and an ``audit`` record (who, what, digests
    before and after, chained by hash to the previous audit record), all in the flushing transaction."""
    if not session.new:
        return
    audits = []
    for row in list(session.new):
        spec = _AUDITED.get(type(row))
        target = spec and session.get(spec[1], getattr(row, spec[2]))
        if target is None:
            continue
        kind = spec[0]
        ts = row.ts or now_ms()
        after = _columns(target)
        created = row.from_state is None and row.action in ("import", "create")
        session.add(OutboxEntry(type=kind, ts=ts, data={
            "action": row.action, "user": row.user_name, "from": row.from_state, "to": row.to_state,
            "note": row.note or "", kind: after}))
        audits.append({"ts": ts, "user": row.user_name, "action": row.action, "object": f"{kind}:{target.id}",
                       "before": None if created else digest(_columns(target, before=True)),
                       "after": digest(after)})
    entries = [o for o in session.new if isinstance(o, OutboxEntry) and o.seq is None]
    if not entries:
        return
    seq, prev = take_seqs(session, len(entries) + len(audits))
    for entry in entries:
        entry.seq, seq = seq, seq + 1
    for audit in audits:
        audit["prev"] = prev
        audit["hash"] = prev = digest(audit)  # over the record with ``prev``, without ``hash``
        session.add(OutboxEntry(seq=seq, type="audit", ts=audit["ts"], data=audit))
        seq += 1
    if audits:
        head = OutboxHead.__table__
        session.execute(update(head).where(head.c.id == 1).values(audit_hash=prev))
