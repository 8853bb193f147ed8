"""Seed the reference data: administrative units before and after the 2025 reform, and the
old -> new successor links, from :mod:`console.store.admin_data`. One transaction, bulk inserts
level by level (parents first, so that children can refer to their ids)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from console.store import admin_data
from console.store.admin_data import UnitRecord
from console.store.models import AdminUnit, AdminUnitSuccessor

# (level, code) -> id, for one code set (pre-2025 or post-2025).
IdMap = dict[tuple[str, str], int]


def _insert_units(session: Session, records: Iterable[UnitRecord], era: ColumnElement[bool]) -> IdMap:
    """Insert one code set level by level; ``era`` is the SQL condition selecting that set."""
    by_level: dict[str, list[UnitRecord]] = {}
    for record in records:  # records come parents first, level by level
        by_level.setdefault(record.level, []).append(record)
    ids: IdMap = {}
    for level, level_records in by_level.items():
        session.execute(
            insert(AdminUnit),
            [
                {
                    "code": r.code, "name": r.name, "short_name": r.short_name, "type": r.type,
                    "level": r.level,
                    "parent_id": ids[(r.parent_level, r.parent_code)] if r.parent_code else None,
                    "valid_from": r.valid_from, "valid_to": r.valid_to,
                    "lat": r.lat, "lon": r.lon, "area_km2": r.area_km2,
                }
                for r in level_records
            ],
        )
        rows = session.execute(select(AdminUnit.code, AdminUnit.id).where(AdminUnit.level == level, era))
        ids.update(((level, code), id_) for code, id_ in rows)
    return ids


def seed_admin_units(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Insert all units and successor links; returns counts by kind. Safe when another process
    seeds at the same moment: its rows win and ours are rolled back."""
    with sessions() as session:
        try:
            with session.begin():
                legacy = _insert_units(session, admin_data.legacy_units(),
                                       AdminUnit.valid_to == admin_data.REFORM_DATE)
                current = _insert_units(session, admin_data.post_2025_units(),
                                        AdminUnit.valid_from == admin_data.REFORM_DATE)
                links = [
                    {
                        "old_id": legacy[(s.old_level, s.old_code)],
                        "new_id": current[(s.new_level, s.new_code)],
                        "is_default": s.is_default,
                    }
                    for s in admin_data.successors()
                ]
                session.execute(insert(AdminUnitSuccessor), links)
        except IntegrityError:
            if session.scalar(select(AdminUnit.id).limit(1)) is None:
                raise
            return {}
    counts = Counter(f"{level} (pre-2025)" for level, _ in legacy)
    counts.update(f"{level} (2025)" for level, _ in current)
    counts["successor links"] = len(links)
    return dict(counts)
