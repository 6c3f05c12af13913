"""Waar heb ik recht op? The bot explains; the participant and the team decide together.

A network's own text is shown as written; a shipped default is translated. The ticked topics
become a request to the team (a RIGHTS flag with the topic names only), after a preview.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Select

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import answer_time_text
from wzt_bot.bot.plan_texts import day
from wzt_bot.bot.texts import EMERGENCY, main_menu
from wzt_bot.dialogs.states import RightsSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import Participant
from wzt_bot.domain.policies.rights import (
    TITLES,
    Explanation,
    RightsSettings,
    RightsTopic,
    parse_topics,
)
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import rights
from wzt_bot.i18n import Translator

TICK = "✅"


def _deps(manager: DialogManager) -> tuple[UnitOfWork, BotContext, Participant | None]:
    data = manager.middleware_data
    return data["uow"], data["ctx"], data.get("participant")


def ticked(manager: DialogManager) -> list[RightsTopic]:
    """The ticked topics, in the order of the checklist (a stale value is dropped)."""
    values = manager.dialog_data.get("ticked") or []
    return parse_topics(str(v) for v in values)


def _topic(manager: DialogManager) -> RightsTopic | None:
    chosen = parse_topics([str(manager.dialog_data.get("topic") or "")])
    return chosen[0] if chosen else None


async def _settings(manager: DialogManager) -> RightsSettings:
    uow, _, participant = _deps(manager)
    if participant is None:
        return RightsSettings.defaults()
    return await rights.settings_for(uow, participant)


def explanation_text(t: Translator, explanation: Explanation) -> str:
    """A shipped default in the participant's language; a network's own words as written."""
    return t(explanation.text) if explanation.is_default else explanation.text


def title(t: Translator, topic: RightsTopic) -> str:
    return t(TITLES[topic])


async def get_topics(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    chosen = set(ticked(dialog_manager))
    return {
        "topics": [
            (f"{TICK} {title(t, topic)}" if topic in chosen else title(t, topic), topic.value)
            for topic in RightsTopic
        ],
        "any_ticked": bool(chosen),
    }


async def get_topic(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    topic = _topic(dialog_manager) or RightsTopic.ONKOSTEN
    explanation = (await _settings(dialog_manager)).explain(topic)
    verified = explanation.last_verified
    is_ticked = topic in ticked(dialog_manager)
    return {
        "title": title(t, topic),
        "text": explanation_text(t, explanation),
        "verified": verified is not None,
        "date": day(verified) if verified is not None else "",
        "ticked": is_ticked,
        "not_ticked": not is_ticked,
    }


async def get_preview(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    t = translator(dialog_manager)
    return {"chosen": "\n".join(f"• {title(t, topic)}" for topic in ticked(dialog_manager))}


async def on_topic(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item: str
) -> None:
    if not parse_topics([item]):
        await manager.switch_to(RightsSG.topics, show_mode=ShowMode.SEND)
        return
    manager.dialog_data["topic"] = item
    await manager.switch_to(RightsSG.topic, show_mode=ShowMode.SEND)


async def on_toggle(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """Tick or untick the open topic, then back to the list (which shows the ✅)."""
    topic = _topic(manager)
    chosen = set(ticked(manager))
    if topic is not None:
        chosen ^= {topic}
    manager.dialog_data["ticked"] = [t.value for t in parse_topics(c.value for c in chosen)]
    await manager.switch_to(RightsSG.topics, show_mode=ShowMode.SEND)


async def on_back(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.switch_to(RightsSG.topics, show_mode=ShowMode.SEND)


async def on_ask(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    target = RightsSG.preview if ticked(manager) else RightsSG.topics
    await manager.switch_to(target, show_mode=ShowMode.SEND)


async def on_send(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    uow, ctx, participant = _deps(manager)
    t = translator(manager)
    chosen = ticked(manager)
    if not chosen:  # a stale button: nothing ticked any more
        await manager.switch_to(RightsSG.topics, show_mode=ShowMode.SEND)
        return
    await manager.done()
    if participant is None or not isinstance(callback.message, Message):
        return
    await rights.ask_team(uow, ctx.clock, participant, [c.value for c in chosen])
    settings = await uow.teams.settings(participant.team_id)
    await callback.message.answer(
        "\n\n".join(
            (
                t("✅ Verstuurd naar je team."),
                t("Jullie bekijken samen waar je recht op hebt."),
                answer_time_text(t, settings.answer_within_days),
            )
        ),
        reply_markup=main_menu(t),
    )


async def on_cancel(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    t = translator(manager)
    await manager.done()
    if isinstance(callback.message, Message):
        await callback.message.answer(
            "\n\n".join(
                (
                    t("Oké, ik heb niets verstuurd."),
                    t("Je vindt de uitleg terug met /rechten of in 📋 Mijn plan."),
                    t(EMERGENCY),
                )
            ),
            reply_markup=main_menu(t),
        )
