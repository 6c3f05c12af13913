""" "Ik wil iets vragen of zeggen": topic, the message, a preview, then it is relayed.

The participant sees exactly what is sent and to whom before anything leaves the bot.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import (
    CONCERN_TOPICS,
    FUNCTION_LABELS,
    TOPIC_LABELS,
    answer_time_text,
)
from wzt_bot.bot.texts import EMERGENCY, main_menu
from wzt_bot.dialogs.states import ConcernSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import FlagKind, FlagUrgency, Participant, Topic
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import flags
from wzt_bot.i18n import Translator

MAX_TEXT = 3500


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


def _topic(manager: DialogManager) -> Topic:
    value = manager.dialog_data.get("topic")
    return Topic(str(value)) if value in Topic.__members__.values() else Topic.ANDERS


async def _who(manager: DialogManager, t: Translator) -> tuple[str, int]:
    """ "An Claes, je begeleider voor zorg" (or "je team"), and the usual answer time."""
    uow, _, participant = _deps(manager)
    if participant is None:
        return t("je team"), 2
    to = await flags.recipient(uow, participant, _topic(manager))
    if to.staff is None:
        return t("je team"), to.settings.answer_within_days
    role = t(FUNCTION_LABELS.get(to.staff.function, FUNCTION_LABELS[None]))
    return f"{to.staff.name}, {role}", to.settings.answer_within_days


async def get_topics(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    return {"topics": [(t(TOPIC_LABELS[topic]), topic.value) for topic in CONCERN_TOPICS]}


async def get_preview(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    who, _days = await _who(dialog_manager, t)
    data = dialog_manager.dialog_data
    if data.get("media_kind") == "voice":
        body = t("(je spraakbericht)")
    elif data.get("media_kind") == "photo":
        body = t("(je foto)") + (f"\n{data['text']}" if data.get("text") else "")
    else:
        body = str(data.get("text") or "")
    return {"who": who, "body": body}


async def on_topic(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item: str
) -> None:
    manager.dialog_data["topic"] = item
    await manager.switch_to(ConcernSG.compose, show_mode=ShowMode.SEND)


async def on_message(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    data = manager.dialog_data
    data["text"] = (message.text or message.caption or "")[:MAX_TEXT]
    data.pop("media_kind", None)
    data.pop("media_ref", None)
    if message.voice is not None:
        data["media_kind"], data["media_ref"] = "voice", message.voice.file_id
    elif message.photo:
        data["media_kind"], data["media_ref"] = "photo", message.photo[-1].file_id
    if not data["text"] and "media_ref" not in data:
        t = translator(manager)
        await message.answer(t("Stuur een tekst, een spraakbericht of een foto."))
        return
    await manager.switch_to(ConcernSG.preview, show_mode=ShowMode.SEND)


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
    await flags.raise_flag(
        uow,
        ctx.clock,
        participant,
        kind=FlagKind.CONCERN,
        urgency=FlagUrgency.NORMAL,
        source="concern",
        topic=topic,
        words=flags.Words(
            text=text,
            language=language,
            translation=translation,
            media_kind=data.get("media_kind"),
            media_ref=data.get("media_ref"),
        ),
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
