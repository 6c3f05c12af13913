"""Feedback surveys: optional, anonymous, one question per message, pause any time.

The dialog's own data holds only which survey runs and which question asked for words:
the answers themselves go straight to the encrypted progress row (`services.surveys`), so
they are never kept in the FSM storage.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.crisis import set_private_words
from wzt_bot.bot.outreach_texts import contact_requested_text
from wzt_bot.bot.texts import main_menu
from wzt_bot.dialogs.states import FeedbackSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain import surveys as catalog
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import Participant, SurveyKind
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import flags, surveys
from wzt_bot.domain.services.onboarding import request_contact

SURVEY = "survey"
WHY_FOR = "why_for"


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


def _kind(manager: DialogManager) -> SurveyKind:
    value = manager.dialog_data.get(SURVEY)
    if value is None and isinstance(manager.start_data, dict):
        value = manager.start_data.get(SURVEY)
    try:
        return SurveyKind(str(value))
    except ValueError:
        return SurveyKind.ANYTIME


async def start_feedback(manager: DialogManager, participant: Participant) -> None:
    """/feedback, the Klacht button and a survey offer: the open survey, else anytime."""
    uow: UnitOfWork = manager.middleware_data["uow"]
    kind = await surveys.pick(uow, participant)
    await open_survey(manager, kind)


async def open_survey(manager: DialogManager, kind: SurveyKind) -> None:
    await manager.start(
        FeedbackSG.intro,
        data={SURVEY: kind.value},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def on_start(start_data: Any, manager: DialogManager) -> None:
    manager.dialog_data[SURVEY] = _kind(manager).value


async def _words_private(manager: DialogManager, on: bool) -> None:
    """While the survey asks for words, the crisis layer keeps them out of any flag (it still
    answers with the helplines and flags urgently, without the words)."""
    _, ctx, _ = _deps(manager)
    now = ctx.clock.now().timestamp() if on else None
    await set_private_words(manager.middleware_data.get("state"), now, purpose="feedback")


# --- getters --------------------------------------------------------------------------------


async def get_intro(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    uow, _ctx, participant = _deps(dialog_manager)
    kind = _kind(dialog_manager)
    t = translator(dialog_manager)
    begun = False
    if participant is not None:
        progress = await uow.feedback.progress(participant.id, kind)
        begun = progress is not None and progress.status in surveys.OPEN and progress.position > 0
    return {
        "title": "📝 " + t(catalog.current(kind).title),
        "begun": begun,
        "fresh": not begun,
        "anytime": kind is SurveyKind.ANYTIME,
        "offered": kind is not SurveyKind.ANYTIME,
    }


async def get_question(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    uow, _ctx, participant = _deps(dialog_manager)
    t = translator(dialog_manager)
    empty = {"head": "", "text": "", "options": [], "open": False, "closed": True}
    if participant is None:
        return empty
    try:
        sitting = await surveys.current(uow, participant, _kind(dialog_manager))
    except DomainError:
        return empty
    question = sitting.question
    if question is None:
        return empty
    return {
        "head": t("Vraag {number} van {total}", number=sitting.number, total=sitting.total),
        "text": t(question.text),
        "options": [(t(o.label), o.code) for o in question.options],
        "open": question.open,
        "closed": False,
    }


async def get_why(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    question = catalog.current(_kind(dialog_manager)).question(
        str(dialog_manager.dialog_data.get(WHY_FOR) or "")
    )
    text = question.follow_up if question and question.follow_up else catalog.WHY
    return {"why": t(text)}


# --- moving through the survey -------------------------------------------------------------


async def _closed(message: Message | None, manager: DialogManager) -> None:
    t = translator(manager)
    await _words_private(manager, on=False)
    await manager.done()
    if message is not None:
        await message.answer(
            t("Deze vragen zijn afgesloten. Dank je wel."), reply_markup=main_menu(t)
        )


def _message(event: CallbackQuery | Message) -> Message | None:
    if isinstance(event, Message):
        return event
    return event.message if isinstance(event.message, Message) else None


async def _next(event: CallbackQuery | Message, manager: DialogManager) -> None:
    """The next question, or the end: ask about sharing words only when there are some."""
    uow, _, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    try:
        sitting = await surveys.current(uow, participant, _kind(manager))
    except DomainError:
        await _closed(_message(event), manager)
        return
    question = sitting.question
    if question is not None:
        await _words_private(manager, on=question.open)
        await manager.switch_to(FeedbackSG.question, show_mode=ShowMode.SEND)
        return
    await _words_private(manager, on=False)
    if sitting.has_words:
        await manager.switch_to(FeedbackSG.share, show_mode=ShowMode.SEND)
        return
    await _finish(event, manager, share=False)


async def _finish(event: CallbackQuery | Message, manager: DialogManager, *, share: bool) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    kind = _kind(manager)
    await manager.done()
    message = _message(event)
    if participant is None:
        return
    try:
        await surveys.finish(uow, ctx.clock, ctx.tz, participant, kind, share_words=share)
    except DomainError:
        await _closed(message, manager)
        return
    if message is not None:
        await message.answer(
            "\n\n".join(
                (
                    t("Dank je wel! Je antwoorden zijn bewaard, zonder je naam."),
                    t(
                        "Wil je toch iets aan je team zeggen? "
                        "Kies dan 'Ik wil iets vragen of zeggen'."
                    ),
                )
            ),
            reply_markup=main_menu(t),
        )


async def on_begin(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    try:
        await surveys.begin(uow, ctx.clock, ctx.tz, participant, _kind(manager))
    except DomainError:
        await _closed(_message(callback), manager)
        return
    await _next(callback, manager)


async def on_option(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, code: str
) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    kind = _kind(manager)
    try:
        sitting = await surveys.current(uow, participant, kind)
        question = sitting.question
        if question is None:
            raise DomainError(ErrorCode.CONFLICT, entity="survey question")
        await surveys.answer(uow, ctx.clock, ctx.tz, participant, kind, question.id, code)
    except DomainError as error:
        if error.code is ErrorCode.NOT_FOUND:
            await _closed(_message(callback), manager)
            return
        await manager.switch_to(FeedbackSG.question, show_mode=ShowMode.SEND)
        return
    if question.follow_up:
        manager.dialog_data[WHY_FOR] = question.id
        await _words_private(manager, on=True)
        await manager.switch_to(FeedbackSG.why, show_mode=ShowMode.SEND)
        return
    await _next(callback, manager)


async def on_skip(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    kind = _kind(manager)
    try:
        question = (await surveys.current(uow, participant, kind)).question
        if question is not None:
            await surveys.skip(uow, ctx.clock, ctx.tz, participant, kind, question.id)
    except DomainError as error:
        if error.code is ErrorCode.NOT_FOUND:
            await _closed(_message(callback), manager)
            return
    await _next(callback, manager)


async def on_why_done(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(WHY_FOR, None)
    await _next(callback, manager)


async def on_words(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    """The participant's own words: for an open question, or the "why" after an answer."""
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    if participant is None:
        await manager.done()
        return
    text = (message.text or "").strip()
    if not text:
        await message.answer(t("Schrijf het in een bericht. Of kies ⏭️ Overslaan."))
        return
    kind = _kind(manager)
    why_for = manager.dialog_data.pop(WHY_FOR, None)
    try:
        if why_for is None:
            question = (await surveys.current(uow, participant, kind)).question
            if question is None or not question.open:
                # Typed while a question asks for a button: the buttons are still there.
                await message.answer(t("Kies een antwoord met de knoppen hieronder."))
                await manager.switch_to(FeedbackSG.question, show_mode=ShowMode.SEND)
                return
            why_for = question.id
        await surveys.words(uow, ctx.clock, ctx.tz, participant, kind, str(why_for), text)
    except DomainError as error:
        if error.code is ErrorCode.NOT_FOUND:
            await _closed(message, manager)
            return
        await manager.switch_to(FeedbackSG.question, show_mode=ShowMode.SEND)
        return
    await _next(message, manager)


