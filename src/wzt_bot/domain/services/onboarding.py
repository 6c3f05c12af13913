"""What happens when a participant talks to the bot: linking, language, consent, pausing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, tzinfo

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    CONSENT_TEXT_VERSION,
    SUPPORTED_LOCALES,
    Author,
    Consent,
    ConsentKind,
    Flag,
    FlagKind,
    FlagUrgency,
    Participant,
    ParticipantStatus,
    TelegramLink,
    new_id,
)
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.security import hash_secret
from wzt_bot.domain.services import audit, checkins, flags

MAX_FAILED_CODES_PER_HOUR = 5
THROTTLE_WINDOW = timedelta(hours=1)
MAX_CODE_LENGTH = 64  # a deep link payload is at most 64 characters


@dataclass(frozen=True, slots=True)
class LinkedParticipant:
    participant: Participant
    link: TelegramLink


def pick_locale(choice: str | None, telegram_language: str | None, default: str) -> str:
    """The participant's choice, else Telegram's language if we ship it, else the default."""
    for candidate in (choice, (telegram_language or "").split("-")[0].lower()):
        if candidate and candidate in SUPPORTED_LOCALES:
            return candidate
    return default if default in SUPPORTED_LOCALES else "nl"


async def redeem_invite(
    uow: UnitOfWork, clock: Clock, *, telegram_user_id: int, chat_id: int, code: str
) -> LinkedParticipant:
    """Link a Telegram account to the participant whose invite code this is.

    Every failure raises the same INVITE_INVALID, so nobody learns whether a code exists.
    After too many failures in an hour the account is refused, valid codes included;
    the code itself is not touched and stays usable for its owner.
    """
    now = clock.now()
    failures = await uow.invite_attempts.failures_since(telegram_user_id, now - THROTTLE_WINDOW)
    if failures >= MAX_FAILED_CODES_PER_HOUR:
        raise DomainError(ErrorCode.INVITE_THROTTLED)
    code = code.strip()
    invite = None
    if 0 < len(code) <= MAX_CODE_LENGTH:
        invite = await uow.invites.get_by_code_hash(hash_secret(code))
    participant = await uow.participants.get(invite.participant_id) if invite else None
    if invite is None or participant is None or not invite.usable_at(now):
        await uow.invite_attempts.add(telegram_user_id, now, success=False)
        raise DomainError(ErrorCode.INVITE_INVALID)

    if not await uow.invites.mark_used(invite.id, now):  # used at the same moment elsewhere
        await uow.invite_attempts.add(telegram_user_id, now, success=False)
        raise DomainError(ErrorCode.INVITE_INVALID)
    await uow.invite_attempts.add(telegram_user_id, now, success=True)
    # One active link per participant, and one participant per Telegram account.
    for old in (
        await uow.links.active_for_participant(participant.id),
        await uow.links.active_for_user(telegram_user_id),
    ):
        if old is not None and old.unlinked_at is None:
            old.unlinked_at = now
            await uow.links.update(old)
    link = TelegramLink(
        id=new_id(),
        participant_id=participant.id,
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        linked_at=now,
    )
    await uow.links.add(link)
    participant.unreachable = False
    participant.updated_at = now
    await uow.participants.update(participant)
    await audit.by_participant(uow, clock, participant.id, "telegram.link")
    return LinkedParticipant(participant=participant, link=link)


async def participant_for_user(uow: UnitOfWork, telegram_user_id: int) -> Participant | None:
    return await uow.participants.get_by_telegram_user(telegram_user_id)


async def set_locale(
    uow: UnitOfWork, clock: Clock, participant: Participant, locale: str
) -> Participant:
    if locale not in SUPPORTED_LOCALES:
        raise DomainError(ErrorCode.UNSUPPORTED_LOCALE, locale=locale)
    participant.locale = locale
    participant.updated_at = clock.now()
    await uow.participants.update(participant)
    await audit.by_participant(uow, clock, participant.id, "participant.locale")
    return participant


async def record_consent(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    *,
    kind: ConsentKind,
    granted: bool,
    tz: tzinfo | None = None,
) -> Consent:
    """With `tz`, a yes to check-in messages plans the next one at once (without, the
    planner's next run plans it: the same moment, see `checkins.replan`)."""
    now = clock.now()
    consent = Consent(
        id=new_id(),
        participant_id=participant.id,
        kind=kind,
        granted=granted,
        text_version=CONSENT_TEXT_VERSION,
        locale=participant.locale or "nl",
        recorded_at=now,
    )
    await uow.consents.add(consent)
    if kind is ConsentKind.CHECKIN_MESSAGES:
        participant.checkins_consented = granted
        if not granted:
            await uow.checkins.cancel_scheduled(participant.id)
    if participant.status is not ParticipantStatus.ACTIVE:
        participant.status = ParticipantStatus.ACTIVE
        participant.onboarded_at = now
    participant.updated_at = now
    await uow.participants.update(participant)
    if kind is ConsentKind.CHECKIN_MESSAGES and granted and tz is not None:
        await checkins.replan(uow, clock, tz, participant)
    await audit.by_participant(
        uow, clock, participant.id, f"consent.{kind.value}.{'yes' if granted else 'no'}"
    )
    return consent


async def set_proactive_paused(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    *,
    paused: bool,
    tz: tzinfo | None = None,
) -> Participant:
    """/stop and /start. With `tz`, /start plans the next check-in at once (without, the
    planner's next run plans it: the same moment, see `checkins.replan`)."""
    participant.proactive_paused = paused
    participant.updated_at = clock.now()
    await uow.participants.update(participant)
    if paused:
        await uow.checkins.cancel_scheduled(participant.id)
    elif tz is not None:
        await checkins.replan(uow, clock, tz, participant)
    await audit.by_participant(
        uow, clock, participant.id, "proactive.pause" if paused else "proactive.resume"
    )
    return participant


async def mark_unreachable(uow: UnitOfWork, clock: Clock, telegram_user_id: int) -> None:
    """The participant blocked the bot: stop sending, and give the team a reason to reach
    out another way ("niet bereikbaar via Telegram")."""
    participant = await participant_for_user(uow, telegram_user_id)
    if participant is None or participant.unreachable:
        return
    participant.unreachable = True
    participant.updated_at = clock.now()
    await uow.participants.update(participant)
    await uow.outbox.cancel_for_participant(participant.id, clock.now())
    await uow.checkins.cancel_scheduled(participant.id)
    await audit.by_participant(uow, clock, participant.id, "telegram.unreachable")
    await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.UNREACHABLE,
        urgency=FlagUrgency.HIGH,
        source="telegram:blocked",
        author=Author.SYSTEM,
    )


async def mark_reachable(uow: UnitOfWork, clock: Clock, participant: Participant) -> None:
    if participant.unreachable:
        participant.unreachable = False
        participant.updated_at = clock.now()
        await uow.participants.update(participant)


async def request_contact(
    uow: UnitOfWork, clock: Clock, participant: Participant, *, source: str
) -> Flag:
    """The participant wants someone of their team to get in touch (one open request)."""
    return await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.CONTACT_REQUEST,
        urgency=FlagUrgency.NORMAL,
        source=source,
    )
