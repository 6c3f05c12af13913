"""Flags: something a human in the team should look at. Raised, routed, answered, resolved.

A flag is never deleted. Each risk message of a crisis flag keeps its own urgency; "Ik ben
oké, dit was verkeerd begrepen" under the answer to one withdraws only that message, with a
note in the thread. The flag's urgency is the highest among the messages not withdrawn; with
every message withdrawn it stays high until a person has acknowledged it (acknowledge, reply
or resolve), then normal. The flag stays for the team to see.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    Author,
    Flag,
    FlagKind,
    FlagMessage,
    FlagRisk,
    FlagStatus,
    FlagUrgency,
    Participant,
    Staff,
    Topic,
    new_id,
)
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.ports import Clock, FlagFilter, LanguageTools, UnitOfWork
from wzt_bot.domain.services import audit, outbox
from wzt_bot.domain.services.participants import can_read_participants, visible_team_ids

#: Kinds of which one open flag is enough: asking again adds to its thread.
SINGLE_OPEN: frozenset[FlagKind] = frozenset(
    {FlagKind.CONTACT_REQUEST, FlagKind.NO_CONTACT, FlagKind.UNREACHABLE, FlagKind.CRISIS}
)
#: A safety bound only: above Telegram's 4,096 characters plus the bot's own lead lines, so a
#: participant's words are never cut.
MAX_TEXT = 8192
#: A message within this time after a team's reply goes into that reply's thread.
THREAD_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Words:
    """What the participant wrote or sent, with the language tools' findings."""

    text: str = ""
    language: str | None = None
    translation: str | None = None  # machine translation into Dutch, for the team
    media_kind: str | None = None
    media_ref: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text or self.media_ref)


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who in the team receives a flag, as told to the participant."""

    staff: Staff | None
    settings: TeamSettings


async def recipient(
    uow: UnitOfWork,
    participant: Participant,
    topic: Topic | None,
    prefer: uuid.UUID | None = None,
) -> Recipient:
    """Routing: the person asked for (`prefer`: the owner of a plan step, the person chosen
    in "Wie is wie"), else the team's person for this topic, else the participant's main
    contact (the team's default main contact when none is set); the back-up when away."""
    settings = await uow.teams.settings(participant.team_id)
    candidates: list[uuid.UUID | None] = [prefer]
    if topic is not None:
        candidates.append(settings.routing.get(topic))
    candidates += [participant.main_contact_id or settings.main_contact_id]
    candidates += [participant.backup_contact_id or settings.backup_contact_id]
    for staff_id in candidates:
        if staff_id is None:
            continue
        staff = await uow.staff.get(staff_id)
        if staff is not None and staff.active and not staff.away:
            return Recipient(staff=staff, settings=settings)
    return Recipient(staff=None, settings=settings)


async def raise_flag(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    *,
    kind: FlagKind,
    urgency: FlagUrgency,
    source: str,
    topic: Topic | None = None,
    words: Words | None = None,
    author: Author = Author.PARTICIPANT,
    prefer: uuid.UUID | None = None,
) -> Flag:
    flag, _ = await _raise(
        uow,
        clock,
        participant,
        kind=kind,
        urgency=urgency,
        source=source,
        topic=topic,
        words=words,
        author=author,
        prefer=prefer,
    )
    return flag


async def raise_crisis(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    *,
    urgency: FlagUrgency,
    source: str,
    words: Words | None = None,
) -> tuple[Flag, FlagRisk]:
    """A risk message: the crisis flag (one open per participant) and this message's own
    record, whose id the button "Ik ben oké, dit was verkeerd begrepen" carries."""
    flag, message = await _raise(
        uow, clock, participant, kind=FlagKind.CRISIS, urgency=urgency, source=source, words=words
    )
    risk = FlagRisk(
        id=new_id(),
        flag_id=flag.id,
        urgency=urgency,
        created_at=clock.now(),
        message_id=message.id if message is not None else None,
    )
    await uow.flags.add_risk(risk)
    return flag, risk


async def _raise(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    *,
    kind: FlagKind,
    urgency: FlagUrgency,
    source: str,
    topic: Topic | None = None,
    words: Words | None = None,
    author: Author = Author.PARTICIPANT,
    prefer: uuid.UUID | None = None,
) -> tuple[Flag, FlagMessage | None]:
    now = clock.now()
    words = words or Words()
    existing = None
    if kind in SINGLE_OPEN:
        existing = next(
            (f for f in await uow.flags.open_for(participant.id) if f.kind is kind), None
        )
    to = await recipient(uow, participant, topic, prefer)
    if existing is not None:
        flag = existing
        if _rank(urgency) < _rank(flag.urgency):  # e.g. a new crisis message after a downgrade
            flag.urgency = urgency
            flag.respond_by = to.settings.respond_by(now, urgency)
            flag.notified_at = None
        if prefer is not None and to.staff is not None and to.staff.id != flag.assignee_id:
            # The participant now asks for someone else: that person gets the flag (the
            # thread keeps who was asked before), and the team hears of it again.
            flag.assignee_id = to.staff.id
            flag.notified_at = None
        flag.updated_at = now
        await uow.flags.update(flag)
    else:
        flag = Flag(
            id=new_id(),
            participant_id=participant.id,
            team_id=participant.team_id,
            kind=kind,
            urgency=urgency,
            source=source[:64],
            created_at=now,
            topic=topic,
            assignee_id=to.staff.id if to.staff else None,
            respond_by=to.settings.respond_by(now, urgency),
            updated_at=now,
        )
        await uow.flags.add(flag)
    message = None
    if words:
        message = await _add_message(uow, clock, flag, author, str(participant.id), words)
    await audit.record(  # the participant, or the system on their behalf
        uow,
        clock,
        actor_kind=author.value,
        actor_id=participant.id,
        action=f"flag.{kind.value}",
        participant_id=participant.id,
    )
    if flag.notified_at is None:
        await outbox.announce_flag(uow, clock, to.settings, flag)
    await outbox.webhook_event(
        uow,
        clock,
        to.settings,
        flag.team_id,
        event="flag.updated" if existing is not None else "flag.created",
        body=outbox.flag_body(flag) | {"message": _message_body(words)},
    )
    return flag, message


def _rank(urgency: FlagUrgency) -> int:
    return [FlagUrgency.URGENT, FlagUrgency.HIGH, FlagUrgency.NORMAL].index(urgency)


def _message_body(words: Words) -> dict[str, str | None] | None:
    if not words:
        return None
    return {
        "text": words.text,
        "language": words.language,
        "translation_nl": words.translation,
        "machine_translation": "yes" if words.translation else None,
        "media_kind": words.media_kind,
    }


async def _add_message(
    uow: UnitOfWork,
    clock: Clock,
    flag: Flag,
    author: Author,
    author_id: str,
    words: Words,
    *,
    internal: bool = False,
) -> FlagMessage:
    message = FlagMessage(
        id=new_id(),
        flag_id=flag.id,
        author=author,
        author_id=author_id,
        text=words.text[:MAX_TEXT],
        created_at=clock.now(),
        language=words.language,
        translation=words.translation,
        media_kind=words.media_kind,
        media_ref=words.media_ref,
        internal=internal,
    )
    await uow.flags.add_message(message)
    return message


async def open_of_kind(uow: UnitOfWork, participant: Participant, kind: FlagKind) -> Flag | None:
    """The participant's open flag of this kind, if any (a second tap must not add one)."""
    return next((f for f in await uow.flags.open_for(participant.id) if f.kind is kind), None)


# --- the participant ---------------------------------------------------------------------


async def own_flag(uow: UnitOfWork, participant: Participant, flag_id: uuid.UUID) -> Flag:
    """A flag of this participant; any other id is simply not found (no cross-access)."""
    flag = await uow.flags.get(flag_id)
    if flag is None or flag.participant_id != participant.id:
        raise DomainError(ErrorCode.NOT_FOUND, entity="flag")
    return flag


@dataclass(frozen=True, slots=True)
class LastReply:
    """The team's latest message to the participant, within the thread window."""

    flag: Flag
    staff: Staff | None


async def last_reply(uow: UnitOfWork, clock: Clock, participant: Participant) -> LastReply | None:
    """The flag whose team reply (or closing message) reached the participant within the
    last 7 days: what they write next is most likely an answer to it."""
    since = clock.now() - THREAD_WINDOW
    for message in await uow.flags.team_messages_since(participant.id, since, 10):
        if message.internal:
            continue
        flag = await uow.flags.get(message.flag_id)
        if flag is None or flag.participant_id != participant.id:
            continue
        try:
            staff = await uow.staff.get(uuid.UUID(message.author_id))
        except ValueError:
            staff = None
        return LastReply(flag=flag, staff=staff)
    return None


async def add_to_thread(
    uow: UnitOfWork, clock: Clock, participant: Participant, flag_id: uuid.UUID, words: Words
) -> Flag:
    """The participant answers a team reply: their words go into that flag's thread. A flag
    already closed opens again, so the words are read."""
    flag = await own_flag(uow, participant, flag_id)
    now = clock.now()
    await _add_message(uow, clock, flag, Author.PARTICIPANT, str(participant.id), words)
    settings = await uow.teams.settings(flag.team_id)
    if flag.status is FlagStatus.RESOLVED:
        flag.status = FlagStatus.OPEN
        flag.resolved_at = None
        flag.respond_by = settings.respond_by(now, flag.urgency)
        flag.notified_at = None
    flag.updated_at = now
    await uow.flags.update(flag)
    await audit.by_participant(uow, clock, participant.id, "flag.answer")
    if flag.notified_at is None:
        await outbox.announce_flag(uow, clock, settings, flag)
    await outbox.webhook_event(
        uow,
        clock,
        settings,
        flag.team_id,
        event="flag.updated",
        body=outbox.flag_body(flag) | {"message": _message_body(words)},
    )
    return flag


#: The note an old button (from before each message had its own) leaves in the thread.
OLD_BUTTON_NOTE = (
    "De deelnemer zegt: ik ben oké, dit was verkeerd begrepen. Dat was een oudere knop: bij"
    " welk bericht is niet bekend, dus de dringendheid blijft."
)
QUOTE = 120
_URGENCY_NL = {
    FlagUrgency.URGENT: "dringend",
    FlagUrgency.HIGH: "hoog",
    FlagUrgency.NORMAL: "normaal",
}


@dataclass(frozen=True, slots=True)
class Withdrawal:
    flag: Flag
    new: bool  # False: nothing changed (a second tap on the same button)


def crisis_urgency(risks: Sequence[FlagRisk]) -> FlagUrgency | None:
    """The urgency a crisis flag's risk messages call for: the highest among those not
    withdrawn; with every one withdrawn, high until a person has acknowledged them all (a
    message after the acknowledgement is not seen yet), then normal. None: no messages known."""
    if not risks:
        return None
    standing = [r.urgency for r in risks if r.withdrawn_at is None]
    if standing:
        return min(standing, key=_rank)
    if any(r.acknowledged_at is None for r in risks):
        return FlagUrgency.HIGH
    return FlagUrgency.NORMAL


async def _settle(uow: UnitOfWork, flag: Flag, risks: Sequence[FlagRisk]) -> bool:
    """Lower a crisis flag to what its messages call for (never raise it: a new message
    raises it when it comes). True when the urgency changed."""
    target = crisis_urgency(risks)
    if target is None or _rank(target) <= _rank(flag.urgency):
        return False
    flag.urgency = target
    settings = await uow.teams.settings(flag.team_id)
    latest = max((r.created_at for r in risks), default=flag.created_at)
    flag.respond_by = settings.respond_by(latest, target)
    return True


async def withdraw_risk(
    uow: UnitOfWork, clock: Clock, participant: Participant, risk_id: uuid.UUID
) -> Withdrawal:
    """ "Ik ben oké, dit was verkeerd begrepen" under the answer to one risk message: that
    message is withdrawn (a note in the thread says so), the flag's urgency follows the
    messages still standing. Never deleted; a second tap changes nothing."""
    risk = await uow.flags.get_risk(risk_id)
    if risk is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="flag")
    flag = await own_flag(uow, participant, risk.flag_id)
    now = clock.now()
    if risk.withdrawn_at is not None or not await uow.flags.withdraw_risk(risk.id, now):
        return Withdrawal(flag, new=False)
    risks = await uow.flags.risks(flag.id)
    await _settle(uow, flag, risks)
    flag.updated_at = now
    await uow.flags.update(flag)
    note = await _add_message(
        uow,
        clock,
        flag,
        Author.SYSTEM,
        "participant",
        Words(text=await _withdrawal_note(uow, flag, risk, risks)),
    )
    await uow.flags.note_withdrawal(risk.id, note.id)
    await audit.by_participant(uow, clock, participant.id, "flag.crisis.withdrawn")
    return Withdrawal(flag, new=True)


