"""A team's settings, its members' availability, and who a participant's contacts are."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Phase,
    Role,
    Staff,
    StaffFunction,
)
from wzt_bot.domain.policies.team import TeamReach, TeamSettings
from wzt_bot.domain.ports import Clock, StaffPresence, UnitOfWork
from wzt_bot.domain.services import audit, checkins, coverage, surveys
from wzt_bot.domain.services.outbox import WEBHOOK_RETRY_WINDOW
from wzt_bot.domain.services.participants import visible_participant, visible_team_ids

MANAGERS = frozenset({Role.TEAMLEAD, Role.ADMIN})


async def reach(
    uow: UnitOfWork,
    team_id: uuid.UUID,
    settings: TeamSettings,
    now: datetime,
    tz: tzinfo,
    presence: StaffPresence | None = None,
) -> TeamReach:
    """Can an urgent message reach the team at once, and when are they at work?

    A channel exists when the team has a Telegram group for notices, a webhook to its own
    system (with its secret: without one nothing is sent), or a member signed in to the web
    workspace (`presence`). Without one, a flag waits in the team's list."""
    channel = settings.notify_chat_id is not None
    if not channel and settings.webhook_url:
        channel = bool(await uow.teams.webhook_secret(team_id))
    if not channel and presence is not None:
        channel = await presence.signed_in(team_id)
    return settings.reach(now, tz, channel=channel)


def _team_visible(staff: Staff, team_id: uuid.UUID) -> None:
    teams = visible_team_ids(staff)
    if staff.role is Role.NETWORK_ANALYST or (teams is not None and team_id not in teams):
        raise DomainError(ErrorCode.NOT_FOUND, entity="team")


async def read_settings(
    uow: UnitOfWork, staff: Staff, team_id: uuid.UUID
) -> tuple[TeamSettings, bool]:
    _team_visible(staff, team_id)
    if await uow.teams.get(team_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="team")
    return await uow.teams.settings(team_id), await uow.teams.webhook_secret(team_id) is not None


async def _check_member(uow: UnitOfWork, team_id: uuid.UUID, staff_id: uuid.UUID | None) -> None:
    if staff_id is None:
        return
    member = await uow.staff.get(staff_id)
    if member is None or team_id not in member.team_ids:
        raise DomainError(ErrorCode.INVALID, field="staff_id", reason=f"{staff_id} not in team")


async def save_settings(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    team_id: uuid.UUID,
    settings: TeamSettings,
    *,
    webhook_secret: str | None,
) -> TeamSettings:
    """Teamleads and admins change a team's settings; the routing must point at members."""
    _team_visible(staff, team_id)
    if staff.role not in MANAGERS:
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)
    if await uow.teams.get(team_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="team")
    if settings.office_start >= settings.office_end:
        raise DomainError(ErrorCode.INVALID, field="office_end", reason="before office_start")
    for staff_id in [
        *settings.routing.values(),
        settings.main_contact_id,
        settings.backup_contact_id,
    ]:
        await _check_member(uow, team_id, staff_id)
    if (
        settings.webhook_url
        and webhook_secret is None
        and not await uow.teams.webhook_secret(team_id)
    ):
        raise DomainError(ErrorCode.INVALID, field="webhook_secret", reason="required with a URL")
    await uow.teams.save_settings(team_id, settings)
    if webhook_secret is not None:
        await uow.teams.set_webhook_secret(team_id, webhook_secret)
    await audit.by_staff(uow, clock, staff.id, f"team.settings:{team_id}", None)
    return settings


async def set_availability(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    *,
    away: bool,
    function: StaffFunction | None,
    tz: tzinfo = UTC,
) -> Staff:
    """A staff member marks themself away (flags go to the back-up) or back; the
    participants whose main contact they are hear who covers (hiva.md R10)."""
    was_away = staff.away
    staff.away = away
    if function is not None:
        staff.function = function
    await uow.staff.update(staff)
    await audit.by_staff(uow, clock, staff.id, "staff.away" if away else "staff.back", None)
    await coverage.availability_changed(uow, clock, tz, staff, was_away=was_away)
    return staff


async def set_contacts(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    participant_id: uuid.UUID,
    *,
    main_contact_id: uuid.UUID | None,
    backup_contact_id: uuid.UUID | None,
    tz: tzinfo = UTC,
) -> Participant:
    participant = await visible_participant(uow, staff, participant_id)
    await _check_member(uow, participant.team_id, main_contact_id)
    await _check_member(uow, participant.team_id, backup_contact_id)
    before = participant.main_contact_id
    participant.main_contact_id = main_contact_id
    participant.backup_contact_id = backup_contact_id
    participant.updated_at = clock.now()
    await uow.participants.update(participant)
    await audit.by_staff(uow, clock, staff.id, "participant.contacts", participant.id)
    await coverage.main_contact_changed(uow, clock, tz, participant, before)  # hiva.md R10
    return participant


async def set_trajectory(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    staff: Staff,
    participant_id: uuid.UUID,
    *,
    phase: Phase | None,
    paused: bool,
    stage_changed_at: datetime | None,
) -> Participant:
    """The trajectory facts that set the check-in rhythm (the full plan comes later)."""
    participant = await visible_participant(uow, staff, participant_id)
    participant.phase = phase
    participant.paused = paused
    participant.stage_changed_at = stage_changed_at
    participant.updated_at = clock.now()
    await uow.participants.update(participant)
    await audit.by_staff(uow, clock, staff.id, "participant.trajectory", participant.id)
    if stage_changed_at is not None:
        await surveys.stage_started(uow, participant, stage_changed_at.astimezone(tz).date())
    await checkins.replan(uow, clock, tz, participant)
    return participant


async def webhook_deliveries(
    uow: UnitOfWork, staff: Staff, team_id: uuid.UUID, status: OutboxStatus | None
) -> Sequence[OutboxMessage]:
    _team_visible(staff, team_id)
    return await uow.outbox.list(
        status=status, channel=OutboxChannel.WEBHOOK.value, target=str(team_id), limit=200
    )


async def retry_delivery(
    uow: UnitOfWork, clock: Clock, staff: Staff, team_id: uuid.UUID, delivery_id: uuid.UUID
) -> bool:
    _team_visible(staff, team_id)
    message = await uow.outbox.get(delivery_id)
    if (
        message is None
        or message.channel is not OutboxChannel.WEBHOOK
        or message.target != str(team_id)
    ):
        raise DomainError(ErrorCode.NOT_FOUND, entity="delivery")
    now = clock.now()
    retried = await uow.outbox.retry(delivery_id, now, now + WEBHOOK_RETRY_WINDOW)
    if not retried:
        raise DomainError(ErrorCode.INVALID, field="status", reason="only dead deliveries")
    await audit.by_staff(uow, clock, staff.id, f"webhook.retry:{delivery_id}", None)
    return retried


async def set_network_checkins(
    uow: UnitOfWork, clock: Clock, staff: Staff, network_id: uuid.UUID, values: dict[str, Any]
) -> dict[str, Any]:
    """The network's check-in rhythm and quiet hours (admins); teams can override them."""
    if staff.role is not Role.ADMIN:
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)
    if await uow.networks.get(network_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="network")
    await uow.networks.save_checkin_settings(network_id, values)
    await audit.by_staff(uow, clock, staff.id, f"network.checkins:{network_id}", None)
    return values
