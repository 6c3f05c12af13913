"""The one sender: delivers the outbox, within Telegram's limits, at most once per message.

- Messages are claimed atomically (several senders by mistake never share a row). A claimed
  message waits for the rate limiter; only then, right before the request leaves, is it
  marked "sending" (a committed, conditional update: a claim that was taken over is not sent).
- Each message's outcome is committed right after its send. A sender killed before the wire
  leaves the row "claimed": after CLAIM_LEASE it is pending again and goes out once. Killed
  while on the wire, the row is "sending": after SENDING_LEASE a Telegram message becomes
  "uncertain" and is never sent again (at most once); a webhook is sent again with the same
  X-WZT-Delivery id, which receivers use to drop the repeat.
- Passing errors go back to "pending" with exponential backoff; a blocked participant's
  messages are cancelled; webhooks are retried for a day, then dead-lettered.
- Messages to one chat go out in order, one after the other; chats run side by side.
  The Telegram rate limits themselves (global and per chat, 429 retry_after) are enforced
  by the Bot API client below the Notifier.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wzt_bot.domain.errors import DeliveryError, RecipientGoneError, RejectedError, TryLaterError
from wzt_bot.domain.models import OutboxChannel, OutboxMessage, OutboxStatus
from wzt_bot.domain.policies.schedule import CheckinRules, in_quiet_hours, next_allowed
from wzt_bot.domain.ports import Clock, Mailer, Notifier, OnWire, UnitOfWorkFactory, WebhookRelay
from wzt_bot.domain.services import complaints

TELEGRAM_MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
CLAIM_LEASE = timedelta(seconds=30)
SENDING_LEASE = timedelta(minutes=2)


@dataclass(slots=True)
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    cancelled: int = 0
    deferred: int = 0
    lost: int = 0

    def add(self, other: DeliveryReport) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead
        self.cancelled += other.cancelled
        self.deferred += other.deferred
        self.lost += other.lost


def quiet_until(message: OutboxMessage, now: datetime) -> datetime | None:
    """When a proactive message carries quiet hours and `now` is in them: when they end."""
    quiet = message.payload.get("quiet")
    if not isinstance(quiet, dict):
        return None
    try:
        tz = ZoneInfo(str(quiet.get("tz") or "Europe/Brussels"))
        rules = CheckinRules().merged(
            {
                "quiet_start": quiet.get("start"),
                "quiet_end": quiet.get("end"),
                "quiet_weekdays": quiet.get("weekdays"),
            }
        )
    except (ValueError, TypeError, ZoneInfoNotFoundError):
        return None
    if not in_quiet_hours(now, rules, tz):
        return None
    return next_allowed(now, rules, tz)


def backoff(attempts: int) -> timedelta:
    factor: int = 2 ** max(attempts - 1, 0)
    return min(BACKOFF_FIRST * factor, BACKOFF_MAX)


class Sender:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        notifier: Notifier,
        relay: WebhookRelay | None = None,
        *,
        mailer: Mailer | None = None,
        lease_clock: Clock | None = None,
        batch: int = 50,
        concurrency: int = 8,
        claim_lease: timedelta = CLAIM_LEASE,
        sending_lease: timedelta = SENDING_LEASE,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock  # business time: what is due, quiet hours
        self.lease_clock = lease_clock or clock  # real time: how old a claim is
        self.notifier = notifier
        self.relay = relay
        self.mailer = mailer
        self.batch = batch
        self.concurrency = concurrency
        self.claim_lease, self.sending_lease = claim_lease, sending_lease

    async def run_once(self) -> DeliveryReport:
        """Claim one batch of due messages and deliver it."""
        token = secrets.token_hex(8)
        async with self.uow_factory() as uow:
            claimed = await uow.outbox.claim(
                self.clock.now(), self.batch, token, at=self.lease_clock.now()
            )
            await uow.commit()
        report = DeliveryReport(claimed=len(claimed))
        if not claimed:
            return report
        per_target: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
        for message in claimed:
            per_target[(message.channel.value, message.target)].append(message)
        slots = asyncio.Semaphore(self.concurrency)

        async def one_target(messages: Sequence[OutboxMessage]) -> None:
            async with slots:
                for message in messages:
                    await self._deliver(message, token, report)

        await asyncio.gather(*(one_target(m) for m in per_target.values()))
        return report

    async def drain(self, max_batches: int = 10_000) -> DeliveryReport:
        """Deliver until nothing is due (what `jobs run-once` does)."""
        total = DeliveryReport()
        for _ in range(max_batches):
            report = await self.run_once()
            total.add(report)
            if report.claimed == 0:
                break
        return total

    async def settle(self, *, poll: float = 1.0) -> DeliveryReport:
        """Deliver until nothing is due and no other sender holds a claim (what `jobs
        run-once` ends with). A dead sender's claims come free after their lease and are
        delivered here; its messages that were on the wire become uncertain and are never
        sent again."""
        total = DeliveryReport()
        while True:
            total.add(await self.drain())
            released, _uncertain = await self.expire_claims()
            if released:
                continue  # due again: deliver them
            if await self.claimed() == 0:
                return total
            await asyncio.sleep(poll)

    async def expire_claims(self) -> tuple[int, int]:
        """(released, uncertain): claims of a sender that died, see the module docstring."""
        now = self.lease_clock.now()
        async with self.uow_factory() as uow:
            expired = await uow.outbox.expire_claims(
                claimed_before=now - self.claim_lease, sending_before=now - self.sending_lease
            )
            await uow.commit()
        return expired

    async def claimed(self) -> int:
        """Messages claimed but not on the wire yet (by this or another sender)."""
        async with self.uow_factory() as uow:
            counts = await uow.outbox.counts()
        return counts.get(OutboxStatus.CLAIMED.value, 0)

    async def run(self, stop: asyncio.Event, *, idle: float = 0.5) -> None:
        """Deliver continuously until `stop` is set."""
        await self.expire_claims()
        last_expiry = asyncio.get_running_loop().time()
        # A dead sender's claims come free soon after their lease, not a minute later.
        expiry_every = min(60.0, self.claim_lease.total_seconds())
        while not stop.is_set():
            report = await self.run_once()
            now = asyncio.get_running_loop().time()
            if now - last_expiry > expiry_every:
                await self.expire_claims()
                last_expiry = now
            if report.claimed:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), idle)

    async def _mark_sending(self, message: OutboxMessage, token: str) -> bool:
        async with self.uow_factory() as uow:
            ok = await uow.outbox.mark_sending(message.id, token, self.lease_clock.now())
            await uow.commit()
        if ok:
            message.attempts += 1
        return ok

    async def _deliver(self, message: OutboxMessage, token: str, report: DeliveryReport) -> None:
        wait_until = quiet_until(message, self.clock.now())
        if wait_until is not None:  # never in quiet hours, even when it is late
            report.deferred += 1
            await self._finish(message, OutboxStatus.PENDING, retry_at=wait_until)
            return

        async def on_wire() -> bool:
            return await self._mark_sending(message, token)

        try:
            if message.channel is OutboxChannel.WEBHOOK:
                went = await self._post_webhook(message, on_wire)
            elif message.channel is OutboxChannel.EMAIL:
                went = await self._send_email(message, on_wire)
            else:
                went = await self.notifier.send(message, on_wire)
            if not went:
                report.lost += 1  # another sender took this claim over: it sends it
                return
        except RecipientGoneError as exc:
            report.cancelled += 1
            await self._finish(message, OutboxStatus.CANCELLED, error=str(exc) or "blocked")
        except RejectedError as exc:
            report.dead += 1
            await self._finish(message, OutboxStatus.DEAD, error=str(exc) or "rejected")
        except (TryLaterError, DeliveryError) as exc:
            now = self.clock.now()
            give_up = (message.give_up_at is not None and now >= message.give_up_at) or (
                message.give_up_at is None and message.attempts >= TELEGRAM_MAX_ATTEMPTS
            )
            if give_up:
                report.dead += 1
                await self._finish(message, OutboxStatus.DEAD, error=str(exc) or "gave up")
            else:
                report.retried += 1
                await self._finish(
                    message,
                    OutboxStatus.PENDING,
                    error=str(exc)[:500] or "try later",
                    retry_at=now + backoff(message.attempts),
                )
        else:
            report.sent += 1
            await self._finish(message, OutboxStatus.SENT)

    async def _post_webhook(self, message: OutboxMessage, on_wire: OnWire) -> bool:
        if self.relay is None:
            raise TryLaterError("no webhook relay in this process")
        if message.target.startswith("handler:"):  # a complaints handler's own system
            async with self.uow_factory() as uow:
                found = await complaints.webhook_for(uow, message.target)
            if found is None:
                raise RejectedError("the complaints handler has no webhook URL or secret")
            url, secret = found
        else:
            team_id = uuid.UUID(message.target)
            async with self.uow_factory() as uow:
                settings = await uow.teams.settings(team_id)
                team_secret = await uow.teams.webhook_secret(team_id)
            if not settings.webhook_url or not team_secret:
                raise RejectedError("the team has no webhook URL or secret any more")
            url, secret = settings.webhook_url, team_secret
        if not await on_wire():
            return False
        await self.relay.post(message, url, secret)
        return True

    async def _send_email(self, message: OutboxMessage, on_wire: OnWire) -> bool:
        if self.mailer is None:
            raise TryLaterError("no mailer configured (WZT_SMTP_URL)")
        if not await on_wire():
            return False
        payload = message.payload
        await self.mailer.send(
            message.target, str(payload.get("subject") or ""), str(payload.get("body") or "")
        )
        return True

    async def _finish(
        self,
        message: OutboxMessage,
        status: OutboxStatus,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        async with self.uow_factory() as uow:
            await uow.outbox.finish(
                message.id,
                status,
                at=self.clock.now(),
                error=error,
                retry_at=retry_at,
            )
            await uow.commit()
