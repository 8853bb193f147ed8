"""Initial schema: administrative units and successors, devices and groups, device events, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An autoincrementing 64-bit key; SQLite only autoincrements an INTEGER PRIMARY KEY (64-bit anyway).
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "admin_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("short_name", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["admin_units.id"],
            name=op.f("fk_admin_units_parent_id_admin_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_units")),
        sa.UniqueConstraint("level", "code", "valid_from", name=op.f("uq_admin_units_level_code_valid_from")),
    )
    op.create_index(op.f("ix_admin_units_code"), "admin_units", ["code"])
    op.create_index(op.f("ix_admin_units_parent_id"), "admin_units", ["parent_id"])

    op.create_table(
        "admin_unit_successors",
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("new_id", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["old_id"], ["admin_units.id"],
            name=op.f("fk_admin_unit_successors_old_id_admin_units"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["new_id"], ["admin_units.id"],
            name=op.f("fk_admin_unit_successors_new_id_admin_units"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("old_id", "new_id", name=op.f("pk_admin_unit_successors")),
    )
    op.create_index(op.f("ix_admin_unit_successors_new_id"), "admin_unit_successors", ["new_id"])

    op.create_table(
        "groups",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )

    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("adoption", sa.String(length=16), nullable=False),
        sa.Column("fw", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=64), nullable=True),
        sa.Column("first_seen", sa.BigInteger(), nullable=True),
        sa.Column("last_seen", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint("adoption IN ('pending', 'adopted', 'retired')", name=op.f("ck_devices_adoption")),
        sa.ForeignKeyConstraint(["unit_id"], ["admin_units.id"],
            name=op.f("fk_devices_unit_id_admin_units"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
    )
    op.create_index(op.f("ix_devices_adoption"), "devices", ["adoption"])
    op.create_index(op.f("ix_devices_unit_id"), "devices", ["unit_id"])

    op.create_table(
        "device_groups",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"],
            name=op.f("fk_device_groups_device_id_devices"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"],
            name=op.f("fk_device_groups_group_id_groups"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("device_id", "group_id", name=op.f("pk_device_groups")),
    )
    op.create_index(op.f("ix_device_groups_group_id"), "device_groups", ["group_id"])

    op.create_table(
        "device_events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("source IN ('device', 'console')", name=op.f("ck_device_events_source")),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"],
            name=op.f("fk_device_events_device_id_devices"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_events")),
        sa.UniqueConstraint("device_id", "seq", name=op.f("uq_device_events_device_id_seq")),
    )
    op.create_index("ix_device_events_device_id_ts", "device_events", ["device_id", "ts"])

    op.create_table(
        "outbox",
        sa.Column("seq", BigId, autoincrement=True, nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_sent_at"), "outbox", ["sent_at"])


def downgrade() -> None:
    for table in ("outbox", "device_events", "device_groups", "devices", "groups",
                  "admin_unit_successors", "admin_units"):
        op.drop_table(table)
