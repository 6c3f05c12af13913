"""Composition root: builds every part from the settings, and closes them again."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog
import uvicorn
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import SetWebhook
from fastapi import APIRouter, FastAPI
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from wzt_bot.api.app import create_app
from wzt_bot.api.context import ApiContext
from wzt_bot.bot.commands_menu import register_commands
from wzt_bot.bot.context import BotContext
from wzt_bot.bot.factory import build_bot, build_dispatcher
from wzt_bot.bot.limits import RateLimiter
from wzt_bot.bot.notifier import TelegramNotifier
from wzt_bot.bot.pipeline import ALLOWED_UPDATES, UpdatePipeline
from wzt_bot.bot.webhook import WEBHOOK_PATH, build_webhook_router
from wzt_bot.clients.fsm_storage import FallbackStorage
from wzt_bot.clients.language import LinguaLanguageTools
from wzt_bot.clients.locks import RedisChatLocks
from wzt_bot.clients.mailer import SmtpMailer
from wzt_bot.clients.ratelimit import MemoryRateLimiter, RedisRateLimiter
from wzt_bot.clients.relay import HttpxWebhookRelay
from wzt_bot.clients.telegram_files import HttpxTelegramFiles
from wzt_bot.clock import SystemClock
from wzt_bot.config import Settings
from wzt_bot.crypto import Keyring
from wzt_bot.db.engine import SQLITE_POOL_SIZE, build_engine, build_sessionmaker, is_sqlite
from wzt_bot.db.errors import database_unavailable
from wzt_bot.db.sent_ledger import build_sent_ledger
from wzt_bot.db.uow import SqlUnitOfWorkFactory
from wzt_bot.domain.ports import Clock, SentLedger
from wzt_bot.domain.safety.check import CrisisCheck
from wzt_bot.domain.services import complaints
from wzt_bot.domain.services.delivery import DeliveryReport, Sender
from wzt_bot.domain.services.onboarding import mark_unreachable
from wzt_bot.i18n import I18n
from wzt_bot.scheduler.factory import build_scheduler
from wzt_bot.scheduler.jobs import OutreachReport, outreach_tick

log = structlog.get_logger(__name__)
SANDBOX_TOKEN = "123456:SANDBOX-wzt-demo-token"  # noqa: S105 - only valid on the sandbox


async def _connect_redis(url: str | None) -> Redis | None:
    """Redis if configured and reachable; otherwise a clear log line and the memory fallback."""
    if not url:
        return None
    redis = Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5)
    try:
        await redis.ping()
    except Exception as exc:
        log.error(
            "redis.unavailable_using_memory_fallback",
            error=str(exc),
            effect="dialog state and rate limits are kept per process",
        )
        await redis.aclose()
        return None
    return redis


@dataclass
class Container:
    """Everything built from one Settings. Use `async with Container.open(settings)`."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    uow_factory: SqlUnitOfWorkFactory
    i18n: I18n
    redis: Redis | None
    limiter: RateLimiter
    language_tools: LinguaLanguageTools
    bot: Bot | None = None
    dispatcher: Dispatcher | None = None
    pipeline: UpdatePipeline | None = None
    sent_ledger: SentLedger | None = None
    relay: HttpxWebhookRelay | None = None
    files: HttpxTelegramFiles | None = None
    _bot_username: str | None = field(default=None, repr=False)

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls, settings: Settings, *, clock: Clock | None = None
    ) -> AsyncIterator[Container]:
        engine = build_engine(settings.database_url)
        keyring = Keyring(
            settings.secret(), [s.get_secret_value() for s in settings.previous_secret_keys]
        )
        redis = await _connect_redis(settings.redis_url)
        limiter: RateLimiter = (
            RedisRateLimiter(
                redis,
                settings.telegram_global_rate,
                settings.telegram_chat_rate,
                settings.telegram_chat_burst,
            )
            if redis is not None
            else MemoryRateLimiter(
                settings.telegram_global_rate,
                settings.telegram_chat_rate,
                settings.telegram_chat_burst,
            )
        )
        container = cls(
            settings=settings,
            clock=clock or SystemClock(),
            engine=engine,
            uow_factory=SqlUnitOfWorkFactory(engine, build_sessionmaker(engine), keyring),
            i18n=I18n(settings.locales_dir, default_locale=settings.default_locale),
            redis=redis,
            limiter=limiter,
            language_tools=LinguaLanguageTools(
                settings.translate_url,
                api_key=settings.translate_api_key.get_secret_value()
                if settings.translate_api_key
                else None,
            ),
            _bot_username=settings.bot_username,
        )
        try:
            yield container
        finally:
            await container.close()

    async def close(self) -> None:
        if self.pipeline is not None:
            await self.pipeline.drain(timeout=10)
        if self.dispatcher is not None:
            await self.dispatcher.storage.close()
        if self.bot is not None:
            await self.bot.session.close()
        if self.sent_ledger is not None:
            await self.sent_ledger.close()
        if self.relay is not None:
            await self.relay.aclose()
        if self.files is not None:
            await self.files.aclose()
        await self.language_tools.aclose()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()

    # --- the bot -------------------------------------------------------------------------
    def _storage(self) -> BaseStorage:
        if self.redis is not None:
            return FallbackStorage(
                RedisStorage(self.redis, key_builder=DefaultKeyBuilder(with_destiny=True))
            )
        return MemoryStorage()

    async def _on_blocked(self, chat_id: int) -> None:
        # In a private chat the chat id is the user id.
        async with self.uow_factory() as uow:
            await mark_unreachable(uow, self.clock, chat_id)
            await uow.commit()

    def telegram_bot(self) -> Bot:
        """The Bot API client (rate limits, retries, 403 handling), without a dispatcher."""
        if self.bot is None:
            token = self.settings.bot_token
            if token is None:
                raise RuntimeError("WZT_BOT_TOKEN is not set (or use `wzt-bot demo`)")
            self.bot = build_bot(
                token.get_secret_value(),
                self.settings.telegram_api_url,
                self.limiter,
                on_blocked=self._on_blocked,
                request_timeout=self.settings.telegram_request_timeout,
            )
        return self.bot

    def build_sender(self) -> Sender:
        """The one sender of the outbox: Telegram messages and the teams' webhooks."""
        if self.relay is None:
            self.relay = HttpxWebhookRelay()
        smtp = self.settings.smtp_url
        return Sender(
            self.uow_factory,
            self.clock,
            TelegramNotifier(self.telegram_bot(), self.i18n, self.limiter),
            self.relay,
            mailer=SmtpMailer(smtp.get_secret_value(), self.settings.smtp_from) if smtp else None,
            lease_clock=SystemClock(),
            claim_lease=timedelta(seconds=self.settings.outbox_claim_lease),
            sending_lease=timedelta(seconds=self.settings.outbox_sending_lease),
        )

    def build_bot(self) -> UpdatePipeline:
        if self.pipeline is not None:
            return self.pipeline
        self.telegram_bot()
        ctx = BotContext(
            uow_factory=self.uow_factory,
            clock=self.clock,
            i18n=self.i18n,
            default_locale=self.settings.default_locale,
            tz=self.settings.tz,
            language_tools=self.language_tools,
            translates=self.settings.translate_url is not None,
            crisis=CrisisCheck.load(),
            complaint_email=self.settings.smtp_url is not None,
        )
        self.dispatcher = build_dispatcher(ctx, self._storage())
        assert self.bot is not None
        self.pipeline = UpdatePipeline(
            self.dispatcher,
            self.bot,
            self.uow_factory,
            self.clock,
            # Handlers hold a connection while they answer: never more of them than connections.
            concurrency=SQLITE_POOL_SIZE if is_sqlite(self.settings.database_url) else 16,
            shared_locks=RedisChatLocks(self.redis) if self.redis is not None else None,
            stale_after=timedelta(seconds=self.settings.update_stale_after),
            sent_ledger=self._sent_ledger(),
        )
        return self.pipeline

    def _sent_ledger(self) -> SentLedger:
        if self.sent_ledger is None:
            self.sent_ledger = build_sent_ledger(self.settings.database_url, self.settings.secret())
        return self.sent_ledger

    async def bot_username(self) -> str:
        if self._bot_username is None:
            self.build_bot()  # idempotent
            assert self.bot is not None
            me = await self.bot.get_me()
            self._bot_username = me.username or "wzt_bot"
        return self._bot_username

    # --- the API -------------------------------------------------------------------------
    async def ping_database(self) -> None:
        async with asyncio.timeout(3):
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))

    def build_api(self, *, with_webhook: bool) -> FastAPI:
        routers: list[APIRouter] = []
        if with_webhook:
            secret = self.settings.webhook_secret
            assert secret is not None  # validated by Settings with webhook_url
            routers.append(build_webhook_router(self.build_bot(), secret.get_secret_value()))
        return create_app(
            ApiContext(
                uow_factory=self.uow_factory,
                clock=self.clock,
                bot_username=self.bot_username,
                ping_database=self.ping_database,
                max_body_bytes=self.settings.max_body_bytes,
                tz=self.settings.tz,
                language_tools=self.language_tools,
                files=self._files(),
                database_unavailable=database_unavailable,
                complaint_email=self.settings.smtp_url is not None,
            ),
            extra_routers=routers,
        )

    def _files(self) -> HttpxTelegramFiles | None:
        if self.files is None and self.settings.bot_token is not None:
            self.files = HttpxTelegramFiles(
                self.settings.telegram_api_url, self.settings.bot_token.get_secret_value()
            )
        return self.files

    @property
    def webhook_mode(self) -> bool:
        return bool(self.settings.webhook_url)


