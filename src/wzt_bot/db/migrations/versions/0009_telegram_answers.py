"""telegram_answers: the ledger of answers sent per update (not sent twice after a crash)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wzt_bot.db.tables

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "telegram_answers",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_type", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", wzt_bot.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", "seq", name=op.f("pk_telegram_answers")),
    )
    op.create_index(
        op.f("ix_telegram_answers_recorded_at"), "telegram_answers", ["recorded_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_telegram_answers_recorded_at"), table_name="telegram_answers")
    op.drop_table("telegram_answers")
