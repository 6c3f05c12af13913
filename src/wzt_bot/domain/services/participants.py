"""What a casemanager does with participants: create, invite, read. Every access is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    Checkin,
    Consent,
    Invite,
    Participant,
    Role,
    Staff,
    TelegramLink,
    new_id,
)
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.security import hash_secret, new_invite_code
from wzt_bot.domain.services import audit

INVITE_VALIDITY = timedelta(days=14)
MAX_DISPLAY_NAME = 80


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    participant: Participant
    code: str  # handed to the participant once; only its hash is stored
    expires_at_iso: str


@dataclass(frozen=True, slots=True)
class ParticipantView:
    participant: Participant
    link: TelegramLink | None
    consents: Sequence[Consent]
    invite: Invite | None
    next_checkin: Checkin | None  # the check-in planned next (none while off or stopped)


def can_read_participants(staff: Staff) -> bool:
    """Network analysts see anonymous totals only, never a participant's own data."""
    return staff.role is not Role.NETWORK_ANALYST


def visible_team_ids(staff: Staff) -> frozenset[uuid.UUID] | None:
    """The teams whose participants this staff member may see; None means all (admin)."""
    if staff.role is Role.ADMIN:
        return None
    return staff.team_ids


def _require_reader(staff: Staff) -> None:
    if not can_read_participants(staff):
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)


async def visible_participant(
    uow: UnitOfWork, staff: Staff, participant_id: uuid.UUID
) -> Participant:
    _require_reader(staff)
    participant = await uow.participants.get(participant_id)
    teams = visible_team_ids(staff)
    if participant is None or (teams is not None and participant.team_id not in teams):
        # Another team's participant is indistinguishable from a missing one.
        raise DomainError(ErrorCode.NOT_FOUND, entity="participant")
    return participant


async def _issue_invite(uow: UnitOfWork, clock: Clock, participant: Participant) -> IssuedInvite:
    now = clock.now()
    for old in await uow.invites.active_for(participant.id):
        old.revoked_at = now
        await uow.invites.update(old)
    code = new_invite_code()
    invite = Invite(
        id=new_id(),
        participant_id=participant.id,
        code_hash=hash_secret(code),
        created_at=now,
        expires_at=now + INVITE_VALIDITY,
    )
    await uow.invites.add(invite)
    return IssuedInvite(
        participant=participant, code=code, expires_at_iso=invite.expires_at.isoformat()
    )


async def create_participant(
    uow: UnitOfWork, clock: Clock, staff: Staff, *, display_name: str, team_id: uuid.UUID
) -> IssuedInvite:
    _require_reader(staff)
    display_name = " ".join(display_name.split())
    if not display_name or len(display_name) > MAX_DISPLAY_NAME:
        raise DomainError(ErrorCode.INVALID, field="display_name", max_length=MAX_DISPLAY_NAME)
    teams = visible_team_ids(staff)
    if (teams is not None and team_id not in teams) or await uow.teams.get(team_id) is None:
        raise DomainError(ErrorCode.UNKNOWN_TEAM, team_id=str(team_id))
    now = clock.now()
    participant = Participant(
        id=new_id(), team_id=team_id, display_name=display_name, created_at=now, updated_at=now
    )
    await uow.participants.add(participant)
    await audit.by_staff(uow, clock, staff.id, "participant.create", participant.id)
    return await _issue_invite(uow, clock, participant)


async def reissue_invite(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID
) -> IssuedInvite:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, "participant.invite", participant.id)
    return await _issue_invite(uow, clock, participant)


async def view_participant(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    participant_id: uuid.UUID,
    *,
    action: str = "participant.read",
) -> ParticipantView:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, action, participant.id)
    invites = await uow.invites.active_for(participant.id)
    now = clock.now()
    return ParticipantView(
        participant=participant,
        link=await uow.links.active_for_participant(participant.id),
        consents=await uow.consents.latest_for(participant.id),
        invite=next((i for i in invites if i.usable_at(now)), None),
        next_checkin=await uow.checkins.next_scheduled(participant.id),
    )


async def list_participants(
    uow: UnitOfWork, clock: Clock, staff: Staff, *, offset: int, limit: int
) -> tuple[Sequence[Participant], int]:
    _require_reader(staff)
    items, total = await uow.participants.list_for_teams(
        visible_team_ids(staff), offset=offset, limit=limit
    )
    for participant in items:
        await audit.by_staff(uow, clock, staff.id, "participant.list", participant.id)
    return items, total
