"""Query and write helpers over a Session: administrative units, devices, groups, events.

Callers own the transaction (``with sessions.begin() as s:`` or ``DbWriter.call``). Writes from
the running console go through :class:`console.store.writer.DbWriter`, the single writer.
Unknown ids raise ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from console.core.hierarchy import Unit
from console.store.models import (
    AdminUnit,
    AdminUnitSuccessor,
    Device,
    DeviceEvent,
    Group,
    OutboxEntry,
    now_ms,
)

# Device events that also go to the province (outbox type ``device_event``), in the same transaction.
LOGGED_EVENTS = frozenset({"online", "offline", "fault.raised", "fault.cleared"})

# ---------------------------------------------------------------------------------------------
# Administrative units


def _valid_at(day: date) -> ColumnElement[bool]:
    return and_(
        or_(AdminUnit.valid_from.is_(None), AdminUnit.valid_from <= day),
        or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to > day),
    )


_UNIT_COLUMNS = (AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.level, AdminUnit.parent_id,
                 AdminUnit.lat, AdminUnit.lon, AdminUnit.valid_from, AdminUnit.valid_to)


def _unit(row: AdminUnit) -> Unit:
    return Unit(*(getattr(row, c.key) for c in _UNIT_COLUMNS))


def load_units(session: Session, at: date | None = None) -> list[Unit]:
    """All units (both code sets), or those valid at ``at``; feed them to ``core.hierarchy.Hierarchy``."""
    query = select(*_UNIT_COLUMNS).order_by(AdminUnit.id)  # plain rows: ~4x faster than ORM entities
    if at is not None:
        query = query.where(_valid_at(at))
    return [Unit(*row) for row in session.execute(query)]


def unit_by_code(session: Session, code: str, at: date | None = None, level: str | None = None) -> list[Unit]:
    """The units with GSO ``code`` valid at ``at`` (default: today).

    A code no longer valid then (e.g. a pre-2025 ward) resolves to the unit(s) it merged into,
    the default successor first. Usually one unit; several when the old unit was split; empty if
    the code is unknown. ``level`` narrows the search where codes of different levels collide.
    """
    day = at or date.today()
    query = select(AdminUnit).where(AdminUnit.code == code)
    if level is not None:
        query = query.where(AdminUnit.level == level)
    current = session.scalars(query.where(_valid_at(day)).order_by(AdminUnit.id)).all()
    if current:
        return [_unit(u) for u in current]
    # Follow successor links forward (a later reform would chain them) until valid at ``day``.
    frontier = [u.id for u in session.scalars(query.where(AdminUnit.valid_to <= day))]
    seen = set(frontier)
    found: list[Unit] = []
    while frontier:
        successors = session.scalars(
            select(AdminUnit)
            .join(AdminUnitSuccessor, AdminUnitSuccessor.new_id == AdminUnit.id)
            .where(AdminUnitSuccessor.old_id.in_(frontier))
            .order_by(AdminUnitSuccessor.is_default.desc(), AdminUnit.id)
        ).all()
        frontier = []
        for row in successors:
            if row.id not in seen:
                seen.add(row.id)
                unit = _unit(row)
                if unit.valid_at(day):
                    found.append(unit)
                else:
                    frontier.append(unit.id)
    return found


# ---------------------------------------------------------------------------------------------
# Devices


def _device(session: Session, device_id: str) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise KeyError(f"unknown device {device_id!r}")
    return device


def register_device(session: Session, device_id: str, *, name: str | None = None,
                    unit_id: int | None = None, lat: float | None = None, lon: float | None = None,
                    adoption: str = "pending", notes: str = "") -> Device:
    """Create a device before it has connected (an admin entering a serial). ValueError if it exists."""
    if session.get(Device, device_id) is not None:
        raise ValueError(f"device {device_id!r} already exists")
    device = Device(id=device_id, name=name, unit_id=unit_id, lat=lat, lon=lon,
                    adoption=adoption, notes=notes)
    session.add(device)
    session.flush()
    return device


def adopt_device(session: Session, device_id: str, name: str | None = None, unit_id: int | None = None,
                 lat: float | None = None, lon: float | None = None) -> Device:
    """Mark a (pending or retired) device as adopted, setting what is given. A device placed in a
    unit without a position of its own gets the unit's centroid, so that the map can show it."""
    device = _device(session, device_id)
    device.adoption = "adopted"
    if name is not None:
        device.name = name
    if unit_id is not None:
        unit = session.get(AdminUnit, unit_id)
        if unit is None:
            raise KeyError(f"unknown administrative unit {unit_id}")
        device.unit_id = unit_id
        if lat is None and lon is None and device.lat is None:
            lat, lon = unit.lat, unit.lon
    if lat is not None and lon is not None:
        device.lat, device.lon = lat, lon
    session.flush()
    return device