async def serve_api(app: FastAPI, host: str, port: int, stop: asyncio.Event) -> None:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopper.cancel()
    await task


async def _recover_loop(pipeline: UpdatePipeline, stop: asyncio.Event) -> None:
    # At start (a crashed process's updates become stale STALE_AFTER after their claim), then
    # often enough that they wait at most about 1.5 × WZT_UPDATE_STALE_AFTER.
    every = min(60.0, pipeline.stale_after.total_seconds() / 2)
    while not stop.is_set():
        try:
            await pipeline.recover()
        except Exception as exc:
            log.warning("update.recover_failed", error=str(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)


def settle_heap() -> None:
    """Everything built at start-up (dispatcher, dialogs, catalogs, models) lives as long as
    the process: move it out of the garbage collector's reach, so its full passes walk only
    what handling updates creates (measured: PostgreSQL pipeline 35% -> 41% of the echo bot,
    p99 393 -> 223 ms; see bench/RESULTS.md)."""
    gc.collect()
    gc.freeze()


async def _warm_up(container: Container) -> None:
    try:
        await container.language_tools.warm_up()
    except Exception as exc:  # the bot works without: detect() loads the models when needed
        log.warning("language.warm_up_failed", error=str(exc))
    if container.sent_ledger is not None:
        try:
            await container.sent_ledger.warm_up()
        except Exception as exc:  # opened on use instead
            log.warning("sent_ledger.warm_up_failed", error=str(exc))


async def run_bot(container: Container, stop: asyncio.Event) -> None:
    """Polling, or (webhook mode) register the webhook; plus crash recovery of updates."""
    pipeline = container.build_bot()
    assert container.bot is not None
    await register_commands(container.bot, container.i18n)
    # The language detector's models, loaded before the first update is taken: loading holds
    # the GIL for a second or more, so loading them lazily at the first concern, crisis or
    # plan text of the process froze the whole bot, for every participant, mid-traffic.
    await _warm_up(container)
    settle_heap()
    recover = asyncio.create_task(_recover_loop(pipeline, stop))
    try:
        if container.webhook_mode:
            assert container.bot is not None and container.settings.webhook_secret is not None
            url = str(container.settings.webhook_url).rstrip("/")
            if not url.endswith(WEBHOOK_PATH):
                url += WEBHOOK_PATH
            await container.bot(
                SetWebhook(
                    url=url,
                    secret_token=container.settings.webhook_secret.get_secret_value(),
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
            log.info("bot.webhook_set", url=url)
            await stop.wait()
        else:
            log.info("bot.polling", api=container.settings.telegram_api_url)
            poll = asyncio.create_task(pipeline.poll(stop))
            await stop.wait()
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poll
    finally:
        recover.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await recover


async def run_scheduler(container: Container, stop: asyncio.Event) -> None:
    """APScheduler's periodic ticks, and the outbox sender running continuously."""
    scheduler = build_scheduler(
        container.uow_factory,
        container.clock,
        container.settings.tz,
        evaluation_notice_days=container.settings.evaluation_notice_days,
    )
    sender = container.build_sender()
    scheduler.start()
    log.info("scheduler.started", jobs=[job.id for job in scheduler.get_jobs()])
    try:
        await sender.run(stop)
    finally:
        scheduler.shutdown(wait=False)


async def run_jobs_once(container: Container) -> tuple[OutreachReport, DeliveryReport]:
    """Every due job once, at the container clock's time, and deliver what they queued.
    The sender starts on the first batch while the tick queues the rest."""
    sender = container.build_sender()
    tick = asyncio.create_task(
        outreach_tick(
            container.uow_factory,
            container.clock,
            container.settings.tz,
            evaluation_notice_days=container.settings.evaluation_notice_days,
        )
    )
    delivered = DeliveryReport()
    await sender.expire_claims()
    while not tick.done():
        report = await sender.run_once()
        delivered.add(report)
        if not report.claimed:
            await asyncio.sleep(0.1)
    delivered.add(await sender.settle())
    return tick.result(), delivered


async def warn_unreachable_complaints(container: Container) -> list[str]:
    """At start-up: a network whose complaints reach nobody is said loudly to the operator
    (also in /readyz). Participants are told the truth in the bot either way."""
    try:
        async with container.uow_factory() as uow:
            problems = await complaints.unreachable_handlers(
                uow, email_works=container.settings.smtp_url is not None
            )
    except Exception as exc:
        log.warning("complaints.check_failed", error=type(exc).__name__)
        return []
    for problem in problems:
        log.warning("complaints.no_reachable_handler", detail=problem)
    return problems


async def run_parts(container: Container, stop: asyncio.Event, parts: set[str]) -> None:
    """Run any of "bot", "api", "scheduler" side by side until `stop` is set."""
    await warn_unreachable_complaints(container)
    tasks: list[asyncio.Task[Any]] = []
    if "api" in parts or ("bot" in parts and container.webhook_mode):
        app = container.build_api(with_webhook=container.webhook_mode)
        tasks.append(
            asyncio.create_task(
                serve_api(app, container.settings.api_host, container.settings.api_port, stop)
            )
        )
    if "bot" in parts:
        tasks.append(asyncio.create_task(run_bot(container, stop)))
    if "scheduler" in parts:
        tasks.append(asyncio.create_task(run_scheduler(container, stop)))
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
