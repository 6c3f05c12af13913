"""Check-ins stay where they belong: a change of settings never pushes the next one away.

The next check-in is the first allowed moment of the rhythm in force, counted from the last
check-in that was not cancelled (else from the link), whatever the participant changed before.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import Connection, select, update

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.migrate import alembic_config
from wzt_bot.db.tables import CheckinRow
from wzt_bot.domain.models import Checkin, CheckinStatus, Participant
from wzt_bot.domain.services import checkins, onboarding
from wzt_bot.scheduler.jobs import outreach_tick
from wzt_bot.wiring import Container

BRU = ZoneInfo("Europe/Brussels")
START = datetime(2026, 11, 23, 10, 0, tzinfo=BRU)  # Monday morning: linked
FIRST = datetime(2026, 12, 7, 10, 0, tzinfo=BRU)  # two weeks later, the default rhythm


async def _scheduled(container: Container, participant: Participant) -> list[datetime]:
    async with container.uow_factory() as uow:
        rows = await uow.checkins.latest_for(participant.id, 100)
    return [c.due_at.astimezone(BRU) for c in rows if c.status is CheckinStatus.SCHEDULED]


async def test_less_often_and_back_to_normal_keeps_the_first_checkin(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    p = world.participant
    async with container.uow_factory() as uow:
        await checkins.replan(uow, clock, BRU, p)
        await uow.commit()
    assert await _scheduled(container, p) == [FIRST]
    for less_often in (True, False, True, False):
        async with container.uow_factory() as uow:
            await checkins.set_preferences(uow, clock, BRU, p, less_often=less_often)
            await uow.commit()
        expected = datetime(2026, 12, 21, 10, 0, tzinfo=BRU) if less_often else FIRST
        assert await _scheduled(container, p) == [expected]


async def test_choosing_a_day_back_and_forth_keeps_the_first_checkin(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    p = world.participant
    for weekday in (0, 2, 0, checkins.ANY_DAY, 2, 0):
        async with container.uow_factory() as uow:
            await checkins.set_preferences(uow, clock, BRU, p, weekday=weekday)
            await uow.commit()
        day = 7 if weekday in (0, checkins.ANY_DAY) else 9  # Monday 7 or Wednesday 9 Dec
        assert await _scheduled(container, p) == [datetime(2026, 12, day, 10, 0, tzinfo=BRU)]


async def test_stop_then_start_keeps_the_first_checkin(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    p = world.participant
    await outreach_tick(container.uow_factory, clock, BRU)
    assert await _scheduled(container, p) == [FIRST]
    for _ in range(3):
        async with container.uow_factory() as uow:
            await onboarding.set_proactive_paused(uow, clock, p, paused=True)
            await uow.commit()
        assert await _scheduled(container, p) == []
        async with container.uow_factory() as uow:
            await onboarding.set_proactive_paused(uow, clock, p, paused=False)
            await uow.commit()
        await outreach_tick(container.uow_factory, clock, BRU)
        assert await _scheduled(container, p) == [FIRST]


async def test_migration_frees_the_slots_of_checkins_cancelled_before(
    container: Container,
) -> None:
    """Rows cancelled before 0011 still held their day: the migration frees them."""
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    p = world.participant
    async with container.uow_factory() as uow:
        await checkins.replan(uow, clock, BRU, p)
        await uow.commit()
    [planned] = await _planned_rows(container, p)
    async with container.engine.begin() as connection:  # as a cancel wrote it before 0011
        await connection.execute(
            update(CheckinRow)
            .where(CheckinRow.id == planned.id)
            .values(status=CheckinStatus.CANCELLED.value, slot=planned.slot)
        )

    def _again(connection: Connection) -> None:
        config = alembic_config(container.settings.database_url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
        command.upgrade(config, "head")

    async with container.engine.begin() as connection:
        await connection.run_sync(_again)
        slot = await connection.scalar(select(CheckinRow.slot).where(CheckinRow.id == planned.id))
    assert slot is not None and slot.startswith("cancelled:") and slot != planned.slot
    async with container.uow_factory() as uow:
        await checkins.replan(uow, clock, BRU, p)
        await uow.commit()
    assert await _scheduled(container, p) == [FIRST]  # the same day again, not two weeks on


async def _planned_rows(container: Container, participant: Participant) -> list[Checkin]:
    async with container.uow_factory() as uow:
        rows = await uow.checkins.latest_for(participant.id, 100)
    return [c for c in rows if c.status is CheckinStatus.SCHEDULED]


async def test_a_checkin_cancelled_when_due_frees_its_day_too(container: Container) -> None:
    """Due while the participant could not receive it (here: unreachable, set without the
    cancel): the scheduler cancels it and its day is free for the next plan."""
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    p = world.participant
    async with container.uow_factory() as uow:
        await checkins.replan(uow, clock, BRU, p)
        p.unreachable = True
        await uow.participants.update(p)
        await uow.commit()
    [planned] = await _planned_rows(container, p)
    clock.advance(planned.due_at - clock.now())
    async with container.uow_factory() as uow:
        report = await checkins.dispatch(uow, clock, BRU)
        await uow.commit()
    assert report.cancelled == 1
    async with container.uow_factory() as uow:
        cancelled = await uow.checkins.get(planned.id)
        assert cancelled is not None and cancelled.status is CheckinStatus.CANCELLED
        assert cancelled.slot.startswith("cancelled:")
        p.unreachable = False
        await uow.participants.update(p)
        await checkins.replan(uow, clock, BRU, p)
        await uow.commit()
    assert await _scheduled(container, p) == [FIRST]  # due now, on the freed day
