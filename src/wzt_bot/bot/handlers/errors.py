"""Errors: stale dialog buttons after a restart, a blocked bot, anything unexpected."""

from __future__ import annotations

import contextlib
from typing import Any

import structlog
from aiogram import Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.texts import main_menu
from wzt_bot.domain.services.onboarding import (
    mark_unreachable,
    participant_for_user,
    pick_locale,
)
from wzt_bot.i18n import N_

log = structlog.get_logger(__name__)


async def _reply_kindly(event: ErrorEvent, ctx: BotContext, text_id: str) -> None:
    update = event.update
    user = update.callback_query or update.message or update.edited_message
    from_user = user.from_user if user is not None else None
    if from_user is None:
        return
    async with ctx.uow_factory() as uow:
        participant = await participant_for_user(uow, from_user.id)
    t = ctx.i18n.get(
        pick_locale(
            participant.locale if participant else None, from_user.language_code, ctx.default_locale
        )
    )
    if update.callback_query is not None:
        # The handler may have answered it already; the kind message below matters more.
        with contextlib.suppress(TelegramBadRequest):
            await update.callback_query.answer(t("Deze knop werkt niet meer."))
    chat_id = (
        update.callback_query.message.chat.id
        if update.callback_query and update.callback_query.message
        else update.message.chat.id
        if update.message
        else None
    )
    if chat_id is None or participant is None:
        return
    bot = update.bot
    if bot is not None:
        await bot.send_message(chat_id, t(text_id), reply_markup=main_menu(t))


async def on_stale_dialog(event: ErrorEvent, ctx: BotContext) -> None:
    log.info("dialog.stale", error=type(event.exception).__name__)
    await _reply_kindly(event, ctx, N_("Hier is het menu opnieuw. Kies wat je wil doen."))


async def on_blocked(event: ErrorEvent, ctx: BotContext) -> None:
    update = event.update
    origin: Any = update.message or update.callback_query or update.edited_message
    if origin is None or origin.from_user is None:
        return
    async with ctx.uow_factory() as uow:
        await mark_unreachable(uow, ctx.clock, origin.from_user.id)
        await uow.commit()
    log.info("telegram.blocked_by_user")


async def on_unexpected(event: ErrorEvent, ctx: BotContext) -> None:
    log.exception("update.failed", exc_info=event.exception, update_id=event.update.update_id)
    try:
        await _reply_kindly(
            event, ctx, N_("Sorry, er ging iets mis bij mij. Probeer het straks opnieuw.")
        )
    except Exception:
        log.warning("update.failed.reply_failed", update_id=event.update.update_id)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(
        on_stale_dialog, ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState)
    )
    router.errors.register(on_blocked, ExceptionTypeFilter(TelegramForbiddenError))
    router.errors.register(on_unexpected)
    return router
