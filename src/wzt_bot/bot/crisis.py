"""The crisis safety layer: before every other handler, on every free text, in any state.

A risk message gets, at once, a short warm answer with the helplines (policies/helplines.py)
and an honest word on the team: an urgent message "at once" only when a channel to them
exists, else when they will see it; the team gets an urgent flag with the message, whatever the
consent settings. The flag is committed before the answer goes out, so it survives a failed
send. Nothing of the message is written to the logs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import structlog
from aiogram import BaseMiddleware, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from prometheus_client import Counter

from wzt_bot.bot import crisis_ask
from wzt_bot.bot.context import BotContext
from wzt_bot.bot.crisis_ask import CrisisAskCb
from wzt_bot.bot.outreach_texts import crisis_keyboard, crisis_text
from wzt_bot.domain.models import FlagUrgency, Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.safety import RiskKind
from wzt_bot.domain.safety.check import Assessment, CrisisCheck, Verdict
from wzt_bot.domain.services import flags, teams
from wzt_bot.i18n import Translator

log = structlog.get_logger(__name__)
CRISIS_DETECTED = Counter("wzt_crisis_detected_total", "Risk messages answered", ["kind"])

LONG_TEXT = 400
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class CrisisMiddleware(BaseMiddleware):
    """`known_texts`: texts sent again and again (the menu's buttons, in every language),
    checked once here instead of on every press. The check is a pure function of the text,
    so the answer is the same; any other text is checked as it comes.

    A message the patterns or the scorer are sure of gets the helplines and an urgent flag.
    One the scorer is unsure of gets a gentle question with buttons (`crisis_ask`); a second
    such message while that question is open counts as sure."""

    def __init__(self, check: CrisisCheck, known_texts: Iterable[str] = ()) -> None:
        self.check = check
        self._known: dict[str, Assessment] = {text: check.assess(text) for text in known_texts}

    async def _assess(self, text: str) -> Assessment:
        if text in self._known:
            return self._known[text]
        if len(text) <= LONG_TEXT:
            return self.check.assess(text)
        return await asyncio.to_thread(self.check.assess, text)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message) or event.chat.type != "private":
            return await handler(event, data)
        text = event.text or event.caption
        if not text:
            return await handler(event, data)
        # A fraction of a millisecond for a chat message; a very long one (milliseconds) goes
        # to a thread.
        assessment = await self._assess(text)
        if assessment.verdict is Verdict.NONE:
            return await handler(event, data)
        ctx: BotContext = data["ctx"]
        now = ctx.clock.now().timestamp()
        if assessment.verdict is Verdict.ASK:
            asked = await crisis_ask.pending(data, now)
            if asked is None:  # unsure: ask gently, and let the message go on its way
                await crisis_ask.ask(event, data, now, assessment.kind)
                return await handler(event, data)
            # a second unsure message while the question is open: as sure as a match
            await crisis_ask.clear(data)
        return await self.raise_alarm(event, data, text, assessment, handler)

    @staticmethod
    async def raise_alarm(
        event: Message,
        data: dict[str, Any],
        text: str,
        assessment: Assessment,
        handler: Handler | None = None,
        note: str | None = None,
    ) -> Any:
        """The helplines and an urgent flag (for a known participant), the flag first.
        `event`: the message to answer in its chat (the risk message, or the question);
        `note`: why, for the team, when not the assessment's own reason."""
        kind = assessment.kind or RiskKind.CRISIS
        ctx: BotContext = data["ctx"]
        uow: UnitOfWork = data["uow"]
        t: Translator = data["t"]
        participant: Participant | None = data.get("participant")
        CRISIS_DETECTED.labels(kind.value).inc()
        log.warning(
            "crisis.detected",
            kind=kind.value,
            by="rule" if assessment.match is not None else "scorer",
            known=participant is not None,
        )
        keyboard = None
        reach = None
        private = await words_are_private(data, ctx.clock.now().timestamp())
        if participant is not None:
            language = None
            if ctx.language_tools is not None and not private:
                language = await ctx.language_tools.detect(text or "")
            flag, risk = await flags.raise_crisis(  # words: the risk message's, or none
                uow,
                ctx.clock,
                participant,
                urgency=FlagUrgency.URGENT,
                # Words written for a complaint stay with the complaint, and words for an
                # anonymous survey stay out of reach: the team learns that someone may be at
                # risk, not what they wrote (maybe about the team).
                source=f"crisis:{kind.value}" + (f":{private}" if private else ""),
                words=None
                if private or not text
                else flags.Words(text=text or "", language=language or participant.locale),
            )
            await flags.add_note(
                uow, ctx.clock, flag, note or why_flagged(assessment, private=private)
            )
            await uow.commit()  # the flag first: it must not depend on the answer's send
            settings = await uow.teams.settings(participant.team_id)
            reach = await teams.reach(
                uow, participant.team_id, settings, ctx.clock.now(), ctx.tz, ctx.presence
            )
            keyboard = crisis_keyboard(t, risk.id.hex)  # withdraws this message only
        await event.answer(
            crisis_text(t, team=reach, now=ctx.clock.now().astimezone(ctx.tz)),
            reply_markup=keyboard,
        )
        if private and handler is not None:
            # The helplines first, then the complaint still gets its words: never lost.
            return await handler(event, data)
        return None


def why_flagged(assessment: Assessment, *, private: str | None) -> str:
    """For the team's thread: which rule, or which words weighed most. For private words
    (a complaint, a survey) only that the scorer or a rule fired, not the words."""
    if private and assessment.match is None:
        return "Waarom gemarkeerd: lerend model (woorden blijven privé)."
    return f"Waarom gemarkeerd: {assessment.reason}"


#: FSM data keys: until when (epoch seconds) what the participant types is private, and for
#: what ("complaint", "feedback"). Set by the Klacht dialog on entering its writing step and
#: by the feedback survey when it asks for the participant's own words, cleared after.
PRIVATE_WORDS_KEY = "wzt_private_words_until"
PRIVATE_PURPOSE_KEY = "wzt_private_words_for"
PRIVATE_WORDS_FOR = 3600.0


async def words_are_private(data: dict[str, Any], now: float) -> str | None:
    """What the words typed now belong to, when they are private; else None."""
    state: FSMContext | None = data.get("state")
    if state is None:
        return None
    stored = await state.get_data()
    until = stored.get(PRIVATE_WORDS_KEY)
    if not (isinstance(until, int | float) and now < until):
        return None
    return str(stored.get(PRIVATE_PURPOSE_KEY) or "complaint")


async def set_private_words(
    state: FSMContext | None, now: float | None, purpose: str = "complaint"
) -> None:
    """From `now` on (for an hour), or no longer (None), typed words are private."""
    if state is not None:
        until = None if now is None else now + PRIVATE_WORDS_FOR
        await state.update_data({PRIVATE_WORDS_KEY: until, PRIVATE_PURPOSE_KEY: purpose})


async def on_ask_tap(callback: CallbackQuery, callback_data: CrisisAskCb, **data: Any) -> None:
    """ "Ja, ik wil praten" raises the urgent flag with the words the question answered;
    "Nee, het gaat" closes the question. The buttons go, so a second tap does nothing."""
    await callback.answer()
    message = callback.message
    if not isinstance(message, Message):
        return
    t: Translator = data["t"]
    await crisis_ask.clear(data)
    with contextlib.suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=None)
    if callback_data.a != "y":
        await message.answer(t(crisis_ask.NO_ANSWER))
        return
    original = message.reply_to_message
    text = (original.text or original.caption or "") if original is not None else ""
    try:
        kind = RiskKind(callback_data.k)
    except ValueError:
        kind = RiskKind.CRISIS
    note = (
        "Waarom gemarkeerd: de bot vroeg of het gaat (het lerend model twijfelde); "
        "de deelnemer wil praten."
    )
    if not text:
        note += " Het bericht zelf is niet meer beschikbaar."
    await CrisisMiddleware.raise_alarm(
        message, data, text, Assessment(Verdict.ALARM, kind), note=note
    )


def build_router() -> Router:
    router = Router(name="crisis_ask")
    router.callback_query.filter(F.message.chat.type == "private")
    router.callback_query.register(on_ask_tap, CrisisAskCb.filter())
    return router
