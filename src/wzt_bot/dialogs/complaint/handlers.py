"""Klacht: never filtered, never discouraged; about one's own team it goes elsewhere."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.crisis import set_private_words
from wzt_bot.bot.outreach_texts import contact_requested_text
from wzt_bot.bot.split import split_text
from wzt_bot.bot.texts import EMERGENCY, main_menu
from wzt_bot.dialogs.feedback.handlers import start_feedback
from wzt_bot.dialogs.states import ComplaintSG, ConcernSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import Participant
from wzt_bot.domain.policies.complaints import (
    NEXT_STEP_WORDS,
    ComplaintSettings,
    Contact,
    ServiceKind,
)
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import complaints, flags
from wzt_bot.domain.services.onboarding import request_contact
from wzt_bot.i18n import N_, Translator


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


#: The shipped defaults are Dutch data; while a network keeps them, they are translated.
DEFAULT_WORDS = frozenset(
    {
        N_("iemand van je netwerk die klachten behandelt"),
        N_("iemand buiten je team die klachten behandelt"),
        # the names shipped before, still stored in some networks' settings
        N_("de klachtenbehandelaar van je netwerk"),
        N_("de onafhankelijke klachtenbehandelaar"),
        N_("op werkdagen"),
    }
)


def has_details(contact: Contact) -> bool:
    """Whether there is more to show than the name (phone, e-mail, web or hours)."""
    return bool(contact.phone or contact.email or contact.web or contact.hours)


def next_step_text(t: Translator, settings: ComplaintSettings, kind: ServiceKind) -> str:
    """Where to go after the handler's answer, for this kind of service: the Vlaamse
    Ombudsdienst only for Flemish public services; otherwise the network's contact for that
    kind, or where to ask."""
    contact = settings.next_step(kind)
    if kind is ServiceKind.FLEMISH_PUBLIC or contact is None:
        words = t(NEXT_STEP_WORDS[kind])
        return words if contact is None else words + "\n" + contact_lines(t, contact)
    return contact_lines(t, contact)


def said(t: Translator, value: str) -> str:
    """A contact's name or hours: translated when it is a shipped default, else as written."""
    return t(value) if value in DEFAULT_WORDS else value


def contact_lines(t: Translator, contact: Contact) -> str:
    lines = [said(t, contact.name)]
    if contact.phone:
        lines.append(t("📞 Bellen: {phone}", phone=contact.phone))
    if contact.email:
        lines.append(t("✉️ Mailen: {email}", email=contact.email))
    if contact.web:
        lines.append(t("🌐 Op het internet: {web}", web=contact.web))
    if contact.hours:
        lines.append(t("🕘 Wanneer: {hours}", hours=said(t, contact.hours)))
    return "\n".join(lines)


async def _settings(manager: DialogManager) -> ComplaintSettings:
    uow, _, participant = _deps(manager)
    if participant is None:
        return ComplaintSettings()
    return await complaints.settings_for(uow, participant)


