"""Engine and session factory, migrations (Alembic, configured in code) and the start-up path.

``open_database(url)`` is called at every start: it connects, upgrades the schema to head and
seeds the reference data (the administrative units) if they are missing. When both are already
done it costs one Alembic version check and one count query.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import console
from console.store.models import AdminUnit
from console.store.seed import seed_admin_units

log = logging.getLogger(__name__)

DB_DIR = Path(console.__file__).resolve().parent.parent / "db"
SQLITE_BUSY_TIMEOUT_MS = 5000


class StoreError(RuntimeError):
    """The database cannot be used; the message is one line, fit for the user."""


@dataclass
class Database:
    """An open database: the engine and its session factory."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def _one_line(exc: BaseException) -> str:
    """The first line of the driver's own message (SQLAlchemy appends SQL and a help link)."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip().splitlines()
    return text[0] if text else type(inner).__name__


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str | URL) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, checked by connecting once.

    SQLite (``sqlite:///path/console.db``): the parent directory is created; every connection
    runs in WAL mode with synchronous=NORMAL, foreign keys on and a busy timeout.
    PostgreSQL: ``postgresql+psycopg://user:pass@host/db`` (psycopg 3); a bare ``postgresql://``
    also means psycopg 3. Raises :class:`StoreError` for a bad URL or an unreachable server.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {str(url)!r}: {exc}") from None
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            try:
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder for {shown}: {exc}") from None
        kwargs = {}
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs = {"pool_pre_ping": True}
    else:
        raise StoreError(f"unsupported database {shown}: use sqlite:///PATH or postgresql+psycopg://...")
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"no driver for {shown}: {exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open {shown}: {_one_line(exc)}") from None
    return engine


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic configured in code (no alembic.ini): scripts in ``db/``; runs on ``connection``,
    or on a new engine for ``url`` (e.g. for ``command.revision(..., autogenerate=True)``)."""
    config = Config()
    config.set_main_option("script_location", str(DB_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (a no-op when it is already there)."""
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    except (SQLAlchemyError, CommandError) as exc:  # CommandError: e.g. a schema newer than this code
        raise StoreError(f"database migration failed: {_one_line(exc)}") from None


def open_database(url: str | URL, seed: bool = True) -> Database:
    """Connect, migrate to head and (with ``seed``) load the reference data if it is missing."""
    engine = make_engine(url)
    migrate(engine)
    db = Database(engine, sessionmaker(engine, expire_on_commit=False))
    if seed:
        try:
            with db.sessions() as session:
                seeded = session.scalar(select(AdminUnit.id).limit(1)) is not None
            if not seeded:
                log.info("seeded administrative units: %s", seed_admin_units(db.sessions))
        except SQLAlchemyError as exc:
            raise StoreError(f"seeding the administrative units failed: {_one_line(exc)}") from None
    return db
