"""Feedback surveys (declarations only)."""

from __future__ import annotations

import operator

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Select
from aiogram_dialog.widgets.text import Format, Multi

from wzt_bot.dialogs.feedback.handlers import (
    get_intro,
    get_question,
    get_why,
    on_begin,
    on_close,
    on_later,
    on_no,
    on_option,
    on_share,
    on_skip,
    on_start,
    on_talk,
    on_why_done,
    on_words,
)
from wzt_bot.dialogs.states import FeedbackSG
from wzt_bot.dialogs.widgets import T


def feedback_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                Format("{title}"),
                T("Je antwoorden veranderen niets aan je traject."),
                T("Ze zijn anoniem. Je team ziet niet wat jij antwoordt."),
                T("De organisaties zien alleen totalen, van minstens 5 mensen samen."),
                T("Zolang je bezig bent, bewaar ik je antwoorden veilig. Daarna zonder je naam."),
                T("Je kan altijd stoppen en later verder doen."),
                T("Je was al begonnen. Je gaat verder waar je stopte.", when="begun"),
                sep="\n\n",
            ),
            Button(T("▶️ Starten"), id="begin", on_click=on_begin, when="fresh"),
            Button(T("▶️ Verder doen"), id="resume", on_click=on_begin, when="begun"),
            Button(T("⏸️ Later"), id="later_intro", on_click=on_later, when="offered"),
            Button(T("✖️ Nee, dank je"), id="no", on_click=on_no, when="offered"),
            Button(T("✖️ Stoppen"), id="close", on_click=on_close, when="anytime"),
            Button(T("🙋 Ik praat liever met iemand"), id="talk", on_click=on_talk),
            state=FeedbackSG.intro,
            getter=get_intro,
        ),
        Window(
            Multi(
                Format("{head}"),
                Format("{text}"),
                T("Schrijf je antwoord hieronder. Het mag kort.", when="open"),
                sep="\n\n",
            ),
            Column(
                Select(
                    Format("{item[0]}"),
                    id="answer",
                    item_id_getter=operator.itemgetter(1),
                    items="options",
                    on_click=on_option,
                )
            ),
            MessageInput(on_words, content_types=ContentType.ANY),
            Button(T("⏭️ Overslaan"), id="skip", on_click=on_skip),
            Button(T("⏸️ Later verder"), id="later", on_click=on_later),
            state=FeedbackSG.question,
            getter=get_question,
        ),
        Window(
            Multi(Format("{why}"), T("Schrijf het hieronder."), sep="\n\n"),
            MessageInput(on_words, content_types=ContentType.ANY),
            Button(T("⏭️ Nee, verder"), id="why_done", on_click=on_why_done),
            Button(T("⏸️ Later verder"), id="later_why", on_click=on_later),
            state=FeedbackSG.why,
            getter=get_why,
        ),
        Window(
            Multi(
                T("Mag ik je eigen woorden bewaren, zonder je naam?"),
                # The report masks phone numbers and e-mail addresses; names only by a
                # heuristic (domain/policies/masking.py), so the bot promises no more.
                T(
                    "Dan kunnen de organisaties ze lezen. Telefoonnummers en e-mailadressen "
                    "haal ik eruit. Namen probeer ik eruit te halen, maar dat lukt niet altijd."
                ),
                T("Zeg je nee? Dan bewaar ik je woorden niet. Je andere antwoorden wel."),
                sep="\n\n",
            ),
            Button(T("✅ Ja, dat mag"), id="share_yes", on_click=on_share),
            Button(T("✖️ Nee, liever niet"), id="share_no", on_click=on_share),
            state=FeedbackSG.share,
        ),
        on_start=on_start,
    )
