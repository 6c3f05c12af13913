"""Webhook mode over real HTTP: the sandbox Telegram posts updates to our FastAPI endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.conftest import free_port
from tests.e2e.conftest import Harness, eventually, running_bot
from wzt_bot.bot.webhook import WEBHOOK_PATH
from wzt_bot.db.tables import TelegramUpdateRow

SECRET = "webhook-secret-0123456789abcdef"


@pytest.fixture
async def webhook_harness(
    database_url: str, fast_fake: dict[str, Any]
) -> AsyncIterator[tuple[Harness, str]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with running_bot(
        database_url,
        fake_kwargs=fast_fake,
        webhook_url=url,
        webhook_secret=SECRET,
        api_port=port,
    ) as h:
        await eventually(_webhook_is_set(h))
        yield h, url + WEBHOOK_PATH


def _webhook_is_set(h: Harness) -> Any:
    async def check() -> None:
        stats = await h.sandbox.stats()
        assert stats["webhook_url"], "webhook not registered yet"

    return check


def _update(update_id: int, user: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": user, "type": "private", "first_name": "Sam"},
            "from": {"id": user, "is_bot": False, "first_name": "Sam", "language_code": "nl"},
            "text": text,
        },
    }


async def test_updates_arrive_by_webhook_and_are_answered(
    webhook_harness: tuple[Harness, str],
) -> None:
    h, _ = webhook_harness
    await h.sandbox.send_text(4001, "/start")
    await h.wait_text(4001, "Die krijg je van je begeleider.")
    deliveries = await h.sandbox.webhook_deliveries()
    assert deliveries and all(d["status"] == 200 for d in deliveries)


async def test_wrong_or_missing_secret_is_refused(webhook_harness: tuple[Harness, str]) -> None:
    _, endpoint = webhook_harness
    async with httpx.AsyncClient() as client:
        missing = await client.post(endpoint, json=_update(9_000_001, 4002, "/start"))
        wrong = await client.post(
            endpoint,
            json=_update(9_000_002, 4002, "/start"),
            headers={"X-Telegram-Bot-Api-Secret-Token": "not-the-secret"},
        )
        garbage = await client.post(
            endpoint,
            content=b"[1,2",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert missing.status_code == 401 and wrong.status_code == 401
    assert garbage.status_code == 400


async def test_a_repeated_update_is_handled_once(webhook_harness: tuple[Harness, str]) -> None:
    h, endpoint = webhook_harness
    h.fake.create_user(4003, first_name="Sam", language_code="nl")
    update = _update(9_100_000, 4003, "/start")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient() as client:
        first = await client.post(endpoint, json=update, headers=headers)
        assert first.status_code == 200
        # 200 means stored: the row is there already.
        async with h.container.uow_factory() as uow:
            count = await uow.session.scalar(  # type: ignore[attr-defined]
                select(func.count()).where(TelegramUpdateRow.update_id == 9_100_000)
            )
        assert count == 1
        for _ in range(3):
            again = await client.post(endpoint, json=update, headers=headers)
            assert again.status_code == 200
    await h.wait_text(4003, "Die krijg je van je begeleider.")

    async def answered_once() -> None:
        sent = [
            r
            for r in await h.sandbox.requests("sendMessage")
            if str(r["params"]["chat_id"]) == "4003"
        ]
        assert len(sent) == 1

    await eventually(answered_once)


async def test_an_update_that_cannot_be_handled_is_kept_failed_not_retried(
    webhook_harness: tuple[Harness, str],
) -> None:
    h, endpoint = webhook_harness
    broken = {"update_id": 9_200_000, "message": {"text": "no chat, no date"}}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            endpoint, json=broken, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
    assert response.status_code == 200  # stored: Telegram must not resend it forever

    async def failed() -> None:
        async with h.container.uow_factory() as uow:
            row = await uow.session.get(TelegramUpdateRow, 9_200_000)  # type: ignore[attr-defined]
        assert row is not None and row.status == "failed" and row.payload_ct is not None

    await eventually(failed)
    assert h.container.pipeline is not None
    assert await h.container.pipeline.recover() == 0
