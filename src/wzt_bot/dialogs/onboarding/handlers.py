from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Select

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.texts import main_menu, no_code_text
from wzt_bot.dialogs.common import apply_locale
from wzt_bot.dialogs.states import OnboardingSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import ConsentKind, Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services.onboarding import record_consent


async def on_language(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, locale: str
) -> None:
    await apply_locale(manager, locale)
    # Each step is a new message, so the introduction and the helplines stay readable.
    await manager.switch_to(OnboardingSG.intro, show_mode=ShowMode.SEND)


async def on_next(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.next(show_mode=ShowMode.SEND)


async def _consent(callback: CallbackQuery, manager: DialogManager, *, granted: bool) -> None:
    data = manager.middleware_data
    ctx: BotContext = data["ctx"]
    participant: Participant | None = data.get("participant")
    t = translator(manager)
    await manager.done()
    if participant is None:  # the link was ended meanwhile: nothing to record, say how to start
        if callback.message is not None:
            await callback.message.answer(no_code_text(t))
        return
    uow: UnitOfWork = data["uow"]
    await record_consent(
        uow,
        ctx.clock,
        participant,
        kind=ConsentKind.CHECKIN_MESSAGES,
        granted=granted,
        tz=ctx.tz,
    )
    answer = (
        t("Dank je! Ik stuur je af en toe een kort bericht.")
        if granted
        else t("Dat is goed. Ik stuur je geen berichten uit mezelf.")
    )
    if callback.message is not None:
        await callback.message.answer(
            "\n\n".join(
                (
                    answer,
                    t("Je kan dit altijd veranderen bij 🔒 Mijn gegevens."),
                    t("Hier is het menu. Kies wat je wil doen."),
                )
            ),
            reply_markup=main_menu(t),
        )


async def on_consent_yes(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _consent(callback, manager, granted=True)


async def on_consent_no(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _consent(callback, manager, granted=False)
