"""Rate limiters for Telegram sends: in process memory, or shared between processes in Redis."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)


class _Bucket:
    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens, self.stamp = capacity, time.monotonic()

    def wait_time(self) -> float:
        """Take a token now (0.0) or say how long until one is there (and take nothing)."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class MemoryRateLimiter:
    """Token buckets: one global, one per chat (the least recently used chats are forgotten)."""

    def __init__(
        self, global_rate: float, chat_rate: float, chat_burst: int, *, max_chats: int = 100_000
    ) -> None:
        # Evenly paced, with a burst of at most 2: a big burst would use up the receiver's own
        # slack, and then the smallest jitter on the way earns a 429; a burst of 2 lets the
        # pace make up for sleeps that woke a little late, so the long-run rate is exact.
        self._global = _Bucket(global_rate, min(2.0, max(1.0, global_rate)))
        self._chat_rate, self._chat_burst = chat_rate, float(chat_burst)
        self._chats: OrderedDict[int | str, _Bucket] = OrderedDict()
        self._max_chats = max_chats
        self._lock = asyncio.Lock()

    def _chat(self, chat_id: int | str) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = _Bucket(self._chat_rate, self._chat_burst)
            if len(self._chats) > self._max_chats:
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat_id)
        return bucket

    async def acquire(self, chat_id: int | str | None) -> None:
        if chat_id is not None:
            while (delay := self._chat(chat_id).wait_time()) > 0:  # noqa: ASYNC110 - timed wait
                await asyncio.sleep(delay)
        while True:
            async with self._lock:
                delay = self._global.wait_time()
            if delay <= 0:
                return
            await asyncio.sleep(delay)


class RedisRateLimiter:
    """Fixed one-second windows in Redis, shared by every replica of the bot and the sender.

    When Redis is unreachable it logs once and falls back to the in-memory limiter, so sending
    goes on (each process then keeps to the limits on its own).
    """

    def __init__(self, redis: Redis, global_rate: float, chat_rate: float, chat_burst: int) -> None:
        self.redis = redis
        self.global_limit = max(1, int(global_rate))
        self.chat_limit = max(1, int(chat_rate))
        self.fallback = MemoryRateLimiter(global_rate, chat_rate, chat_burst)
        self._degraded = False

    async def _take(self, key: str, limit: int, window: int) -> bool:
        pipe = self.redis.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, window + 1)
        count, _ = await pipe.execute()
        return int(count) <= limit

    async def acquire(self, chat_id: int | str | None) -> None:
        try:
            while True:
                second = int(time.time())
                if chat_id is None or await self._take(
                    f"wzt:rl:chat:{chat_id}:{second}", self.chat_limit, 1
                ):
                    break
                await asyncio.sleep(second + 1 - time.time())
            while True:
                second = int(time.time())
                if await self._take(f"wzt:rl:global:{second}", self.global_limit, 1):
                    break
                await asyncio.sleep(second + 1 - time.time())
            if self._degraded:
                log.info("ratelimit.redis_recovered")
                self._degraded = False
        except (RedisError, OSError) as exc:
            if not self._degraded:
                log.error("ratelimit.redis_unavailable_using_memory", error=str(exc))
                self._degraded = True
            await self.fallback.acquire(chat_id)
