"""What the bot's handlers need from the application, handed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from wzt_bot.domain.ports import Clock, UnitOfWorkFactory
from wzt_bot.i18n import I18n


@dataclass(frozen=True, slots=True)
class BotContext:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    i18n: I18n
    default_locale: str = "nl"
