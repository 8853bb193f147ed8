"""The audio library: items, revisions (edit lists), renders and the history of who did what.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

``media_items.current_revision_id`` and ``media_revisions.item_id`` point at each other, so the
former's foreign key is added once both tables exist (a table copy on SQLite, batch mode).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CURRENT_REVISION_FK = "fk_media_items_current_revision_id_media_revisions"


def upgrade() -> None:
    op.create_table(
        "media_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=256), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("original_filename", sa.String(length=512), nullable=False),
        sa.Column("original_format", sa.String(length=64), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=False),
        sa.Column("lufs", sa.Float(), nullable=True),
        sa.Column("true_peak_db", sa.Float(), nullable=True),
        sa.Column("lra", sa.Float(), nullable=True),
        sa.Column("current_revision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("category IN ('news', 'policy', 'emergency', 'culture', 'advertisement', 'other')",
                           name=op.f("ck_media_items_category")),
        sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'rejected', 'archived')",
                           name=op.f("ck_media_items_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_items")),
    )
    op.create_index(op.f("ix_media_items_created_at"), "media_items", ["created_at"])
    op.create_index(op.f("ix_media_items_source_sha256"), "media_items", ["source_sha256"])
    op.create_index(op.f("ix_media_items_state"), "media_items", ["state"])

    op.create_table(
        "media_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("editlist", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["media_items.id"],
            name=op.f("fk_media_revisions_item_id_media_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_revisions")),
        sa.UniqueConstraint("item_id", "number", name=op.f("uq_media_revisions_item_id_number")),
    )
    with op.batch_alter_table("media_items") as batch:
        batch.create_foreign_key(op.f(CURRENT_REVISION_FK), "media_revisions",
                                 ["current_revision_id"], ["id"], ondelete="SET NULL")

    op.create_table(
        "media_renders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("bitrate_k", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("duration_ms", sa.BigInteger(), nullable=False),
        sa.Column("lufs", sa.Float(), nullable=True),
        sa.Column("true_peak_db", sa.Float(), nullable=True),
        sa.Column("lra", sa.Float(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["revision_id"], ["media_revisions.id"],
            name=op.f("fk_media_renders_revision_id_media_revisions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_renders")),
    )
    op.create_index(op.f("ix_media_renders_revision_id"), "media_renders", ["revision_id"])
    op.create_index(op.f("ix_media_renders_sha256"), "media_renders", ["sha256"])

    op.create_table(
        "media_history",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["media_items.id"],
            name=op.f("fk_media_history_item_id_media_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_history")),
    )
    op.create_index("ix_media_history_item_id_ts", "media_history", ["item_id", "ts"])


def downgrade() -> None:
    with op.batch_alter_table("media_items") as batch:
        batch.drop_constraint(op.f(CURRENT_REVISION_FK), type_="foreignkey")
    for table in ("media_history", "media_renders", "media_revisions", "media_items"):
        op.drop_table(table)