async def _withdrawal_note(
    uow: UnitOfWork, flag: Flag, risk: FlagRisk, risks: Sequence[FlagRisk]
) -> str:
    said = "ik ben oké, dit was verkeerd begrepen."
    words = None
    if risk.message_id is not None:
        words = next(
            (m.text for m in await uow.flags.messages(flag.id) if m.id == risk.message_id), None
        )
    if words:
        quote = words if len(words) <= QUOTE else words[: QUOTE - 1] + "…"
        lines = [f"De deelnemer zegt bij dit bericht: {said}", f"» {quote}"]
    else:
        lines = [f"De deelnemer zegt bij een bericht waarvan de woorden privé blijven: {said}"]
    if any(r.withdrawn_at is None for r in risks):
        lines.append(
            f"De andere berichten blijven staan. Dringendheid: {_URGENCY_NL[flag.urgency]}."
        )
    elif flag.urgency is FlagUrgency.NORMAL:
        lines.append("Alle berichten zijn ingetrokken. Dringendheid: normaal.")
    else:
        lines.append(
            "Alle berichten zijn ingetrokken. De melding blijft minstens hoog tot iemand van"
            " het team ze bevestigt."
        )
    return "\n".join(lines)


async def crisis_was_misunderstood(
    uow: UnitOfWork, clock: Clock, participant: Participant, flag_id: uuid.UUID
) -> Withdrawal:
    """The same tap on an old button, which carries only the flag: which message it stood
    under is not known, so nothing is lowered. The team reads it in the thread, once."""
    flag = await own_flag(uow, participant, flag_id)
    if any(m.text == OLD_BUTTON_NOTE for m in await uow.flags.messages(flag.id)):
        return Withdrawal(flag, new=False)
    flag.updated_at = clock.now()
    await uow.flags.update(flag)
    await _add_message(uow, clock, flag, Author.SYSTEM, "participant", Words(text=OLD_BUTTON_NOTE))
    await audit.by_participant(uow, clock, participant.id, "flag.crisis.misunderstood")
    return Withdrawal(flag, new=True)


