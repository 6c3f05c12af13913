"""The crisis safety layer: before every other handler, on every free text, in any state.

A risk message gets, at once, a short warm answer with the helplines (policies/helplines.py)
and an honest word on the team: an urgent message "at once" only when a channel to them
exists, else when they will see it; the team gets an urgent flag with the message, whatever the
consent settings. The flag is committed before the answer goes out, so it survives a failed
send. Nothing of the message is written to the logs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import structlog
from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject
from prometheus_client import Counter

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.outreach_texts import crisis_keyboard, crisis_text
from wzt_bot.domain.models import FlagKind, FlagUrgency, Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.safety import CrisisDetector, RiskMatch
from wzt_bot.domain.services import flags, teams
from wzt_bot.i18n import Translator

log = structlog.get_logger(__name__)
CRISIS_DETECTED = Counter("wzt_crisis_detected_total", "Risk messages answered", ["kind"])

LONG_TEXT = 400
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class CrisisMiddleware(BaseMiddleware):
    """`known_texts`: texts sent again and again (the menu's buttons, in every language),
    checked once here instead of on every press. The detector is a pure function of the
    text, so the answer is the same; any other text is checked as it comes."""

    def __init__(self, detector: CrisisDetector, known_texts: Iterable[str] = ()) -> None:
        self.detector = detector
        self._known: dict[str, RiskMatch | None] = {
            text: detector.detect(text) for text in known_texts
        }

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Message) or event.chat.type != "private":
            return await handler(event, data)
        text = event.text or event.caption
        if not text:
            return await handler(event, data)
        # A fraction of a millisecond for a chat message; a very long one (milliseconds) goes
        # to a thread.
        if text in self._known:
            match = self._known[text]
        elif len(text) <= LONG_TEXT:
            match = self.detector.detect(text)
        else:
            match = await asyncio.to_thread(self.detector.detect, text)
        if match is None:
            return await handler(event, data)
        ctx: BotContext = data["ctx"]
        uow: UnitOfWork = data["uow"]
        t: Translator = data["t"]
        participant: Participant | None = data.get("participant")
        CRISIS_DETECTED.labels(match.kind.value).inc()
        log.warning("crisis.detected", kind=match.kind.value, known=participant is not None)
        keyboard = None
        reach = None
        private = await words_are_private(data, ctx.clock.now().timestamp())
        if participant is not None:
            language = None
            if ctx.language_tools is not None and not private:
                language = await ctx.language_tools.detect(text or "")
            flag = await flags.raise_flag(
                uow,
                ctx.clock,
                participant,
                kind=FlagKind.CRISIS,
                urgency=FlagUrgency.URGENT,
                # Words written for a complaint stay with the complaint, and words for an
                # anonymous survey stay out of reach: the team learns that someone may be at
                # risk, not what they wrote (maybe about the team).
                source=f"crisis:{match.kind.value}" + (f":{private}" if private else ""),
                words=None
                if private
                else flags.Words(text=text or "", language=language or participant.locale),
            )
            await uow.commit()  # the flag first: it must not depend on the answer's send
            settings = await uow.teams.settings(participant.team_id)
            reach = await teams.reach(
                uow, participant.team_id, settings, ctx.clock.now(), ctx.tz, ctx.presence
            )
            keyboard = crisis_keyboard(t, flag.id.hex)
        await event.answer(
            crisis_text(t, team=reach, now=ctx.clock.now().astimezone(ctx.tz)),
            reply_markup=keyboard,
        )
        if private:
            # The helplines first, then the complaint still gets its words: never lost.
            return await handler(event, data)
        return None


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
