"""The participant phone page in Debian's chromium, driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from playwright.async_api import async_playwright, expect
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium

from wzt_bot.sandbox import FakeTelegram, SandboxClient

USER = 1001


@pytest.mark.browser
async def test_phone_page_chat_flow(
    fake_telegram: FakeTelegram, bot: Bot, sandbox: SandboxClient, tmp_path: Path
) -> None:
    require_chromium()
    await sandbox.create_user(USER, first_name="Sam")
    await bot.send_message(
        USER,
        "Welkom <b>Sam</b>! Ben je klaar? &lt;img src=x onerror=alert(1)&gt;",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Ja, start", callback_data="start:yes")]]
        ),
    )
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            await page.goto(f"{fake_telegram.base_url}/phone?user={USER}&name=Sam&lang=nl")

            bot_bubble = page.locator('[data-testid="bubble"][data-from="bot"]')
            await expect(bot_bubble).to_contain_text("Welkom Sam! Ben je klaar?")
            await expect(bot_bubble.locator("b")).to_have_text("Sam")
            # text is never interpreted as HTML
            await expect(bot_bubble).to_contain_text("<img src=x onerror=alert(1)>")
            assert await page.locator("#log img").count() == 0

            button = page.get_by_test_id("inline-button").filter(has_text="Ja, start")
            await expect(button).to_be_visible()
            await button.click()
            updates = await bot.get_updates(timeout=5)
            queries = [u.callback_query for u in updates if u.callback_query]
            assert [q.data for q in queries] == ["start:yes"]
            assert await bot.answer_callback_query(queries[0].id, text="Gestart")
            await expect(page.get_by_test_id("toast")).to_contain_text("Gestart")

            await page.get_by_test_id("input").fill("Hallo bot")
            await page.get_by_test_id("send").click()
            user_bubble = page.locator('[data-testid="bubble"][data-from="user"]')
            await expect(user_bubble).to_contain_text("Hallo bot")
            messages = (await sandbox.history(USER))["messages"]
            assert messages[-1]["from"] == "user"
            assert messages[-1]["text"] == "Hallo bot"

            # a reply keyboard and right-to-left text
            await bot.send_message(
                USER,
                "مرحبا، كيف حالك؟",
                reply_markup=ReplyKeyboardMarkup(
                    keyboard=[[KeyboardButton(text="Goed"), KeyboardButton(text="Slecht")]],
                    is_persistent=True,
                    resize_keyboard=True,
                ),
            )
            reply_buttons = page.get_by_test_id("reply-button")
            await expect(reply_buttons).to_have_count(2)
            arabic = bot_bubble.filter(has_text="مرحبا")
            await expect(arabic).to_be_visible()
            assert await arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
            await reply_buttons.filter(has_text="Goed").click()
            await expect(user_bubble.last).to_contain_text("Goed")

            await page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
            assert (tmp_path / "phone.png").stat().st_size > 1000
        finally:
            await browser.close()
