"""Recovery of webhook updates a dead process had stored but not handled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import make_settings
from wzt_bot.clock import FrozenClock
from wzt_bot.wiring import Container


async def test_recovery_waits_for_the_configured_stale_after(database_url: str) -> None:
    """WZT_UPDATE_STALE_AFTER: a crashed process's updates are taken over that soon."""
    clock = FrozenClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    settings = make_settings(database_url, update_stale_after=20)
    async with Container.open(settings, clock=clock) as container:
        from tests.conftest import wipe

        await wipe(container)
        pipeline = container.build_bot()
        assert pipeline.stale_after == timedelta(seconds=20)
        async with container.uow_factory() as uow:  # what the process that died left behind
            await uow.updates.store(7001, '{"update_id": 7001}', clock.now())
            await uow.commit()
        clock.advance(timedelta(seconds=15))
        assert await pipeline.recover() == 0  # may still be in hand elsewhere
        clock.advance(timedelta(seconds=10))
        assert await pipeline.recover() == 1  # 25 s > 20 s: taken over, once
        assert await pipeline.recover() == 0
        await pipeline.drain()


def test_the_default_stale_after_stays_ten_minutes(database_url: str) -> None:
    assert make_settings(database_url).update_stale_after == 600