def retire_device(session: Session, device_id: str) -> Device:
    """Take a device out of service; its history stays. Adopting it again brings it back."""
    device = _device(session, device_id)
    device.adoption = "retired"
    session.flush()
    return device


def list_devices(session: Session, adoption: str | None = None) -> list[Device]:
    """All devices, or those in one adoption state, by id."""
    query = select(Device).order_by(Device.id)
    if adoption is not None:
        query = query.where(Device.adoption == adoption)
    return list(session.scalars(query))


def pending_devices(session: Session) -> list[Device]:
    """Devices that connected but nobody adopted yet, the most recently seen first."""
    return list(session.scalars(
        select(Device).where(Device.adoption == "pending")
        .order_by(Device.last_seen.desc().nulls_last(), Device.id)
    ))


def set_device_groups(session: Session, device_id: str, group_ids: Iterable[str]) -> Device:
    """Replace the device's groups by ``group_ids`` (all must exist)."""
    device = _device(session, device_id)
    wanted = set(group_ids)
    groups = list(session.scalars(select(Group).where(Group.id.in_(wanted)))) if wanted else []
    missing = wanted - {g.id for g in groups}
    if missing:
        raise KeyError(f"unknown groups {sorted(missing)}")
    device.groups = sorted(groups, key=lambda g: g.id)
    session.flush()
    return device


# ---------------------------------------------------------------------------------------------
# Groups


def _group(session: Session, group_id: str) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise KeyError(f"unknown group {group_id!r}")
    return group


def create_group(session: Session, group_id: str, name: str, description: str = "") -> Group:
    """A new group; ``group_id`` is the slug in MQTT topics. ValueError if it exists."""
    if session.get(Group, group_id) is not None:
        raise ValueError(f"group {group_id!r} already exists")
    group = Group(id=group_id, name=name, description=description)
    session.add(group)
    session.flush()
    return group


def update_group(session: Session, group_id: str, name: str | None = None,
                 description: str | None = None) -> Group:
    group = _group(session, group_id)
    if name is not None:
        group.name = name
    if description is not None:
        group.description = description
    session.flush()
    return group


def delete_group(session: Session, group_id: str) -> None:
    """Delete a group; its devices stay, without it."""
    session.delete(_group(session, group_id))
    session.flush()


def list_groups(session: Session) -> list[Group]:
    return list(session.scalars(select(Group).order_by(Group.id)))


# ---------------------------------------------------------------------------------------------
# Ingest writes (used by the DbWriter, in batches)


@dataclass
class Sighting:
    """What the fleet learnt about one device in one batch: earliest/latest time, last values."""

    device_id: str
    first_ms: int
    last_ms: int
    fw: str | None = None
    model: str | None = None
    lat: float | None = None
    lon: float | None = None

    def merge(self, ts_ms: int, fw: str | None, model: str | None,
              lat: float | None, lon: float | None) -> None:
        self.first_ms = min(self.first_ms, ts_ms)
        self.last_ms = max(self.last_ms, ts_ms)
        self.fw = fw if fw is not None else self.fw
        self.model = model if model is not None else self.model
        if lat is not None and lon is not None:
            self.lat, self.lon = lat, lon


