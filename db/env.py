"""Alembic environment, configured in code by ``console.store.db.alembic_config`` (no alembic.ini).

Runs on the connection that ``migrate()`` passes in, or on a new engine for ``sqlalchemy.url``
(used when generating a revision). SQLite uses batch mode, so that ALTERs become table copies.
"""

from alembic import context
from sqlalchemy import Connection

from console.store.db import make_engine
from console.store.models import Base

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as new_connection:
        run(new_connection)
    engine.dispose()
