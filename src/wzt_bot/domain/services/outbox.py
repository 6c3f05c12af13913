"""Queueing what the bot sends on its own initiative. One sender delivers it (see delivery)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, tzinfo
from typing import Any

from wzt_bot.domain.models import (
    Flag,
    FlagUrgency,
    OutboxChannel,
    OutboxMessage,
    Participant,
    new_id,
)
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.ports import Clock, UnitOfWork

#: Webhooks to a team's own system are retried with backoff for a day, then dead-lettered.
WEBHOOK_RETRY_WINDOW = timedelta(hours=24)


async def to_participant(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    *,
    key: str,
    kind: str,
    payload: dict[str, Any],
    not_before: datetime | None = None,
) -> bool:
    """Queue a message to the participant's linked chat; False if the key was queued before
    or the participant cannot be reached through Telegram."""
    link = await uow.links.active_for_participant(participant.id)
    if link is None or participant.unreachable:
        return False
    now = clock.now()
    return await uow.outbox.add(
        OutboxMessage(
            id=new_id(),
            key=key,
            channel=OutboxChannel.TELEGRAM,
            target=str(link.chat_id),
            kind=kind,
            payload={"locale": participant.locale or "nl", "name": participant.display_name}
            | payload,
            created_at=now,
            not_before=not_before or now,
            participant_id=participant.id,
        )
    )


async def to_team_chat(
    uow: UnitOfWork, clock: Clock, settings: TeamSettings, *, key: str, payload: dict[str, Any]
) -> bool:
    if settings.notify_chat_id is None:
        return False
    now = clock.now()
    return await uow.outbox.add(
        OutboxMessage(
            id=new_id(),
            key=key,
            channel=OutboxChannel.TELEGRAM,
            target=str(settings.notify_chat_id),
            kind="team_notice",
            payload=payload,
            created_at=now,
            not_before=now,
        )
    )


async def webhook_event(
    uow: UnitOfWork,
    clock: Clock,
    settings: TeamSettings,
    team_id: uuid.UUID,
    *,
    event: str,
    body: dict[str, Any],
) -> bool:
    """A signed event to the team's own casemanagement system, if it has one."""
    if not settings.webhook_url:
        return False
    now = clock.now()
    delivery = new_id()
    return await uow.outbox.add(
        OutboxMessage(
            id=delivery,
            key=f"webhook:{delivery.hex}",
            channel=OutboxChannel.WEBHOOK,
            target=str(team_id),
            kind=event,
            payload={"event": event, "delivery": str(delivery), "sent_at": now.isoformat()}
            | {"data": body},
            created_at=now,
            not_before=now,
            give_up_at=now + WEBHOOK_RETRY_WINDOW,
        )
    )


def alias(participant_id: uuid.UUID) -> str:
    """A short alias for notices in a group chat: never the participant's name."""
    return "P-" + participant_id.hex[:6].upper()


async def announce_flag(uow: UnitOfWork, clock: Clock, settings: TeamSettings, flag: Flag) -> None:
    """Urgent flags reach the team's group chat at once; the rest wait for the daily digest.
    The notice carries no words of the participant: alias, kind, urgency, where to look."""
    if flag.urgency is FlagUrgency.URGENT and settings.notify_chat_id is not None:
        await to_team_chat(
            uow,
            clock,
            settings,
            key=f"notice:{flag.id.hex}",
            payload={
                "flags": [flag_notice(flag)],
                "digest": False,
            },
        )
        flag.notified_at = clock.now()
        await uow.flags.update(flag)


def flag_notice(flag: Flag) -> dict[str, str]:
    return {
        "id": str(flag.id),
        "alias": alias(flag.participant_id),
        "kind": flag.kind.value,
        "urgency": flag.urgency.value,
    }


def flag_body(flag: Flag) -> dict[str, Any]:
    return {
        "id": str(flag.id),
        "participant_id": str(flag.participant_id),
        "team_id": str(flag.team_id),
        "kind": flag.kind.value,
        "urgency": flag.urgency.value,
        "status": flag.status.value,
        "topic": flag.topic.value if flag.topic else None,
        "assignee_id": str(flag.assignee_id) if flag.assignee_id else None,
        "created_at": flag.created_at.isoformat(),
        "respond_by": flag.respond_by.isoformat() if flag.respond_by else None,
    }


async def daily_digests(uow: UnitOfWork, clock: Clock, tz: tzinfo) -> int:
    """Once a day, at the team's digest hour: one notice with the flags not announced yet."""
    now = clock.now()
    local = now.astimezone(tz)
    sent = 0
    for team in await uow.teams.all():
        settings = await uow.teams.settings(team.id)
        if settings.notify_chat_id is None or local.hour < settings.digest_hour:
            continue
        pending = await uow.flags.not_notified(team.id)
        if not pending:
            continue
        queued = await to_team_chat(
            uow,
            clock,
            settings,
            key=f"digest:{team.id.hex}:{local.date().isoformat()}",
            payload={"flags": [flag_notice(f) for f in pending], "digest": True},
        )
        if queued:
            sent += 1
            for flag in pending:
                flag.notified_at = now
                await uow.flags.update(flag)
    return sent
