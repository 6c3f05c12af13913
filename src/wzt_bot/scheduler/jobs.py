"""Scheduled jobs: each opens its own units of work and acts through the domain.

The rows are the truth: a job that runs twice, or in two processes at once, finds nothing
left to do the second time (check-ins and outbox rows are claimed atomically and carry
idempotency keys).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta, tzinfo

import structlog

from wzt_bot.domain.ports import Clock, UnitOfWorkFactory
from wzt_bot.domain.services import checkins, outbox, plan, surveys

log = structlog.get_logger(__name__)

#: Telegram stops redelivering an update after a day; a week of update ids is plenty.
KEEP_UPDATE_IDS = timedelta(days=7)
KEEP_OUTBOX = timedelta(days=30)
BATCH = 500
#: Due check-ins are queued in small batches, so the sender can start on the first at once.
DISPATCH_BATCH = 100


async def purge_handled_updates(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """Update ids after a week; finished outbox messages (they may hold a participant's
    words or a team's reply, encrypted) after 30 days; the flag threads keep what matters."""
    async with uow_factory() as uow:
        removed = await uow.updates.purge_before(clock.now() - KEEP_UPDATE_IDS)
        sent = await uow.outbox.purge_before(clock.now() - KEEP_OUTBOX)
        await uow.commit()
    log.info("job.purge_handled_updates", removed=removed, outbox_removed=sent)
    return removed


@dataclass(slots=True)
class OutreachReport:
    planned: int = 0
    queued: int = 0
    cancelled: int = 0
    reminders: int = 0
    no_contact_flags: int = 0
    digests: int = 0
    evaluation_notices: int = 0
    end_warnings: int = 0
    survey_offers: int = 0
    surveys_expired: int = 0


async def outreach_tick(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    tz: tzinfo,
    *,
    evaluation_notice_days: int = plan.EVALUATION_NOTICE_DAYS,
) -> OutreachReport:
    """Plan check-ins, queue the due ones and the reminders, the plan's evaluation notices
    and month-18 warnings, the feedback surveys' offers and expiry, send the daily digests.
    Each batch is its own transaction, so the sender can start on the first one."""
    report = OutreachReport()
    after = None
    while True:
        async with uow_factory() as uow:
            batch = await checkins.plan(uow, clock, tz, limit=BATCH, after=after)
            await uow.commit()
        report.planned += batch.planned
        after = batch.last
        if batch.looked_at < BATCH:
            break
    while True:
        async with uow_factory() as uow:
            tick = await checkins.dispatch(uow, clock, tz, limit=DISPATCH_BATCH)
            await uow.commit()
        report.queued += tick.queued
        report.cancelled += tick.cancelled
        report.no_contact_flags += tick.no_contact_flags
        if tick.queued + tick.cancelled == 0:
            break
    while True:
        async with uow_factory() as uow:
            reminders = await checkins.remind(uow, clock, tz, limit=BATCH)
            await uow.commit()
        report.reminders += reminders
        if reminders < BATCH:
            break
    while True:  # evaluation notices, evaluation dates moving on, month-18 warnings
        async with uow_factory() as uow:
            plans = await plan.tick(uow, clock, tz, notice_days=evaluation_notice_days, limit=BATCH)
            await uow.commit()
        report.evaluation_notices += plans.evaluation_notices
        report.end_warnings += plans.end_warnings
        if plans.looked_at < BATCH or not plans.acted:
            break
    while True:  # feedback surveys: the offers that are due, sittings left too long
        async with uow_factory() as uow:
            offers = await surveys.tick(uow, clock, tz, limit=BATCH)
            await uow.commit()
        report.survey_offers += offers.offered
        report.surveys_expired += offers.expired
        if offers.looked_at < BATCH:
            break
    async with uow_factory() as uow:
        report.digests = await outbox.daily_digests(uow, clock, tz)
        await uow.commit()
    if any(dataclasses.astuple(report)):
        log.info("job.outreach_tick", **dataclasses.asdict(report))
    return report
