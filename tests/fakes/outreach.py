"""In-memory stand-ins for the sender's ports, and a linked participant to reach out to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from wzt_bot.clock import FrozenClock
from wzt_bot.domain.errors import RecipientGoneError, TryLaterError
from wzt_bot.domain.models import ConsentKind, OutboxMessage, Participant, Role, Staff
from wzt_bot.domain.ports import OnWire
from wzt_bot.domain.services import admin, onboarding, participants
from wzt_bot.wiring import Container


@dataclass
class FakeNotifier:
    sent: list[OutboxMessage] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    flaky: int = 0  # fail this many sends with TryLaterError first

    async def send(self, message: OutboxMessage, on_wire: OnWire) -> bool:
        if not await on_wire():
            return False
        if message.target in self.blocked:
            raise RecipientGoneError("Forbidden: bot was blocked by the user")
        if self.flaky:
            self.flaky -= 1
            raise TryLaterError("HTTP 502")
        self.sent.append(message)
        return True


@dataclass
class FakeRelay:
    posted: list[tuple[OutboxMessage, str, str]] = field(default_factory=list)
    failing: bool = False

    async def post(self, message: OutboxMessage, url: str, secret: str) -> None:
        if self.failing:
            raise TryLaterError("HTTP 503")
        self.posted.append((message, url, secret))


@dataclass
class World:
    team_id: uuid.UUID
    staff: Staff
    participant: Participant
    chat_id: int


async def linked_participant(
    container: Container,
    clock: FrozenClock,
    *,
    name: str = "Sam",
    user_id: int = 5001,
    team_id: uuid.UUID | None = None,
    consent: bool = True,
) -> World:
    async with container.uow_factory() as uow:
        if team_id is None:
            team = await admin.create_team(uow, name=f"Team {user_id}", network_name="Oost")
            team_id = team.id
        created = await admin.create_staff(
            uow, name="An Claes", role=Role.CASEMANAGER, team_ids=frozenset({team_id})
        )
        issued = await participants.create_participant(
            uow, clock, created.staff, display_name=name, team_id=team_id
        )
        linked = await onboarding.redeem_invite(
            uow, clock, telegram_user_id=user_id, chat_id=user_id, code=issued.code
        )
        participant = await onboarding.set_locale(uow, clock, linked.participant, "nl")
        await onboarding.record_consent(
            uow, clock, participant, kind=ConsentKind.CHECKIN_MESSAGES, granted=consent
        )
        await uow.commit()
    return World(team_id=team_id, staff=created.staff, participant=participant, chat_id=user_id)


def at(clock: FrozenClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())
