"""participants.stage_explained_at: the word "stage" was explained once (hiva.md R22)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wzt_bot.db.tables

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases (SQLite has ADD/DROP COLUMN since 3.35): a batch
    # copy of `participants` would trip over the rows that refer to it.
    op.add_column(
        "participants",
        sa.Column(
            "stage_explained_at", wzt_bot.db.tables.UtcDateTime(timezone=True), nullable=True
        ),
    )


def downgrade() -> None:
    op.drop_column("participants", "stage_explained_at")
