"""rights: a network's own explanations of "Waar heb ik recht op?"

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "network_rights",
        sa.Column("network_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_network_rights_network_id_networks")
        ),
        sa.PrimaryKeyConstraint("network_id", "topic", name=op.f("pk_network_rights")),
    )


def downgrade() -> None:
    op.drop_table("network_rights")