async def on_share(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _finish(callback, manager, share=button.widget_id == "share_yes")


async def on_later(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    kind = _kind(manager)
    await _words_private(manager, on=False)
    await manager.done()
    if participant is not None:
        await surveys.pause(uow, ctx.clock, ctx.tz, participant, kind)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            t("Goed. Je kan later verder doen met /feedback."), reply_markup=main_menu(t)
        )


async def on_no(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    kind = _kind(manager)
    await _words_private(manager, on=False)
    await manager.done()
    if participant is not None and kind is not SurveyKind.ANYTIME:
        await surveys.decline(uow, ctx.clock, ctx.tz, participant, kind)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            t("Oké, dat is goed. Ik vraag het niet meer."), reply_markup=main_menu(t)
        )


async def on_close(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """Out of the anytime survey before it began: nothing is kept."""
    t = translator(manager)
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(t("Oké. Hier is het menu."), reply_markup=main_menu(t))


async def on_talk(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """A person instead of questions: a contact request (it says nothing about answers)."""
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    await _words_private(manager, on=False)
    await manager.done()
    if participant is None or not isinstance(callback.message, Message):
        return
    await request_contact(uow, ctx.clock, participant, source="feedback")
    to = await flags.recipient(uow, participant, None)
    await callback.message.answer(
        contact_requested_text(t, to.settings.answer_within_days), reply_markup=main_menu(t)
    )
