"""Check-ins: planned as rows, sent through the outbox, answered at the participant's pace.

Silence is a reason for a human to reach out, never non-compliance: after a number of
unanswered check-ins in a row the participant's main contact gets a "geen contact" flag.
Nothing of this goes to VDAB.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    Author,
    Checkin,
    CheckinKind,
    CheckinStatus,
    DayPart,
    Flag,
    FlagKind,
    FlagUrgency,
    Participant,
    ParticipantStatus,
    Staff,
    Topic,
    new_id,
)
from wzt_bot.domain.policies.schedule import (
    CheckinRules,
    in_quiet_hours,
    next_allowed,
    next_due,
    rules_for,
    slot_key,
)
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.services import audit, flags, outbox
from wzt_bot.domain.services.participants import visible_participant

#: How many wordings of the check-in question each language has (the adapter picks one).
WORDINGS = 5
#: Topics that, chosen in a check-in, lead to "Wil je dat iemand contact met je opneemt?".
WORRYING: frozenset[Topic] = frozenset({Topic.ZORG, Topic.GELD, Topic.WONEN, Topic.GEZIN})
SNOOZE_WEEKS = (1, 2, 4)
ANY_DAY = -1
MAX_NOTE = 4096  # Telegram's own limit: a participant's words are never cut


@dataclass(frozen=True, slots=True)
class TickReport:
    planned: int = 0
    queued: int = 0
    cancelled: int = 0
    reminders: int = 0
    no_contact_flags: int = 0


def may_receive(participant: Participant) -> bool:
    """Check-ins only with consent, not after /stop, and only to a reachable participant."""
    return (
        participant.status is ParticipantStatus.ACTIVE
        and participant.checkins_consented
        and not participant.proactive_paused
        and not participant.unreachable
    )


def wording_for(slot: str) -> int:
    """A wording that varies between check-ins but is the same for a repeat of one slot."""
    return hashlib.sha256(slot.encode()).digest()[0] % WORDINGS


class RulesCache:
    """Network and team settings, read once per tick."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._rules: dict[uuid.UUID, CheckinRules] = {}

    async def for_team(self, team_id: uuid.UUID) -> CheckinRules:
        rules = self._rules.get(team_id)
        if rules is None:
            team = await self.uow.teams.get(team_id)
            network = await self.uow.networks.checkin_settings(team.network_id) if team else {}
            settings = await self.uow.teams.settings(team_id)
            rules = self._rules[team_id] = rules_for(network, settings.checkins)
        return rules


def quiet_payload(rules: CheckinRules, tz: tzinfo) -> dict[str, Any]:
    """Carried with a proactive message so the sender never delivers it in quiet hours."""
    return {
        "quiet": {
            "start": rules.quiet_start.isoformat("minutes"),
            "end": rules.quiet_end.isoformat("minutes"),
            "weekdays": sorted(rules.quiet_weekdays),
            "tz": str(tz),
        }
    }


# --- planning ----------------------------------------------------------------------------


async def _schedule(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    rules: CheckinRules,
    anchor: datetime,
) -> Checkin | None:
    """Plan the check-in at the first allowed moment after `anchor`. Its slot (one per local
    day) taken already means it is planned (by a planner running at the same time): then
    nothing more, so a check-in is never planned twice and never pushed a rhythm further."""
    now = clock.now()
    due, kind = next_due(participant, rules, tz, anchor=anchor, now=now)
    slot = slot_key(participant, due, tz)
    checkin = Checkin(
        id=new_id(),
        participant_id=participant.id,
        slot=slot,
        kind=kind,
        due_at=due,
        created_at=now,
        wording=wording_for(slot),
    )
    return checkin if await uow.checkins.add(checkin) else None


async def anchor_of(uow: UnitOfWork, clock: Clock, participant: Participant) -> datetime:
    """What the rhythm counts from: the last regular check-in that was not cancelled (sent,
    answered or missed), else the link with Telegram (else now)."""
    last = await uow.checkins.last_due(participant.id)
    if last is not None:
        return last
    link = await uow.links.active_for_participant(participant.id)
    return link.linked_at if link else clock.now()


@dataclass(frozen=True, slots=True)
class PlanBatch:
    planned: int
    looked_at: int
    last: uuid.UUID | None  # where the next batch goes on (by participant id)


async def plan(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    *,
    limit: int = 500,
    after: uuid.UUID | None = None,
) -> PlanBatch:
    """Give every participant who may receive check-ins their next one (one batch, by
    participant id from after `after` on, so a run over 100,000 people reads each once)."""
    cache = RulesCache(uow)
    planned = 0
    found = await uow.checkins.participants_to_plan(limit, after)
    for participant, anchor in found:
        rules = await cache.for_team(participant.team_id)
        if await _schedule(uow, clock, tz, participant, rules, anchor) is not None:
            planned += 1
    return PlanBatch(planned, len(found), found[-1][0].id if found else after)