async def participant_feedback(
    uow: UnitOfWork, clock: Clock, participant: Participant, flag_id: uuid.UUID, *, helped: bool
) -> Flag:
    flag = await own_flag(uow, participant, flag_id)
    flag.helped = helped
    flag.updated_at = clock.now()
    await uow.flags.update(flag)
    return flag


# --- the team ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlagView:
    flag: Flag
    messages: Sequence[FlagMessage]
    risks: Sequence[FlagRisk] = ()  # a crisis flag's risk messages (withdrawn or not)


async def _visible_flag(uow: UnitOfWork, staff: Staff, flag_id: uuid.UUID) -> Flag:
    if not can_read_participants(staff):
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)
    flag = await uow.flags.get(flag_id)
    teams = visible_team_ids(staff)
    if flag is None or (teams is not None and flag.team_id not in teams):
        raise DomainError(ErrorCode.NOT_FOUND, entity="flag")
    return flag


async def search_flags(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    where: FlagFilter,
    *,
    offset: int,
    limit: int,
) -> tuple[Sequence[Flag], int]:
    if not can_read_participants(staff):
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)
    teams = visible_team_ids(staff)
    if where.team_ids is not None and teams is not None:
        teams = where.team_ids & teams
    elif where.team_ids is not None:
        teams = where.team_ids
    scoped = FlagFilter(
        team_ids=teams,
        status=where.status,
        urgency=where.urgency,
        kind=where.kind,
        participant_id=where.participant_id,
    )
    flags, total = await uow.flags.search(scoped, offset=offset, limit=limit)
    for participant_id in {f.participant_id for f in flags}:
        await audit.by_staff(uow, clock, staff.id, "flag.list", participant_id)
    return flags, total


