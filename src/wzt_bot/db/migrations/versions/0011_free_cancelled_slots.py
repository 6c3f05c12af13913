"""free cancelled check-in slots: a re-plan may take a cancelled check-in's day again

Before, a cancelled check-in kept its slot (one per participant per local day), so every
change of settings moved the next check-in one rhythm further. Cancelled rows now carry a
key of their own ("cancelled:" and their id); this frees the slots of the ones from before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE checkins SET slot = 'cancelled:' || CAST(id AS VARCHAR) "
        "WHERE status = 'cancelled' AND slot NOT LIKE 'cancelled:%'"
    )


def downgrade() -> None:
    # Nothing to undo: a freed slot is a valid, unique slot for the schema of 0009.
    pass
