""" "Dit lukt niet", a question, "Ik heb eerst vragen" / "Ik ben het niet eens", or the
participant's view before an evaluation: the participant sees to whom it goes first."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import FUNCTION_LABELS, answer_time_text
from wzt_bot.bot.texts import EMERGENCY, main_menu
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.errors import DomainError
from wzt_bot.domain.models import ActionDomain, Participant, PlanAnswer, Topic
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import flags
from wzt_bot.domain.services import plan as svc
from wzt_bot.i18n import N_, Translator

MAX_TEXT = 4096  # Telegram's own limit: never cuts what Telegram delivers
PROMPTS: dict[str, str] = {
    "help": N_("Wat lukt er niet? Schrijf het kort, of stuur een spraakbericht."),
    "question": N_("Wat is je vraag? Schrijf ze kort, of stuur een spraakbericht."),
    "answer_vragen": N_("Welke vragen heb je? Schrijf ze in je eigen woorden."),
    "answer_oneens": N_("Waarmee ben je het niet eens? Schrijf het in je eigen woorden."),
    "eval": N_("Wat wil je zeggen in het gesprek? Wat gaat goed, wat is moeilijk, wat wil je nog?"),
}
_TOPIC = {ActionDomain.WERK: Topic.WERK, ActionDomain.ZORG: Topic.ZORG}


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


def _start(manager: DialogManager) -> dict[str, Any]:
    data = manager.start_data
    return dict(data) if isinstance(data, dict) else {}


def _purpose(start: dict[str, Any]) -> str:
    purpose = str(start.get("purpose") or "")
    return f"answer_{start.get('answer')}" if purpose == "answer" else purpose


async def _recipient(manager: DialogManager, t: Translator) -> tuple[str, int]:
    uow, _, participant = _deps(manager)
    if participant is None:
        return t("je team"), 2
    start = _start(manager)
    topic, prefer = None, None
    if start.get("purpose") in ("help", "question"):
        action = await _action(manager)
        if action is not None:
            topic, prefer = _TOPIC.get(action.domain), action.owner_staff_id
    to = await flags.recipient(uow, participant, topic, prefer)
    if to.staff is None:
        return t("je team"), to.settings.answer_within_days
    role = t(FUNCTION_LABELS.get(to.staff.function, FUNCTION_LABELS[None]))
    return f"{to.staff.name}, {role}", to.settings.answer_within_days


async def _action(manager: DialogManager) -> Any:
    uow, _, participant = _deps(manager)
    if participant is None:
        return None
    start = _start(manager)
    mine = await svc.my_plan(uow, participant)
    if mine.version is None or mine.version.number != start.get("v"):
        return None
    actions = mine.version.document.actions
    index = int(start.get("i") or 0)
    return actions[index] if 0 <= index < len(actions) else None


async def get_prompt(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    start = _start(dialog_manager)
    who, _days = await _recipient(dialog_manager, t)
    prompt = t(PROMPTS.get(_purpose(start), PROMPTS["question"]))
    return {
        "prompt": prompt,
        "who_line": t("Ik stuur het naar {who}.", who=who),
        "may_skip": start.get("purpose") in ("answer", "help"),
    }


async def _send(manager: DialogManager, words: flags.Words) -> bool:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        return False
    start = _start(manager)
    purpose = start.get("purpose")
    try:
        if purpose == "answer":
            answer = PlanAnswer(str(start.get("answer")))
            await svc.answer_version(
                uow, ctx.clock, ctx.tz, participant, int(start.get("v") or 0), answer, words
            )
        elif purpose in ("help", "question"):
            action = await _action(manager)
            if action is None:
                return False
            await svc.ask_about_action(
                uow, ctx.clock, participant, action.id, words, needs_help=purpose == "help"
            )
        elif purpose == "eval":
            await svc.evaluation_input(uow, ctx.clock, participant, words)
        else:
            return False
    except (DomainError, ValueError):
        return False
    return True


async def _finish(manager: DialogManager, target: Message | None, words: flags.Words) -> None:
    t = translator(manager)
    who, days = await _recipient(manager, t)
    sent = await _send(manager, words)
    await manager.done()
    if target is None:
        return
    if not sent:
        await target.answer(
            t("Je plan is intussen aangepast. Kijk even opnieuw in 📋 Mijn plan."),
            reply_markup=main_menu(t),
        )
        return
    await target.answer(
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


async def on_message(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    _, ctx, participant = _deps(manager)
    text = (message.text or "")[:MAX_TEXT]
    voice = message.voice.file_id if message.voice else None
    if not text and voice is None:
        await message.answer(translator(manager)("Stuur een tekst of een spraakbericht."))
        return
    language = translation = None
    if text and ctx.language_tools is not None and participant is not None:
        language = await ctx.language_tools.detect(text) or participant.locale
        if language and language != "nl":
            translation = await ctx.language_tools.translate(text, language, "nl")
    words = flags.Words(
        text=text,
        language=language,
        translation=translation,
        media_kind="voice" if voice else None,
        media_ref=voice,
    )
    await _finish(manager, message, words)


async def on_without_words(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    target = callback.message if isinstance(callback.message, Message) else None
    await _finish(manager, target, flags.Words())


async def on_cancel(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    t = translator(manager)
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(t("Oké, ik heb niets verstuurd."), reply_markup=main_menu(t))
