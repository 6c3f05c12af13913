""" "Ik wil iets vragen of zeggen": topic, the message, a preview, then it is relayed.

The participant sees exactly what is sent and to whom before anything leaves the bot. The
same preview catches what is typed, spoken or photographed outside any flow (`offer`): "Wil
je dit naar je team sturen?", and within 7 days of a team's reply it goes into that reply's
thread. Nothing is cut: up to Telegram's 4,096 characters reach the team whole, and a preview
longer than one message is shown over several.
"""

from __future__ import annotations

import uuid
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import (
    CONCERN_TOPICS,
    FUNCTION_LABELS,
    TOPIC_LABELS,
    answer_time_text,
)
from wzt_bot.bot.split import split_text
from wzt_bot.bot.texts import EMERGENCY, main_menu
from wzt_bot.dialogs.states import ConcernSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.errors import DomainError
from wzt_bot.domain.models import FlagKind, FlagUrgency, Participant, Topic
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import flags
from wzt_bot.i18n import Translator


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


def _topic(manager: DialogManager) -> Topic | None:
    """The chosen topic; None for words sent outside the flow (routed to the main contact)."""
    value = manager.dialog_data.get("topic")
    if value is None:
        return None
    return Topic(str(value)) if value in Topic.__members__.values() else Topic.ANDERS


async def _who(manager: DialogManager, t: Translator) -> tuple[str, int]:
    """ "An Claes, je begeleider voor zorg" (or "je team"), and the usual answer time."""
    uow, _, participant = _deps(manager)
    if participant is None:
        return t("je team"), 2
    thread = _thread(manager)
    if thread is not None:
        settings = await uow.teams.settings(participant.team_id)
        name = manager.dialog_data.get("thread_to")
        return (str(name) if name else t("je team")), settings.answer_within_days
    to = await flags.recipient(uow, participant, _topic(manager))
    if to.staff is None:
        return t("je team"), to.settings.answer_within_days
    role = t(FUNCTION_LABELS.get(to.staff.function, FUNCTION_LABELS[None]))
    return f"{to.staff.name}, {role}", to.settings.answer_within_days


def _thread(manager: DialogManager) -> uuid.UUID | None:
    value = manager.dialog_data.get("thread")
    try:
        return uuid.UUID(hex=str(value)) if value else None
    except ValueError:
        return None


def words_of(message: Message) -> dict[str, Any] | None:
    """What the participant sent, whole: text or caption, and a voice note's or photo's
    Telegram file id (the team fetches the file through the API). None: nothing to send."""
    data: dict[str, Any] = {"text": message.text or message.caption or ""}
    if message.voice is not None:
        data["media_kind"], data["media_ref"] = "voice", message.voice.file_id
    elif message.photo:
        data["media_kind"], data["media_ref"] = "photo", message.photo[-1].file_id
    if not data["text"] and "media_ref" not in data:
        return None
    return data


_MEDIA = {
    "voice": lambda t: "🎤 " + t("(je spraakbericht)"),
    "photo": lambda t: "📷 " + t("(je foto)"),
}


async def _preview_parts(manager: DialogManager) -> list[str]:
    """The preview as Telegram messages: the question (outside the flow), who receives it,
    then the words; split over several messages when longer than one, never inside a word."""
    t = translator(manager)
    who, _days = await _who(manager, t)
    data = manager.dialog_data
    lead = [t("Wil je dit naar je team sturen?")] if data.get("offered") else []
    lead.append(t("Dit stuur ik naar {who}:", who=who))
    media = [(data.get("media_kind"), data.get("media_ref")), *data.get("more_media", [])]
    lines = [_MEDIA[str(kind)](t) for kind, ref in media if ref and str(kind) in _MEDIA]
    text = str(data.get("text") or "")
    body = "\n".join((*lines, text) if text else lines)
    return split_text("\n\n".join((*lead, body)))


async def show_preview(manager: DialogManager, message: Message) -> None:
    """Send all but the last part of a long preview; the window shows the last with its
    buttons."""
    for part in (await _preview_parts(manager))[:-1]:
        await message.answer(part)


