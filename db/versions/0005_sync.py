"""Province sync: a gap-free outbox seq (counter row), the sync state, the bulletin inbox and its receipts.

The outbox's ``seq`` was an autoincrement key; on PostgreSQL a sequence leaves gaps when a transaction
rolls back, and the province API needs a gap-free station sequence. From here on ``seq`` is assigned
from ``outbox_head`` in the writing transaction (console/store/models.py). Entries written so far are
renumbered 1..n in their order (nothing has been shipped before this revision).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE outbox ALTER COLUMN seq DROP DEFAULT")
        op.execute("DROP SEQUENCE IF EXISTS outbox_seq_seq")
    # Renumber without gaps, keeping the order: negate first so that no new number meets an old one.
    op.execute("UPDATE outbox SET seq = -seq")
    op.execute("UPDATE outbox SET seq = r.n FROM (SELECT seq AS old, row_number() OVER (ORDER BY seq DESC) AS n "
               "FROM outbox) AS r WHERE outbox.seq = r.old")

    op.create_table(
        "outbox_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_head")),
    )
    op.execute("INSERT INTO outbox_head (id, seq, audit_hash) SELECT 1, count(*), '' FROM outbox")

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acked_through", sa.BigInteger(), nullable=False),
        sa.Column("bulletin_cursor", sa.BigInteger(), nullable=False),
        sa.Column("last_success_at", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_at", sa.BigInteger(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("inventory_digest", sa.String(length=64), nullable=False),
        sa.Column("inventory_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.execute("INSERT INTO sync_state (id, acked_through, bulletin_cursor, last_error, paused, inventory_digest) "
               "VALUES (1, 0, 0, '', false, '')")

    op.create_table(
        "inbox",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media", sa.JSON(), nullable=True),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.BigInteger(), nullable=True),
        sa.Column("valid_to", sa.BigInteger(), nullable=True),
        sa.Column("issued_by", sa.String(length=128), nullable=False),
        sa.Column("issued_at", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("priority IN ('normal', 'priority', 'emergency')", name=op.f("ck_inbox_priority")),
        sa.CheckConstraint("state IN ('received', 'waiting', 'confirm', 'scheduled', 'played', 'rejected')",
                           name=op.f("ck_inbox_state")),
        sa.ForeignKeyConstraint(["item_id"], ["media_items.id"], name=op.f("fk_inbox_item_id_media_items"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
    )
    op.create_index(op.f("ix_inbox_state"), "inbox", ["state"])

    op.create_table(
        "bulletin_receipts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("bulletin_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("status IN ('received', 'scheduled', 'played', 'rejected')",
                           name=op.f("ck_bulletin_receipts_status")),
        sa.ForeignKeyConstraint(["bulletin_id"], ["inbox.id"], name=op.f("fk_bulletin_receipts_bulletin_id_inbox"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletin_receipts")),
    )
    op.create_index(op.f("ix_bulletin_receipts_bulletin_id"), "bulletin_receipts", ["bulletin_id"])
    op.create_index(op.f("ix_bulletin_receipts_sent_at"), "bulletin_receipts", ["sent_at"])


def downgrade() -> None:
    for table in ("bulletin_receipts", "inbox", "sync_state", "outbox_head"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE outbox_seq_seq OWNED BY outbox.seq")
        op.execute("SELECT setval('outbox_seq_seq', coalesce(max(seq), 0) + 1, false) FROM outbox")
        op.execute("ALTER TABLE outbox ALTER COLUMN seq SET DEFAULT nextval('outbox_seq_seq')")