async def replan(uow: UnitOfWork, clock: Clock, tz: tzinfo, participant: Participant) -> None:
    """After a change of the participant's choices (or of their trajectory): what was planned
    is cancelled, and the next check-in is the first allowed moment of the rhythm in force,
    counted from the last check-in that was not cancelled (see `next_due`). However many
    changes came before, this is the same moment: cancelled check-ins count for nothing."""
    await uow.checkins.cancel_scheduled(participant.id)
    if not may_receive(participant):
        return
    rules = await RulesCache(uow).for_team(participant.team_id)
    await _schedule(uow, clock, tz, participant, rules, await anchor_of(uow, clock, participant))


# --- due check-ins and reminders ---------------------------------------------------------


async def dispatch(uow: UnitOfWork, clock: Clock, tz: tzinfo, *, limit: int = 500) -> TickReport:
    """Queue every due check-in (one batch): claimed atomically, each exactly once."""
    now = clock.now()
    cache = RulesCache(uow)
    queued = cancelled = flagged = 0
    for checkin in await uow.checkins.claim_due(now, limit):
        participant = await uow.participants.get(checkin.participant_id)
        if participant is None or not may_receive(participant):
            checkin.status = CheckinStatus.CANCELLED
            await uow.checkins.update(checkin)
            cancelled += 1
            continue
        rules = await cache.for_team(participant.team_id)
        if in_quiet_hours(now, rules, tz):  # e.g. a run after downtime: wait for the morning
            checkin.status = CheckinStatus.SCHEDULED
            checkin.sent_at = None
            checkin.due_at = next_allowed(now, rules, tz)
            await uow.checkins.update(checkin)
            continue
        if await _close_unanswered(uow, clock, participant, checkin, rules):
            flagged += 1
        await outbox.to_participant(
            uow,
            clock,
            participant,
            key=f"checkin:{checkin.slot}",
            kind=checkin.kind.value,
            payload={"checkin_id": str(checkin.id), "wording": checkin.wording}
            | quiet_payload(rules, tz),
        )
        queued += 1
    return TickReport(queued=queued, cancelled=cancelled, no_contact_flags=flagged)


async def _close_unanswered(
    uow: UnitOfWork, clock: Clock, participant: Participant, current: Checkin, rules: CheckinRules
) -> bool:
    """Earlier check-ins still unanswered are missed; enough of them in a row raise a flag."""
    history = [
        c
        for c in await uow.checkins.latest_for(participant.id, rules.missed_before_flag + 6)
        if c.id != current.id and c.kind is not CheckinKind.ADHOC
    ]
    for c in history:
        if c.status is CheckinStatus.SENT:
            c.status = CheckinStatus.MISSED
            await uow.checkins.update(c)
    in_a_row = 0
    for c in history:
        if c.status is CheckinStatus.CANCELLED or c.status is CheckinStatus.SCHEDULED:
            continue
        if c.status is not CheckinStatus.MISSED:
            break
        in_a_row += 1
    if in_a_row < rules.missed_before_flag:
        return False
    await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.NO_CONTACT,
        urgency=FlagUrgency.NORMAL,
        source="checkins:unanswered",
        author=Author.SYSTEM,
        words=flags.Words(
            text=f"{in_a_row} berichten na elkaar bleven zonder antwoord. "
            "Een reden om zelf even contact op te nemen."
        ),
    )
    return True


async def remind(uow: UnitOfWork, clock: Clock, tz: tzinfo, *, limit: int = 500) -> int:
    """One gentle reminder, 48 hours after a check-in that got no answer."""
    now = clock.now()
    cache = RulesCache(uow)
    sent = 0
    default_hours = CheckinRules().reminder_after_hours
    for checkin in await uow.checkins.needing_reminder(
        now - timedelta(hours=default_hours), now, limit
    ):
        participant = await uow.participants.get(checkin.participant_id)
        if participant is None or not may_receive(participant):
            continue
        rules = await cache.for_team(participant.team_id)
        if await outbox.to_participant(
            uow,
            clock,
            participant,
            key=f"reminder:{checkin.slot}",
            kind="reminder",
            payload={"checkin_id": str(checkin.id), "wording": checkin.wording}
            | quiet_payload(rules, tz),
            not_before=next_allowed(now, rules, tz),
        ):
            sent += 1
    return sent


# --- answers -----------------------------------------------------------------------------


async def own_checkin(uow: UnitOfWork, participant: Participant, checkin_id: uuid.UUID) -> Checkin:
    checkin = await uow.checkins.get(checkin_id)
    if checkin is None or checkin.participant_id != participant.id:
        raise DomainError(ErrorCode.NOT_FOUND, entity="checkin")
    return checkin


