"""HIVA recommendations R10 (who covers), R16 (restart after a pause) and R22 ("stage"
explained once), on both databases, through the outbox and the notifier's renderer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.fakes.outreach import FakeNotifier, linked_participant
from wzt_bot.bot.context import BotContext
from wzt_bot.bot.handlers.plan import goal_text, step_text
from wzt_bot.bot.notifier import render
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import (
    ActionDomain,
    OutboxMessage,
    PlanAction,
    PlanDocument,
    Role,
    StaffFunction,
    TrajectoryType,
)
from wzt_bot.domain.services import admin, teams
from wzt_bot.domain.services import plan as svc
from wzt_bot.domain.services.delivery import Sender
from wzt_bot.i18n import I18n
from wzt_bot.wiring import Container

BRU = ZoneInfo("Europe/Brussels")
NL = I18n().get("nl")


async def _outbox(
    container: Container, clock: FrozenClock, notifier: FakeNotifier, kind: str
) -> list[OutboxMessage]:
    """Deliver what is due (through the real sender) and return what went out of `kind`."""
    await Sender(container.uow_factory, clock, notifier).drain()
    return [m for m in notifier.sent if m.kind == kind]


async def test_the_participant_hears_who_covers_before_that_person_gets_their_messages(
    container: Container,
) -> None:
    """R10: a new main contact is introduced; when they are away, the back-up is named and
    the participant is told that person can read what they sent before."""
    clock = FrozenClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    sent = FakeNotifier()
    sam = await linked_participant(container, clock, name="Sam", user_id=8301)
    async with container.uow_factory() as uow:
        bert = await admin.create_staff(
            uow, name="Bert Peeters", role=Role.CASEMANAGER, team_ids=frozenset({sam.team_id})
        )
        bert.staff.function = StaffFunction.CASEMANAGER_ZORG
        await uow.staff.update(bert.staff)
        await teams.set_contacts(
            uow,
            clock,
            sam.staff,
            sam.participant.id,
            main_contact_id=sam.staff.id,
            backup_contact_id=bert.staff.id,
            tz=BRU,
        )
        await uow.commit()
    (introduced,) = await _outbox(container, clock, sent, "cover")
    text, _ = render(introduced, NL)
    assert "Vanaf nu is An Claes je vaste contactpersoon." in text
    assert "An Claes kan ook lezen wat je eerder naar je team stuurde." in text

    clock.advance(timedelta(hours=1))
    async with container.uow_factory() as uow:
        an = await uow.staff.get(sam.staff.id)
        assert an is not None
        await teams.set_availability(uow, clock, an, away=True, function=None, tz=BRU)
        await uow.commit()
    _, away = await _outbox(container, clock, sent, "cover")
    text, markup = render(away, NL)
    assert "An Claes is een tijdje afwezig." in text
    assert "In die tijd helpt Bert Peeters je verder." in text
    assert "Bert Peeters is je begeleider voor zorg." in text
    assert "Bert Peeters kan ook lezen wat je eerder naar je team stuurde." in text
    assert markup is not None
    # Marking oneself away again tells nobody twice; coming back is told once.
    async with container.uow_factory() as uow:
        an = await uow.staff.get(sam.staff.id)
        assert an is not None
        await teams.set_availability(uow, clock, an, away=True, function=None, tz=BRU)
        clock.advance(timedelta(days=7))
        await teams.set_availability(uow, clock, an, away=False, function=None, tz=BRU)
        await uow.commit()
    notices = await _outbox(container, clock, sent, "cover")
    assert [m.payload["event"] for m in notices] == ["new_main", "away", "back"]
    assert "An Claes is er weer." in render(notices[-1], NL)[0]


async def test_a_pause_that_ends_sends_a_restart_message_once(container: Container) -> None:
    """R16: when the pause ends, who to contact and what comes next."""
    clock = FrozenClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    sent = FakeNotifier()
    sam = await linked_participant(container, clock, name="Sam", user_id=8302)
    start = date(2026, 9, 1)
    async with container.uow_factory() as uow:
        sam.staff.function = StaffFunction.CASEMANAGER_WERK
        await uow.staff.update(sam.staff)
        await teams.set_contacts(
            uow,
            clock,
            sam.staff,
            sam.participant.id,
            main_contact_id=sam.staff.id,
            backup_contact_id=None,
            tz=BRU,
        )
        await svc.put_plan(
            uow,
            clock,
            BRU,
            sam.staff,
            sam.participant.id,
            PlanDocument(
                trajectory_type=TrajectoryType.ACTIVERINGSTRAJECT,
                objective="Werken in een bakkerij",
                start_date=start,
                expected_end_date=start + timedelta(days=300),
                evaluation_every_weeks=6,
                actions=(
                    PlanAction(id="", domain=ActionDomain.ZORG, title="Gesprek met de huisarts"),
                ),
            ),
        )
        await svc.update_trajectory(
            uow,
            clock,
            BRU,
            sam.staff,
            sam.participant.id,
            svc.TrajectoryChange(paused=True, given=frozenset({"paused"})),
        )
        await uow.commit()
    assert await _outbox(container, clock, sent, "restart") == []
    for _ in range(2):  # the second "not paused" changes nothing
        clock.advance(timedelta(days=30))
        async with container.uow_factory() as uow:
            await svc.update_trajectory(
                uow,
                clock,
                BRU,
                sam.staff,
                sam.participant.id,
                svc.TrajectoryChange(paused=False, given=frozenset({"paused"})),
            )
            await uow.commit()
    (restart,) = await _outbox(container, clock, sent, "restart")
    text, markup = render(restart, NL)
    assert "Je traject loopt weer." in text
    assert "Gesprek met de huisarts" in text
    assert "Wie kan je contacteren? An Claes." in text
    assert "An Claes is je begeleider voor werk." in text
    assert "24/11/2026" not in text  # an evaluation date already past is not announced
    assert markup is not None


async def test_stage_is_explained_once_the_first_time_it_appears(container: Container) -> None:
    """R22: unpaid, some costs paid back; stored, so the next view does not repeat it."""
    clock = FrozenClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=8303)
    start = date(2026, 11, 2)
    async with container.uow_factory() as uow:
        version = await svc.put_plan(
            uow,
            clock,
            BRU,
            sam.staff,
            sam.participant.id,
            PlanDocument(
                trajectory_type=TrajectoryType.ACTIVERINGSTRAJECT,
                objective="Werken in een bakkerij",
                start_date=start,
                expected_end_date=start + timedelta(days=300),
                evaluation_every_weeks=6,
                actions=(
                    PlanAction(id="", domain=ActionDomain.ZORG, title="Gesprek met de huisarts"),
                    PlanAction(id="", domain=ActionDomain.WERK, title="Een stage zoeken"),
                ),
            ),
        )
        await uow.commit()
    ctx = BotContext(uow_factory=container.uow_factory, clock=clock, i18n=container.i18n, tz=BRU)
    seen = []
    for index in (0, 1, 1):
        async with container.uow_factory() as uow:
            participant = await uow.participants.get(sam.participant.id)
            assert participant is not None
            shown = await step_text(participant, uow, ctx, NL, index, version.number)
            assert shown is not None
            seen.append(shown[0])
            await uow.commit()
    assert "Wat is een stage?" not in seen[0]  # no "stage" in this step
    assert "Wat is een stage?" in seen[1]
    assert "Je krijgt geen loon voor een stage." in seen[1]
    assert "Wat is een stage?" not in seen[2]
    async with container.uow_factory() as uow:
        participant = await uow.participants.get(sam.participant.id)
        assert participant is not None and participant.stage_explained_at is not None
        goal, _ = await goal_text(participant, uow, ctx, NL)
    assert "Wat is een stage?" not in goal
