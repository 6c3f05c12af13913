"""Fixtures: a running fake Telegram server, its control client and a real aiogram Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from wzt_bot.sandbox import FakeTelegram, SandboxClient

TOKEN = "123456:SANDBOX"


def make_bot(base_url: str, token: str = TOKEN) -> Bot:
    """A real aiogram Bot talking to the fake server."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(base_url))
    return Bot(token, session=session)


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A started server; flood limits off (tests of rates switch them on)."""
    fake = FakeTelegram(bot_token=TOKEN, enforce_rates=False, webhook_retry_base=0.05)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def sandbox(fake_telegram: FakeTelegram) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(fake_telegram.base_url) as client:
        yield client


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    tg_bot = make_bot(fake_telegram.base_url)
    try:
        yield tg_bot
    finally:
        await tg_bot.session.close()


@pytest.fixture
async def bot_factory(fake_telegram: FakeTelegram) -> AsyncIterator[Callable[[str], Bot]]:
    """Make extra bots (e.g. with a wrong token); their sessions are closed afterwards."""
    made: list[Bot] = []

    def factory(token: str = TOKEN) -> Bot:
        tg_bot = make_bot(fake_telegram.base_url, token)
        made.append(tg_bot)
        return tg_bot

    try:
        yield factory
    finally:
        for tg_bot in made:
            await tg_bot.session.close()
