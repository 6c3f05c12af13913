"""Filters of the bot's routers, all `async`.

aiogram runs a plain (sync) callable filter, a magic filter (`F.chat.type == ...`) included,
in a worker thread (`asyncio.to_thread`) on every update it is checked for: a thread hop per
filter per update. These cheap checks run on the event loop instead.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message, TelegramObject


async def private_message(message: Message) -> bool:
    """A message in a one-to-one chat (never show personal data in a group)."""
    return message.chat.type == "private"


async def private_callback(callback: CallbackQuery) -> bool:
    """A button pressed under a message in a one-to-one chat."""
    return callback.message is not None and callback.message.chat.type == "private"


async def private_command(message: Message) -> bool:
    """A one-to-one message that can be a command ("/..."): the other messages skip the
    command filters (each parses the text) altogether."""
    if message.chat.type != "private":
        return False
    text = message.text or message.caption
    return text is not None and text.startswith("/")


async def dialog_open(event: TelegramObject, aiogd_context: Any = None) -> bool:
    """A dialog is open for this event (aiogram-dialog's intent middleware put its context
    under "aiogd_context"). Every dialog's own handlers require that anyway, so the dialogs'
    routers behind this filter are skipped at once when no dialog is open."""
    return aiogd_context is not None


async def never(event: TelegramObject) -> bool:
    """For a parent router whose children handle none of this kind of event: they are
    skipped at once instead of each in turn."""
    return False
