"""Telegram's limits over the wire: the bot keeps to them, honours 429 (also a storm of
them), retries 5xx and timeouts."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.e2e.conftest import FAST_FAKE, eventually, onboard, running_bot

#: Free text at the menu is offered to the team (issue 16): the answer to every "hallo".
FALLBACK = "Wil je dit naar je team sturen?"


def _count(history: dict[str, Any], needle: str) -> int:
    bot = [m for m in history["messages"] if m["from"] == "bot"]
    return sum(needle in str(m.get("text") or "") for m in bot)


async def test_default_limiter_stays_under_telegram_limits(database_url: str) -> None:
    """Realistic fake limits (1 msg/s per chat, burst 5) and the bot's default settings:
    a burst of messages is answered completely, and Telegram never has to say 429."""
    async with running_bot(
        database_url,
        fake_kwargs={"chat_rate": 1.0, "chat_burst": 5, "global_rate": 30.0, "global_burst": 30},
        telegram_chat_rate=1.0,
        telegram_chat_burst=3,
        telegram_global_rate=25.0,
    ) as h:
        user = 5001
        await onboard(h, user)
        for i in range(6):
            await h.sandbox.send_text(user, f"bericht {i}")
        history = await h.sandbox.wait_for(user, lambda hist: _count(hist, FALLBACK) >= 6, 20)
        assert _count(history, FALLBACK) == 6
        stats = await h.sandbox.stats()
        assert stats["rate_limited"] == 0, stats["rate_limit_events"]


async def test_429_retry_after_is_honoured_and_nothing_dropped(database_url: str) -> None:
    async with running_bot(
        database_url,
        fake_kwargs=FAST_FAKE,
    ) as h:
        user = 5002
        await onboard(h, user)
        await h.sandbox.fail_next("sendMessage", 429, count=2, retry_after=1)
        started = time.monotonic()
        await h.sandbox.send_text(user, "hallo")
        await h.wait_text(user, FALLBACK)
        assert time.monotonic() - started >= 2.0, "each 429 waits retry_after (1 s) before retrying"
        requests = [r for r in await h.sandbox.requests("sendMessage") if r["status_code"] == 429]
        assert len(requests) == 2


async def test_server_errors_are_retried_with_backoff(database_url: str) -> None:
    async with running_bot(
        database_url,
        fake_kwargs=FAST_FAKE,
    ) as h:
        user = 5003
        await onboard(h, user)
        await h.sandbox.fail_next("sendMessage", 502, count=2)
        await h.sandbox.send_text(user, "hallo")
        await h.wait_text(user, FALLBACK)

        async def two_failures_then_success() -> None:
            statuses = [r["status_code"] for r in await h.sandbox.requests("sendMessage")]
            assert statuses[-3:] == [502, 502, 200]

        await eventually(two_failures_then_success)


async def test_one_slow_chat_does_not_hold_up_the_others(database_url: str) -> None:
    """A 429 wait in one chat; another participant is answered meanwhile (sliding window)."""
    async with running_bot(database_url, fake_kwargs=FAST_FAKE) as h:
        slow, quick = 5004, 5005
        await onboard(h, slow)
        await onboard(h, quick)
        await h.sandbox.fail_next("sendMessage", 429, count=1, retry_after=4)
        await h.sandbox.send_text(slow, "eerst ik")  # its answer waits 4 s for Telegram

        async def slow_got_429() -> None:
            refused = [
                r
                for r in await h.sandbox.requests("sendMessage")
                if r["status_code"] == 429 and str(r["params"]["chat_id"]) == str(slow)
            ]
            assert refused

        await eventually(slow_got_429)
        started = time.monotonic()
        await h.sandbox.send_text(quick, "en ik?")
        await h.wait_text(quick, FALLBACK)
        assert time.monotonic() - started < 2.5, "the other chat waited for the slow one"
        await h.wait_text(slow, FALLBACK, timeout=10)


async def test_a_telegram_timeout_is_retried_and_answered_once(database_url: str) -> None:
    """Telegram hangs on one sendMessage (and then fails it, so it keeps no message): after
    WZT_TELEGRAM_REQUEST_TIMEOUT the call counts as failed and is tried again."""
    async with running_bot(database_url, fake_kwargs=FAST_FAKE, telegram_request_timeout=1) as h:
        user = 5006
        await onboard(h, user)
        await h.sandbox.fail_next("sendMessage", 504, count=1, delay=6.0)
        started = time.monotonic()
        await h.sandbox.send_text(user, "hallo")
        history = await h.wait_text(user, FALLBACK)
        waited = time.monotonic() - started
        assert 1.0 <= waited < 4.5, f"retried after the 1 s timeout, not the 6 s hang ({waited})"
        assert _count(history, FALLBACK) == 1

        async def hung_call_recorded() -> None:
            statuses = [r["status_code"] for r in await h.sandbox.requests("sendMessage")]
            assert 504 in statuses and statuses.count(200) >= 1

        await eventually(hung_call_recorded, timeout=10)
        assert _count(await h.sandbox.history(user), FALLBACK) == 1


async def test_a_429_storm_is_waited_out_and_nothing_dropped(database_url: str) -> None:
    """Every chat at once meets a run of 429s: each answer waits its retry_after and goes out
    once; none is dropped, none repeated."""
    async with running_bot(database_url, fake_kwargs=FAST_FAKE) as h:
        users = list(range(5100, 5108))
        for user in users:
            await onboard(h, user)
        await h.sandbox.fail_next("sendMessage", 429, count=2 * len(users), retry_after=1)
        for user in users:
            await h.sandbox.send_text(user, f"hallo van {user}")
        for user in users:
            history = await h.sandbox.wait_for(user, lambda hist: _count(hist, FALLBACK) >= 1, 20)
            assert _count(history, FALLBACK) == 1
        refused = [r for r in await h.sandbox.requests("sendMessage") if r["status_code"] == 429]
        assert len(refused) == 2 * len(users)
        await asyncio.sleep(0.5)  # a late repeat would show up now
        for user in users:
            assert _count(await h.sandbox.history(user), FALLBACK) == 1
