"""Dispatcher middlewares: one unit of work per update, the participant, their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from wzt_bot.bot.context import BotContext
from wzt_bot.domain.services.onboarding import mark_reachable, participant_for_user, pick_locale

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """Opens the update's transaction, loads the participant and their translator.

    The stored update is marked handled in the same transaction as the handler's changes,
    so a crash before the commit leaves it pending and it is handled again, never half.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        ctx: BotContext = data["ctx"]
        user: User | None = data.get("event_from_user")
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
            inbox_id = data.get("inbox_update_id")
            try:
                result = await handler(event, data)
            except Exception:
                # Nothing of the handler's work is kept; the update is marked failed (kept,
                # encrypted, for the operator) so it is not retried in a loop.
                await uow.rollback()
                if inbox_id is not None:
                    await uow.updates.mark_done(inbox_id, ctx.clock.now(), failed=True)
                    await uow.commit()
                raise
            if inbox_id is not None:
                await uow.updates.mark_done(inbox_id, ctx.clock.now())
            await uow.commit()
            return result
