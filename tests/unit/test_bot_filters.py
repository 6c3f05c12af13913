"""The dialogs' shared filter reads aiogram-dialog's context by its data key."""

from __future__ import annotations

import inspect

from aiogram_dialog.api.internal import CONTEXT_KEY

from wzt_bot.bot.filters import dialog_open


async def test_dialog_open_reads_aiogram_dialogs_context_key() -> None:
    assert CONTEXT_KEY in inspect.signature(dialog_open).parameters
    assert not await dialog_open(object(), None)  # type: ignore[arg-type]
    assert await dialog_open(object(), object())  # type: ignore[arg-type]
