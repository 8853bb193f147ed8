"""Helpers of the monitoring tests: a controllable clock, a fleet state built by hand, a database."""

from __future__ import annotations

from console.fleet import schemas
from console.fleet.state import FleetState
from console.store import repo
from console.store.db import open_database

T0 = 1_767_225_600_000  # 2026-01-01 00:00 UTC, epoch ms (a day boundary)
MIN, HOUR, DAY = 60_000, 3_600_000, 86_400_000


class Clock:
    """Seconds, like time.time; moved by hand."""

    def __init__(self, ms: int = T0) -> None:
        self.ms = ms

    def __call__(self) -> float:
        return self.ms / 1000

    def advance(self, ms: int) -> int:
        self.ms += ms
        return self.ms


def tele(seq: int = 1, **fields) -> schemas.Tele:
    return schemas.make(schemas.Tele, seq=seq, **fields)


def fleet(n: int = 0, *, state: str = "online", unit: str = "U1", since: int = T0) -> FleetState:
    """A fleet of n adopted devices d0..d{n-1} in unit ``unit``, all in ``state`` since ``since``."""
    fs = FleetState()
    for i in range(n):
        add(fs, f"d{i}", state=state, unit=unit, since=since)
    return fs


def add(fs: FleetState, dev: str, *, state: str = "online", unit: str = "U1", adopted: bool = True,
        since: int = T0, groups=(), **tele_fields):
    d = fs.register(dev, adopted=adopted, name=f"Loa {dev}", unit_code=unit, unit_name=f"Xã {unit}",
                    lat=14.0, lon=108.0, groups=groups)
    d.state, d.state_since_ms = state, since
    if state != "unknown":
        d.last_seen_ms = since
    if tele_fields:
        d.tele = tele(**tele_fields)
    return d


def open_db(url: str, devices=(), adopted: bool = True):
    """A migrated database (not seeded with units) holding ``devices``."""
    db = open_database(url, seed=False)
    with db.sessions.begin() as s:
        for dev in devices:
            repo.register_device(s, dev, adoption="adopted" if adopted else "pending")
    return db
