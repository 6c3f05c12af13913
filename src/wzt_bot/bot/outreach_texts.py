"""Texts and keyboards of outreach: check-ins, replies from the team, crisis answers.

Every msgid is plain Dutch (B1): short sentences, one question per message.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from wzt_bot.bot.texts import EMERGENCY
from wzt_bot.domain.models import StaffFunction, Topic
from wzt_bot.i18n import N_, Translator

#: At least five ways to ask, so a check-in never feels mechanical.
CHECKIN_WORDINGS: tuple[str, ...] = (
    N_("Hallo {name}! Hoe gaat het met je deze week?"),
    N_("Dag {name}. Ik ben benieuwd: hoe gaat het nu met je?"),
    N_("Hoi {name}! Even een kort berichtje. Hoe voel je je?"),
    N_("Hallo {name}. Hoe was je week tot nu toe?"),
    N_("Goeiedag {name}! Hoe gaat het vandaag met je?"),
)
TAP_A_FACE = N_("Tik op een gezichtje. Of kies 'Alles oké'.")
FACES: tuple[str, ...] = ("😞", "🙁", "😐", "🙂", "😄")

TOPIC_LABELS: dict[Topic, str] = {
    Topic.WERK: N_("Werk of stage"),
    Topic.ZORG: N_("Zorg of gezondheid"),
    Topic.GELD: N_("Geld"),
    Topic.WONEN: N_("Wonen"),
    Topic.GEZIN: N_("Gezin"),
    Topic.VERVOER: N_("Vervoer"),
    Topic.BEGELEIDING: N_("Mijn begeleiding"),
    Topic.ANDERS: N_("Iets anders"),
}
#: What a check-in asks about (the concern flow also offers "Mijn begeleiding").
CHECKIN_TOPICS: tuple[Topic, ...] = (
    Topic.WERK,
    Topic.ZORG,
    Topic.GELD,
    Topic.WONEN,
    Topic.GEZIN,
    Topic.VERVOER,
    Topic.ANDERS,
)
CONCERN_TOPICS: tuple[Topic, ...] = (
    Topic.WERK,
    Topic.ZORG,
    Topic.GELD,
    Topic.WONEN,
    Topic.VERVOER,
    Topic.BEGELEIDING,
    Topic.ANDERS,
)

FUNCTION_LABELS: dict[StaffFunction | None, str] = {
    StaffFunction.CASEMANAGER_WERK: N_("je begeleider voor werk"),
    StaffFunction.CASEMANAGER_ZORG: N_("je begeleider voor zorg"),
    StaffFunction.STAGEBEGELEIDER: N_("je begeleider op de stage"),
    StaffFunction.PARTNER: N_("een partner van je team"),
    StaffFunction.OTHER: N_("iemand van je team"),
    None: N_("iemand van je team"),
}


class CheckinCb(CallbackData, prefix="ci"):
    """A tap on a check-in message. `v`: 1..5 a face, 0 all ok, see the constants below."""

    id: str  # the check-in id (hex)
    v: int


ALL_OK, SETTINGS, CONTACT_YES, CONTACT_NO = 0, -1, 6, 7


class CheckinSettingsCb(CallbackData, prefix="cisettings"):
    """ "Wanneer en hoe vaak" from Mijn gegevens."""


class FlagCb(CallbackData, prefix="fl"):
    """A tap under a team's reply or a crisis answer."""

    id: str  # the flag id (hex)
    a: str  # "y" helped, "n" not (yet), "ok" the crisis message was misunderstood


def checkin_text(t: Translator, name: str, wording: int) -> str:
    question = CHECKIN_WORDINGS[wording % len(CHECKIN_WORDINGS)]
    return "\n\n".join((t(question, name=name), t(TAP_A_FACE)))


def reminder_text(t: Translator, name: str) -> str:
    return "\n\n".join(
        (
            t("Hallo {name}. Ik vroeg eerder hoe het met je gaat.", name=name),
            t("Tik op een gezichtje als je even tijd hebt. Later mag ook."),
        )
    )


def checkin_keyboard(t: Translator, checkin_hex: str) -> InlineKeyboardMarkup:
    faces = [
        InlineKeyboardButton(text=face, callback_data=CheckinCb(id=checkin_hex, v=i + 1).pack())
        for i, face in enumerate(FACES)
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            faces,
            [
                InlineKeyboardButton(
                    text="👍 " + t("Alles oké"),
                    callback_data=CheckinCb(id=checkin_hex, v=ALL_OK).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text="⚙️ " + t("Wanneer en hoe vaak"),
                    callback_data=CheckinCb(id=checkin_hex, v=SETTINGS).pack(),
                )
            ],
        ]
    )


