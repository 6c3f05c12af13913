"""Onboarding: language, a short introduction, who sees what, consent for check-ins."""

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Row
from aiogram_dialog.widgets.text import Format, Multi

from wzt_bot.bot.texts import EMERGENCY
from wzt_bot.dialogs.common import language_window
from wzt_bot.dialogs.onboarding.getters import get_participant_name, get_privacy
from wzt_bot.dialogs.onboarding.handlers import (
    on_consent_no,
    on_consent_yes,
    on_language,
    on_next,
)
from wzt_bot.dialogs.states import OnboardingSG
from wzt_bot.dialogs.widgets import T


def onboarding_dialog() -> Dialog:
    return Dialog(
        language_window("onb_lang", on_language, OnboardingSG.language),
        Window(
            Multi(
                T("Welkom, {name}! Ik ben de chatbot van je begeleiding."),
                Multi(
                    T("Dit doe ik:"),
                    T("• Ik toon je plan en wie je kan helpen."),
                    T("• Ik vraag af en toe hoe het met je gaat."),
                    T("• Ik geef je vragen door aan je team."),
                ),
                Multi(
                    T("Dit doe ik niet:"),
                    T("• Ik beoordeel je niet."),
                    T("• Ik beslis niets over jouw traject."),
                ),
                T("Niet tevreden? Je mag altijd een klacht geven. Kies dan 📣 Klacht."),
                sep="\n\n",
            ),
            Button(T("Verder ▶️"), id="next", on_click=on_next),
            state=OnboardingSG.intro,
            getter=get_participant_name,
        ),
        Window(
            Multi(
                T("Wie ziet wat?"),
                Format("{readers}"),
                Multi(
                    T("• Wat je schrijft, bewaren we versleuteld."),
                    T("• Een klacht gaat naar wie klachten behandelt, niet naar je team."),
                ),
                Format("{transport}"),
                Multi(T("Je team is niet dag en nacht online."), T(EMERGENCY)),
                sep="\n\n",
            ),
            Button(T("Verder ▶️"), id="next", on_click=on_next),
            state=OnboardingSG.privacy,
            getter=get_privacy,
        ),
        Window(
            T("Mag ik je af en toe een kort bericht sturen? Dan vraag ik hoe het gaat."),
            Row(
                Button(T("Ja, dat mag"), id="consent_yes", on_click=on_consent_yes),
                Button(T("Nee, liever niet"), id="consent_no", on_click=on_consent_no),
            ),
            state=OnboardingSG.consent,
        ),
    )