async def start_adhoc(uow: UnitOfWork, clock: Clock, participant: Participant) -> Checkin:
    """The participant chose "Hoe gaat het?" in the menu."""
    now = clock.now()
    checkin_id = new_id()
    checkin = Checkin(
        id=checkin_id,
        participant_id=participant.id,
        slot=f"adhoc:{checkin_id.hex}",
        kind=CheckinKind.ADHOC,
        due_at=now,
        created_at=now,
        status=CheckinStatus.SENT,
        sent_at=now,
        wording=wording_for(checkin_id.hex),
    )
    await uow.checkins.add(checkin)
    return checkin


async def answer(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    checkin_id: uuid.UUID,
    *,
    score: int | None,
    all_ok: bool = False,
) -> Checkin:
    if score is not None and not 1 <= score <= 5:
        raise DomainError(ErrorCode.INVALID, field="score")
    checkin = await own_checkin(uow, participant, checkin_id)
    checkin.score = score
    checkin.all_ok = all_ok
    checkin.status = CheckinStatus.ANSWERED
    checkin.answered_at = clock.now()
    await uow.checkins.update(checkin)
    await audit.by_participant(uow, clock, participant.id, "checkin.answer")
    return checkin


async def add_details(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    checkin_id: uuid.UUID,
    *,
    topics: Sequence[Topic] | None = None,
    note: str | None = None,
    went_well: str | None = None,
    voice_ref: str | None = None,
) -> Checkin:
    checkin = await own_checkin(uow, participant, checkin_id)
    if topics is not None:
        checkin.topics = tuple(dict.fromkeys(topics))
    if note is not None:
        checkin.note = note.strip()[:MAX_NOTE] or None
    if went_well is not None:
        checkin.went_well = went_well.strip()[:MAX_NOTE] or None
    if voice_ref is not None:
        checkin.voice_ref = voice_ref
    if checkin.status is not CheckinStatus.ANSWERED:
        checkin.status = CheckinStatus.ANSWERED
        checkin.answered_at = clock.now()
    await uow.checkins.update(checkin)
    return checkin


def asks_for_contact(checkin: Checkin) -> bool:
    """A score of 1-2 or a worrying topic: offer that someone of the team gets in touch."""
    low = checkin.score is not None and checkin.score <= 2
    return low or bool(WORRYING.intersection(checkin.topics))


async def want_contact(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    checkin_id: uuid.UUID,
    *,
    yes: bool,
) -> Flag | None:
    checkin = await own_checkin(uow, participant, checkin_id)
    checkin.wants_contact = yes
    await uow.checkins.update(checkin)
    if not yes:
        return None
    parts = []
    if checkin.score is not None:
        parts.append(f"Score {checkin.score}/5.")
    if checkin.topics:
        parts.append("Onderwerpen: " + ", ".join(t.value for t in checkin.topics) + ".")
    if checkin.note:
        parts.append(checkin.note)
    return await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.CHECKIN_LOW,
        urgency=FlagUrgency.HIGH if checkin.score == 1 else FlagUrgency.NORMAL,
        source=f"checkin:{checkin.kind.value}",
        topic=next(iter(checkin.topics), None),
        words=flags.Words(
            text=" ".join(parts),
            media_kind="voice" if checkin.voice_ref else None,
            media_ref=checkin.voice_ref,
        ),
    )


# --- the participant's choices -----------------------------------------------------------


async def set_preferences(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    *,
    weekday: int | None = None,
    daypart: DayPart | None = None,
    less_often: bool | None = None,
    snooze_weeks: int | None = None,
) -> Participant:
    now = clock.now()
    if weekday is not None:  # 0 = Monday .. 5 = Saturday; ANY_DAY clears the choice
        if not ANY_DAY <= weekday <= 5:
            raise DomainError(ErrorCode.INVALID, field="weekday")
        participant.checkin_weekday = None if weekday == ANY_DAY else weekday
    if daypart is not None:
        participant.checkin_daypart = daypart
    if less_often is not None:
        participant.checkin_less_often = less_often
    if snooze_weeks is not None:
        if snooze_weeks not in SNOOZE_WEEKS:
            raise DomainError(ErrorCode.INVALID, field="snooze_weeks")
        participant.checkin_snooze_until = now + timedelta(weeks=snooze_weeks)
    participant.updated_at = now
    await uow.participants.update(participant)
    await audit.by_participant(uow, clock, participant.id, "checkin.preferences")
    await replan(uow, clock, tz, participant)
    return participant


# --- the team ----------------------------------------------------------------------------


async def history(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID, *, limit: int = 100
) -> Sequence[Checkin]:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, "checkin.history", participant.id)
    return await uow.checkins.latest_for(participant.id, limit)
