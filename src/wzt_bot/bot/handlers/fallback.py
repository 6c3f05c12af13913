"""What no flow takes: words, a voice note or a photo are offered to the team (with a
preview); anything else gets a short, kind answer. Nothing crashes."""

from __future__ import annotations

import structlog
from aiogram import Router
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from aiogram_dialog import DialogManager

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.handlers.commands import answer_stranger
from wzt_bot.bot.texts import fallback_text, main_menu
from wzt_bot.dialogs.concern.handlers import offer
from wzt_bot.domain.models import Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services.onboarding import mark_reachable, mark_unreachable
from wzt_bot.i18n import Translator

log = structlog.get_logger(__name__)


async def on_edited(message: Message, participant: Participant | None, t: Translator) -> None:
    if participant is None or message.chat.type != "private":
        return
    await message.answer(
        t(
            "Je hebt een bericht aangepast. Ik lees alleen nieuwe berichten. "
            "Stuur het gerust opnieuw."
        )
    )


async def on_anything_else(
    message: Message,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    if message.chat.type != "private":
        return  # the bot is for one-to-one chats only
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    if not (message.text or "").startswith("/") and await offer(
        dialog_manager, message, uow, participant
    ):
        return  # words, a voice note or a photo: offered to the team, never dropped
    await message.answer(fallback_text(t), reply_markup=main_menu(t))


async def on_unknown_callback(
    callback: CallbackQuery, participant: Participant | None, t: Translator
) -> None:
    """A button from an old message (or forged data): answer it and lead back to the menu."""
    log.info("callback.unknown", data_length=len(callback.data or ""))
    await callback.answer(t("Deze knop werkt niet meer."))
    if callback.message is not None and participant is not None:
        await callback.message.answer(
            t("Hier is het menu opnieuw. Kies wat je wil doen."), reply_markup=main_menu(t)
        )


async def on_my_chat_member(
    event: ChatMemberUpdated, participant: Participant | None, uow: UnitOfWork, ctx: BotContext
) -> None:
    """Telegram tells us when a participant blocks (or unblocks) the bot."""
    if event.chat.type != "private" or participant is None:
        return
    status = event.new_chat_member.status
    if status in {"kicked", "left"}:
        await mark_unreachable(uow, ctx.clock, event.from_user.id)
    elif status == "member":
        await mark_reachable(uow, ctx.clock, participant)


def build_router() -> Router:
    router = Router(name="fallback")
    router.my_chat_member.register(on_my_chat_member)
    router.edited_message.register(on_edited)
    router.message.register(on_anything_else)
    router.callback_query.register(on_unknown_callback)
    return router