async def offer(
    manager: DialogManager, message: Message, uow: UnitOfWork, participant: Participant
) -> bool:
    """Words sent outside any flow: "Wil je dit naar je team sturen?" with the preview.
    Within 7 days of a team's reply they go into that reply's thread. False when there is
    nothing in the message to send (a sticker, a location)."""
    data = words_of(message)
    if data is None:
        return False
    data["offered"] = True
    ctx: BotContext = manager.middleware_data["ctx"]
    last = await flags.last_reply(uow, ctx.clock, participant)
    if last is not None:
        data["thread"] = last.flag.id.hex
        if last.staff is not None:
            data["thread_to"] = last.staff.name
    await manager.start(
        ConcernSG.preview, data=data, mode=StartMode.RESET_STACK, show_mode=ShowMode.NO_UPDATE
    )
    await show_preview(manager, message)  # a long one: its first parts, then the window
    manager.show_mode = ShowMode.SEND
    await manager.show()
    return True


async def on_start(start_data: Any, manager: DialogManager) -> None:
    if isinstance(start_data, dict):
        manager.dialog_data.update(start_data)


async def get_topics(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    return {"topics": [(t(TOPIC_LABELS[topic]), topic.value) for topic in CONCERN_TOPICS]}


async def get_preview(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {"preview": (await _preview_parts(dialog_manager))[-1]}


async def on_topic(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item: str
) -> None:
    manager.dialog_data["topic"] = item
    await manager.switch_to(ConcernSG.compose, show_mode=ShowMode.SEND)


async def on_message(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    words = words_of(message)
    if words is None:
        t = translator(manager)
        await message.answer(t("Stuur een tekst, een spraakbericht of een foto."))
        return
    data = manager.dialog_data
    for key in ("text", "media_kind", "media_ref", "more_media"):
        data.pop(key, None)
    data.update(words)
    await show_preview(manager, message)
    await manager.switch_to(ConcernSG.preview, show_mode=ShowMode.SEND)


async def on_more(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    """More words while the preview is open (two messages in a row): added to what is sent,
    never dropped; the preview is shown again with everything."""
    manager.show_mode = ShowMode.SEND  # aiogram-dialog shows the window again after this
    words = words_of(message)
    if words is None:
        return
    data = manager.dialog_data
    if words.get("text"):
        data["text"] = "\n\n".join(x for x in (str(data.get("text") or ""), words["text"]) if x)
    if words.get("media_ref"):
        if data.get("media_ref"):
            data["more_media"] = [
                *data.get("more_media", []),
                [words["media_kind"], words["media_ref"]],
            ]
        else:
            data["media_kind"], data["media_ref"] = words["media_kind"], words["media_ref"]
    await show_preview(manager, message)


async def on_send(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    data = dict(manager.dialog_data)
    topic = _topic(manager)
    who, days = await _who(manager, t)
    await manager.done()
    if participant is None:
        return
    text = str(data.get("text") or "")
    language = translation = None
    if text and ctx.language_tools is not None:
        language = await ctx.language_tools.detect(text) or participant.locale
        if language and language != "nl":
            translation = await ctx.language_tools.translate(text, language, "nl")
    words = flags.Words(
        text=text,
        language=language,
        translation=translation,
        media_kind=data.get("media_kind"),
        media_ref=data.get("media_ref"),
    )
    thread = data.get("thread")
    sent_to_thread = False
    if thread:
        try:
            await flags.add_to_thread(uow, ctx.clock, participant, uuid.UUID(hex=thread), words)
            sent_to_thread = True
        except (ValueError, DomainError):
            sent_to_thread = False  # the flag is gone: a new question instead
    if not sent_to_thread:
        flag = await flags.raise_flag(
            uow,
            ctx.clock,
            participant,
            kind=FlagKind.CONCERN,
            urgency=FlagUrgency.NORMAL,
            source="message" if data.get("offered") else "concern",
            topic=topic,
            words=words,
        )
        thread = flag.id.hex
    for kind, ref in data.get("more_media", []):  # a second photo or voice note: same thread
        await flags.add_to_thread(
            uow,
            ctx.clock,
            participant,
            uuid.UUID(hex=str(thread)),
            flags.Words(media_kind=str(kind), media_ref=str(ref)),
        )
    if isinstance(callback.message, Message):
        await callback.message.answer(
            "\n\n".join(
                (
                    t("✅ Verstuurd naar {who}.", who=who),
                    answer_time_text(t, days),
                    t("Je team is niet dag en nacht online."),
                    t(EMERGENCY),
                )
            ),
            reply_markup=main_menu(t),
        )


async def on_edit(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(ConcernSG.compose, show_mode=ShowMode.SEND)


async def on_cancel(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    t = translator(manager)
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(t("Oké, ik heb niets verstuurd."), reply_markup=main_menu(t))
