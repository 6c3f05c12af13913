"""The path of every incoming update: each is handled once, in order per chat, never lost.

- Webhook (`accept`): the update is stored (encrypted) and committed before Telegram gets its
  200; a repeated update_id is acknowledged and not handled again. The handler's changes and
  "handled" commit together. If the process dies mid-way the update stays claimed-but-unhandled
  and `recover` handles it after a restart (or on another replica).
- Polling (`poll`): Telegram keeps every update until the next getUpdates confirms it, so
  nothing is stored first. A batch is handled, each update recording "handled" (or "failed",
  with its encrypted payload) in the handler's own transaction, and only then confirmed. After
  a crash Telegram gives the unconfirmed ones again, and those recorded already are skipped.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import structlog
from aiogram import Bot, Dispatcher
from aiogram.methods import DeleteWebhook, GetUpdates
from aiogram.types import Update
from prometheus_client import Counter, Histogram

from wzt_bot.bot.sent_ledger import SCOPE, scope_for
from wzt_bot.domain.ports import Clock, SentLedger, UnitOfWorkFactory

log = structlog.get_logger(__name__)

UPDATES = Counter("wzt_updates_total", "Telegram updates", ["outcome"])
HANDLING = Histogram(
    "wzt_update_handling_seconds",
    "Time from receipt to handled",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
_HANDLED, _FAILED = (
    UPDATES.labels("handled"),
    UPDATES.labels("failed"),
)  # per update: looked up once
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
#: An update stored but not handled for this long belongs to a process that died. Handling
#: itself never takes this long (429 waits are bounded), so a slow one is not taken twice.
#: The default of `WZT_UPDATE_STALE_AFTER`.
STALE_AFTER = timedelta(minutes=10)
#: Answers in the sent ledger are needed only until their update is handled; Telegram gives
#: an unconfirmed update again for a day at most.
KEEP_SENT_ANSWERS = timedelta(days=2)


def chat_key(update: Update | Mapping[str, Any]) -> int:
    """The chat (or user) an update belongs to, for ordering; 0 when there is none."""
    if isinstance(update, Update):
        for event in (update.message, update.edited_message, update.my_chat_member):
            if event is not None:
                return event.chat.id
        query = update.callback_query
        if query is not None:
            return query.message.chat.id if query.message is not None else query.from_user.id
        return 0
    for field in ("message", "edited_message", "callback_query", "my_chat_member"):
        part = update.get(field)
        if isinstance(part, Mapping):
            chat = part.get("chat") or (part.get("message") or {}).get("chat") or part.get("from")
            if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
                return int(chat["id"])
    return 0


def fingerprint(update: Update | Mapping[str, Any]) -> str:
    """What tells this update from another with the same update_id (after a database was
    emptied, say): its message's chat, id and date, or its button press's id. Cheap."""
    if isinstance(update, Update):
        message = update.message or update.edited_message
        query, member = update.callback_query, update.my_chat_member
        if message is not None:
            chat, ident, when = message.chat.id, message.message_id, message.date.timestamp()
        elif query is not None:
            return f"q:{query.id}"
        elif member is not None:
            chat, ident, when = member.chat.id, 0, member.date.timestamp()
        else:
            return ""
        return f"{chat}:{ident}:{int(when)}"
    part = update.get("message") or update.get("edited_message") or update.get("my_chat_member")
    if isinstance(part, Mapping):
        where = part.get("chat")
        chat_id = where.get("id") if isinstance(where, Mapping) else None
        return f"{chat_id}:{part.get('message_id', 0)}:{part.get('date')}"
    query = update.get("callback_query")
    return f"q:{query.get('id')}" if isinstance(query, Mapping) else ""


class ChatLocks(Protocol):
    """Locks shared between processes (replicas), one per chat."""

    def hold(self, chat_id: int) -> AbstractAsyncContextManager[None]: ...


class UpdatePipeline:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        concurrency: int = 16,  # below the database pool size: no waiting for connections
        shared_locks: ChatLocks | None = None,
        stale_after: timedelta = STALE_AFTER,
        sent_ledger: SentLedger | None = None,
    ) -> None:
        self.dp, self.bot = dispatcher, bot
        self.uow_factory, self.clock = uow_factory, clock
        self.shared_locks = shared_locks
        self.stale_after = stale_after
        self.sent_ledger = sent_ledger
        self._ledger_purged_at: float | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_users: dict[int, int] = {}
        self._tasks: set[asyncio.Task[bool]] = set()
        self._in_progress: set[int] = set()

    async def accept(self, update: Mapping[str, Any]) -> bool:
        """Webhook: store the update, then handle it; False for a repeated update_id."""
        update_id = update.get("update_id")
        if not isinstance(update_id, int):
            UPDATES.labels("malformed").inc()
            log.warning("update.malformed", reason="no integer update_id")
            return False
        payload = _dump(update)
        async with self.uow_factory() as uow:
            stored = await uow.updates.store(update_id, payload, self.clock.now())
            await uow.commit()
        if not stored:
            UPDATES.labels("repeat").inc()
            log.info("update.repeat", update_id=update_id)
            return False
        self._spawn(update_id, dict(update), payload, "stored")
        return True

    def _spawn(
        self,
        update_id: int,
        update: Update | dict[str, Any],
        payload: Payload,
        mode: str,
        *,
        again: bool = False,
    ) -> asyncio.Task[bool]:
        task = asyncio.create_task(
            self.handle(update_id, update, payload, mode, again=again), name=f"update-{update_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def handle(
        self,
        update_id: int,
        update: Update | dict[str, Any],
        payload: Payload,
        mode: str,
        *,
        again: bool = False,
    ) -> bool:
        """Handle one update; True once its outcome (handled or failed) is in the database.

        `again`: it may have been handled partly before (after a crash), so answers it got
        then are not sent twice (see `wzt_bot.bot.sent_ledger`).
        """
        if self.sent_ledger is not None:
            SCOPE.set(
                await scope_for(self.sent_ledger, update_id, fingerprint(update), again=again)
            )
        key = chat_key(update)
        self._in_progress.add(update_id)
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        self._chat_users[key] = self._chat_users.get(key, 0) + 1
        started = time.perf_counter()
        outcome = {"recorded": False}  # set by the unit-of-work middleware after its commit
        extra = {
            "inbox_update_id": update_id,
            "inbox_mode": mode,
            "inbox_payload": payload,
            "inbox_outcome": outcome,
        }
        try:
            # The chat's own lock first: one busy chat must not hold the shared slots.
            async with lock, self._slots:
                if self.shared_locks is not None and key:
                    async with self.shared_locks.hold(key):
                        await self._feed(update, extra)
                else:
                    await self._feed(update, extra)
            _HANDLED.inc()
        except Exception:
            _FAILED.inc()
            log.exception("update.unhandled_error", update_id=update_id)
        finally:
            HANDLING.observe(time.perf_counter() - started)
            self._chat_users[key] -= 1
            if not self._chat_users[key]:  # nobody else waits for this chat: forget its lock
                del self._chat_users[key]
                self._chat_locks.pop(key, None)
        self._in_progress.discard(update_id)
        if not outcome["recorded"]:
            # Failed before or outside the unit of work (or its commit failed): keep it as
            # failed, so it is neither lost nor retried in a loop.
            outcome["recorded"] = await self._record_failed(update_id, payload)
        return outcome["recorded"]

    async def _feed(self, update: Update | dict[str, Any], extra: dict[str, Any]) -> None:
        if isinstance(update, Update):  # from getUpdates: already parsed, no second round
            await self.dp.feed_update(self.bot, update, **extra)
        else:
            await self.dp.feed_raw_update(self.bot, update, **extra)

    async def _record_failed(self, update_id: int, payload: Payload) -> bool:
        try:
            async with self.uow_factory() as uow:
                await uow.updates.record_failed(update_id, payload_text(payload), self.clock.now())
                await uow.commit()
        except Exception:  # e.g. the database is down: Telegram or recovery gives it again
            log.warning("update.record_failed_failed", update_id=update_id)
            return False
        return True

    async def recover(self, *, limit: int = 1000) -> int:
        """Handle updates whose handler died (after a crash or on another replica)."""
        now = self.clock.now()
        cutoff = now - self.stale_after
        async with self.uow_factory() as uow:
            stale = await uow.updates.stale(cutoff, limit)
            await uow.commit()  # unreadable rows were set aside as failed
        recovered = 0
        for update_id, payload in stale:
            if update_id in self._in_progress:
                continue  # still being handled here (slow, not dead)
            async with self.uow_factory() as uow:
                claimed = await uow.updates.claim_stale(update_id, stale_before=cutoff, now=now)
                await uow.commit()
            if claimed:
                recovered += 1
                self._spawn(update_id, json.loads(payload), payload, "stored", again=True)
        if recovered:
            log.info("update.recovered", count=recovered)
        await self._purge_sent_answers()
        return recovered

    async def _purge_sent_answers(self) -> None:
        """At most once an hour (recovery runs every minute or so)."""
        if self.sent_ledger is None:
            return
        now = time.monotonic()
        if self._ledger_purged_at is not None and now - self._ledger_purged_at < 3600:
            return
        self._ledger_purged_at = now
        try:
            removed = await self.sent_ledger.purge_before(datetime.now(UTC) - KEEP_SENT_ANSWERS)
        except Exception as exc:
            log.warning("sent_ledger.purge_failed", error=str(exc))
        else:
            log.info("sent_ledger.purged", removed=removed)

    async def drain(self, timeout: float = 30.0) -> None:
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    async def poll(
        self, stop: asyncio.Event, *, timeout: int = 25, window_wait: float = 0.5
    ) -> None:
        """Long polling with a sliding window (see `PollWindow`).

        An update is confirmed to Telegram (by the next getUpdates offset) only when it and
        every update before it are recorded in the database as handled or failed, so nothing
        is lost in a crash and nothing needs storing first: Telegram gives unconfirmed updates
        again, and the handled-record skips any that were committed already. New updates are
        fetched while older ones are still being handled, so one slow chat (a 429 wait, say)
        does not hold up the others.
        """
        await self.bot(DeleteWebhook(drop_pending_updates=False))
        window = PollWindow()
        backoff = _Backoff()
        while not stop.is_set():
            offset = window.offset()
            try:
                updates = await self.bot(
                    GetUpdates(
                        offset=offset,
                        timeout=0 if window.in_flight else timeout,
                        allowed_updates=ALLOWED_UPDATES,
                    ),
                    request_timeout=timeout + 10,
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("polling.error", error=str(exc))
                await backoff.wait()
                continue
            fresh = window.fresh(updates, offset)
            try:
                await self._spawn_fresh(window, fresh)
            except Exception as exc:
                log.error("polling.database_unavailable", error=str(exc))
                await backoff.wait()
                continue
            backoff.reset()
            if window.in_flight:
                # Usually the whole batch is done well within `window_wait`; a slow chat only
                # makes the others wait that long before the next getUpdates.
                await asyncio.wait(window.in_flight.values(), timeout=window_wait)
            failed = window.collect()
            if failed:
                # Not recorded (the database is down?): Telegram gives these again from here.
                log.error("polling.not_recorded", update_ids=failed[:10])
                await backoff.wait()
        if window.in_flight:
            await asyncio.wait(window.in_flight.values(), timeout=10)

    async def _spawn_fresh(self, window: PollWindow, fresh: list[Update]) -> None:
        handled_before: set[int] = set()
        again = False
        if fresh and window.may_repeat:  # only after a start or a failure
            async with self.uow_factory() as uow:
                handled_before = await uow.updates.recorded([u.update_id for u in fresh])
            window.may_repeat = False
            again = True  # given again by Telegram: maybe answered before a crash
        for update in fresh:
            if update.update_id in handled_before:
                UPDATES.labels("repeat").inc()
                window.settled.add(update.update_id)
            else:
                payload = functools.partial(_dump_update, update)
                window.in_flight[update.update_id] = self._spawn(
                    update.update_id, update, payload, "claim", again=again
                )


class PollWindow:
    """Which updates are in hand, settled (recorded) or to be given again."""

    def __init__(self) -> None:
        self.in_flight: dict[int, asyncio.Task[bool]] = {}
        self.settled: set[int] = set()  # recorded here, not yet confirmed to Telegram
        self.next_id: int | None = None  # one past the newest update seen
        self.retry_from: int | None = None  # lowest update whose outcome was not recorded
        self.may_repeat = True  # after a start or a failure Telegram may give recorded ones

    def offset(self) -> int | None:
        """Confirm everything below the oldest update not settled yet."""
        waiting = [i for i in (min(self.in_flight, default=None), self.retry_from) if i is not None]
        return min(waiting) if waiting else self.next_id

    def fresh(self, updates: list[Update], offset: int | None) -> list[Update]:
        if offset is not None:
            self.settled = {i for i in self.settled if i >= offset}  # the rest is confirmed
        self.retry_from = None
        fresh = [
            u
            for u in updates
            if u.update_id not in self.in_flight and u.update_id not in self.settled
        ]
        for update in fresh:
            self.next_id = max(self.next_id or 0, update.update_id + 1)
        return fresh

    def collect(self) -> list[int]:
        """Move finished updates out of the window; return those that were not recorded."""
        failed: list[int] = []
        for update_id, task in list(self.in_flight.items()):
            if task.done():
                del self.in_flight[update_id]
                if task.result():
                    self.settled.add(update_id)
                else:
                    failed.append(update_id)
        if failed:
            self.retry_from, self.may_repeat = min(failed), True
        return failed


class _Backoff:
    def __init__(self) -> None:
        self.delay = 1.0

    async def wait(self) -> None:
        await asyncio.sleep(self.delay)
        self.delay = min(self.delay * 2, 30.0)

    def reset(self) -> None:
        self.delay = 1.0


def _dump(update: Mapping[str, Any]) -> str:
    return json.dumps(update, ensure_ascii=False, separators=(",", ":"))


def _dump_update(update: Update) -> str:
    return update.model_dump_json(exclude_none=True, by_alias=True)


#: An update's JSON, or how to make it (only needed when handling fails).
Payload = str | Callable[[], str]


def payload_text(payload: Payload) -> str:
    return payload if isinstance(payload, str) else payload()
