"""Fixtures for the province sync tests (helpers in provhelpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from provhelpers import Collector, FaultProxy

from console.store.db import open_database


@pytest.fixture
def collector(db_url: str) -> Iterator[Collector]:
    """The collector on SQLite and on PostgreSQL."""
    c = Collector(db_url)
    yield c
    c.stop()


@pytest.fixture
def sqlite_collector(tmp_path: Path) -> Iterator[Collector]:
    c = Collector(f"sqlite:///{tmp_path / 'province.db'}")
    yield c
    c.stop()


@pytest.fixture
def station_db(tmp_path: Path):
    """A station database (SQLite, not seeded with administrative units)."""
    db = open_database(f"sqlite:///{tmp_path / 'station' / 'console.db'}", seed=False)
    yield db
    db.close()


@pytest.fixture
def proxy_for():
    made: list[FaultProxy] = []

    def make(target: str, **kw) -> FaultProxy:
        made.append(FaultProxy(target, **kw))
        return made[-1]
    yield make
    for p in made:
        p.close()
