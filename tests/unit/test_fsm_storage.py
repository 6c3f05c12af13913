"""Dialog state while Redis is unreachable: kept in memory, the bot keeps answering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.conftest import free_port
from wzt_bot.clients.fsm_storage import FallbackStorage

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


class FlakyStorage(MemoryStorage):
    """Redis stand-in: fails while `down`."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.calls = 0

    async def get_state(self, key: StorageKey) -> Any:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Error 111 connecting")
        return await super().get_state(key)

    async def set_state(self, key: StorageKey, state: Any = None) -> None:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("Error 111 connecting")
        await super().set_state(key, state)


async def test_a_redis_that_refuses_connections_falls_back_to_memory() -> None:
    redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    storage = FallbackStorage(RedisStorage(redis, key_builder=DefaultKeyBuilder(with_destiny=True)))
    try:
        await storage.set_state(KEY, "Onboarding:language")
        assert await storage.get_state(KEY) == "Onboarding:language"
        await storage.update_data(KEY, {"step": 2})
        assert await storage.get_data(KEY) == {"step": 2}
        assert storage.degraded
    finally:
        await storage.close()


async def test_redis_is_used_again_once_it_answers() -> None:
    now = [0.0]
    primary = FlakyStorage()
    storage = FallbackStorage(primary, retry_after=5, clock=lambda: now[0])
    await storage.set_state(KEY, "before")
    primary.down = True
    assert await storage.get_state(KEY) is None  # memory: what changes during the outage
    calls = primary.calls
    await storage.set_state(KEY, "during")
    assert primary.calls == calls  # no new attempt within retry_after
    assert await storage.get_state(KEY) == "during"
    primary.down = False
    now[0] = 6.0
    assert await storage.get_state(KEY) == "before"  # Redis again
    assert not storage.degraded


async def test_the_bot_storage_survives_redis_going_away(tmp_path: Path) -> None:
    """The dispatcher's storage (as the container builds it) with Redis unreachable."""
    from tests.conftest import make_settings
    from wzt_bot.wiring import Container

    async with Container.open(
        make_settings(f"sqlite+aiosqlite:///{tmp_path}/s.sqlite3")
    ) as container:
        container.redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
        container.build_bot()
        assert container.dispatcher is not None
        storage = container.dispatcher.storage
        await storage.set_state(KEY, "x")
        assert await storage.get_state(KEY) == "x"
