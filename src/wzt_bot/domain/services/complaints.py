"""Complaints: filed in the bot, never filtered, and never routed to the team they are about.

A complaint about someone of the participant's own team goes to the network's independent
handler only: no flag, no team notice, no team webhook, no audit line under the participant
(the team's views of a participant would show it). Other complaints go to the network's own
complaints handler. The participant gets a receipt number and status updates.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import timedelta, tzinfo
from typing import Any

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    Complaint,
    ComplaintStatus,
    OutboxChannel,
    OutboxMessage,
    Participant,
    Role,
    Staff,
    new_id,
)
from wzt_bot.domain.policies.complaints import (
    HANDLERS,
    ComplaintSettings,
    parse_webhook_target,
    webhook_secret_name,
    webhook_target,
)
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.services import audit, outbox
from wzt_bot.domain.services.flags import Words

#: E-mails to a handler are retried with backoff for this long, then kept as dead letters
#: (the complaint itself is stored and listed in the admin API either way).
EMAIL_RETRY_WINDOW = timedelta(days=3)
#: A safety bound only, above Telegram's 4,096 characters: the participant's words are never cut.
MAX_TEXT = 8192
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read aloud


def new_receipt() -> str:
    return "K-" + "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))


async def network_of(uow: UnitOfWork, participant: Participant) -> uuid.UUID:
    team = await uow.teams.get(participant.team_id)
    if team is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="team")
    return team.network_id


async def settings_for(uow: UnitOfWork, participant: Participant) -> ComplaintSettings:
    network_id = await network_of(uow, participant)
    return ComplaintSettings.from_json(await uow.networks.section(network_id, "complaints"))


def _mail_body(complaint: Complaint, participant: Participant, team_name: str, tz: tzinfo) -> str:
    when = complaint.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
    who = (
        "Anoniem: de deelnemer vraagt om de naam niet door te geven."
        if complaint.anonymous
        else f"Deelnemer: {participant.display_name} (team: {team_name})"
    )
    about = (
        "De klacht gaat over iemand van het eigen team van de deelnemer. Dat team krijgt "
        "niets van deze klacht te zien."
        if complaint.about_team
        else "De klacht gaat niet over iemand van het eigen team."
    )
    what = complaint.text or "(geen tekst)"
    if complaint.voice_ref:
        what += "\n(De deelnemer stuurde ook een spraakbericht: zie de beheer-API.)"
    return "\n".join(
        (
            f"Nieuwe klacht via wzt-bot, ontvangstnummer {complaint.receipt}",
            f"Ontvangen op {when}.",
            who,
            about,
            "",
            "Wat er gebeurde, in de woorden van de deelnemer:",
            what,
            "",
            "Zet de status via PUT /api/v1/complaints/{id}/status "
            "(in_behandeling, beantwoord); de deelnemer krijgt dan een bericht.".replace(
                "{id}", str(complaint.id)
            ),
        )
    )


async def file_complaint(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    *,
    about_team: bool,
    anonymous: bool,
    words: Words,
) -> tuple[Complaint, ComplaintSettings]:
    """Store the complaint and send it to its handler. Nothing is filtered or shortened
    beyond Telegram's own limits."""
    settings = await settings_for(uow, participant)
    handler = settings.handler(about_team)
    anonymous = anonymous and handler.anonymous_allowed
    now = clock.now()
    network_id = await network_of(uow, participant)
    for _ in range(5):
        complaint = Complaint(
            id=new_id(),
            receipt=new_receipt(),
            network_id=network_id,
            participant_id=participant.id,
            about_team=about_team,
            anonymous=anonymous,
            created_at=now,
            handler="independent" if about_team else "organisation",
            text=words.text[:MAX_TEXT],
            voice_ref=words.media_ref,
            updated_at=now,
        )
        if await uow.complaints.add(complaint):
            break
    else:  # pragma: no cover - 32^6 receipts: five collisions in a row do not happen
        raise DomainError(ErrorCode.CONFLICT, reason="no free receipt number")
    # No participant id on the audit line: the team's views of a participant must not show it.
    await audit.record(
        uow,
        clock,
        actor_kind="participant",
        actor_id=participant.id if not anonymous else complaint.id,
        action="complaint.filed",
        participant_id=None,
        detail=complaint.receipt,
    )
    if handler.webhook_url:
        await _to_handler_system(uow, clock, tz, complaint, participant, network_id)
    if handler.email:
        team = await uow.teams.get(participant.team_id)
        await uow.outbox.add(
            OutboxMessage(
                id=new_id(),
                key=f"complaint:{complaint.id.hex}",
                channel=OutboxChannel.EMAIL,
                target=handler.email,
                kind="complaint",
                payload={
                    "subject": f"Klacht {complaint.receipt} via wzt-bot",
                    "body": _mail_body(complaint, participant, team.name if team else "", tz),
                },
                created_at=now,
                not_before=now,
                give_up_at=now + EMAIL_RETRY_WINDOW,
            )
        )
    return complaint, settings


