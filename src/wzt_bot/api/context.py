"""What the API needs from the application, handed in by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, tzinfo

from wzt_bot.domain.ports import Clock, LanguageTools, TelegramFiles, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ApiContext:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    bot_username: Callable[[], Awaitable[str]]
    ping_database: Callable[[], Awaitable[None]]
    max_body_bytes: int = 1_000_000
    tz: tzinfo = UTC
    language_tools: LanguageTools | None = None
    files: TelegramFiles | None = None
    #: A reason when an exception means the database cannot be reached (answered 503).
    database_unavailable: Callable[[BaseException], str | None] | None = None
    #: An SMTP server is configured (WZT_SMTP_URL): complaints by e-mail reach their handler.
    complaint_email: bool = False
