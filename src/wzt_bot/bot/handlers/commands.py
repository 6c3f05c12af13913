"""/start (with or without an invite code), /menu, /help, /taal, /stop."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode, StartMode

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.filters import private_command
from wzt_bot.bot.texts import help_text, main_menu, no_code_text, stop_text, throttled_text
from wzt_bot.dialogs.feedback.handlers import start_feedback
from wzt_bot.dialogs.states import ComplaintSG, LanguageSG, OnboardingSG, RightsSG
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import Participant, ParticipantStatus
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services.onboarding import redeem_invite, set_proactive_paused
from wzt_bot.i18n import Translator


async def show_menu(message: Message, t: Translator, text: str | None = None) -> None:
    await message.answer(
        text or t("Hier is het menu. Kies wat je wil doen."), reply_markup=main_menu(t)
    )


async def cmd_start_code(
    message: Message,
    command: CommandObject,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    assert message.from_user is not None
    if participant is not None:
        # Already linked: the invite link opened again (a second scan, an old message).
        if participant.status is ParticipantStatus.INVITED:  # onboarding not finished
            await dialog_manager.start(OnboardingSG.language, mode=StartMode.RESET_STACK)
        else:
            await cmd_start(message, participant, uow, ctx, t, dialog_manager)
        return
    try:
        linked = await redeem_invite(
            uow,
            ctx.clock,
            telegram_user_id=message.from_user.id,
            chat_id=message.chat.id,
            code=command.args or "",
        )
    except DomainError as error:
        # Commit the failed attempt now: it counts for throttling even if the answer fails.
        await uow.commit()
        if error.code is ErrorCode.INVITE_THROTTLED:
            if ctx.stranger_replies.allow(message.from_user.id, "throttled"):
                await message.answer(throttled_text(t))
        else:
            await message.answer(no_code_text(t))
        return
    # The link commits with the rest of this update (and "handled"), all or nothing.
    # The participant is known from now on: the dialog reads them from the middleware data.
    dialog_manager.middleware_data["participant"] = linked.participant
    await dialog_manager.start(OnboardingSG.language, mode=StartMode.RESET_STACK)


async def answer_stranger(message: Message, ctx: BotContext, t: Translator) -> None:
    """How to get a code, once in a while: a flood from one account costs nothing."""
    if message.from_user is None or ctx.stranger_replies.allow(message.from_user.id):
        await message.answer(no_code_text(t))


async def cmd_start(
    message: Message,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await dialog_manager.reset_stack()
    if participant.proactive_paused:
        await set_proactive_paused(uow, ctx.clock, participant, paused=False, tz=ctx.tz)
        await show_menu(message, t, t("Welkom terug! Ik stuur je weer af en toe een bericht."))
        return
    await show_menu(message, t)


async def cmd_menu(
    message: Message,
    participant: Participant | None,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await dialog_manager.reset_stack()
    await show_menu(message, t)


async def cmd_help(
    message: Message, participant: Participant | None, ctx: BotContext, t: Translator
) -> None:
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await message.answer(help_text(t), reply_markup=main_menu(t))


async def cmd_language(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(
        LanguageSG.choose, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


async def cmd_stop(
    message: Message,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await dialog_manager.reset_stack()
    await set_proactive_paused(uow, ctx.clock, participant, paused=True)
    await message.answer(stop_text(t), reply_markup=main_menu(t))


async def cmd_complaint(
    message: Message,
    participant: Participant | None,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    """/klacht: the same four ways as 📣 Klacht in the menu."""
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await dialog_manager.start(
        ComplaintSG.choose, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


async def cmd_feedback(
    message: Message,
    participant: Participant | None,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    """/feedback: a survey that was offered or paused, else anonymous feedback any time."""
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await start_feedback(dialog_manager, participant)


async def cmd_rights(
    message: Message,
    participant: Participant | None,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    """/rechten: Waar heb ik recht op? (the same as the button in 📋 Mijn plan)."""
    if participant is None:
        await answer_stranger(message, ctx, t)
        return
    await dialog_manager.start(RightsSG.topics, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


def build_router() -> Router:
    router = Router(name="commands")
    router.message.filter(private_command)  # the rest skips the command filters
    router.message.register(cmd_start_code, CommandStart(deep_link=True))
    router.message.register(cmd_start, CommandStart())
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_help, Command("help"))
    router.message.register(cmd_language, Command("taal", "language", "langue", "lang"))
    router.message.register(cmd_stop, Command("stop"))
    router.message.register(cmd_complaint, Command("klacht", "complaint", "plainte"))
    router.message.register(cmd_feedback, Command("feedback"))
    router.message.register(cmd_rights, Command("rechten", "rights", "droits"))
    return router