async def _to_handler_system(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    complaint: Complaint,
    participant: Participant,
    network_id: uuid.UUID,
) -> None:
    """A signed `complaint.filed` event to the handler's own system (retried like e-mail).
    The participant's name and team only when the complaint is not anonymous."""
    now = clock.now()
    delivery = new_id()
    team = await uow.teams.get(participant.team_id)
    who: dict[str, Any] | None = (
        None
        if complaint.anonymous
        else {
            "participant_id": str(participant.id),
            "display_name": participant.display_name,
            "team": team.name if team else "",
        }
    )
    await uow.outbox.add(
        OutboxMessage(
            id=delivery,
            key=f"complaint-webhook:{complaint.id.hex}",
            channel=OutboxChannel.WEBHOOK,
            target=webhook_target(network_id, ComplaintSettings.which(complaint.about_team)),
            kind="complaint.filed",
            payload={
                "event": "complaint.filed",
                "delivery": str(delivery),
                "sent_at": now.isoformat(),
                "data": {
                    "complaint_id": str(complaint.id),
                    "receipt": complaint.receipt,
                    "network_id": str(network_id),
                    "created_at": complaint.created_at.astimezone(tz).isoformat(),
                    "about_own_team": complaint.about_team,
                    "anonymous": complaint.anonymous,
                    "complainant": who,
                    "text": complaint.text,
                    "voice_note": complaint.voice_ref is not None,
                },
            },
            created_at=now,
            not_before=now,
            give_up_at=now + EMAIL_RETRY_WINDOW,
        )
    )


async def webhook_for(uow: UnitOfWork, target: str) -> tuple[str, str] | None:
    """For the sender: the URL and secret of a complaints handler's webhook target; None when
    the target is not one, or the handler has no URL or secret (any more)."""
    parsed = parse_webhook_target(target)
    if parsed is None:
        return None
    network_id, which = parsed
    settings = ComplaintSettings.from_json(await uow.networks.section(network_id, "complaints"))
    url = (settings.independent if which == "independent" else settings.organisation).webhook_url
    secret = await uow.networks.secret(network_id, webhook_secret_name(which))
    return (url, secret) if url and secret else None


async def handler_reachable(
    uow: UnitOfWork,
    network_id: uuid.UUID,
    settings: ComplaintSettings,
    about_team: bool,
    *,
    email_works: bool,
) -> bool:
    """Whether a complaint reaches a person: an e-mail address with a configured SMTP server
    (`email_works`), or a webhook URL with its secret. Otherwise it is only stored (and
    listed in the admin API), and the participant must not hear it was sent."""
    handler = settings.handler(about_team)
    if handler.email and email_works:
        return True
    which = ComplaintSettings.which(about_team)
    return bool(
        handler.webhook_url and await uow.networks.secret(network_id, webhook_secret_name(which))
    )


async def complaint_reaches_someone(
    uow: UnitOfWork, participant: Participant, about_team: bool, *, email_works: bool
) -> bool:
    network_id = await network_of(uow, participant)
    settings = await settings_for(uow, participant)
    return await handler_reachable(uow, network_id, settings, about_team, email_works=email_works)


async def unreachable_handlers(uow: UnitOfWork, *, email_works: bool) -> list[str]:
    """For the operator (start-up log, /readyz): every network with a complaints handler
    nobody is reached through. Names of networks and handlers only, no personal data."""
    problems: list[str] = []
    network_ids = {team.network_id for team in await uow.teams.all()}
    for network_id in sorted(network_ids):
        network = await uow.networks.get(network_id)
        settings = ComplaintSettings.from_json(await uow.networks.section(network_id, "complaints"))
        missing = [
            ComplaintSettings.which(about_team)
            for about_team in (False, True)
            if not await handler_reachable(
                uow, network_id, settings, about_team, email_works=email_works
            )
        ]
        if missing:
            name = network.name if network else str(network_id)
            problems.append(
                f"complaints: network {name!r} ({network_id}) has no reachable handler for "
                f"{' and '.join(missing)}: complaints are only stored. Set an e-mail address "
                "(with WZT_SMTP_URL) or a webhook URL and secret "
                f"(PUT /api/v1/networks/{network_id}/complaints)."
            )
    return problems


