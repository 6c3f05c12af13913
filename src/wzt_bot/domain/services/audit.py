"""The audit log: who read or changed whose data, and when."""

from __future__ import annotations

import uuid

from wzt_bot.domain.models import AuditEntry, new_id
from wzt_bot.domain.ports import Clock, UnitOfWork


async def record(
    uow: UnitOfWork,
    clock: Clock,
    *,
    actor_kind: str,
    actor_id: uuid.UUID,
    action: str,
    participant_id: uuid.UUID | None,
    detail: str = "",
) -> None:
    await uow.audit.add(
        AuditEntry(
            id=new_id(),
            at=clock.now(),
            actor_kind=actor_kind,
            actor_id=str(actor_id),
            action=action,
            participant_id=participant_id,
            detail=detail,
        )
    )


async def by_staff(
    uow: UnitOfWork,
    clock: Clock,
    staff_id: uuid.UUID,
    action: str,
    participant_id: uuid.UUID | None,
    detail: str = "",
) -> None:
    """A staff member read or changed (a participant's) data."""
    await record(
        uow,
        clock,
        actor_kind="staff",
        actor_id=staff_id,
        action=action,
        participant_id=participant_id,
        detail=detail,
    )


async def by_participant(
    uow: UnitOfWork, clock: Clock, participant_id: uuid.UUID, action: str
) -> None:
    """The participant acted on their own data."""
    await record(
        uow,
        clock,
        actor_kind="participant",
        actor_id=participant_id,
        action=action,
        participant_id=participant_id,
    )
