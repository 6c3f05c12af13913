"""Waar heb ik recht op? (declarations only)."""

from __future__ import annotations

import operator

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, Select
from aiogram_dialog.widgets.text import Const, Format, Multi

from wzt_bot.dialogs.rights.handlers import (
    get_preview,
    get_topic,
    get_topics,
    on_ask,
    on_back,
    on_cancel,
    on_send,
    on_toggle,
    on_topic,
)
from wzt_bot.dialogs.states import RightsSG
from wzt_bot.dialogs.widgets import T
from wzt_bot.domain.policies.rights import NOT_DECIDED_HERE


def rights_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                Multi(Const("⚖️"), T("Waar heb ik recht op?"), sep=" "),
                T("Hier lees je waar je misschien recht op hebt."),
                T(NOT_DECIDED_HERE),
                T("Tik op een onderwerp voor de uitleg."),
                T("Wil je iets samen met je team bekijken? Vink het dan aan."),
                sep="\n\n",
            ),
            Column(
                Select(
                    Format("{item[0]}"),
                    id="topic",
                    item_id_getter=operator.itemgetter(1),
                    items="topics",
                    on_click=on_topic,
                )
            ),
            Button(
                T("📨 Vraag mijn team om dit samen te bekijken"),
                id="ask",
                on_click=on_ask,
                when="any_ticked",
            ),
            Button(T("✖️ Stoppen"), id="cancel_topics", on_click=on_cancel),
            state=RightsSG.topics,
            getter=get_topics,
        ),
        Window(
            Multi(
                Format("{title}"),
                Format("{text}"),
                T(NOT_DECIDED_HERE),
                T("Nagekeken op {date}.", when="verified"),
                T("✅ Dit bekijk je met je team.", when="ticked"),
                sep="\n\n",
            ),
            Button(
                T("✅ Dit wil ik bekijken met mijn team"),
                id="tick",
                on_click=on_toggle,
                when="not_ticked",
            ),
            Button(T("Niet meer aanvinken"), id="untick", on_click=on_toggle, when="ticked"),
            Row(
                Button(Multi(Const("⬅️"), T("Terug"), sep=" "), id="back", on_click=on_back),
                Button(T("✖️ Stoppen"), id="cancel_topic", on_click=on_cancel),
            ),
            state=RightsSG.topic,
            getter=get_topic,
        ),
        Window(
            Multi(
                T("Dit stuur ik naar je team:"),
                Format("{chosen}"),
                T("Je team ziet alleen deze onderwerpen."),
                sep="\n\n",
            ),
            Row(
                Button(T("✅ Versturen"), id="send", on_click=on_send),
                Button(T("✏️ Aanpassen"), id="edit", on_click=on_back),
            ),
            Button(T("✖️ Niet versturen"), id="cancel", on_click=on_cancel),
            state=RightsSG.preview,
            getter=get_preview,
        ),
    )
