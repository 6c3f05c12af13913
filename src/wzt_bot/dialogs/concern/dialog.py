"""The concern relay (declarations only)."""

from __future__ import annotations

import operator

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row, Select
from aiogram_dialog.widgets.text import Format, Multi

from wzt_bot.dialogs.concern.handlers import (
    get_preview,
    get_topics,
    on_cancel,
    on_edit,
    on_message,
    on_more,
    on_send,
    on_start,
    on_topic,
)
from wzt_bot.dialogs.states import ConcernSG
from wzt_bot.dialogs.widgets import T


def concern_dialog() -> Dialog:
    return Dialog(
        Window(
            T("Waarover gaat het?"),
            Column(
                Select(
                    Format("{item[0]}"),
                    id="concern_topic",
                    item_id_getter=operator.itemgetter(1),
                    items="topics",
                    on_click=on_topic,
                )
            ),
            Button(T("Niet versturen"), id="cancel_topic", on_click=on_cancel),
            state=ConcernSG.topic,
            getter=get_topics,
        ),
        Window(
            Multi(
                T("Schrijf je bericht hieronder."),
                T("Je mag ook een spraakbericht of een foto sturen."),
                sep="\n\n",
            ),
            MessageInput(
                on_message,
                content_types=[ContentType.TEXT, ContentType.VOICE, ContentType.PHOTO],
            ),
            Button(T("Niet versturen"), id="cancel_compose", on_click=on_cancel),
            state=ConcernSG.compose,
        ),
        Window(
            Format("{preview}"),
            MessageInput(
                on_more,
                content_types=[ContentType.TEXT, ContentType.VOICE, ContentType.PHOTO],
            ),
            Row(
                Button(T("✅ Versturen"), id="send", on_click=on_send),
                Button(T("✏️ Aanpassen"), id="edit", on_click=on_edit),
            ),
            Button(T("✖️ Niet versturen"), id="cancel", on_click=on_cancel),
            state=ConcernSG.preview,
            getter=get_preview,
        ),
        on_start=on_start,
    )