def pause_contact_text(t: Translator, name: str) -> str:
    return "\n\n".join(
        (
            t("Hallo {name}. Je traject staat nu even stil.", name=name),
            t("Wil je contact met iemand van je team?"),
        )
    )


def pause_contact_keyboard(t: Translator, checkin_hex: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("Ja, graag"),
                    callback_data=CheckinCb(id=checkin_hex, v=CONTACT_YES).pack(),
                ),
                InlineKeyboardButton(
                    text=t("Nee, nu niet"),
                    callback_data=CheckinCb(id=checkin_hex, v=CONTACT_NO).pack(),
                ),
            ]
        ]
    )


def machine_translated(t: Translator) -> str:
    return t("(Automatisch vertaald. Het origineel staat eronder.)")


def reply_text(t: Translator, sender: str, text: str, translation: str | None = None) -> str:
    parts = [t("💬 Bericht van {sender}:", sender=sender)]
    if translation:
        parts += [translation, machine_translated(t), text]
    else:
        parts.append(text)
    parts.append(t("Heeft dit geholpen?"))
    return "\n\n".join(parts)


def resolved_text(
    t: Translator, sender: str, message: str | None, translation: str | None = None
) -> str:
    """The team closed the question; `message` is their message to the participant (never
    the team's own resolve note)."""
    parts = [t("{sender} heeft je vraag afgerond.", sender=sender)]
    if message and translation:
        parts += [translation, machine_translated(t), message]
    elif message:
        parts.append(message)
    parts.append(t("Heeft dit geholpen?"))
    return "\n\n".join(parts)


def helped_keyboard(t: Translator, flag_hex: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="👍 " + t("Ja"), callback_data=FlagCb(id=flag_hex, a="y").pack()
                ),
                InlineKeyboardButton(
                    text=t("Nog niet"), callback_data=FlagCb(id=flag_hex, a="n").pack()
                ),
            ]
        ]
    )


def crisis_text(t: Translator, *, team_online: bool, known: bool) -> str:
    """The answer to a risk message: warm, short, the helplines first, honest about the team."""
    parts = [
        t("Dank je dat je dit vertelt. Je staat er niet alleen voor."),
        "\n".join(
            (
                t("Praat nu met iemand. Dat kan dag en nacht, gratis en anoniem:"),
                t("• Zelfmoordlijn: bel 1813 of chat op zelfmoord1813.be"),
                t("• Tele-Onthaal: bel 106"),
                t("• Geweld of misbruik: bel 1712"),
                t("• In gevaar? Bel meteen 112."),
            )
        ),
    ]
    if t.locale == "fr":  # the French-speaking services answer in French
        parts.append(
            t("In het Frans: Télé-Accueil 107, Centre de Prévention du Suicide 0800 32 123.")
        )
    if known:
        parts.append(
            t("Ik heb je team meteen een dringend bericht gestuurd.")
            + " "
            + (
                t("Je team is nu online en neemt zo snel mogelijk contact op.")
                if team_online
                else t("Je team is nu niet online. Bel dus zeker een van de nummers hierboven.")
            )
        )
    return "\n\n".join(parts)


def crisis_keyboard(t: Translator, flag_hex: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("Ik ben oké, dit was verkeerd begrepen"),
                    callback_data=FlagCb(id=flag_hex, a="ok").pack(),
                )
            ]
        ]
    )


def misunderstood_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Oké, fijn dat je het laat weten."),
            t("Je team ziet je bericht nog wel. Zo kunnen ze het goed opvolgen."),
            t(EMERGENCY),
        )
    )


def answer_time_text(t: Translator, days: int) -> str:
    if days <= 1:
        return t("Je team antwoordt meestal binnen 1 werkdag.")
    return t("Je team antwoordt meestal binnen {days} werkdagen.", days=days)


def contact_requested_text(t: Translator, days: int, *, emergency: bool = True) -> str:
    """After a contact request: it went to the team, when they usually answer, and (unless
    the screen already shows them) the helplines."""
    parts = [
        t("Goed. Ik heb aan je team gevraagd om contact met je op te nemen."),
        answer_time_text(t, days),
    ]
    if emergency:
        parts.append(t(EMERGENCY))
    return "\n\n".join(parts)


def already_text(t: Translator) -> str:
    """A second tap on an old button: nothing new is raised, and the participant hears so."""
    return t("Dit heb ik al doorgegeven aan je team.")
