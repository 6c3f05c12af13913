"""Klacht (declarations only)."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Row
from aiogram_dialog.widgets.text import Format, Multi

from wzt_bot.dialogs.complaint.handlers import (
    get_decision,
    get_preview,
    get_steps,
    on_about,
    on_advice,
    on_anonymous,
    on_cancel,
    on_decision,
    on_edit,
    on_feedback,
    on_file,
    on_help_with_advice,
    on_help_with_decision,
    on_message,
    on_more,
    on_reconsider,
    on_send,
    on_to_team,
    on_write,
)
from wzt_bot.dialogs.states import ComplaintSG
from wzt_bot.dialogs.widgets import T


def complaint_dialog() -> Dialog:
    return Dialog(
        Window(
            Multi(
                T("Wat wil je doen? Kies wat het best past."),
                T("Alles wat je hier zegt, is welkom. Ook een klacht."),
                sep="\n\n",
            ),
            Column(
                Button(T("💬 Ik wil iets aan mijn team zeggen"), id="to_team", on_click=on_to_team),
                Button(
                    T("⚖️ Ik ben het niet eens met een beslissing"),
                    id="decision",
                    on_click=on_decision,
                ),
                Button(T("📣 Ik wil een klacht indienen"), id="file", on_click=on_file),
                Button(T("📝 Ik wil anoniem feedback geven"), id="feedback", on_click=on_feedback),
            ),
            Button(T("✖️ Stoppen"), id="cancel_choose", on_click=on_cancel),
            state=ComplaintSG.choose,
        ),
        Window(
            T("Over welke beslissing gaat het?"),
            Column(
                Button(
                    T("🚪 VDAB zei nee op mijn vraag om te starten"),
                    id="decision_vdab",
                    on_click=on_reconsider,
                ),
                Button(
                    T("🧭 Het advies op het einde van mijn traject"),
                    id="decision_advice",
                    on_click=on_advice,
                ),
                Button(
                    T("📣 Iets anders: ik wil een klacht indienen"),
                    id="decision_other",
                    on_click=on_file,
                ),
            ),
            Button(T("✖️ Stoppen"), id="cancel_which", on_click=on_cancel),
            state=ComplaintSG.decision,
        ),
        # Decree Art. 10: only VDAB's refusal of a request to take part can be reconsidered.
        Window(
            Multi(
                T(
                    "Je kan VDAB vragen om nog eens naar die beslissing te kijken. "
                    "Dat heet een heroverweging."
                ),
                Format("{vdab}"),
                T("Je team kan je daarbij helpen. Dat mag altijd."),
                sep="\n\n",
            ),
            Button(T("🤝 Ja, help me daarbij"), id="decision_help", on_click=on_help_with_decision),
            Button(T("📣 Ik wil een klacht indienen"), id="decision_file", on_click=on_file),
            Button(T("✖️ Nee, dank je"), id="cancel_decision", on_click=on_cancel),
            state=ComplaintSG.reconsider,
            getter=get_decision,
        ),
        # Decree Art. 23: the eindadvies is the team's advice, discussed with the participant;
        # not a VDAB decision to appeal. Talk about it, add your own view, or complain.
        Window(
            Multi(
                T(
                    "Het advies op het einde is het advies van je team. "
                    "Het is geen beslissing van VDAB."
                ),
                T("Ben je het er niet mee eens? Dat mag. Je kan:"),
                T(
                    "• erover praten met je team;\n"
                    "• je eigen mening geven, die je team leest;\n"
                    "• een klacht indienen."
                ),
                sep="\n\n",
            ),
            Button(
                T("🤝 Ik wil erover praten met mijn team"),
                id="advice_talk",
                on_click=on_help_with_advice,
            ),
            Button(T("✍️ Ik wil mijn mening geven"), id="advice_view", on_click=on_to_team),
            Button(T("📣 Ik wil een klacht indienen"), id="advice_file", on_click=on_file),
            Button(T("✖️ Nee, dank je"), id="cancel_advice", on_click=on_cancel),
            state=ComplaintSG.advice,
        ),
        Window(
            T("Gaat je klacht over iemand van je team?"),
            Row(
                Button(T("Ja"), id="about_yes", on_click=on_about),
                Button(T("Nee"), id="about_no", on_click=on_about),
            ),
            Button(T("Dat weet ik niet"), id="about_unsure", on_click=on_about),
            Button(T("✖️ Stoppen"), id="cancel_about", on_click=on_cancel),
            state=ComplaintSG.about_team,
        ),
        Window(
            Multi(
                T("Zo gaat een klacht:"),
                T("1. Praat erover met de dienst zelf, als dat kan."),
                T(
                    "2. Lukt dat niet? Dan gaat je klacht naar iemand die klachten behandelt. "
                    "Voor VDAB is dat de VDAB klachtendienst."
                ),
                T("3. Ben je niet tevreden, of krijg je geen antwoord op tijd?"),
                Format("{next_step}"),
                T(
                    "Gaat het over VDAB? Dan kan je daarna gratis naar de Vlaamse Ombudsdienst.",
                    when="not_public",
                ),
                Format("{ombudsdienst}"),
                T("Je klacht gaat naar: {handler}."),
                T("Niet naar je team. Je team ziet je klacht niet.", when="about_team"),
                T(
                    "Ik kan je klacht nu nog niet zelf doorsturen. Ik bewaar ze wel, "
                    "met een nummer.",
                    when="unreachable",
                ),
                sep="\n\n",
            ),
            Button(T("✍️ Mijn klacht schrijven"), id="write", on_click=on_write),
            Button(T("✖️ Stoppen"), id="cancel_steps", on_click=on_cancel),
            state=ComplaintSG.steps,
            getter=get_steps,
        ),
        Window(
            Multi(
                T("Wil je je naam meesturen?"),
                T("Zonder naam krijg je toch een nummer en nieuws over je klacht."),
                sep="\n\n",
            ),
            Button(T("Ja, met mijn naam"), id="named", on_click=on_anonymous),
            Button(T("Nee, zonder naam"), id="anonymous", on_click=on_anonymous),
            state=ComplaintSG.anonymous,
        ),
        Window(
            Multi(
                T("Vertel wat er gebeurde."),
                T("Schrijf het hieronder, of stuur een spraakbericht."),
                sep="\n\n",
            ),
            MessageInput(on_message, content_types=[ContentType.TEXT, ContentType.VOICE]),
            Button(T("✖️ Niet versturen"), id="cancel_compose", on_click=on_cancel),
            state=ComplaintSG.compose,
        ),
        Window(
            Format("{preview}"),
            MessageInput(on_more, content_types=[ContentType.TEXT, ContentType.VOICE]),
            Row(
                Button(T("✅ Versturen"), id="send", on_click=on_send),
                Button(T("✏️ Aanpassen"), id="edit", on_click=on_edit),
            ),
            Button(T("✖️ Niet versturen"), id="cancel", on_click=on_cancel),
            state=ComplaintSG.preview,
            getter=get_preview,
        ),
    )
