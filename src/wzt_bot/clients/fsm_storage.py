"""Dialog state in Redis, with process memory as the fallback while Redis is unreachable.

When a Redis call fails, this logs one error line and keeps the dialog state of the next
`retry_after` seconds in memory (so every update does not wait for a refused or timed-out
connection first), then tries Redis again; once it answers, one line says so. The bot keeps
answering throughout. What changed in memory during the outage stays there (a dialog started
then may start again after Redis is back); state that was in Redis before is not lost.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import structlog
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)
T = TypeVar("T")


class FallbackStorage(BaseStorage):
    def __init__(
        self,
        primary: BaseStorage,
        *,
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.memory = MemoryStorage()
        self.retry_after = retry_after
        self._clock = clock
        self._down_until: float | None = None  # None: Redis is in use

    @property
    def degraded(self) -> bool:
        return self._down_until is not None

    async def _call(
        self, primary: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]
    ) -> T:
        if self._down_until is not None and self._clock() < self._down_until:
            return await fallback()
        try:
            result = await primary()
        except (RedisError, OSError) as exc:
            if self._down_until is None:
                log.error(
                    "redis.unavailable_dialog_state_in_memory",
                    error=str(exc)[:300],
                    effect="dialog state is kept in this process until Redis answers again",
                )
            self._down_until = self._clock() + self.retry_after
            return await fallback()
        if self._down_until is not None:
            log.info("redis.recovered_dialog_state_in_redis")
            self._down_until = None
        return result

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._call(
            lambda: self.primary.set_state(key, state), lambda: self.memory.set_state(key, state)
        )

    async def get_state(self, key: StorageKey) -> str | None:
        return await self._call(
            lambda: self.primary.get_state(key), lambda: self.memory.get_state(key)
        )

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._call(
            lambda: self.primary.set_data(key, data), lambda: self.memory.set_data(key, data)
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return await self._call(
            lambda: self.primary.get_data(key), lambda: self.memory.get_data(key)
        )

    async def close(self) -> None:
        await self.memory.close()
        await self.primary.close()
