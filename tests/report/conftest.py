"""Fixtures for the report tests: the station of reportdata.py, and its records at a collector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import reportdata as rd

from console.province.store import open_collector
from console.store.db import open_database


@pytest.fixture
def station_db(tmp_path: Path):
    """The station's November 2026 in a SQLite database (migrated, not seeded)."""
    db = open_database(f"sqlite:///{tmp_path / 'station' / 'console.db'}", seed=False)
    rd.build_station(db)
    yield db
    db.close()


@pytest.fixture
def collector_db(station_db, db_url: str) -> Iterator:
    """A collector (SQLite and PostgreSQL) holding everything the station sent."""
    db = open_collector(db_url)
    rd.ship(station_db, db)
    yield db
    db.close()
