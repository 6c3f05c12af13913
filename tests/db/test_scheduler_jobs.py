"""Scheduled housekeeping on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from wzt_bot.clock import FrozenClock
from wzt_bot.scheduler import jobs
from wzt_bot.scheduler.factory import build_scheduler
from wzt_bot.wiring import Container


async def test_purge_keeps_recent_and_unhandled_updates(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 1, tzinfo=UTC))
    async with container.uow_factory() as uow:
        await uow.updates.store(1, "{}", clock.now())
        await uow.updates.store(2, "{}", clock.now())
        await uow.updates.mark_done(1, clock.now())
        await uow.commit()
    clock.advance(timedelta(days=8))
    async with container.uow_factory() as uow:
        await uow.updates.store(3, "{}", clock.now())
        await uow.updates.mark_done(3, clock.now())
        await uow.commit()
    assert await jobs.purge_handled_updates(container.uow_factory, clock) == 1
    async with container.uow_factory() as uow:
        # 2 was never handled (its process died): it stays for recovery; 3 is recent.
        assert [u for u, _ in await uow.updates.stale(clock.now(), 10)] == [2]


def test_scheduler_has_its_jobs(container: Container) -> None:
    scheduler = build_scheduler(container.uow_factory, container.clock, ZoneInfo("Europe/Brussels"))
    assert [job.id for job in scheduler.get_jobs()] == ["purge_handled_updates", "outreach_tick"]
