"""Taps on messages the bot sent on its own: check-ins, replies of the team, crisis answers.

Callback data carries an id; it is always checked against the participant who tapped, so
forged or foreign ids lead to a kind "this button no longer works", never to another
participant's data.
"""

from __future__ import annotations

import contextlib
import uuid

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import (
    ALL_OK,
    CONTACT_NO,
    CONTACT_YES,
    SETTINGS,
    CheckinCb,
    CheckinSettingsCb,
    FlagCb,
    RiskCb,
    checkin_keyboard,
    checkin_text,
    contact_requested_text,
    misunderstood_text,
)
from wzt_bot.bot.survey_texts import OPEN, SurveyCb
from wzt_bot.bot.texts import main_menu, no_code_text
from wzt_bot.dialogs.feedback.handlers import open_survey
from wzt_bot.dialogs.states import CheckinSettingsSG, CheckinSG
from wzt_bot.domain.errors import DomainError
from wzt_bot.domain.models import CheckinKind, Participant, SurveyKind
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import checkins, flags, surveys
from wzt_bot.domain.services.onboarding import request_contact
from wzt_bot.i18n import Translator


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


async def _stale(callback: CallbackQuery, t: Translator) -> None:
    if isinstance(callback.message, Message):
        await callback.message.answer(
            t("Deze knop werkt niet meer. Hier is het menu."), reply_markup=main_menu(t)
        )


