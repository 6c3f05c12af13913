"""The main menu: each item, "komt binnenkort" with an offer of contact, and Mijn gegevens."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.filters import private_callback, private_message
from wzt_bot.bot.handlers.commands import answer_stranger
from wzt_bot.bot.handlers.outreach import start_checkin
from wzt_bot.bot.handlers.plan import show_hub
from wzt_bot.bot.outreach_texts import CheckinSettingsCb, already_text
from wzt_bot.bot.texts import (
    EMERGENCY,
    MenuItem,
    coming_soon_text,
    main_menu,
    menu_lookup,
    no_code_text,
    readers_text,
    transport_text,
)
from wzt_bot.dialogs.states import ComplaintSG, ConcernSG, LanguageSG
from wzt_bot.domain.models import LOCALE_NAMES, ConsentKind, FlagKind, Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import flags
from wzt_bot.domain.services.onboarding import (
    record_consent,
    request_contact,
    set_proactive_paused,
)
from wzt_bot.domain.services.readers import Reader, readers
from wzt_bot.i18n import I18n, Translator


class ContactCb(CallbackData, prefix="contact"):
    yes: bool
    source: str


class ConsentCb(CallbackData, prefix="consent"):
    granted: bool


def contact_keyboard(t: Translator, source: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("Ja, graag"), callback_data=ContactCb(yes=True, source=source).pack()
                ),
                InlineKeyboardButton(
                    text=t("Nee, nu niet"), callback_data=ContactCb(yes=False, source=source).pack()
                ),
            ]
        ]
    )


#: Menu items that open a dialog of their own.
_DIALOGS: dict[MenuItem, State] = {
    MenuItem.ASK: ConcernSG.topic,
    MenuItem.COMPLAINT: ComplaintSG.choose,
}


def build_menu_router(i18n: I18n) -> Router:
    router = Router(name="menu")
    router.message.filter(private_message)  # never show personal data in a group
    router.callback_query.filter(private_callback)
    lookup = menu_lookup(i18n)

    async def menu_item(message: Message) -> dict[str, MenuItem] | bool:
        if not message.text:
            return False
        text = message.text.strip()
        item = lookup.get(text) or lookup.get(text.casefold())
        return {"item": item} if item else False

    @router.message(menu_item)
    async def on_menu_item(
        message: Message,
        item: MenuItem,
        participant: Participant | None,
        uow: UnitOfWork,
        ctx: BotContext,
        t: Translator,
        dialog_manager: DialogManager,
    ) -> None:
        if item is MenuItem.LANGUAGE:
            await dialog_manager.start(
                LanguageSG.choose, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
            )
            return
        if participant is None:
            await answer_stranger(message, ctx, t)
            return
        await close_dialogs(dialog_manager)
        if item is MenuItem.CHECKIN:
            await start_checkin(message, participant, uow, ctx, t)
            return
        dialog = _DIALOGS.get(item)
        if dialog is not None:
            await dialog_manager.start(dialog, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
            return
        if item is MenuItem.PLAN:
            await show_hub(message, participant, uow, ctx, t)
            return
        if item is MenuItem.MYDATA:
            allowed = await checkins_allowed(uow, participant)
            await message.answer(
                my_data_text(
                    t,
                    participant,
                    allowed=allowed,
                    readers=await readers(uow, participant),
                    translates=ctx.translates,
                ),
                reply_markup=my_data_keyboard(t, allowed),
            )
            return
        await message.answer(coming_soon_text(t), reply_markup=contact_keyboard(t, item.value))

    @router.callback_query(ContactCb.filter())
    async def on_contact(
        callback: CallbackQuery,
        callback_data: ContactCb,
        participant: Participant | None,
        uow: UnitOfWork,
        ctx: BotContext,
        t: Translator,
    ) -> None:
        await callback.answer()
        if callback.message is None:
            return
        if participant is None:
            await callback.message.answer(no_code_text(t))
            return
        if not callback_data.yes:
            await callback.message.answer(
                t("Oké. Je kan het altijd later nog vragen."), reply_markup=main_menu(t)
            )
            return
        if await flags.open_of_kind(uow, participant, FlagKind.CONTACT_REQUEST) is not None:
            await callback.message.answer(
                "\n\n".join((already_text(t), t(EMERGENCY))), reply_markup=main_menu(t)
            )
            return
        await request_contact(uow, ctx.clock, participant, source=f"menu:{callback_data.source}")
        await callback.message.answer(
            "\n\n".join(
                (
                    t("Goed. Ik heb aan je team gevraagd om contact met je op te nemen."),
                    t("Je team is niet altijd online. Ze antwoorden zo snel als ze kunnen."),
                    t(EMERGENCY),
                )
            ),
            reply_markup=main_menu(t),
        )

    @router.callback_query(ConsentCb.filter())
    async def on_consent_change(
        callback: CallbackQuery,
        callback_data: ConsentCb,
        participant: Participant | None,
        uow: UnitOfWork,
        ctx: BotContext,
        t: Translator,
    ) -> None:
        await callback.answer()
        if participant is None or callback.message is None:
            return
        await record_consent(
            uow,
            ctx.clock,
            participant,
            kind=ConsentKind.CHECKIN_MESSAGES,
            granted=callback_data.granted,
            tz=ctx.tz,
        )
        if callback_data.granted and participant.proactive_paused:
            await set_proactive_paused(uow, ctx.clock, participant, paused=False, tz=ctx.tz)
        await callback.message.answer(
            t("Dank je! Ik stuur je af en toe een kort bericht.")
            if callback_data.granted
            else t("Dat is goed. Ik stuur je geen berichten uit mezelf."),
            reply_markup=main_menu(t),
        )

    return router


async def close_dialogs(dialog_manager: DialogManager) -> None:
    """Close an open dialog (and take its buttons away); nothing to write when none is open,
    as for most menu presses."""
    stack = dialog_manager.current_stack()
    if stack.intents or stack.last_message_id is not None:
        await dialog_manager.reset_stack()


async def checkins_allowed(uow: UnitOfWork, participant: Participant) -> bool:
    for consent in await uow.consents.latest_for(participant.id):
        if consent.kind is ConsentKind.CHECKIN_MESSAGES:
            return consent.granted and not participant.proactive_paused
    return False


def my_data_text(
    t: Translator,
    participant: Participant,
    *,
    allowed: bool,
    readers: list[Reader],
    translates: bool,
) -> str:
    return "\n\n".join(
        (
            "\n".join(
                (
                    t("Dit staat over jou in de chatbot:"),
                    t("• Je naam: {name}", name=participant.display_name),
                    t(
                        "• Je taal: {language}",
                        language=LOCALE_NAMES.get(participant.locale or "nl", "Nederlands"),
                    ),
                    t("• Berichten van mij: ja") if allowed else t("• Berichten van mij: nee"),
                    t("• Wat je zelf naar je team stuurt."),
                    t("• Een klacht: die leest alleen wie klachten behandelt."),
                )
            ),
            readers_text(t, readers),
            transport_text(t, translates=translates),
            "\n".join(
                (
                    t("Wat je schrijft, bewaren we versleuteld."),
                    # No retention period is enforced yet (README: deletion at the end of
                    # the trajectory is still to come), so the bot promises none.
                    t("We wissen het nog niet vanzelf na een vaste tijd."),
                    t("Wil je alles zien of laten wissen? Vraag het aan je team."),
                )
            ),
        )
    )


def my_data_keyboard(t: Translator, allowed: bool) -> InlineKeyboardMarkup:
    toggle = (
        InlineKeyboardButton(
            text=t("Geen berichten meer"), callback_data=ConsentCb(granted=False).pack()
        )
        if allowed
        else InlineKeyboardButton(
            text=t("Wel berichten graag"), callback_data=ConsentCb(granted=True).pack()
        )
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [toggle],
            [
                InlineKeyboardButton(
                    text="⚙️ " + t("Wanneer en hoe vaak"),
                    callback_data=CheckinSettingsCb().pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("Contact met mijn team"),
                    callback_data=ContactCb(yes=True, source="mydata").pack(),
                )
            ],
        ]
    )