async def my_complaints(uow: UnitOfWork, participant: Participant) -> Sequence[Complaint]:
    return await uow.complaints.for_participant(participant.id)


# --- the handler's side (admin API) ------------------------------------------------------


def _require_admin(staff: Staff) -> None:
    """Complaints are for the independent handler's operator: never a team's casemanager."""
    if staff.role is not Role.ADMIN:
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)


async def list_complaints(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    *,
    network_id: uuid.UUID | None,
    status: ComplaintStatus | None,
) -> Sequence[Complaint]:
    _require_admin(staff)
    await audit.by_staff(uow, clock, staff.id, "complaint.list", None)
    return await uow.complaints.for_network(network_id, status, 500)


async def read_complaint(
    uow: UnitOfWork, clock: Clock, staff: Staff, complaint_id: uuid.UUID
) -> tuple[Complaint, Participant | None]:
    """The complaint; the participant only when it is not anonymous."""
    _require_admin(staff)
    complaint = await uow.complaints.get(complaint_id)
    if complaint is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="complaint")
    await audit.by_staff(uow, clock, staff.id, "complaint.read", None, complaint.receipt)
    who = None if complaint.anonymous else await uow.participants.get(complaint.participant_id)
    return complaint, who


async def set_status(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    complaint_id: uuid.UUID,
    status: ComplaintStatus,
    answer: str | None,
) -> Complaint:
    """Move the complaint on; the participant hears of it in the bot (outside quiet hours
    does not apply: they asked for this answer)."""
    _require_admin(staff)
    complaint = await uow.complaints.get(complaint_id)
    if complaint is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="complaint")
    if status is ComplaintStatus.ONTVANGEN:
        raise DomainError(ErrorCode.INVALID, field="status", reason="a complaint cannot go back")
    now = clock.now()
    complaint.status = status
    complaint.updated_at = now
    complaint.answer = (answer or "").strip()[:MAX_TEXT] or complaint.answer
    await uow.complaints.update(complaint)
    await audit.by_staff(uow, clock, staff.id, f"complaint.{status.value}", None, complaint.receipt)
    participant = await uow.participants.get(complaint.participant_id)
    if participant is not None:
        settings = await settings_for(uow, participant)
        kind = settings.handler(complaint.about_team).kind
        after = settings.next_step(kind)
        await outbox.to_participant(
            uow,
            clock,
            participant,
            key=f"complaint:{complaint.id.hex}:{status.value}:{int(now.timestamp())}",
            kind="complaint_status",
            payload={
                "receipt": complaint.receipt,
                "status": status.value,
                "answer": (answer or "").strip()[:MAX_TEXT],
                # the next step depends on the kind of service (the Ombudsdienst only for
                # Flemish public services such as VDAB)
                "next_kind": kind.value,
                "next": after.to_json() if after else None,
            },
        )
    return complaint


async def webhook_secrets_set(uow: UnitOfWork, network_id: uuid.UUID) -> dict[str, bool]:
    """Which handlers have a webhook secret (the secrets themselves are never shown)."""
    return {
        which: await uow.networks.secret(network_id, webhook_secret_name(which)) is not None
        for which in HANDLERS
    }


async def read_settings(uow: UnitOfWork, staff: Staff, network_id: uuid.UUID) -> ComplaintSettings:
    _require_admin(staff)
    if await uow.networks.get(network_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="network")
    return ComplaintSettings.from_json(await uow.networks.section(network_id, "complaints"))


async def save_settings(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    network_id: uuid.UUID,
    settings: ComplaintSettings,
    webhook_secrets: dict[str, str | None] | None = None,
) -> ComplaintSettings:
    """`webhook_secrets`: per handler ("organisation", "independent") a new secret for its
    webhook, or None to remove it; a handler left out keeps its secret."""
    _require_admin(staff)
    if await uow.networks.get(network_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="network")
    await uow.networks.save_section(network_id, "complaints", settings.to_json())
    for which, secret in (webhook_secrets or {}).items():
        if which in HANDLERS:
            await uow.networks.set_secret(network_id, webhook_secret_name(which), secret)
    await audit.by_staff(uow, clock, staff.id, f"network.complaints:{network_id}", None)
    return settings
