"""indexes: planning check-ins over many participants, the participant list

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Without it, "no check-in scheduled" scanned every scheduled row per participant: the
    # first planning run over 100,000 participants took minutes and held the event loop.
    op.create_index(
        "ix_checkins_participant_status", "checkins", ["participant_id", "status"], unique=False
    )
    op.create_index("ix_participants_created", "participants", ["created_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_participants_created", table_name="participants")
    op.drop_index("ix_checkins_participant_status", table_name="checkins")