async def view_flag(uow: UnitOfWork, clock: Clock, staff: Staff, flag_id: uuid.UUID) -> FlagView:
    flag = await _visible_flag(uow, staff, flag_id)
    await audit.by_staff(uow, clock, staff.id, "flag.read", flag.participant_id)
    risks = await uow.flags.risks(flag.id) if flag.kind is FlagKind.CRISIS else ()
    return FlagView(flag=flag, messages=await uow.flags.messages(flag.id), risks=risks)


async def media_of(
    uow: UnitOfWork, clock: Clock, staff: Staff, flag_id: uuid.UUID, message_id: uuid.UUID
) -> str:
    """The Telegram file id of a voice note or photo in a flag's thread (audited)."""
    flag = await _visible_flag(uow, staff, flag_id)
    message = next((m for m in await uow.flags.messages(flag.id) if m.id == message_id), None)
    if message is None or message.media_ref is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="media")
    await audit.by_staff(uow, clock, staff.id, "flag.media", flag.participant_id)
    return message.media_ref


async def _seen_by_person(uow: UnitOfWork, flag: Flag, now: datetime) -> bool:
    """A person acknowledged, answered or resolved the flag: for a crisis flag every risk
    message so far counts as acknowledged, so one whose messages were all withdrawn may now
    go down to normal. Also on an acknowledged flag: a message after that is seen now.
    True when the urgency changed (the caller saves the flag)."""
    if flag.kind is not FlagKind.CRISIS:
        return False
    await uow.flags.acknowledge_risks(flag.id, now)
    return await _settle(uow, flag, await uow.flags.risks(flag.id))


