"""APScheduler 3 drives periodic housekeeping. The database rows are the truth."""

from __future__ import annotations

from datetime import datetime, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from wzt_bot.domain.ports import Clock, UnitOfWorkFactory
from wzt_bot.scheduler import jobs


def build_scheduler(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    tz: tzinfo,
    *,
    tick_seconds: int = 60,
    evaluation_notice_days: int = 3,
) -> AsyncIOScheduler:
    """Housekeeping, and the outreach tick every minute (check-ins, reminders, digests)."""
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
    scheduler.add_job(
        jobs.outreach_tick,
        "interval",
        seconds=tick_seconds,
        id="outreach_tick",
        kwargs={
            "uow_factory": uow_factory,
            "clock": clock,
            "tz": tz,
            "evaluation_notice_days": evaluation_notice_days,
        },
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=datetime.now(tz),
    )
    return scheduler
