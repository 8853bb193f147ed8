"""The reference collector's database: stations and their tokens, every record once, bulletins and
their receipts, and the state derived from the records for the overview (devices, alarms, as-run).

Its own metadata, separate from the station's. The schema is created on first start
(``create_all``) and carries a version in ``collector_meta``; a later change of it adds migrations.
New tables that change none of the existing ones (the staff accounts and sessions) are created by
the same ``create_all`` in an existing database and need no new version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.store.models import NAMING, now_ms

SCHEMA_VERSION = "1"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    __tablename__ = "collector_meta"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class Station(Base):
    """A station that may report here. ``acked_through`` is the highest contiguous seq held."""

    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    acked_through: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync_at: Mapped[int | None] = mapped_column(BigInteger)  # the last batch stored
    last_seen_at: Mapped[int | None] = mapped_column(BigInteger)  # the last authenticated request
    backlog: Mapped[int | None] = mapped_column(BigInteger)  # as the station last reported it
    bulletin_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # the last bulletin id given


class Token(Base):
    """A station's bearer token, kept as its sha256 only."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), index=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)


class Record(Base):
    """One record of one station, stored once: the key is (station, seq)."""

    __tablename__ = "records"
    __table_args__ = (Index("ix_records_station_id_type_ts", "station_id", "type", "ts"),)

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(32))
    ts: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))  # console.sync.api.record_digest
    received_at: Mapped[int] = mapped_column(BigInteger)


class MediaFile(Base):
    """A bulletin's audio, by content."""

    __tablename__ = "media"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    bytes: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(256), default="")
    content_type: Mapped[str] = mapped_column(String(64), default="application/octet-stream")
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Bulletin(Base):
    """A bulletin for one station; ``id`` counts per station without gaps (it is the long-poll cursor)."""

    __tablename__ = "bulletins"
    __table_args__ = (CheckConstraint(_in("priority", ("normal", "priority", "emergency")), name="priority"),)

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    priority: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text, default="")
    media_sha256: Mapped[str | None] = mapped_column(ForeignKey("media.sha256"))
    targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_from: Mapped[int | None] = mapped_column(BigInteger)
    valid_to: Mapped[int | None] = mapped_column(BigInteger)
    issued_by: Mapped[str] = mapped_column(String(128), default="")
    issued_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class BulletinReceipt(Base):
    """The last receipt of each status a station sent for a bulletin."""

    __tablename__ = "bulletin_receipts"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


# Derived from the records as they arrive (console/province/store.py), for the overview and reports.

class DeviceState(Base):
    """A station's device: where it is (inventory records) and how it is (device events)."""

    __tablename__ = "devices"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    unit: Mapped[str] = mapped_column(String(16), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    fw: Mapped[str] = mapped_column(String(64), default="")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    online: Mapped[bool | None] = mapped_column(Boolean)  # None: nothing heard yet
    state_ts: Mapped[int | None] = mapped_column(BigInteger)
    faults: Mapped[list[str]] = mapped_column(JSON, default=list)


class AlarmState(Base):
    """A station's alarm as its last record says."""

    __tablename__ = "alarms"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    alarm_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    device_id: Mapped[str] = mapped_column(String(64), default="")
    rule: Mapped[str] = mapped_column(String(32), default="")
    severity: Mapped[str] = mapped_column(String(16), default="")
    state: Mapped[str] = mapped_column(String(16), index=True)
    raised_at: Mapped[int | None] = mapped_column(BigInteger)
    resolved_at: Mapped[int | None] = mapped_column(BigInteger)
    ts: Mapped[int] = mapped_column(BigInteger)


class AsRun(Base):
    """What happened to one scheduled part on one device, as the station's last record says."""

    __tablename__ = "asrun"
    __table_args__ = (Index("ix_asrun_station_id_start", "station_id", "start"),)

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    schedule_id: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(BigInteger)
    dur_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16))
    played_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    ts: Mapped[int] = mapped_column(BigInteger)


# The staff pages (console/province/staff.py): accounts of province staff who publish bulletins, and
# their login sessions.

class StaffUser(Base):
    """A staff account; ``password`` is ``scrypt$n$r$p$salt$hash`` (base64), never the password."""

    __tablename__ = "staff_users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    password: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)


class StaffSession(Base):
    """A logged-in browser: the sha256 of its cookie, and the token its forms must carry (CSRF)."""

    __tablename__ = "staff_sessions"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(ForeignKey("staff_users.name", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger, default=now_ms)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)
