"""flag_risks: each risk message of a crisis flag, its urgency and whether it was withdrawn

"Ik ben oké, dit was verkeerd begrepen" now withdraws only the message it stands under.
An open crisis flag from before gets one row that stands for its earlier messages: no button
refers to it, so it is never withdrawn and the flag keeps its urgency.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wzt_bot.db.tables

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_flags = sa.table(
    "flags",
    sa.column("id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("status", sa.String()),
    sa.column("urgency", sa.String()),
    sa.column("created_at", wzt_bot.db.tables.UtcDateTime(timezone=True)),
    sa.column("acknowledged_at", wzt_bot.db.tables.UtcDateTime(timezone=True)),
)


def upgrade() -> None:
    risks = op.create_table(
        "flag_risks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("flag_id", sa.Uuid(), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("created_at", wzt_bot.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("withdrawn_at", wzt_bot.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("note_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", wzt_bot.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["flag_id"], ["flags.id"], name=op.f("fk_flag_risks_flag_id_flags")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["flag_messages.id"],
            name=op.f("fk_flag_risks_message_id_flag_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["flag_messages.id"], name=op.f("fk_flag_risks_note_id_flag_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flag_risks")),
    )
    op.create_index(op.f("ix_flag_risks_flag_id"), "flag_risks", ["flag_id"], unique=False)
    # Open crisis flags from before: one row for their earlier messages, never withdrawn.
    rows = op.get_bind().execute(
        sa.select(
            _flags.c.id, _flags.c.urgency, _flags.c.created_at, _flags.c.acknowledged_at
        ).where(_flags.c.kind == "crisis", _flags.c.status != "resolved")
    )
    legacy = [
        {
            "id": uuid.uuid4(),
            "flag_id": row.id,
            "urgency": row.urgency,
            "created_at": row.created_at,
            "acknowledged_at": row.acknowledged_at,
        }
        for row in rows
    ]
    if legacy:
        op.bulk_insert(risks, legacy)


def downgrade() -> None:
    op.drop_index(op.f("ix_flag_risks_flag_id"), table_name="flag_risks")
    op.drop_table("flag_risks")