async def start_checkin(
    message: Message, participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> None:
    """ "Hoe gaat het?" from the menu: the same question as a scheduled check-in."""
    checkin = await checkins.start_adhoc(uow, ctx.clock, participant)
    await message.answer(
        checkin_text(t, participant.display_name.split(" ")[0], checkin.wording),
        reply_markup=checkin_keyboard(t, checkin.id.hex),
    )


async def on_checkin_tap(
    callback: CallbackQuery,
    callback_data: CheckinCb,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    await callback.answer()
    checkin_id = _uuid(callback_data.id)
    if participant is None:
        if isinstance(callback.message, Message):
            await callback.message.answer(no_code_text(t))
        return
    if checkin_id is None:
        await _stale(callback, t)
        return
    value = callback_data.v
    if value == SETTINGS:
        await dialog_manager.start(
            CheckinSettingsSG.main, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
        )
        return
    try:
        checkin = await checkins.answer(
            uow,
            ctx.clock,
            participant,
            checkin_id,
            score=value if 1 <= value <= 5 else None,
            all_ok=value == ALL_OK,
        )
    except DomainError:
        await _stale(callback, t)
        return
    if checkin.kind is CheckinKind.PAUSE_CONTACT or value in (CONTACT_YES, CONTACT_NO):
        if isinstance(callback.message, Message):  # answered: the buttons go away
            with contextlib.suppress(TelegramBadRequest):
                await callback.message.edit_reply_markup(reply_markup=None)
        await _pause_contact(callback, participant, uow, ctx, t, yes=value == CONTACT_YES)
        return
    # The faces go away too: aiogram-dialog removes the keyboard of the tapped message when it
    # sends the first window (a second edit here would be refused as "not modified", and
    # still cost one of Telegram's 30 messages a second).
    start = {"checkin": checkin.id.hex}
    await dialog_manager.start(
        CheckinSG.went_well if value == ALL_OK else CheckinSG.topics,
        data=start,
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def _pause_contact(
    callback: CallbackQuery,
    participant: Participant,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    *,
    yes: bool,
) -> None:
    if not isinstance(callback.message, Message):
        return
    if not yes:
        await callback.message.answer(
            t("Oké. Je kan het altijd later nog vragen."), reply_markup=main_menu(t)
        )
        return
    await request_contact(uow, ctx.clock, participant, source="checkin:pause")
    settings = await uow.teams.settings(participant.team_id)
    await callback.message.answer(
        contact_requested_text(t, settings.answer_within_days), reply_markup=main_menu(t)
    )


async def on_flag_tap(
    callback: CallbackQuery,
    callback_data: FlagCb,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
) -> None:
    await callback.answer()
    flag_id = _uuid(callback_data.id)
    if participant is None or flag_id is None or not isinstance(callback.message, Message):
        if participant is None and isinstance(callback.message, Message):
            await callback.message.answer(no_code_text(t))
        return
    try:
        if callback_data.a == "ok":  # an old button, from before RiskCb: nothing is lowered
            done = await flags.crisis_was_misunderstood(uow, ctx.clock, participant, flag_id)
            await _misunderstood(callback.message, t, new=done.new)
            return
        if callback_data.a in ("y", "n"):
            helped = callback_data.a == "y"
            await flags.participant_feedback(uow, ctx.clock, participant, flag_id, helped=helped)
            text = (
                t("Fijn! Dank je om het te laten weten.")
                if helped
                else t("Dank je. Ik laat je team weten dat je nog hulp nodig hebt.")
            )
            if not helped:
                await request_contact(uow, ctx.clock, participant, source="reply:not_helped")
        else:
            await _stale(callback, t)
            return
    except DomainError:
        await _stale(callback, t)
        return
    with contextlib.suppress(TelegramBadRequest):
        await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(text, reply_markup=main_menu(t))


async def on_risk_tap(
    callback: CallbackQuery,
    callback_data: RiskCb,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
) -> None:
    """ "Ik ben oké, dit was verkeerd begrepen": withdraws the one message it stands under."""
    await callback.answer()
    risk_id = _uuid(callback_data.id)
    if participant is None or risk_id is None or not isinstance(callback.message, Message):
        if participant is None and isinstance(callback.message, Message):
            await callback.message.answer(no_code_text(t))
        return
    try:
        done = await flags.withdraw_risk(uow, ctx.clock, participant, risk_id)
    except DomainError:
        await _stale(callback, t)
        return
    await _misunderstood(callback.message, t, new=done.new)


async def _misunderstood(message: Message, t: Translator, *, new: bool) -> None:
    """The answer stays honest whatever the flag's urgency now: the team still sees the
    message. A second tap on the same button (new=False) sends nothing new."""
    with contextlib.suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=None)
    if new:
        await message.answer(misunderstood_text(t), reply_markup=main_menu(t))


async def on_settings(callback: CallbackQuery, dialog_manager: DialogManager) -> None:
    await callback.answer()
    if dialog_manager.middleware_data.get("participant") is None:
        return
    await dialog_manager.start(
        CheckinSettingsSG.main, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


async def on_survey_tap(
    callback: CallbackQuery,
    callback_data: SurveyCb,
    participant: Participant | None,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    """A tap on a survey offer: the questions (with what they are for first), or "no"."""
    await callback.answer()
    if participant is None or not isinstance(callback.message, Message):
        if participant is None and isinstance(callback.message, Message):
            await callback.message.answer(no_code_text(t))
        return
    try:
        kind = SurveyKind(callback_data.s)
    except ValueError:
        await _stale(callback, t)
        return
    with contextlib.suppress(TelegramBadRequest):
        await callback.message.edit_reply_markup(reply_markup=None)
    if callback_data.a == OPEN:
        await open_survey(dialog_manager, kind)
        return
    await surveys.decline(uow, ctx.clock, ctx.tz, participant, kind)
    await callback.message.answer(
        t("Oké, dat is goed. Ik vraag het niet meer."), reply_markup=main_menu(t)
    )


def build_router() -> Router:
    router = Router(name="outreach")
    router.callback_query.filter(F.message.chat.type == "private")
    router.callback_query.register(on_checkin_tap, CheckinCb.filter())
    router.callback_query.register(on_flag_tap, FlagCb.filter())
    router.callback_query.register(on_risk_tap, RiskCb.filter())
    router.callback_query.register(on_settings, CheckinSettingsCb.filter())
    router.callback_query.register(on_survey_tap, SurveyCb.filter())
    return router
