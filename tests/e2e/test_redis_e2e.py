"""Redis for dialog state and shared rate limits, and the fallback when it is down."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
import structlog
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from tests.conftest import REDIS_URL, make_settings, redis_available, require_service
from tests.e2e.conftest import FAST_FAKE, eventually, onboard, running_bot
from wzt_bot.clients.fsm_storage import FallbackStorage
from wzt_bot.clients.locks import RedisChatLocks
from wzt_bot.clients.ratelimit import MemoryRateLimiter, RedisRateLimiter
from wzt_bot.wiring import Container

pytestmark = pytest.mark.redis


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    require_service("Redis", redis_available())
    client = Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()


async def test_onboarding_with_dialog_state_in_redis(sqlite_url: str, redis: Redis) -> None:
    async with running_bot(
        sqlite_url,
        fake_kwargs=FAST_FAKE,
        redis_url=REDIS_URL,
    ) as h:
        assert h.container.dispatcher is not None
        storage = h.container.dispatcher.storage
        # Redis, behind the fallback to memory that takes over while Redis is unreachable
        assert isinstance(storage, FallbackStorage) and isinstance(storage.primary, RedisStorage)
        await onboard(h, 6001)
        # A finished dialog leaves nothing behind: look while one is open (the language
        # choice waits for a button).
        t = h.container.i18n.get("nl")
        await h.sandbox.send_text(6001, "/taal")
        await h.wait_text(6001, t("🌐 Kies je taal."))

        async def stored() -> None:
            keys = [k async for k in redis.scan_iter("fsm:*")]
            assert any(b"aiogd:context" in k for k in keys), keys

        await eventually(stored)
        assert [k async for k in redis.scan_iter("wzt:rl:*")], "rate limits are shared in Redis"


async def test_redis_rate_limiter_shares_the_budget(redis: Redis) -> None:
    first = RedisRateLimiter(redis, global_rate=1000, chat_rate=2, chat_burst=2)
    second = RedisRateLimiter(redis, global_rate=1000, chat_rate=2, chat_burst=2)
    # Align to the start of a second so the window is not cut short.
    await _sleep_to_next_second()
    started = time.monotonic()
    for limiter in (first, second, first, second):
        await limiter.acquire(777)
    # 2 per second for this chat across both "processes": the last two wait a window.
    assert time.monotonic() - started >= 0.5


async def test_redis_down_gives_a_clear_log_line_and_a_working_fallback(sqlite_url: str) -> None:
    settings = make_settings(sqlite_url, redis_url="redis://127.0.0.1:1/0")
    with structlog.testing.capture_logs() as logs:
        async with Container.open(settings) as container:
            assert container.redis is None
            assert isinstance(container.limiter, MemoryRateLimiter)
            pipeline = container.build_bot()
            assert pipeline is not None
    assert any(e["event"] == "redis.unavailable_using_memory_fallback" for e in logs)


async def test_redis_lost_at_runtime_falls_back_to_memory(redis: Redis) -> None:
    broken = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limiter = RedisRateLimiter(broken, global_rate=100, chat_rate=100, chat_burst=100)
    with structlog.testing.capture_logs() as logs:
        for _ in range(3):
            await limiter.acquire(1)
    await broken.aclose()
    events = [e["event"] for e in logs]
    assert events.count("ratelimit.redis_unavailable_using_memory") == 1  # said once, not a storm


async def _sleep_to_next_second() -> None:
    import asyncio

    await asyncio.sleep(1 - (time.time() % 1) + 0.01)


async def test_chat_locks_serialize_one_chat_across_replicas(redis: Redis) -> None:
    import asyncio

    first, second = RedisChatLocks(redis), RedisChatLocks(redis)
    order: list[str] = []

    async def work(locks: RedisChatLocks, name: str) -> None:
        async with locks.hold(42):
            order.append(f"{name}-in")
            await asyncio.sleep(0.1)
            order.append(f"{name}-out")

    await asyncio.gather(work(first, "a"), work(second, "b"))
    assert order in (["a-in", "a-out", "b-in", "b-out"], ["b-in", "b-out", "a-in", "a-out"])


async def test_chat_locks_without_redis_do_not_block() -> None:
    broken = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    locks = RedisChatLocks(broken)
    with structlog.testing.capture_logs() as logs:
        for _ in range(2):
            async with locks.hold(1):
                pass
    await broken.aclose()
    events = [e["event"] for e in logs]
    assert events.count("chatlock.redis_unavailable_continuing_without") == 1