def _insert_ignore(session: Session, table: Table, rows: Sequence[Mapping[str, Any]], returning=()):
    """INSERT ... ON CONFLICT DO NOTHING (a row clashing with a unique key is skipped); with
    ``returning`` columns, the rows actually inserted."""
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    statement = insert(table).on_conflict_do_nothing()
    if returning:
        return session.execute(statement.returning(*returning), rows).all()
    session.execute(statement, rows)


def record_sightings(session: Session, sightings: Iterable[Sighting]) -> None:
    """Create unknown devices as *pending*; for known ones move last_seen forward (never back),
    set first_seen if unset, and update fw/model/position where given."""
    rows = [
        {"b_id": s.device_id, "b_first": s.first_ms, "b_last": s.last_ms, "b_fw": s.fw,
         "b_model": s.model, "b_lat": s.lat, "b_lon": s.lon}
        for s in sightings
    ]
    if not rows:
        return
    _insert_ignore(session, Device.__table__, [{"id": r["b_id"], "adoption": "pending"} for r in rows])
    t = Device.__table__.c
    session.execute(
        update(Device.__table__)
        .where(t.id == bindparam("b_id"))
        .values(
            first_seen=case((or_(t.first_seen.is_(None), t.first_seen > bindparam("b_first")),
                             bindparam("b_first")), else_=t.first_seen),
            last_seen=case((or_(t.last_seen.is_(None), t.last_seen < bindparam("b_last")),
                            bindparam("b_last")), else_=t.last_seen),
            fw=func.coalesce(bindparam("b_fw", type_=t.fw.type), t.fw),
            model=func.coalesce(bindparam("b_model", type_=t.model.type), t.model),
            lat=func.coalesce(bindparam("b_lat", type_=t.lat.type), t.lat),
            lon=func.coalesce(bindparam("b_lon", type_=t.lon.type), t.lon),
        ),
        rows,
    )


def add_events(session: Session, events: Sequence[Mapping[str, Any]]) -> None:
    """Store events ``{device_id, seq (None for console events), ts, type, data, source}``.

    Idempotent by (device_id, seq): a redelivered device event is skipped. A device not yet
    known is created as *pending* (its first message may be an event).
    """
    if not events:
        return
    device_ids = sorted({e["device_id"] for e in events})
    _insert_ignore(session, Device.__table__, [{"id": d, "adoption": "pending"} for d in device_ids])
    received = now_ms()
    rows = [{"device_id": e["device_id"], "seq": e.get("seq"), "ts": e["ts"], "type": e["type"],
             "data": e.get("data") or {}, "source": e.get("source", "device"), "received_at": received}
            for e in events]
    if not any(r["type"] in LOGGED_EVENTS for r in rows):
        _insert_ignore(session, DeviceEvent.__table__, rows)
        return
    t = DeviceEvent.__table__.c
    inserted = _insert_ignore(session, DeviceEvent.__table__, rows, (t.device_id, t.seq, t.ts, t.type, t.data))
    session.add_all(OutboxEntry(type="device_event", ts=e.ts, data={
        "device": e.device_id, "kind": e.type, "detail": e.data or {}, "device_seq": e.seq})
        for e in sorted(inserted, key=lambda e: e.ts) if e.type in LOGGED_EVENTS)


def recent_events(session: Session, device_id: str, limit: int = 100) -> list[DeviceEvent]:
    """A device's latest events, newest first."""
    return list(session.scalars(
        select(DeviceEvent).where(DeviceEvent.device_id == device_id)
        .order_by(DeviceEvent.ts.desc(), DeviceEvent.id.desc()).limit(limit)
    ))
