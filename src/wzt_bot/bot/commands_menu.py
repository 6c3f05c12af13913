"""Registers the bot's commands with Telegram, in every language the bot speaks."""

from __future__ import annotations

import structlog
from aiogram import Bot
from aiogram.types import BotCommand

from wzt_bot.bot.texts import COMMANDS
from wzt_bot.i18n import I18n

log = structlog.get_logger(__name__)


async def register_commands(bot: Bot, i18n: I18n) -> None:
    """Default list in the default language, and one per shipped language_code."""
    try:
        for t in i18n.all():
            commands = [BotCommand(command=name, description=t(text)) for name, text in COMMANDS]
            language = None if t.locale == i18n.default_locale else t.locale
            await bot.set_my_commands(commands, language_code=language)
    except Exception as exc:
        log.warning("bot.set_commands_failed", error=str(exc))
