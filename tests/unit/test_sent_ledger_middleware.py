"""The sent ledger's request middleware: first time sends and records, again does not repeat."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, SendMessage
from aiogram.methods.base import TelegramMethod
from aiogram.types import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message

from wzt_bot.bot.sent_ledger import (
    LEDGER_ERRORS,
    NOT_REPEATED,
    SCOPE,
    SentLedgerMiddleware,
    scope_for,
)
from wzt_bot.db.sent_ledger import SqliteSentLedger
from wzt_bot.domain.ports import SentAnswer

CHAT = 4242


class RecordingBot(Bot):
    """Direct calls (the middleware's own editMessageReplyMarkup) are recorded, not sent."""

    def __init__(self) -> None:
        super().__init__(token="123456:TEST-token")
        self.direct: list[TelegramMethod[Any]] = []

    async def __call__(
        self, method: TelegramMethod[Any], request_timeout: int | None = None
    ) -> Any:
        self.direct.append(method)
        return True


class FakeTelegram:
    """The next request middleware: what Telegram would answer."""

    def __init__(self) -> None:
        self.sent: list[TelegramMethod[Any]] = []
        self.next_id = 100
        self.fail_callback = False

    async def __call__(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        self.sent.append(method)
        if isinstance(method, SendMessage):
            self.next_id += 1
            return Message(
                message_id=self.next_id,
                date=datetime(2026, 12, 5, 9, 0, tzinfo=UTC),
                chat=Chat(id=int(method.chat_id), type="private"),
                text=method.text,
            )
        if isinstance(method, AnswerCallbackQuery) and self.fail_callback:
            raise TelegramBadRequest(method=method, message="Bad Request: query is too old")
        return True


def markup(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Nederlands", callback_data=data)]]
    )


@pytest.fixture
async def ledger() -> Any:
    store = SqliteSentLedger(":memory:", "unit-secret")
    yield store
    await store.close()


async def run(
    ledger: SqliteSentLedger,
    telegram: FakeTelegram,
    bot: RecordingBot,
    methods: list[TelegramMethod[Any]],
    *,
    again: bool,
    update_id: int = 1,
    fingerprint: str = "4242:7:1700000000",
) -> list[Any]:
    middleware = SentLedgerMiddleware()
    token = SCOPE.set(await scope_for(ledger, update_id, fingerprint, again=again))
    try:
        return [await middleware(telegram, bot, m) for m in methods]
    finally:
        SCOPE.reset(token)


async def test_outside_an_update_everything_passes_and_nothing_is_recorded(
    ledger: SqliteSentLedger,
) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    result = await SentLedgerMiddleware()(telegram, bot, SendMessage(chat_id=CHAT, text="Hallo"))
    assert isinstance(result, Message)
    assert len(telegram.sent) == 1
    assert await ledger.answers(1) == []


async def test_first_handling_sends_and_records_in_order(ledger: SqliteSentLedger) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    texts = ["Dag!", "Kies je taal."]
    await run(
        ledger, telegram, bot, [SendMessage(chat_id=CHAT, text=t) for t in texts], again=False
    )
    assert [m.text for m in telegram.sent if isinstance(m, SendMessage)] == texts
    answers = await ledger.answers(1)
    assert [(a.seq, a.chat_id, a.message_id, a.chat_type) for a in answers] == [
        (0, CHAT, 101, "private"),
        (1, CHAT, 102, "private"),
    ]
    assert all(a.method == "sendMessage" for a in answers)


async def test_again_the_same_answers_are_not_sent_and_the_handler_gets_the_old_message(
    ledger: SqliteSentLedger,
) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    first = [SendMessage(chat_id=CHAT, text="Dag!"), SendMessage(chat_id=CHAT, text="Kies.")]
    await run(ledger, telegram, bot, first, again=False)
    before = NOT_REPEATED._value.get()
    results = await run(ledger, telegram, bot, first, again=True)
    assert len(telegram.sent) == 2  # nothing new reached Telegram
    assert NOT_REPEATED._value.get() == before + 2
    assert [r.message_id for r in results] == [101, 102]
    assert results[0].chat.id == CHAT and results[0].text == "Dag!"


async def test_again_new_buttons_are_put_on_the_message_telegram_has(
    ledger: SqliteSentLedger,
) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    await run(
        ledger,
        telegram,
        bot,
        [SendMessage(chat_id=CHAT, text="Taal?", reply_markup=markup("a"))],
        again=False,
    )
    again = [SendMessage(chat_id=CHAT, text="Taal?", reply_markup=markup("b"))]
    results = await run(ledger, telegram, bot, again, again=True)
    assert len(telegram.sent) == 1
    (edit,) = bot.direct
    assert isinstance(edit, EditMessageReplyMarkup)
    assert (edit.chat_id, edit.message_id) == (CHAT, 101)
    assert edit.reply_markup == markup("b")
    assert results[0].reply_markup == markup("b")


async def test_again_a_different_answer_is_sent_and_what_follows_too(
    ledger: SqliteSentLedger,
) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    await run(ledger, telegram, bot, [SendMessage(chat_id=CHAT, text="A")], again=False)
    await run(
        ledger,
        telegram,
        bot,
        [SendMessage(chat_id=CHAT, text="B"), SendMessage(chat_id=CHAT, text="C")],
        again=True,
    )
    assert [m.text for m in telegram.sent if isinstance(m, SendMessage)] == ["A", "B", "C"]


async def test_again_another_update_with_the_same_id_gets_its_answer(
    ledger: SqliteSentLedger,
) -> None:
    """The fingerprint is in the digest: a database emptied and update ids reused."""
    telegram, bot = FakeTelegram(), RecordingBot()
    send = [SendMessage(chat_id=CHAT, text="Dag!")]
    await run(ledger, telegram, bot, send, again=False, fingerprint="4242:7:1")
    await run(ledger, telegram, bot, send, again=True, fingerprint="4242:9:2")
    assert len(telegram.sent) == 2


async def test_again_an_answer_to_another_chat_is_sent(ledger: SqliteSentLedger) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    await run(ledger, telegram, bot, [SendMessage(chat_id=CHAT, text="Dag!")], again=False)
    await run(ledger, telegram, bot, [SendMessage(chat_id=CHAT + 1, text="Dag!")], again=True)
    assert len(telegram.sent) == 2


async def test_a_late_callback_answer_is_let_go_only_when_handled_again(
    ledger: SqliteSentLedger,
) -> None:
    telegram, bot = FakeTelegram(), RecordingBot()
    telegram.fail_callback = True
    press = [AnswerCallbackQuery(callback_query_id="q1")]
    assert await run(ledger, telegram, bot, press, again=True) == [True]
    with pytest.raises(TelegramBadRequest):
        await run(ledger, telegram, bot, press, again=False)


class BrokenLedger(SqliteSentLedger):
    async def record(self, answer: SentAnswer) -> None:
        raise OSError("disk full")

    async def answers(self, update_id: int) -> list[SentAnswer]:
        raise OSError("disk gone")


async def test_a_broken_ledger_never_stops_an_answer() -> None:
    """At least once: the participant is answered; the operator sees a counter and a log."""
    broken = BrokenLedger(":memory:", "unit-secret")
    telegram, bot = FakeTelegram(), RecordingBot()
    errors = LEDGER_ERRORS._value.get()
    await run(broken, telegram, bot, [SendMessage(chat_id=CHAT, text="Dag!")], again=False)
    await run(broken, telegram, bot, [SendMessage(chat_id=CHAT, text="Dag!")], again=True)
    assert len(telegram.sent) == 2
    assert LEDGER_ERRORS._value.get() == errors + 3  # two records, one read
    await broken.close()
