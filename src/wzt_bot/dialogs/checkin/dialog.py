"""The check-in after a tap on a face, and "Wanneer en hoe vaak" (declarations only)."""

from __future__ import annotations

import operator

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Multiselect, Row, Select, SwitchTo
from aiogram_dialog.widgets.text import Format, Multi
from magic_filter import F

from wzt_bot.dialogs.checkin.handlers import (
    get_settings,
    get_topics,
    on_back_to_menu,
    on_contact_no,
    on_contact_yes,
    on_day,
    on_daypart,
    on_less_often,
    on_note,
    on_skip_words,
    on_snooze,
    on_stop_messages,
    on_topics_done,
    on_topics_skip,
    on_went_well,
)
from wzt_bot.dialogs.states import CheckinSettingsSG, CheckinSG
from wzt_bot.dialogs.widgets import T

_less_often = F["less_often"]


def checkin_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                T("Waar denk je nu vooral aan?"),
                T("Kies wat past en tik dan op 'Klaar'. Overslaan mag ook."),
                sep="\n\n",
            ),
            Column(
                Multiselect(
                    Format("✅ {item[0]}"),
                    Format("{item[0]}"),
                    id="ci_topics",
                    item_id_getter=operator.itemgetter(1),
                    items="topics",
                )
            ),
            Row(
                Button(T("Klaar ▶️"), id="topics_done", on_click=on_topics_done),
                Button(T("Overslaan"), id="topics_skip", on_click=on_topics_skip),
            ),
            state=CheckinSG.topics,
            getter=get_topics,
        ),
        Window(
            Multi(
                T("Wil je er iets over vertellen?"),
                T("Typ het hier of stuur een spraakbericht. Overslaan mag ook."),
                sep="\n\n",
            ),
            MessageInput(on_note, content_types=[ContentType.TEXT, ContentType.VOICE]),
            Button(T("Overslaan"), id="note_skip", on_click=on_skip_words),
            state=CheckinSG.note,
        ),
        Window(
            Multi(
                T("Wat lukte er deze week? Iets kleins mag ook."),
                T("Typ het hier. Overslaan mag ook."),
                sep="\n\n",
            ),
            MessageInput(on_went_well, content_types=[ContentType.TEXT]),
            Button(T("Overslaan"), id="well_skip", on_click=on_skip_words),
            state=CheckinSG.went_well,
        ),
        Window(
            T("Wil je dat iemand van je team contact met je opneemt?"),
            Row(
                Button(T("Ja, graag"), id="contact_yes", on_click=on_contact_yes),
                Button(T("Nee, nu niet"), id="contact_no", on_click=on_contact_no),
            ),
            state=CheckinSG.contact,
        ),
    )


def checkin_settings_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                T("Zo stuur ik je berichten:"),
                Multi(
                    T("• Dag: {day}"),
                    T("• Moment: {part}"),
                    T("• Minder vaak dan normaal", when="less_often"),
                ),
                T("Wat wil je aanpassen?"),
                sep="\n\n",
            ),
            Column(
                SwitchTo(T("📅 Kies een dag"), id="to_day", state=CheckinSettingsSG.day),
                SwitchTo(T("🕐 Kies een moment"), id="to_part", state=CheckinSettingsSG.daypart),
                Button(
                    T("Minder vaak"),
                    id="less",
                    on_click=on_less_often,
                    when=~_less_often,
                ),
                Button(
                    T("Weer zoals eerst"),
                    id="more",
                    on_click=on_less_often,
                    when=_less_often,
                ),
                SwitchTo(T("⏸️ Even niet"), id="to_snooze", state=CheckinSettingsSG.snooze),
                Button(T("🛑 Geen berichten meer"), id="stop", on_click=on_stop_messages),
                Button(T("Terug naar het menu"), id="back", on_click=on_back_to_menu),
            ),
            state=CheckinSettingsSG.main,
            getter=get_settings,
        ),
        _choice(T("Welke dag past het best?"), "day", "weekdays", on_day, CheckinSettingsSG.day),
        _choice(
            T("Welk moment past het best?"),
            "part",
            "dayparts",
            on_daypart,
            CheckinSettingsSG.daypart,
        ),
        _choice(
            T("Hoe lang wil je geen berichten?"),
            "snooze",
            "weeks",
            on_snooze,
            CheckinSettingsSG.snooze,
        ),
    )


def _choice(title: T, widget_id: str, items: str, on_click: object, state: object) -> Window:
    return Window(
        title,
        Column(
            Select(
                Format("{item[0]}"),
                id=widget_id,
                item_id_getter=operator.itemgetter(1),
                items=items,
                on_click=on_click,  # type: ignore[arg-type]
            )
        ),
        SwitchTo(T("Terug"), id=f"{widget_id}_back", state=CheckinSettingsSG.main),
        state=state,  # type: ignore[arg-type]
        getter=get_settings,
    )
