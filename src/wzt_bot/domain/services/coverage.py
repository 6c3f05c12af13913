"""Who covers: the participant hears of a change of their main contact, or of their main
contact being away, and who helps them meanwhile (hiva.md R10: "tell the participant,
introduce the replacement"; changes harm trust, §4.2 L1153, §6.2.3 L1448, §6.3 L1460).

The notice is queued in the same unit of work as the change (the API call that records it),
so it leaves with the next outbox tick, before the new person's first flag reaches them
through routing. It also says, plainly, that the new person can read what the participant
sent to the team before. Only to participants who accept messages from the bot (as plan
versions); the others see their contacts in Mijn plan.
"""

from __future__ import annotations

import uuid
from datetime import tzinfo
from typing import Any

from wzt_bot.domain.models import Participant, Staff
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.services import checkins, outbox

PAGE = 500


def _person(staff: Staff | None) -> dict[str, Any]:
    if staff is None:
        return {"name": "", "function": None}
    return {"name": staff.name, "function": staff.function.value if staff.function else None}


async def _usable(uow: UnitOfWork, staff_id: uuid.UUID | None, not_id: uuid.UUID) -> Staff | None:
    if staff_id is None or staff_id == not_id:
        return None
    staff = await uow.staff.get(staff_id)
    if staff is None or not staff.active or staff.away:
        return None
    return staff


async def _tell(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    event: str,
    who: Staff,
    cover: Staff | None,
) -> bool:
    if not checkins.may_receive(participant):
        return False
    rules = await checkins.RulesCache(uow).for_team(participant.team_id)
    payload = {
        "event": event,
        "who": _person(who),
        "cover": _person(cover),
    } | checkins.quiet_payload(rules, tz)
    return await outbox.to_participant(
        uow,
        clock,
        participant,
        key=f"cover:{participant.id.hex}:{event}:{who.id.hex}:{int(clock.now().timestamp())}",
        kind="cover",
        payload=payload,
    )


async def main_contact_changed(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    before: uuid.UUID | None,
) -> bool:
    """After the participant's main contact was set: introduce the new one (if it changed)."""
    settings = await uow.teams.settings(participant.team_id)
    old = before or settings.main_contact_id
    new = participant.main_contact_id or settings.main_contact_id
    if new is None or new == old:
        return False
    staff = await uow.staff.get(new)
    if staff is None:
        return False
    return await _tell(uow, clock, tz, participant, "new_main", staff, staff)


async def availability_changed(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, staff: Staff, *, was_away: bool
) -> int:
    """A staff member went away or came back: every participant whose main contact they
    are hears who covers meanwhile (the back-up), or that they are back."""
    if staff.away == was_away:
        return 0
    told = 0
    offset = 0
    while True:
        page, total = await uow.participants.list_for_teams(
            staff.team_ids, offset=offset, limit=PAGE
        )
        for participant in page:
            settings = await uow.teams.settings(participant.team_id)
            if (participant.main_contact_id or settings.main_contact_id) != staff.id:
                continue
            if staff.away:
                backup = participant.backup_contact_id or settings.backup_contact_id
                cover = await _usable(uow, backup, staff.id)
                told += await _tell(uow, clock, tz, participant, "away", staff, cover)
            else:
                told += await _tell(uow, clock, tz, participant, "back", staff, staff)
        offset += PAGE
        if offset >= total:
            return told