async def acknowledge(uow: UnitOfWork, clock: Clock, staff: Staff, flag_id: uuid.UUID) -> Flag:
    flag = await _visible_flag(uow, staff, flag_id)
    now = clock.now()
    changed = await _seen_by_person(uow, flag, now)
    if flag.status is FlagStatus.OPEN:
        flag.status = FlagStatus.ACKNOWLEDGED
        flag.acknowledged_at = now
        if flag.assignee_id is None:
            flag.assignee_id = staff.id
        changed = True
    if changed:
        flag.updated_at = now
        await uow.flags.update(flag)
    await audit.by_staff(uow, clock, staff.id, "flag.acknowledge", flag.participant_id)
    return flag


async def reply(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    flag_id: uuid.UUID,
    text: str,
    *,
    tools: LanguageTools | None = None,
) -> tuple[FlagMessage, bool]:
    """The team answers: kept in the thread and delivered to the participant through the bot.
    Also returns whether it could be queued (False: the participant is not reachable)."""
    flag = await _visible_flag(uow, staff, flag_id)
    text = text.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, field="text", reason="empty")
    participant = await uow.participants.get(flag.participant_id)
    translation = None
    target = participant.locale if participant else None
    if tools is not None and target and target != "nl":
        translation = await tools.translate(text, "nl", target)
    message = await _add_message(
        uow, clock, flag, Author.STAFF, str(staff.id), Words(text=text, translation=translation)
    )
    await _seen_by_person(uow, flag, clock.now())
    if flag.status is FlagStatus.OPEN:
        flag.status = FlagStatus.ACKNOWLEDGED
        flag.acknowledged_at = clock.now()
    flag.updated_at = clock.now()
    await uow.flags.update(flag)
    queued = False
    if participant is not None:
        queued = await outbox.to_participant(
            uow,
            clock,
            participant,
            key=f"reply:{message.id.hex}",
            kind="reply",
            payload={
                "flag_id": str(flag.id),
                "from": staff.name,
                "text": text,
                "translation": translation,
            },
        )
    await audit.by_staff(uow, clock, staff.id, "flag.reply", flag.participant_id)
    return message, queued


async def resolve(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    flag_id: uuid.UUID,
    note: str | None,
    message_to_participant: str | None = None,
    *,
    tools: LanguageTools | None = None,
) -> Flag:
    """Close the flag. `note` is the team's own (kept in the thread, never sent);
    `message_to_participant` is what the participant reads with "Heeft dit geholpen?"."""
    flag = await _visible_flag(uow, staff, flag_id)
    now = clock.now()
    if flag.status is not FlagStatus.RESOLVED:
        await _seen_by_person(uow, flag, now)
        flag.status = FlagStatus.RESOLVED
        flag.resolved_at = now
        flag.acknowledged_at = flag.acknowledged_at or now
        flag.updated_at = now
        await uow.flags.update(flag)
        note = (note or "").strip()
        if note:
            await _add_message(
                uow, clock, flag, Author.STAFF, str(staff.id), Words(text=note), internal=True
            )
        text = (message_to_participant or "").strip()
        participant = await uow.participants.get(flag.participant_id)
        translation = None
        target = participant.locale if participant else None
        if text and tools is not None and target and target != "nl":
            translation = await tools.translate(text, "nl", target)
        if text:
            await _add_message(
                uow, clock, flag, Author.STAFF, str(staff.id), Words(text, translation=translation)
            )
        if participant is not None and (
            text or flag.kind in (FlagKind.CONCERN, FlagKind.CONTACT_REQUEST, FlagKind.CHECKIN_LOW)
        ):
            await outbox.to_participant(
                uow,
                clock,
                participant,
                key=f"resolved:{flag.id.hex}:{int(now.timestamp())}",
                kind="resolved",
                payload={
                    "flag_id": str(flag.id),
                    "from": staff.name,
                    "text": text or None,
                    "translation": translation,
                },
            )
        settings = await uow.teams.settings(flag.team_id)
        await outbox.webhook_event(
            uow, clock, settings, flag.team_id, event="flag.resolved", body=outbox.flag_body(flag)
        )
    await audit.by_staff(uow, clock, staff.id, "flag.resolve", flag.participant_id)
    return flag


async def add_note(uow: UnitOfWork, clock: Clock, flag: Flag, text: str) -> FlagMessage:
    """A line from the system in the flag's thread, for the team (e.g. why it was raised)."""
    return await _add_message(uow, clock, flag, Author.SYSTEM, "system", Words(text=text))
