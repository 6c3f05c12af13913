"""An aiogram Dispatcher polling the fake server end to end, plus the phone page route."""

from __future__ import annotations

import asyncio

import httpx
from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import CommandStart
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from wzt_bot.sandbox import FakeTelegram, SandboxClient
from wzt_bot.sandbox.client import History

USER = 2002


def build_router() -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(
            "Welkom! Zullen we beginnen?",
            reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="Ja", callback_data="go")]]
            ),
        )

    @router.callback_query(F.data == "go")
    async def go(query: CallbackQuery) -> None:
        await query.answer("Top")
        if isinstance(query.message, Message):
            await query.message.edit_text("We zijn gestart.")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Je zei: {message.text}")

    return router


async def test_dispatcher_polling_end_to_end(bot: Bot, sandbox: SandboxClient) -> None:
    dp = Dispatcher()
    dp.include_router(build_router())
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, polling_timeout=1, close_bot_session=False)
    )
    try:
        await sandbox.send_text(USER, "/start", first_name="Lina", language_code="ar")
        history = await sandbox.wait_for(USER, 1, timeout=5)
        assert history["messages"][-1]["text"] == "Welkom! Zullen we beginnen?"

        await sandbox.press(USER, "Ja")

        def started(h: History) -> bool:
            return bool(h["messages"][1]["text"] == "We zijn gestart.")

        history = await sandbox.wait_for(USER, started, timeout=5)
        assert history["messages"][1]["edited"] is True
        assert history["messages"][1]["reply_markup"] is None
        assert history["toast"]["text"] == "Top"
        assert await sandbox.unanswered_callbacks() == 0

        await sandbox.send_text(USER, "hallo")
        history = await sandbox.wait_for(USER, 2, timeout=5)
        assert history["messages"][-1]["text"] == "Je zei: hallo"
    finally:
        await dp.stop_polling()
        await polling


async def test_phone_page_is_self_contained(fake_telegram: FakeTelegram) -> None:
    async with httpx.AsyncClient(base_url=fake_telegram.base_url) as http:
        response = await http.get("/phone")
        root = await http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for hook in (
        'data-testid="input"',
        'data-testid="send"',
        "inline-button",
        "reply-button",
        'dir: "auto"',
        "Verstuur",
    ):
        assert hook in page
    assert "innerHTML" not in page
    assert "http://" not in page
    assert "https://" not in page
    assert root.status_code == 307
    assert root.headers["location"] == "/phone"
