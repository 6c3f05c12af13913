"""Words to the team from Mijn plan (declarations only)."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button
from aiogram_dialog.widgets.text import Format, Multi

from wzt_bot.dialogs.plan.handlers import get_prompt, on_cancel, on_message, on_without_words
from wzt_bot.dialogs.states import PlanWordsSG
from wzt_bot.dialogs.widgets import T


def plan_words_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(Format("{prompt}"), Format("{who_line}"), sep="\n\n"),
            MessageInput(on_message, content_types=[ContentType.TEXT, ContentType.VOICE]),
            Button(
                T("Zonder uitleg versturen"),
                id="plan_without_words",
                on_click=on_without_words,
                when="may_skip",
            ),
            Button(T("✖️ Niet versturen"), id="plan_cancel", on_click=on_cancel),
            state=PlanWordsSG.compose,
            getter=get_prompt,
        ),
    )
