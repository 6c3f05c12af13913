"""Texts and keyboards of the feedback surveys that are not inside the dialog: the offer.

Every msgid is plain Dutch (B1). The survey's own questions live in `domain/surveys.py`.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from wzt_bot.domain import surveys as catalog
from wzt_bot.domain.models import SurveyKind
from wzt_bot.i18n import N_, Translator

#: Why the bot asks now, per survey (the first line of the offer).
OFFER_LEADS: dict[SurveyKind, str] = {
    SurveyKind.START: N_("Je traject is goed begonnen. Hoe vond je de start?"),
    SurveyKind.STAGE: N_("Je bent nu een maand op stage. Hoe gaat het daar?"),
    SurveyKind.END: N_("Je traject is afgelopen. Wil je terugblikken?"),
    SurveyKind.FOLLOW_3: N_("Je traject is een tijdje voorbij. Hoe gaat het nu met je?"),
    SurveyKind.FOLLOW_6: N_("Je traject is een tijdje voorbij. Hoe gaat het nu met je?"),
    SurveyKind.FOLLOW_12: N_("Je traject is een jaar voorbij. Hoe gaat het nu met je?"),
    SurveyKind.ANYTIME: N_("Wil je anoniem feedback geven?"),
}
OPEN, NO = "o", "n"


class SurveyCb(CallbackData, prefix="sv"):
    """A tap on a survey offer. `s`: the survey kind; `a`: open or no."""

    s: str
    a: str


def offer_text(t: Translator, kind: SurveyKind) -> str:
    return "\n\n".join(
        (
            "📝 " + t(catalog.current(kind).title),
            t(OFFER_LEADS[kind]),
            t("Ik heb een paar korte vragen. Je antwoorden zijn anoniem."),
            t("Meedoen mag, het hoeft niet."),
        )
    )


def offer_keyboard(t: Translator, kind: SurveyKind) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("👀 Toon de vragen"),
                    callback_data=SurveyCb(s=kind.value, a=OPEN).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("✖️ Nee, dank je"), callback_data=SurveyCb(s=kind.value, a=NO).pack()
                )
            ],
        ]
    )
