"""Bot API calls as JSON (bot/session.py): the same parameters aiogram's form would send."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetUpdates,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MessageEntity,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from wzt_bot.bot.session import JsonAiohttpSession, json_body
from wzt_bot.bot.texts import main_menu
from wzt_bot.i18n import I18n

TOKEN = "42:TEST"


def form_params(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
    """What aiogram's own form would send, with its JSON-encoded fields decoded."""
    session = bot.session
    assert isinstance(session, JsonAiohttpSession)
    form = session.build_form_data(bot, method)
    out: dict[str, Any] = {}
    for options, _headers, value in form._fields:
        out[options["name"]] = value
    return out


def as_form(value: Any) -> Any:
    """A JSON value as the form writes it at the top level."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def assert_same(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
    body = json_body(bot, method)
    assert body is not None, "this call should go as JSON"
    sent = json.loads(body)
    form = form_params(bot, method)
    assert set(sent) == set(form)
    for name, value in sent.items():
        if isinstance(value, dict | list):
            assert value == json.loads(form[name]), name
        else:
            assert as_form(value) == form[name], name
    return dict(sent)


@pytest.fixture
def bot() -> Bot:
    return Bot(TOKEN, session=JsonAiohttpSession(), default=DefaultBotProperties(parse_mode=None))


def test_an_answer_with_the_main_menu_is_the_same_call(bot: Bot) -> None:
    t = I18n(default_locale="nl").get("ar")
    sent = assert_same(
        bot, SendMessage(chat_id=7, text="مرحبا \u200e112\u200e", reply_markup=main_menu(t))
    )
    assert sent["chat_id"] == 7
    assert sent["reply_markup"]["keyboard"][0][0]["text"]
    assert "parse_mode" not in sent  # the bot's default is None: not sent, as in the form


def test_inline_buttons_entities_and_other_calls(bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Ja 👍", callback_data="c:yes")]]
    )
    assert_same(
        bot,
        SendMessage(
            chat_id=-100123,
            text="Hallo",
            entities=[MessageEntity(type="bold", offset=0, length=5)],
            reply_markup=keyboard,
            disable_notification=False,
        ),
    )
    assert_same(bot, EditMessageText(chat_id=1, message_id=2, text="x", reply_markup=keyboard))
    assert_same(bot, AnswerCallbackQuery(callback_query_id="abc", text="Oké", show_alert=True))
    assert_same(bot, GetUpdates(offset=0, timeout=30, allowed_updates=["message"]))
    assert_same(bot, SetMyCommands(commands=[BotCommand(command="menu", description="Menu")]))
    assert_same(bot, SendMessage(chat_id=1, text="x", reply_markup=ReplyKeyboardRemove()))


def test_the_bots_defaults_are_filled_in_as_aiogram_does() -> None:
    bot = Bot(
        TOKEN,
        session=JsonAiohttpSession(),
        default=DefaultBotProperties(parse_mode="HTML", protect_content=True),
    )
    sent = assert_same(bot, SendMessage(chat_id=1, text="<b>hoi</b>"))
    assert sent["parse_mode"] == "HTML"
    assert sent["protect_content"] is True


def test_what_json_cannot_say_goes_as_a_form(bot: Bot) -> None:
    # A default inside an object, a file, a method outside the list: aiogram's form path.
    with_nested_default = SendMessage(
        chat_id=1, text="x", reply_parameters=ReplyParameters(message_id=3)
    )
    assert json_body(bot, with_nested_default) is None
    preview = SendMessage(chat_id=1, text="x", link_preview_options=LinkPreviewOptions())
    assert json_body(bot, preview) is None
    assert json_body(bot, SendPhoto(chat_id=1, photo="file-id")) is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=300), chat_id=st.integers(-(10**13), 10**13))
def test_any_text_is_sent_exactly_as_the_form_would(text: str, chat_id: int) -> None:
    bot = Bot(TOKEN, session=JsonAiohttpSession())
    sent = assert_same(bot, SendMessage(chat_id=chat_id, text=text))
    assert sent["text"] == text
