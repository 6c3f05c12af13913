"""APScheduler 3 drives periodic housekeeping. The database rows are the truth."""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from wzt_bot.domain.ports import Clock, UnitOfWorkFactory
from wzt_bot.scheduler import jobs


def build_scheduler(uow_factory: UnitOfWorkFactory, clock: Clock, tz: tzinfo) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=tz)
    scheduler.add_job(
        jobs.purge_handled_updates,
        "cron",
        hour=3,
        minute=17,
        id="purge_handled_updates",
        kwargs={"uow_factory": uow_factory, "clock": clock},
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    return scheduler
