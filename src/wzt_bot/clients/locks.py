"""Per-chat locks shared by every replica (Redis), so one chat's updates are handled in order."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import structlog
from redis.asyncio import Redis
from redis.exceptions import LockError, RedisError

log = structlog.get_logger(__name__)


class RedisChatLocks:
    """`async with locks.hold(chat_id)`: one holder per chat across processes.

    The lock expires after `ttl` seconds so a crashed holder never blocks a chat for long.
    When Redis is unreachable, handling goes on without it (each process still keeps its own
    chats in order) and the operator gets one log line.
    """

    def __init__(self, redis: Redis, *, ttl: float = 60.0, wait: float = 30.0) -> None:
        self.redis, self.ttl, self.wait = redis, ttl, wait
        self._degraded = False

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock = self.redis.lock(f"wzt:chat:{chat_id}", timeout=self.ttl, blocking_timeout=self.wait)
        acquired = False
        try:
            acquired = bool(await lock.acquire())
            if not acquired:
                # Another replica held this chat for `wait` seconds: go on rather than leave
                # the participant unanswered, and say so.
                log.warning("chatlock.wait_timeout_continuing", chat_id=chat_id, wait=self.wait)
            if self._degraded:
                log.info("chatlock.redis_recovered")
                self._degraded = False
        except (RedisError, OSError) as exc:
            if not self._degraded:
                log.error("chatlock.redis_unavailable_continuing_without", error=str(exc))
                self._degraded = True
        try:
            yield
        finally:
            if acquired:
                with contextlib.suppress(LockError, RedisError, OSError):
                    await lock.release()
