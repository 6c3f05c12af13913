"""Telegram's limits on everything the bot sends: rate, 429 retry_after, retries, blocked chats."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, Protocol

import structlog
from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from prometheus_client import Counter

log = structlog.get_logger(__name__)

SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendMediaGroup",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "editMessageMedia",
        "copyMessage",
        "forwardMessage",
    }
)

TELEGRAM_RETRIES = Counter("wzt_telegram_retries_total", "Bot API calls retried", ["reason"])
TELEGRAM_BLOCKED = Counter("wzt_telegram_blocked_total", "Sends refused because a user blocked us")


#: Set by a caller that already waited for the rate limiter (the outbox sender does, so it
#: can mark a message "on the wire" only once the limiter let it go).
PACED: ContextVar[bool] = ContextVar("wzt_paced", default=False)


class RateLimiter(Protocol):
    async def acquire(self, chat_id: int | str | None) -> None:
        """Wait until one more message may be sent (globally, and to this chat)."""
        ...


BlockedCallback = Callable[[int], Awaitable[None]]

#: aiogram parses every Bot API answer as `Response[method.__returning__]`. pydantic keeps
#: parametrised generic models only weakly, so without a strong reference each such class
#: (schema, validator and all) is built again after the garbage collector freed it, which it
#: does again and again under load. One class per result type, kept for the process' life.
_RESPONSE_TYPES: dict[Any, Any] = {}


def _keep_response_type(returning: Any) -> None:
    if returning not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[returning] = Response[returning]


class TelegramLimitsMiddleware(BaseRequestMiddleware):
    """Every Bot API call of this process passes here.

    - sending methods wait for the rate limiter (global and per chat);
    - a 429 waits exactly `retry_after` and tries again (up to `max_retry_after` attempts);
    - 5xx and network errors are retried with exponential backoff;
    - a 403 (blocked) is reported once through `on_blocked` and not retried.
    """

    def __init__(
        self,
        limiter: RateLimiter,
        *,
        on_blocked: BlockedCallback | None = None,
        max_retry_after: int = 5,
        max_transient: int = 4,
        backoff_base: float = 0.5,
    ) -> None:
        self.limiter = limiter
        self.on_blocked = on_blocked
        self.max_retry_after = max_retry_after
        self.max_transient = max_transient
        self.backoff_base = backoff_base

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        api_method = method.__api_method__
        _keep_response_type(method.__returning__)
        chat_id: Any = getattr(method, "chat_id", None)
        throttled = api_method in SENDING_METHODS
        paced = PACED.get()
        rate_limited = transient = 0
        while True:
            if throttled and not paced:
                await self.limiter.acquire(chat_id)
            paced = False  # a retry waits for the limiter again
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                rate_limited += 1
                TELEGRAM_RETRIES.labels("429").inc()
                log.warning("telegram.retry_after", method=api_method, retry_after=exc.retry_after)
                if rate_limited > self.max_retry_after:
                    raise
                await asyncio.sleep(exc.retry_after)
            except (TelegramServerError, TelegramNetworkError) as exc:
                transient += 1
                TELEGRAM_RETRIES.labels("transient").inc()
                if transient > self.max_transient:
                    raise
                delay = self.backoff_base * 2 ** (transient - 1)
                log.warning("telegram.transient", method=api_method, error=str(exc), delay=delay)
                await asyncio.sleep(delay)
            except TelegramForbiddenError:
                TELEGRAM_BLOCKED.inc()
                if self.on_blocked is not None and isinstance(chat_id, int):
                    await self.on_blocked(chat_id)
                raise
