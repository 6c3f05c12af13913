"""Filters of the bot's routers, all `async`.

aiogram runs a plain (sync) callable filter, a magic filter (`F.chat.type == ...`) included,
in a worker thread (`asyncio.to_thread`) on every update it is checked for: a thread hop per
filter per update. These cheap checks run on the event loop instead.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message


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
