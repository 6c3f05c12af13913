"""Pieces shared by dialogs: the language list and switching the translator mid-update."""

from __future__ import annotations

import operator
from typing import Any

from aiogram.fsm.state import State
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Column, Select
from aiogram_dialog.widgets.kbd.select import OnItemClick
from aiogram_dialog.widgets.text import Format

from wzt_bot.bot.context import BotContext
from wzt_bot.dialogs.widgets import T, translator
from wzt_bot.domain.models import LOCALE_NAMES, SUPPORTED_LOCALES, Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services.onboarding import set_locale


async def get_languages(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """Each language under its own name; the current guess first."""
    current = translator(dialog_manager).locale
    order = [current, *(loc for loc in SUPPORTED_LOCALES if loc != current)]
    return {"languages": [(LOCALE_NAMES[loc], loc) for loc in order]}


def language_window(widget_id: str, on_click: OnItemClick[Any, str], state: State) -> Window:
    """ "Kies je taal." with one button per language, in that language's own name."""
    return Window(
        T("🌐 Kies je taal."),
        Column(
            Select(
                Format("{item[0]}"),
                id=widget_id,
                item_id_getter=operator.itemgetter(1),
                items="languages",
                on_click=on_click,
            )
        ),
        state=state,
        getter=get_languages,
    )


async def apply_locale(manager: DialogManager, locale: str) -> Participant | None:
    """Store the chosen language and speak it from this very update on."""
    data = manager.middleware_data
    ctx: BotContext = data["ctx"]
    participant: Participant | None = data.get("participant")
    if locale not in SUPPORTED_LOCALES:
        return participant
    if participant is not None:
        uow: UnitOfWork = data["uow"]
        participant = await set_locale(uow, ctx.clock, participant, locale)
        data["participant"] = participant
    data["t"] = ctx.i18n.get(locale)
    return participant
