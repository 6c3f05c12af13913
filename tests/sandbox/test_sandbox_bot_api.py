"""The fake Bot API driven by a real aiogram 3 Bot over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MenuButtonCommands,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiohttp import web

from wzt_bot.sandbox import FakeTelegram, SandboxClient

USER = 1001


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in buttons]
    )


async def test_get_me_and_wrong_token(bot: Bot, bot_factory: Callable[[str], Bot]) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "wzt_sandbox_bot"
    with pytest.raises(TelegramUnauthorizedError):
        await bot_factory("999:WRONG").get_me()


async def test_raw_http_shapes(fake_telegram: FakeTelegram) -> None:
    base = f"{fake_telegram.base_url}/bot{fake_telegram.bot_token}"
    async with httpx.AsyncClient() as http:
        unknown = await http.post(f"{base}/sendCarrierPigeon", json={})
        assert unknown.status_code == 404
        assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        # method names are case-insensitive; GET with a query string works
        me = await http.get(f"{base}/GETME")
        assert me.json()["ok"] is True
        assert me.json()["result"]["username"] == "wzt_sandbox_bot"
        # urlencoded form body
        fake_telegram.create_user(USER)
        sent = await http.post(f"{base}/sendMessage", data={"chat_id": str(USER), "text": "hoi"})
        assert sent.json()["result"]["text"] == "hoi"
        bad = await http.post(f"{base}/sendMessage", json={"chat_id": USER, "text": ""})
        assert bad.status_code == 400
        assert bad.json() == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: message text is empty",
        }
        unauthorized = await http.get(f"{fake_telegram.base_url}/bot1:nope/getMe")
        assert unauthorized.status_code == 401
        assert unauthorized.json()["description"] == "Unauthorized"


async def test_send_message_with_inline_keyboard(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER, first_name="Sam")
    msg = await bot.send_message(
        USER,
        "Hallo <b>Sam</b>, klaar &amp; gezond?",
        parse_mode="HTML",
        reply_markup=keyboard(("Ja", "ready:yes"), ("Nee", "ready:no")),
    )
    assert msg.text == "Hallo Sam, klaar & gezond?"
    assert msg.entities is not None
    assert msg.entities[0].type == "bold"
    assert (msg.entities[0].offset, msg.entities[0].length) == (6, 3)
    assert msg.chat.id == USER
    assert msg.reply_markup is not None
    history = await sandbox.history(USER)
    [entry] = history["messages"]
    assert entry["from"] == "bot"
    assert entry["text"] == "Hallo Sam, klaar & gezond?"
    assert entry["parse_mode"] == "HTML"
    assert entry["reply_markup"]["inline_keyboard"][1][0]["callback_data"] == "ready:no"
    assert history["version"] >= 1


async def test_bad_requests_change_nothing(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    cases: list[tuple[dict[str, object], str]] = [
        ({"text": "x" * 4097}, "message is too long"),
        ({"text": "\U0001f600" * 2049}, "message is too long"),  # 4098 UTF-16 units
        ({"text": "   "}, "message text is empty"),
        ({"text": "regel<br>regel", "parse_mode": "HTML"}, "can't parse entities"),
        ({"text": "<b>open", "parse_mode": "HTML"}, "can't parse entities"),
        ({"text": "Prijs: 5.00", "parse_mode": "MarkdownV2"}, "is reserved"),
        ({"text": "x", "parse_mode": "XML"}, "unsupported parse_mode"),
        (
            {"text": "x", "reply_markup": keyboard(("Te lang", "d" * 65))},
            "BUTTON_DATA_INVALID",
        ),
        (
            {"text": "x", "reply_markup": keyboard(("Accenten", "é" * 33))},  # 66 bytes
            "BUTTON_DATA_INVALID",
        ),
    ]
    for kwargs, expected in cases:
        with pytest.raises(TelegramBadRequest) as info:
            await bot.send_message(USER, **kwargs)  # type: ignore[arg-type]
        assert expected in info.value.message, kwargs
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(4242, "niemand")
    assert (await sandbox.history(USER))["messages"] == []
    # the limits themselves are accepted
    await bot.send_message(USER, "x" * 4096)
    await bot.send_message(USER, "x", reply_markup=keyboard(("Net", "d" * 64)))
    assert len((await sandbox.history(USER))["messages"]) == 2


async def test_edit_delete_and_not_modified(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    msg = await bot.send_message(USER, "Vraag 1", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text(
        text="Vraag 1 (beantwoord)", chat_id=USER, message_id=msg.message_id
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Vraag 1 (beantwoord)"
    assert edited.reply_markup is None  # editing text without markup drops the keyboard
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="Vraag 1 (beantwoord)", chat_id=USER, message_id=msg.message_id
        )
    await bot.edit_message_reply_markup(
        chat_id=USER, message_id=msg.message_id, reply_markup=keyboard(("B", "b"))
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=USER, message_id=msg.message_id, reply_markup=keyboard(("B", "b"))
        )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="?", chat_id=USER, message_id=999)
    assert await bot.delete_message(USER, msg.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, msg.message_id)
    [entry] = (await sandbox.history(USER))["messages"]
    assert entry["edited"] is True
    assert entry["deleted"] is True
    assert entry["reply_markup"]["inline_keyboard"][0][0]["text"] == "B"


async def test_callback_query_via_get_updates(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.send_text(USER, "/start", first_name="Sam")
    [start] = await bot.get_updates(timeout=1)
    assert start.message is not None
    assert start.message.text == "/start"
    assert start.message.entities is not None
    assert start.message.entities[0].type == "bot_command"
    assert start.message.from_user is not None
    assert start.message.from_user.language_code == "nl"
    sent = await bot.send_message(USER, "Klaar?", reply_markup=keyboard(("Ja", "ready:yes")))
    pressed = await sandbox.press(USER, "Ja")
    assert pressed["kind"] == "callback"
    [update] = await bot.get_updates(offset=start.update_id + 1, timeout=1)
    query = update.callback_query
    assert query is not None
    assert query.data == "ready:yes"
    assert query.id == pressed["callback_query_id"]
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert await sandbox.unanswered_callbacks() == 1
    assert await bot.answer_callback_query(query.id, text="Top!")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    [answer] = await sandbox.callback_answers()
    assert answer["answered"] is True
    assert answer["text"] == "Top!"
    assert await sandbox.unanswered_callbacks() == 0
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("123")
    # confirmed by offset: nothing left
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == []


async def test_get_updates_long_polls(bot: Bot, sandbox: SandboxClient) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    await sandbox.send_text(USER, "hallo")
    updates = await poll
    assert time.monotonic() - started < 2.0
    assert [u.message.text for u in updates if u.message] == ["hallo"]
    # an empty long poll waits for its timeout
    started = time.monotonic()
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_second_poller_terminates_the_first(fake_telegram: FakeTelegram) -> None:
    url = f"{fake_telegram.base_url}/bot{fake_telegram.bot_token}/getUpdates"
    async with httpx.AsyncClient(timeout=10) as http:
        first = asyncio.create_task(http.post(url, json={"timeout": 5}))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(http.post(url, json={"timeout": 0}))
        first_response, second_response = await asyncio.gather(first, second)
    assert first_response.status_code == 409
    assert "terminated by other getUpdates request" in first_response.json()["description"]
    assert second_response.json() == {"ok": True, "result": []}


async def test_user_message_kinds_and_edits(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.send_kind(USER, "sticker")
    await sandbox.send_kind(USER, "photo", caption="mijn attest")
    await sandbox.send_kind(USER, "voice")
    sent = await sandbox.send_text(USER, "typfout")
    await sandbox.edit_text(USER, sent["message_id"], "verbeterd")
    updates = await bot.get_updates(timeout=1)
    assert updates[0].message is not None
    assert updates[0].message.sticker is not None
    assert updates[1].message is not None
    assert updates[1].message.photo is not None
    assert updates[1].message.caption == "mijn attest"
    assert updates[2].message is not None
    assert updates[2].message.voice is not None
    assert updates[4].edited_message is not None
    assert updates[4].edited_message.text == "verbeterd"
    kinds = [m["kind"] for m in (await sandbox.history(USER))["messages"]]
    assert kinds == ["sticker", "photo", "voice", "text"]


async def test_blocked_user(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    await sandbox.block(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "Herinnering")
    [update] = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    await sandbox.unblock(USER)
    await bot.send_message(USER, "Welkom terug")


async def test_flood_limits(fake_telegram: FakeTelegram, bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(1)
    await sandbox.create_user(2)
    await sandbox.limits(
        enforce_rates=True, chat_rate=0.5, chat_burst=3, global_rate=100.0, global_burst=100
    )
    for i in range(3):
        await bot.send_message(1, f"bericht {i}")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(1, "één te veel")
    assert info.value.retry_after == 2  # 1 token at 0.5/s
    assert len((await sandbox.history(1))["messages"]) == 3
    # the global bucket spans all chats
    await sandbox.limits(global_rate=1.0, global_burst=1)
    await asyncio.sleep(1.05)  # refill one global token
    await bot.send_message(2, "ok")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(2, "te snel")
    assert info.value.retry_after >= 1
    stats = await sandbox.stats()
    assert stats["rate_limited"] == 2, stats["rate_limit_events"]
    assert [e["scope"] for e in stats["rate_limit_events"]] == ["chat", "global"]
    assert stats["calls"]["sendMessage"] == 6
    limited = [r for r in await sandbox.requests("sendMessage") if r["status_code"] == 429]
    assert len(limited) == 2
    assert limited[0]["description"] == "Too Many Requests: retry after 2"


async def test_fail_next_injection(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    await sandbox.fail_next("sendMessage", 500)
    with pytest.raises(TelegramServerError):
        await bot.send_message(USER, "eerste poging")
    await bot.send_message(USER, "tweede poging")
    await sandbox.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(USER, "x")
    assert info.value.retry_after == 7
    await sandbox.fail_next("getMe", 404, count=2)
    for _ in range(2):
        with pytest.raises(TelegramNotFound):
            await bot.get_me()
    await bot.get_me()
    texts = [m["text"] for m in (await sandbox.history(USER))["messages"]]
    assert texts == ["tweede poging"]
    assert (await sandbox.stats())["server_errors"] == 1


async def test_photo_and_document_uploads(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    photo = await bot.send_photo(
        USER, BufferedInputFile(b"\xff\xd8fakejpeg", filename="kaart.jpg"), caption="Je kaart"
    )
    assert photo.photo is not None
    assert photo.caption == "Je kaart"
    doc = await bot.send_document(USER, BufferedInputFile(b"%PDF-1.4 demo", filename="attest.pdf"))
    assert doc.document is not None
    assert doc.document.file_name == "attest.pdf"
    assert doc.document.file_size == 13
    # a known file_id can be sent again
    again = await bot.send_document(USER, doc.document.file_id)
    assert again.document is not None
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(USER, photo.photo[-1].file_id, caption="c" * 1025)
    messages = (await sandbox.history(USER))["messages"]
    assert [m["kind"] for m in messages] == ["photo", "document", "document"]
    assert messages[1]["media"]["file_name"] == "attest.pdf"
    logged = (await sandbox.requests("sendDocument"))[0]["params"]
    assert any(v == {"filename": "attest.pdf", "size": 13} for v in logged.values())


async def test_reply_keyboard_and_press(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    await bot.send_message(
        USER,
        "Hoe gaat het?",
        reply_markup=ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Goed"), KeyboardButton(text="Slecht")]],
            is_persistent=True,
            resize_keyboard=True,
        ),
    )
    history = await sandbox.history(USER)
    assert history["reply_keyboard"]["is_persistent"] is True
    pressed = await sandbox.press(USER, "Goed")
    assert pressed["kind"] == "text"
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None
    assert update.message.text == "Goed"
    await bot.send_message(USER, "Bedankt", reply_markup=ReplyKeyboardRemove())
    assert (await sandbox.history(USER))["reply_keyboard"] is None
    with pytest.raises(Exception, match="404"):
        await sandbox.press(USER, "Goed")


async def test_commands_menu_and_chat_action(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    commands = [
        BotCommand(command="start", description="Begin"),
        BotCommand(command="help", description="Hulp"),
    ]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands(
        [BotCommand(command="start", description="Commencer")], language_code="fr"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert [c.description for c in await bot.get_my_commands(language_code="fr")] == ["Commencer"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start Nu", description="x")])
    assert await bot.delete_my_commands(language_code="fr")
    assert await bot.get_my_commands(language_code="fr") == []
    assert await bot.set_chat_menu_button(chat_id=USER, menu_button=MenuButtonCommands())
    assert await bot.send_chat_action(USER, "typing")
    assert (await sandbox.history(USER))["chat_action"]["action"] == "typing"
    assert await bot.close()


async def test_webhook_delivery_with_secret_and_retry(
    bot: Bot, sandbox: SandboxClient, fake_telegram: FakeTelegram
) -> None:
    received: list[tuple[dict[str, object], str | None]] = []
    statuses = iter([500])  # the first delivery fails, later ones succeed

    async def handler(request: web.Request) -> web.Response:
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response(status=next(statuses, 200), text="{}")

    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="geheim-42")
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        sent = await sandbox.send_text(USER, "via webhook")
        for _ in range(100):
            if len(received) >= 2:
                break
            await asyncio.sleep(0.02)
        assert len(received) == 2
        assert all(secret == "geheim-42" for _, secret in received)
        assert received[1][0]["update_id"] == sent["update_id"]
        deliveries = await sandbox.webhook_deliveries()
        assert [(d["attempt"], d["status"]) for d in deliveries] == [(1, 500), (2, 200)]
        assert await bot.delete_webhook()
        await sandbox.send_text(USER, "weer polling")
        [update] = await bot.get_updates(timeout=1)
        assert update.message is not None
        assert update.message.text == "weer polling"
    finally:
        await runner.cleanup()


async def test_webhook_reply_method_is_executed(bot: Bot, sandbox: SandboxClient) -> None:
    async def handler(request: web.Request) -> web.Response:
        update = await request.json()
        chat_id = update["message"]["chat"]["id"]
        return web.json_response({"method": "sendMessage", "chat_id": chat_id, "text": "echo"})

    app = web.Application()
    app.router.add_post("/hook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        await sandbox.send_text(USER, "hallo")
        history = await sandbox.wait_for(USER, 1, timeout=5)
        assert history["messages"][-1]["text"] == "echo"
    finally:
        await runner.cleanup()


async def test_control_api_errors_and_reset(
    fake_telegram: FakeTelegram, sandbox: SandboxClient, bot: Bot
) -> None:
    async with httpx.AsyncClient(base_url=fake_telegram.base_url) as http:
        missing = await http.post("/control/press", json={"user_id": USER, "text": "Ja"})
        assert missing.status_code == 404
        assert "detail" in missing.json()
        await sandbox.create_user(USER)
        msg = await bot.send_message(USER, "x", reply_markup=keyboard(("Ja", "yes")))
        wrong = await http.post(
            "/control/callbacks", json={"user_id": USER, "message_id": msg.message_id, "data": "no"}
        )
        assert wrong.status_code == 400
        bad_kind = await http.post("/control/messages", json={"user_id": USER, "kind": "gif"})
        assert bad_kind.status_code == 400
        ok = await http.post(
            "/control/callbacks",
            json={"user_id": USER, "message_id": msg.message_id, "data": "yes"},
        )
        assert set(ok.json()) == {"update_id", "callback_query_id"}
        assert (await http.get("/control/unanswered_callbacks")).json() == {"count": 1}
    await sandbox.reset()
    assert (await sandbox.history(USER))["messages"] == []
    assert await sandbox.requests() == []
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(USER, "na reset")


async def test_wait_for_reports_transcript(sandbox: SandboxClient, bot: Bot) -> None:
    await sandbox.create_user(USER)
    waiter = asyncio.create_task(sandbox.wait_for(USER, 2, timeout=3))
    await bot.send_message(USER, "een")
    await asyncio.sleep(0.05)
    await bot.send_message(USER, "twee", reply_markup=keyboard(("OK", "ok")))
    history = await waiter
    assert [m["text"] for m in history["messages"]] == ["een", "twee"]
    with pytest.raises(AssertionError) as info:
        await sandbox.wait_for(USER, lambda h: len(h["messages"]) > 5, timeout=0.3)
    assert "#2 bot: twee  [OK]" in str(info.value)


async def test_allowed_updates_and_negative_offset(bot: Bot, sandbox: SandboxClient) -> None:
    await sandbox.create_user(USER)
    await sandbox.block(USER)  # my_chat_member update
    await sandbox.send_text(USER, "een")
    await sandbox.send_text(USER, "twee")
    # only the last update, earlier ones are forgotten
    [last] = await bot.get_updates(offset=-1, timeout=0)
    assert last.message is not None
    assert last.message.text == "twee"
    assert len(await sandbox.pending_updates()) == 1
    await sandbox.unblock(USER)
    await sandbox.send_text(USER, "drie")
    updates = await bot.get_updates(
        offset=last.update_id + 1, timeout=0, allowed_updates=["message"]
    )
    assert [u.message.text for u in updates if u.message] == ["drie"]
    assert all(u.my_chat_member is None for u in updates)
