"""Check-in steps after the face: topics, a few words, what went well, contact or not."""

from __future__ import annotations

import uuid
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, ManagedMultiselect, Select

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import CHECKIN_TOPICS, TOPIC_LABELS, answer_time_text
from wzt_bot.bot.texts import EMERGENCY, main_menu
from wzt_bot.dialogs.states import CheckinSettingsSG, CheckinSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import DayPart, Participant, Topic
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import checkins, onboarding
from wzt_bot.i18n import N_

WEEKDAYS: tuple[str, ...] = (
    N_("Maandag"),
    N_("Dinsdag"),
    N_("Woensdag"),
    N_("Donderdag"),
    N_("Vrijdag"),
    N_("Zaterdag"),
)


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


def _checkin_id(manager: DialogManager) -> uuid.UUID:
    start: dict[str, Any] = manager.start_data or {}  # type: ignore[assignment]
    return uuid.UUID(hex=str(start["checkin"]))


async def get_topics(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    return {"topics": [(t(TOPIC_LABELS[topic]), topic.value) for topic in CHECKIN_TOPICS]}


async def get_name(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    participant: Participant | None = dialog_manager.middleware_data.get("participant")
    return {"name": participant.display_name.split(" ")[0] if participant else ""}


async def _after_words(manager: DialogManager) -> None:
    """Ask about contact when the answers call for it, else say thanks."""
    uow, _, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    checkin = await checkins.own_checkin(uow, participant, _checkin_id(manager))
    if checkins.asks_for_contact(checkin) and checkin.wants_contact is None:
        await manager.switch_to(CheckinSG.contact, show_mode=ShowMode.SEND)
    else:
        await finish(manager, contact=False)


async def finish(manager: DialogManager, *, contact: bool) -> None:
    t = translator(manager)
    uow, _, participant = _deps(manager)
    await manager.done()
    name = participant.display_name.split(" ")[0] if participant else ""
    parts = [t("Dank je wel, {name}! Fijn dat je het laat weten.", name=name)]
    if contact and participant is not None:
        settings = await uow.teams.settings(participant.team_id)
        parts += [
            t("Ik heb aan je team gevraagd om contact met je op te nemen."),
            answer_time_text(t, settings.answer_within_days),
            t(EMERGENCY),
        ]
    message = manager.event.message if isinstance(manager.event, CallbackQuery) else manager.event
    if isinstance(message, Message):
        await message.answer("\n\n".join(parts), reply_markup=main_menu(t))


async def on_topics_done(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    widget = manager.find("ci_topics")
    chosen: list[str] = widget.get_checked() if isinstance(widget, ManagedMultiselect) else []
    topics = [Topic(v) for v in chosen if v in Topic.__members__.values()]
    checkin = await checkins.add_details(
        uow, ctx.clock, participant, _checkin_id(manager), topics=topics
    )
    low = checkin.score is not None and checkin.score <= 2
    await manager.switch_to(CheckinSG.note if low else CheckinSG.went_well, show_mode=ShowMode.SEND)


async def on_topics_skip(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, _, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    checkin = await checkins.own_checkin(uow, participant, _checkin_id(manager))
    low = checkin.score is not None and checkin.score <= 2
    await manager.switch_to(CheckinSG.note if low else CheckinSG.went_well, show_mode=ShowMode.SEND)


async def on_note(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    voice = message.voice.file_id if message.voice else None
    await checkins.add_details(
        uow,
        ctx.clock,
        participant,
        _checkin_id(manager),
        note=message.text or message.caption or ("" if voice else None),
        voice_ref=voice,
    )
    await _after_words(manager)


async def on_went_well(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is None:
        await manager.done()
        return
    await checkins.add_details(
        uow, ctx.clock, participant, _checkin_id(manager), went_well=message.text or ""
    )
    await _after_words(manager)


async def on_skip_words(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _after_words(manager)


async def _contact(manager: DialogManager, yes: bool) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is not None:
        await checkins.want_contact(uow, ctx.clock, participant, _checkin_id(manager), yes=yes)
    await finish(manager, contact=yes)


async def on_contact_yes(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _contact(manager, True)


async def on_contact_no(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _contact(manager, False)


# --- when and how often ------------------------------------------------------------------


async def get_settings(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    participant: Participant | None = dialog_manager.middleware_data.get("participant")
    day = (
        t(WEEKDAYS[participant.checkin_weekday])
        if participant and participant.checkin_weekday is not None
        else t("Maakt niet uit")
    )
    part = DAYPART_LABELS[participant.checkin_daypart if participant else DayPart.MORNING]
    return {
        "day": day,
        "part": t(part),
        "less_often": bool(participant and participant.checkin_less_often),
        "weekdays": [(t(label), str(i)) for i, label in enumerate(WEEKDAYS)]
        + [(t("Maakt niet uit"), str(checkins.ANY_DAY))],
        "dayparts": [(t(label), part.value) for part, label in DAYPART_LABELS.items()],
        "weeks": [
            (t("1 week"), "1"),
            (t("2 weken"), "2"),
            (t("4 weken"), "4"),
        ],
    }


DAYPART_LABELS: dict[DayPart, str] = {
    DayPart.MORNING: N_("'s Ochtends"),
    DayPart.AFTERNOON: N_("'s Namiddags"),
    DayPart.EVENING: N_("'s Avonds (voor 20 uur)"),
}


async def _saved(manager: DialogManager, text: str | None = None) -> None:
    t = translator(manager)
    message = manager.event.message if isinstance(manager.event, CallbackQuery) else None
    if isinstance(message, Message):
        await message.answer(text or t("Oké, dat heb ik aangepast."))
    await manager.switch_to(CheckinSettingsSG.main, show_mode=ShowMode.SEND)


async def on_day(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item: str
) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is not None and item.lstrip("-").isdigit():
        await checkins.set_preferences(uow, ctx.clock, ctx.tz, participant, weekday=int(item))
    await _saved(manager)


async def on_daypart(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item: str
) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is not None and item in DayPart.__members__.values():
        await checkins.set_preferences(uow, ctx.clock, ctx.tz, participant, daypart=DayPart(item))
    await _saved(manager)


async def on_snooze(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item: str
) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    if participant is not None and item in ("1", "2", "4"):
        await checkins.set_preferences(uow, ctx.clock, ctx.tz, participant, snooze_weeks=int(item))
    await _saved(manager, t("Oké. Ik laat je even met rust. Je kan me altijd zelf iets sturen."))


async def on_less_often(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    if participant is not None:
        await checkins.set_preferences(
            uow, ctx.clock, ctx.tz, participant, less_often=not participant.checkin_less_often
        )
    await _saved(manager)


async def on_stop_messages(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    await manager.done()
    if participant is not None:
        await onboarding.set_proactive_paused(uow, ctx.clock, participant, paused=True)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            "\n\n".join(
                (
                    t("Oké. Ik stuur je geen berichten meer uit mezelf."),
                    t("Wil je later weer berichten? Stuur dan /start."),
                )
            ),
            reply_markup=main_menu(t),
        )


async def on_back_to_menu(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    t = translator(manager)
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(
            t("Hier is het menu. Kies wat je wil doen."), reply_markup=main_menu(t)
        )
