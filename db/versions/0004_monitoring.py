"""Monitoring: fleet status rollups, per-device day rows, alarms, people served.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("state != 'resolved'")


def upgrade() -> None:
    op.create_table(
        "monitor_fleet",
        sa.Column("res_s", sa.Integer(), nullable=False),
        sa.Column("t", sa.BigInteger(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in
          ("devices", "online", "offline", "unknown", "playing", "faulty", "pending", "alarms")),
        sa.Column("msgs", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("res_s", "t", name=op.f("pk_monitor_fleet")),
    )

    op.create_table(
        "monitor_device_days",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.BigInteger(), nullable=False),
        sa.Column("res_s", sa.Integer(), nullable=False),
        sa.Column("online_s", sa.Integer(), nullable=False),
        sa.Column("observed_s", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"],
            name=op.f("fk_monitor_device_days_device_id_devices"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("device_id", "day", name=op.f("pk_monitor_device_days")),
    )
    op.create_index(op.f("ix_monitor_device_days_day"), "monitor_device_days", ["day"])

    op.create_table(
        "alarms",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("raised_at", sa.BigInteger(), nullable=False),
        sa.Column("acked_by", sa.String(length=128), nullable=True),
        sa.Column("acked_at", sa.BigInteger(), nullable=True),
        sa.Column("ack_note", sa.Text(), nullable=False),
        sa.Column("resolved_by", sa.String(length=128), nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=True),
        sa.Column("resolve_note", sa.Text(), nullable=False),
        sa.CheckConstraint("state IN ('new', 'acknowledged', 'resolved')", name=op.f("ck_alarms_state")),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"],
            name=op.f("fk_alarms_device_id_devices"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
    )
    op.create_index(op.f("ix_alarms_device_id"), "alarms", ["device_id"])
    op.create_index(op.f("ix_alarms_state"), "alarms", ["state"])
    op.create_index("ix_alarms_raised_at", "alarms", ["raised_at"])
    # At most one open alarm per device and rule (a partial unique index, on both databases).
    op.create_index("ix_alarms_open_device_rule", "alarms", ["device_id", "rule"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)

    op.create_table(
        "people_served",
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('device', 'unit')", name=op.f("ck_people_served_scope")),
        sa.PrimaryKeyConstraint("scope", "ref", name=op.f("pk_people_served")),
    )


def downgrade() -> None:
    for table in ("people_served", "alarms", "monitor_device_days", "monitor_fleet"):
        op.drop_table(table)
