"""Dispatcher middlewares: one unit of work per update, the participant, their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.pipeline import payload_text
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services.onboarding import mark_reachable, participant_for_user, pick_locale

#: aiogram-dialog's "this button belongs to a dialog that is gone" (see handlers/errors.py)
STALE_DIALOG_ERRORS = (UnknownIntent, UnknownState, OutdatedIntent)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """Opens the update's transaction, loads the participant and their translator.

    The pipeline says how the update reached us (`inbox_mode`):
    - "stored" (webhook): it was stored before; it is marked handled in this transaction.
    - "claim" (polling): it is recorded as handled in this transaction. Telegram keeps it
      until the batch is committed; the pipeline skips repeats of recorded updates. (One
      poller per bot: Telegram refuses a second one, so a repeat never runs concurrently.)
    Either way the handler's changes and "handled" commit together, or not at all.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        ctx: BotContext = data["ctx"]
        user: User | None = data.get("event_from_user")
        inbox_id: int | None = data.get("inbox_update_id")
        mode: str | None = data.get("inbox_mode")
        async with ctx.uow_factory() as uow:
            participant = await participant_for_user(uow, user.id) if user else None
            if participant is not None:
                await mark_reachable(uow, ctx.clock, participant)
            locale = pick_locale(
                participant.locale if participant else None,
                user.language_code if user else None,
                ctx.default_locale,
            )
            data["uow"] = uow
            data["participant"] = participant
            data["t"] = ctx.i18n.get(locale)
            try:
                result = await handler(event, data)
            except STALE_DIALOG_ERRORS:
                # A button of a dialog that is gone (after a restart, or an old message):
                # nothing to keep, and not a failure; the errors router answers kindly.
                await uow.rollback()
                if inbox_id is not None:
                    await self._handled(uow, ctx, inbox_id, mode)
                    await uow.commit()
                    _recorded(data)
                raise
            except Exception:
                # Nothing of the handler's work is kept; the update is kept as failed
                # (encrypted, for the operator) so it is not retried in a loop.
                await uow.rollback()
                payload = data.get("inbox_payload")
                if inbox_id is not None and payload is not None:
                    await uow.updates.record_failed(
                        inbox_id, payload_text(payload), ctx.clock.now()
                    )
                    await uow.commit()
                    _recorded(data)
                raise
            if inbox_id is not None:
                # Written last, so SQLite's single write lock is held only for the commit.
                await self._handled(uow, ctx, inbox_id, mode)
            await uow.commit()
            _recorded(data)
            return result

    @staticmethod
    async def _handled(uow: UnitOfWork, ctx: BotContext, inbox_id: int, mode: str | None) -> None:
        if mode == "stored":
            await uow.updates.mark_done(inbox_id, ctx.clock.now())
        elif mode == "claim":
            await uow.updates.claim(inbox_id, ctx.clock.now())


def _recorded(data: dict[str, Any]) -> None:
    """Tell the pipeline this update's outcome is committed."""
    outcome = data.get("inbox_outcome")
    if isinstance(outcome, dict):
        outcome["recorded"] = True
