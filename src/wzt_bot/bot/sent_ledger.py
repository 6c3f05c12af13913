"""Answers to an update are not sent twice when the update is handled again after a crash.

An update's handler answers (sendMessage) inside its transaction; "handled" commits after.
If the process dies in between, the update is handled again after the restart (webhook:
`UpdatePipeline.recover`; polling: Telegram gives it again) and, without this ledger, the
participant would get the same answer twice. Telegram has no idempotency key, so:

- every answer to an update is written to the ledger right after Telegram accepted it:
  (update_id, its number within the update, method, chat, message_id, a keyed digest of the
  text). Not the text itself: the ledger holds no participant's words.
- When an update is handled again, each answer is compared with the ledger in order. The same
  answer to the same chat is not sent again: the handler gets the message Telegram already
  has (its buttons are refreshed, since a dialog's button data can differ the second time).
  A different answer (the dialog went another way) is sent.
- A button's callback answer that comes too late the second time is let go quietly.

What is left: a crash in the instant between Telegram accepting an answer and the ledger
write can still repeat that one answer. The ledger is written outside the handler's
transaction, in a store that does not wait for the database's commits (see
`wzt_bot.db.sent_ledger`), so that instant is short.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import structlog
from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import EditMessageReplyMarkup, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, InlineKeyboardMarkup, Message
from prometheus_client import Counter

from wzt_bot.domain.ports import SentAnswer, SentLedger

log = structlog.get_logger(__name__)

NOT_REPEATED = Counter(
    "wzt_answers_not_repeated_total",
    "Answers not sent again when an update was handled a second time",
)
LEDGER_ERRORS = Counter("wzt_sent_ledger_errors_total", "Answers the ledger could not record")


@dataclass(slots=True)
class LedgerScope:
    """The update being handled; set by the pipeline around the handler."""

    ledger: SentLedger
    update_id: int
    #: Tells this update from another with the same id; part of every answer's digest.
    fingerprint: str
    #: None for an update handled for the first time (nothing to look up).
    before: dict[int, SentAnswer] | None = None
    next_seq: int = field(default=0)

    def take_seq(self) -> int:
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        return seq


SCOPE: ContextVar[LedgerScope | None] = ContextVar("wzt_sent_ledger_scope", default=None)


async def scope_for(
    ledger: SentLedger, update_id: int, fingerprint: str, *, again: bool
) -> LedgerScope:
    """The scope of one update; `again` when it may have been handled (partly) before."""
    before: dict[int, SentAnswer] | None = None
    if again:
        try:
            before = {a.seq: a for a in await ledger.answers(update_id)}
        except Exception as exc:  # the ledger is unreadable: answer as if new (at least once)
            LEDGER_ERRORS.inc()
            log.warning("sent_ledger.unreadable", update_id=update_id, error=str(exc))
            before = None
    return LedgerScope(ledger, update_id, fingerprint, before)


class SentLedgerMiddleware(BaseRequestMiddleware):
    """Registered first on the bot's session, so an answer not sent again is not paced either."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        scope = SCOPE.get()
        if scope is None:  # not inside an update's handler (the outbox, the API, …)
            return await make_request(bot, method)
        if isinstance(method, SendMessage) and isinstance(method.chat_id, int):
            return await self._send(make_request, bot, method, scope)
        if scope.before is not None and method.__api_method__ == "answerCallbackQuery":
            try:
                return await make_request(bot, method)
            except TelegramBadRequest as exc:  # "query is too old": the press was answered
                log.info("sent_ledger.callback_answer_late", error=exc.message)
                return True
        return await make_request(bot, method)

    async def _send(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: SendMessage,
        scope: LedgerScope,
    ) -> Any:
        assert isinstance(method.chat_id, int)
        seq = scope.take_seq()
        digest = scope.ledger.digest(f"{scope.fingerprint}\n{method.text}")
        if scope.before is not None:
            earlier = scope.before.get(seq)
            if (
                earlier is not None
                and earlier.method == method.__api_method__
                and earlier.chat_id == method.chat_id
                and earlier.digest == digest
            ):
                NOT_REPEATED.inc()
                log.info("update.answer_not_repeated", update_id=scope.update_id, seq=seq)
                return await _as_sent(bot, method, earlier)
            # Not in the ledger (never sent, or sent in the instant before the crash), or the
            # dialog went another way this time: sent.
            log.info(
                "update.answer_sent_on_replay",
                update_id=scope.update_id,
                seq=seq,
                reason="not_recorded" if earlier is None else "different",
            )
        result = await make_request(bot, cast("Any", method))
        if isinstance(result, Message):
            answer = SentAnswer(
                update_id=scope.update_id,
                seq=seq,
                method=method.__api_method__,
                chat_id=method.chat_id,
                chat_type=str(result.chat.type),
                message_id=result.message_id,
                sent_at=int(result.date.timestamp()) if result.date else int(time.time()),
                digest=digest,
            )
            try:
                await scope.ledger.record(answer)
            except Exception as exc:  # never fail the answer itself: at least once, then
                LEDGER_ERRORS.inc()
                log.warning("sent_ledger.record_failed", update_id=scope.update_id, error=str(exc))
        return result


async def _as_sent(bot: Bot, method: SendMessage, earlier: SentAnswer) -> Message:
    """The message Telegram already has, as the handler would have got it."""
    markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
    if markup is not None:
        # A dialog started again has new button data: point the buttons there.
        try:
            await bot(
                EditMessageReplyMarkup(
                    chat_id=earlier.chat_id, message_id=earlier.message_id, reply_markup=markup
                )
            )
        except TelegramBadRequest as exc:  # "not modified": the same buttons
            log.debug("sent_ledger.markup_kept", error=exc.message)
    message = Message(
        message_id=earlier.message_id,
        date=datetime.fromtimestamp(earlier.sent_at, UTC),
        chat=Chat(id=earlier.chat_id, type=earlier.chat_type),
        text=method.text,
        reply_markup=markup,
    )
    return message.as_(bot)