async def get_decision(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    settings = await _settings(dialog_manager)
    return {"vdab": contact_lines(t, settings.vdab)}


async def get_steps(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    settings = await _settings(dialog_manager)
    about_team = bool(dialog_manager.dialog_data.get("about_team"))
    handler = settings.handler(about_team)
    # A Flemish public service's next step already is the Ombudsdienst (with its contacts);
    # for any other kind the Ombudsdienst is named apart, for complaints about VDAB.
    public = handler.kind is ServiceKind.FLEMISH_PUBLIC
    lines = [] if public else [contact_lines(t, settings.ombudsdienst)]
    lines += [
        t("Ook gratis: de Vlaamse infolijn 1700, op werkdagen."),
        t(
            "De Ombudsdienst neemt geen klachten zonder naam aan. Je kan wel vragen "
            "dat je naam niet wordt doorgegeven."
        ),
    ]
    return {
        "ombudsdienst": "\n".join(lines),
        "not_public": not public,
        "next_step": next_step_text(t, settings, handler.kind),
        "handler": said(t, handler.contact.name),
        "about_team": about_team,
        "unreachable": not await _reachable(dialog_manager, about_team),
    }


async def _reachable(manager: DialogManager, about_team: bool) -> bool:
    """Whether the complaint will reach a person (e-mail or webhook of the handler)."""
    uow, ctx, participant = _deps(manager)
    if participant is None:
        return False
    return await complaints.complaint_reaches_someone(
        uow, participant, about_team, email_works=ctx.complaint_email
    )


async def _preview_parts(manager: DialogManager) -> list[str]:
    """The preview as Telegram messages: over several when longer than one, never cutting a
    word (the words themselves are sent whole)."""
    t = translator(manager)
    settings = await _settings(manager)
    data = manager.dialog_data
    body = str(data.get("text") or "")
    if data.get("voice_ref"):
        body = (body + "\n" if body else "") + t("(je spraakbericht)")
    if data.get("anonymous"):
        body += "\n\n" + t("Zonder je naam.")
    handler = said(t, settings.handler(bool(data.get("about_team"))).contact.name)
    return split_text("\n\n".join((t("Dit stuur ik naar {handler}:", handler=handler), body)))


async def get_preview(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"preview": (await _preview_parts(dialog_manager))[-1]}


async def on_to_team(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.start(ConcernSG.topic, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


async def on_feedback(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    _, _, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    await start_feedback(manager, participant)


async def on_decision(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ComplaintSG.decision, show_mode=ShowMode.SEND)


async def on_reconsider(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ComplaintSG.reconsider, show_mode=ShowMode.SEND)


async def on_advice(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ComplaintSG.advice, show_mode=ShowMode.SEND)


async def on_file(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ComplaintSG.about_team, show_mode=ShowMode.SEND)


async def on_help_with_decision(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    await _ask_team(callback, manager, "complaint:decision")


async def on_help_with_advice(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    await _ask_team(callback, manager, "complaint:end_advice")


async def _ask_team(callback: CallbackQuery, manager: DialogManager, source: str) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    await manager.done()
    if participant is None or not isinstance(callback.message, Message):
        return
    await request_contact(uow, ctx.clock, participant, source=source)
    to = await flags.recipient(uow, participant, None)
    await callback.message.answer(
        contact_requested_text(t, to.settings.answer_within_days, emergency=False),
        reply_markup=main_menu(t),
    )


async def on_about(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    # "Dat weet ik niet" is treated as "yes": then the team surely does not see it.
    manager.dialog_data["about_team"] = button.widget_id != "about_no"
    await manager.switch_to(ComplaintSG.steps, show_mode=ShowMode.SEND)


async def _private(manager: DialogManager, on: bool) -> None:
    """While the complaint is written, the crisis layer keeps its words out of the team's
    flag (it still answers with the helplines and flags urgently)."""
    _, ctx, _ = _deps(manager)
    await set_private_words(
        manager.middleware_data.get("state"), ctx.clock.now().timestamp() if on else None
    )


async def on_write(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _private(manager, on=True)
    settings = await _settings(manager)
    handler = settings.handler(bool(manager.dialog_data.get("about_team")))
    target = ComplaintSG.anonymous if handler.anonymous_allowed else ComplaintSG.compose
    await manager.switch_to(target, show_mode=ShowMode.SEND)


async def on_anonymous(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["anonymous"] = button.widget_id == "anonymous"
    await manager.switch_to(ComplaintSG.compose, show_mode=ShowMode.SEND)


async def on_message(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    data = manager.dialog_data
    data["text"] = message.text or message.caption or ""  # whole: never cut
    data["voice_ref"] = message.voice.file_id if message.voice else None
    if not data["text"] and not data["voice_ref"]:
        await message.answer(translator(manager)("Stuur een tekst of een spraakbericht."))
        return
    for part in (await _preview_parts(manager))[:-1]:
        await message.answer(part)
    await manager.switch_to(ComplaintSG.preview, show_mode=ShowMode.SEND)


async def on_more(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    """More words while the preview is open: added to the complaint, never dropped."""
    data = manager.dialog_data
    text = message.text or message.caption or ""
    if text:
        data["text"] = "\n\n".join(x for x in (str(data.get("text") or ""), text) if x)
    if message.voice is not None and not data.get("voice_ref"):
        data["voice_ref"] = message.voice.file_id
    elif message.voice is not None:  # one voice note per complaint: say so, keep the first
        t = translator(manager)
        await message.answer(t("Je kan één spraakbericht meesturen. Schrijf de rest gerust."))
    for part in (await _preview_parts(manager))[:-1]:
        await message.answer(part)
    manager.show_mode = ShowMode.SEND  # aiogram-dialog shows the window again after this


async def on_edit(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ComplaintSG.compose, show_mode=ShowMode.SEND)


async def on_send(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    data = dict(manager.dialog_data)
    await _private(manager, on=False)
    await manager.done()
    if participant is None or not isinstance(callback.message, Message):
        return
    complaint, settings = await complaints.file_complaint(
        uow,
        ctx.clock,
        ctx.tz,
        participant,
        about_team=bool(data.get("about_team")),
        anonymous=bool(data.get("anonymous")),
        words=flags.Words(
            text=str(data.get("text") or ""),
            media_kind="voice" if data.get("voice_ref") else None,
            media_ref=data.get("voice_ref"),
        ),
    )
    chosen = settings.handler(complaint.about_team)
    handler = chosen.contact
    receipt = t(
        "Het nummer van je klacht is {receipt}. Bewaar het goed.", receipt=complaint.receipt
    )
    if await complaints.complaint_reaches_someone(
        uow, participant, complaint.about_team, email_works=ctx.complaint_email
    ):
        parts: tuple[str, ...] = (
            t("✅ Je klacht is verstuurd naar {handler}.", handler=said(t, handler.name)),
            receipt,
            t("Ik laat je weten wat ermee gebeurt: ontvangen, in behandeling, beantwoord."),
            # only with contact details: a bare name again was a stray line
            *((contact_lines(t, handler),) if has_details(handler) else ()),
        )
    else:  # stored, but no e-mail or webhook reaches a person: say so, never "verstuurd"
        parts = (
            t("Ik heb je klacht bewaard. Ze is nog niet verstuurd."),
            t(
                "{handler} kan ze nog niet via mij krijgen.",
                handler=said(t, handler.name),
            ),
            receipt,
            # how to reach them yourself, when their details are known (a bare name is not)
            *(
                (
                    t("Neem zelf contact op, dan ben je zeker dat je klacht aankomt:"),
                    contact_lines(t, handler),
                )
                if has_details(handler)
                else ()
            ),
            next_step_text(t, settings, chosen.kind),
        )
    await callback.message.answer("\n\n".join(parts), reply_markup=main_menu(t))


async def on_cancel(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    t = translator(manager)
    await _private(manager, on=False)
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(
            "\n\n".join((t("Oké, ik heb niets verstuurd."), t(EMERGENCY))),
            reply_markup=main_menu(t),
        )
