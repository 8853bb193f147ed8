"""Scheduling: schedules and their history, published documents, media readiness, as-run receipts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("programme", sa.JSON(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("vol", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("priority IN ('normal', 'priority')", name=op.f("ck_schedules_priority")),
        sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'rejected', 'archived')",
                           name=op.f("ck_schedules_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    op.create_index(op.f("ix_schedules_state"), "schedules", ["state"])

    op.create_table(
        "schedule_history",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["schedule_id"], ["schedules.id"],
            name=op.f("fk_schedule_history_schedule_id_schedules"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_history")),
    )
    op.create_index("ix_schedule_history_schedule_id_ts", "schedule_history", ["schedule_id", "ts"])

    op.create_table(
        "publications",
        sa.Column("topic", sa.String(length=256), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.BigInteger(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_publications")),
    )

    op.create_table(
        "media_readiness",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("state IN ('ready', 'failed')", name=op.f("ck_media_readiness_state")),
        sa.PrimaryKeyConstraint("device_id", "sha256", name=op.f("pk_media_readiness")),
    )
    op.create_index(op.f("ix_media_readiness_sha256"), "media_readiness", ["sha256"])

    op.create_table(
        "receipts",
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("dur_ms", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("played_ms", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("status IN ('played', 'partial', 'missed', 'failed')", name=op.f("ck_receipts_status")),
        sa.PrimaryKeyConstraint("item", "device_id", name=op.f("pk_receipts")),
    )
    op.create_index(op.f("ix_receipts_schedule_id"), "receipts", ["schedule_id"])
    op.create_index("ix_receipts_start", "receipts", ["start"])


def downgrade() -> None:
    for table in ("receipts", "media_readiness", "publications", "schedule_history", "schedules"):
        op.drop_table(table)
