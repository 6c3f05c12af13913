"""The gentle question after a message the scorer is unsure of.

It neither stays silent nor raises the full alarm: the bot asks, as a reply to that message,
whether the participant wants to talk to someone, with two buttons. "Yes" raises the urgent
flag with the words of the message it answers (Telegram hands them back with the tap, so
nothing is kept here); a further unsure message while the question is open does too.

Only the moment until which the question counts as open is kept in the dialog state.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)

from wzt_bot.bot.outreach_texts import helpline_group_text
from wzt_bot.domain.policies.helplines import talk_lines
from wzt_bot.i18n import N_, Translator

#: FSM data key: until when (epoch seconds) the gentle question is open.
ASKED_KEY = "wzt_crisis_asked_until"
OPEN_FOR = 3600.0

ASK = N_("Dank je voor je bericht. Ik wil zeker zijn dat het goed met je gaat.")
ASK_QUESTION = N_("Wil je met iemand praten?")
ASK_LINES = N_("Je kan ook altijd zelf iemand bellen:")
YES = N_("Ja, ik wil praten")
NO = N_("Nee, het gaat")
NO_ANSWER = N_("Fijn dat het gaat. Je mag altijd terugkomen, ook later.")


class CrisisAskCb(CallbackData, prefix="ca"):
    """A tap under the gentle question: "y" wants to talk, "n" is OK; `k` the risk kind the
    scorer thought most likely."""

    a: str
    k: str = "crisis"


def ask_text(t: Translator) -> str:
    """The question, then the first group of helplines (in the participant's own language
    where one is verified, else the region's, said by name), from the helpline data."""
    parts = [t(ASK), t(ASK_QUESTION)]
    groups = talk_lines(t.locale)
    if groups:
        parts.append(helpline_group_text(t, groups[0], t(ASK_LINES)))
    return "\n\n".join(parts)


def ask_keyboard(t: Translator, kind: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=t(YES), callback_data=CrisisAskCb(a="y", k=kind).pack()),
                InlineKeyboardButton(text=t(NO), callback_data=CrisisAskCb(a="n", k=kind).pack()),
            ]
        ]
    )


def _state(data: dict[str, Any]) -> FSMContext | None:
    state = data.get("state")
    return state if isinstance(state, FSMContext) else None


async def pending(data: dict[str, Any], now: float) -> float | None:
    """Until when the question asked earlier is open, or None."""
    state = _state(data)
    if state is None:
        return None
    until = (await state.get_data()).get(ASKED_KEY)
    return float(until) if isinstance(until, int | float) and now < until else None


async def ask(message: Message, data: dict[str, Any], now: float, kind: str | None) -> None:
    """Ask, as a reply to `message`, and note that the question is open."""
    t: Translator = data["t"]
    await message.answer(
        ask_text(t),
        reply_markup=ask_keyboard(t, kind or "crisis"),
        reply_parameters=ReplyParameters(
            message_id=message.message_id, allow_sending_without_reply=True
        ),
    )
    state = _state(data)
    if state is not None:
        await state.update_data({ASKED_KEY: now + OPEN_FOR})


async def clear(data: dict[str, Any]) -> None:
    state = _state(data)
    if state is not None:
        await state.update_data({ASKED_KEY: None})
