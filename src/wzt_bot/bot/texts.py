"""Participant-facing texts and keyboards. Every msgid is plain Dutch (B1)."""

from __future__ import annotations

import enum
import functools

from aiogram.types import (
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from wzt_bot.domain.models import StaffFunction
from wzt_bot.domain.services.readers import Reader
from wzt_bot.i18n import N_, I18n, Translator


class MenuItem(enum.StrEnum):
    PLAN = "plan"
    CHECKIN = "checkin"
    ASK = "ask"
    COMPLAINT = "complaint"
    MYDATA = "mydata"
    LANGUAGE = "language"


MENU_LABELS: dict[MenuItem, tuple[str, str]] = {
    MenuItem.PLAN: ("📋", N_("Mijn plan")),
    MenuItem.CHECKIN: ("🙂", N_("Hoe gaat het?")),
    MenuItem.ASK: ("💬", N_("Ik wil iets vragen of zeggen")),
    MenuItem.COMPLAINT: ("📣", N_("Klacht")),
    MenuItem.MYDATA: ("🔒", N_("Mijn gegevens")),
    MenuItem.LANGUAGE: ("🌐", N_("Taal")),
}
MENU_ROWS: tuple[tuple[MenuItem, ...], ...] = (
    (MenuItem.PLAN, MenuItem.CHECKIN),
    (MenuItem.ASK,),
    (MenuItem.COMPLAINT, MenuItem.MYDATA),
    (MenuItem.LANGUAGE,),
)

#: The commands Telegram shows in its menu, with a short description each.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("menu", N_("Toon het menu")),
    ("help", N_("Uitleg over de chatbot")),
    ("taal", N_("Kies een andere taal")),
    ("stop", N_("Pauzeer mijn berichten")),
    ("klacht", N_("Een klacht of een probleem melden")),
    ("feedback", N_("Anoniem feedback geven")),
    ("rechten", N_("Waar heb ik recht op?")),
)

EMERGENCY = N_(
    "In nood: bel 112. Zelfmoordlijn: 1813. Tele-Onthaal: 106. Zij zijn er dag en nacht."
)


#: A team member's function, after their name in "who reads what you send".
READER_FUNCTIONS: dict[StaffFunction | None, str] = {
    StaffFunction.CASEMANAGER_WERK: N_("begeleider voor werk"),
    StaffFunction.CASEMANAGER_ZORG: N_("begeleider voor zorg"),
    StaffFunction.STAGEBEGELEIDER: N_("begeleider op de stage"),
    StaffFunction.PARTNER: N_("partner van je team"),
    StaffFunction.OTHER: N_("iemand van je team"),
    None: N_("iemand van je team"),
}


def readers_text(t: Translator, readers: list[Reader]) -> str:
    """Who reads what the participant sends, said as it is (no promise about VDAB: the
    casemanager werk is a VDAB function in many networks, decree.md VDAB row)."""
    lines = [t("Wat je hier naar je team stuurt, lezen deze mensen:")]
    for r in readers:
        function = t(READER_FUNCTIONS.get(r.function, READER_FUNCTIONS[None]))
        if r.organisation:
            lines.append(
                t(
                    "• {name}, {function}, bij {organisation}",
                    name=r.name,
                    function=function,
                    organisation=r.organisation,
                )
            )
        else:
            lines.append(t("• {name}, {function}", name=r.name, function=function))
    if not readers:
        lines.append(t("• De mensen van je team."))
    if any(r.function is StaffFunction.CASEMANAGER_WERK and not r.organisation for r in readers):
        lines.append(t("De begeleider voor werk werkt vaak bij VDAB of voor VDAB."))
    lines.append(
        t(
            "Wie niet in je team zit, leest het niet. "
            "Alleen de beheerder van de chatbot kan erbij, bij een technisch probleem."
        )
    )
    return "\n".join(lines)


def transport_text(t: Translator, *, translates: bool) -> str:
    """How messages travel: Telegram (not end-to-end encrypted), and a translation server
    when WZT_TRANSLATE_URL is set."""
    lines = [
        t("Je berichten gaan via Telegram. Telegram versleutelt ze niet van begin tot eind."),
        t("Schrijf daarom liever geen details over je gezondheid."),
    ]
    if translates:
        lines.append(
            t(
                "Schrijf je in een andere taal? Dan gaat je bericht ook naar een "
                "vertaaldienst, zodat je team het kan lezen. Antwoorden van je team gaan "
                "daar ook langs."
            )
        )
    return "\n".join(lines)


def menu_label(t: Translator, item: MenuItem) -> str:
    emoji, label = MENU_LABELS[item]
    return f"{emoji} {t(label)}"


@functools.cache
def _main_menu(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=menu_label(t, item)) for item in row] for row in MENU_ROWS],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=t("Kies iets in het menu"),
    )


def main_menu(t: Translator) -> ReplyKeyboardMarkup:
    """The persistent main menu in the participant's language (built once per language)."""
    return _main_menu(t)


def menu_lookup(i18n: I18n) -> dict[str, MenuItem]:
    """Every menu label in every language, so a button works even right after a language change."""
    lookup: dict[str, MenuItem] = {}
    for t in i18n.all():
        for item in MenuItem:
            label = menu_label(t, item)
            lookup[label] = item
            lookup[label.split(" ", 1)[1].casefold()] = item
    return lookup


def no_code_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Hallo! Ik ben de chatbot van je begeleiding."),
            t(
                "Om te starten heb je een persoonlijke link of QR-code nodig. "
                "Die krijg je van je begeleider."
            ),
            t("Heb je er nog geen? Vraag er gerust naar bij je volgende gesprek."),
        )
    )


def throttled_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Dat lukte nu een paar keer niet."),
            t("Probeer het over een uur opnieuw. Of vraag je begeleider om een nieuwe link."),
        )
    )


def help_text(t: Translator) -> str:
    return "\n".join(
        (
            t("Zo werk ik:"),
            t("• Kies iets in het menu onderaan."),
            t("• /menu toont het menu opnieuw."),
            t("• /taal kiest een andere taal."),
            t("• /stop pauzeert mijn berichten."),
            t("• /klacht: een klacht of een probleem melden."),
            t("• /rechten: waar heb ik misschien recht op?"),
            t("• /feedback: anoniem zeggen wat je van de hulp vindt."),
            t("• /help toont deze uitleg."),
            "",
            t("Je team is niet dag en nacht online."),
            t(EMERGENCY),
        )
    )


def stop_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Oké. Ik stuur je geen berichten meer uit mezelf."),
            t("Jij kan mij wel altijd iets sturen."),
            t("Wil je later weer berichten? Stuur dan /start."),
        )
    )


def fallback_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Dank je voor je bericht. Dit kan ik nog niet lezen."),
            t("Kies iets in het menu onderaan. Wil je je team iets zeggen? Kies dan 💬."),
            t(EMERGENCY),
        )
    )


def coming_soon_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Dit deel van de chatbot is nog niet klaar."),
            t("Wil je dat iemand van je team contact met je opneemt?"),
        )
    )
