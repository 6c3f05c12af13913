"""Who reads what a participant sends: the people of their own team, from the bot's data.

The onboarding and "Mijn gegevens" say who that is instead of promising that "VDAB" never
sees the chat: the casemanager werk is a VDAB function (decree.md, VDAB row: "holds the
casemanager Werk function"; practice.md §1: carried out by GTB in some networks), so in
many teams a VDAB employee reads along. The names, functions and organisations come from
the team's staff and the participant's "Wie is wie".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wzt_bot.domain.models import Participant, Role, StaffFunction
from wzt_bot.domain.ports import UnitOfWork

#: Roles that can open a participant's messages through the API (team-scoped).
READER_ROLES = frozenset({Role.CASEMANAGER, Role.TEAMLEAD})


@dataclass(frozen=True, slots=True)
class Reader:
    staff_id: uuid.UUID
    name: str
    function: StaffFunction | None
    organisation: str  # from "Wie is wie"; empty when the team did not fill it in


async def readers(uow: UnitOfWork, participant: Participant) -> list[Reader]:
    """The active members of the participant's team who can read their messages."""
    organisations = {
        entry.staff_id: entry.organisation
        for entry in await uow.plans.directory(participant.id)
        if entry.staff_id is not None
    }
    return [
        Reader(s.id, s.name, s.function, organisations.get(s.id, ""))
        for s in await uow.staff.for_team(participant.team_id)
        if s.role in READER_ROLES
    ]
