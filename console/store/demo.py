"""Registering the demo fleet: simulated devices adopted at their real communes, one group each."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from console.store import repo
from console.store.models import Device, Group


def register_demo_fleet(db, specs: Iterable) -> int:
    """Adopt every spec not registered yet (unit from its GSO commune code); returns how many were new."""
    specs = list(specs)
    with db.sessions.begin() as s:
        known = set(s.scalars(select(Device.id).where(Device.id.in_([sp.id for sp in specs]))))
        groups = {g.id for g in s.scalars(select(Group))}
        new = 0
        per_commune: dict[str, int] = {}
        for sp in specs:
            per_commune[sp.unit_code] = per_commune.get(sp.unit_code, 0) + 1
            if sp.id in known:
                continue
            for gid in sp.groups:
                if gid not in groups:
                    name = sp.unit_name if gid.startswith("c-") and sp.unit_name else gid
                    repo.create_group(s, gid, name if gid != "all" else "Toàn xã / All")
                    groups.add(gid)
            units = repo.unit_by_code(s, sp.unit_code, level="commune") if sp.unit_code else []
            # Stations name clusters after the village (thôn) they serve.
            repo.register_device(s, sp.id, name=f"Cụm loa thôn {per_commune[sp.unit_code]}",
                                 unit_id=units[0].id if units else None, lat=sp.lat, lon=sp.lon,
                                 adoption="adopted")
            repo.set_device_groups(s, sp.id, sp.groups)
            new += 1
    return new
