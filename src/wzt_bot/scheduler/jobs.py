"""Scheduled jobs: each opens its own unit of work and acts through the domain."""

from __future__ import annotations

from datetime import timedelta

import structlog

from wzt_bot.domain.ports import Clock, UnitOfWorkFactory

log = structlog.get_logger(__name__)

#: Telegram stops redelivering an update after a day; a week of update ids is plenty.
KEEP_UPDATE_IDS = timedelta(days=7)


async def purge_handled_updates(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    async with uow_factory() as uow:
        removed = await uow.updates.purge_before(clock.now() - KEEP_UPDATE_IDS)
        await uow.commit()
    log.info("job.purge_handled_updates", removed=removed)
    return removed
