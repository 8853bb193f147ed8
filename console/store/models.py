"""SQLAlchemy models: the administrative hierarchy, the device registry, device events, the outbox,
the audio library.

Timestamps are UTC epoch milliseconds (``BigInteger``) throughout, as on the wire
(``console/fleet/schemas.py``); dates of administrative validity are ``Date``.
A schema change needs a new Alembic revision in ``db/versions/`` (see docs/storage.md).
"""

from __future__ import annotations

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
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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
    """A loggable fact waiting to be shipped to the province (store-and-forward, by ``seq``)."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
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
