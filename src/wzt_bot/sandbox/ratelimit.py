"""Token buckets modelling Telegram's flood limits."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["TokenBucket"]


class TokenBucket:
    """A bucket of ``burst`` tokens refilled at ``rate`` tokens per second."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)

    def wait_time(self) -> float:
        """Seconds until one token is available (0.0 when one is available now)."""
        self._refill()
        if self._tokens >= 1.0:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1.0 - self._tokens) / self.rate

    def take(self) -> None:
        """Consume one token (call only after :meth:`wait_time` returned 0)."""
        self._refill()
        self._tokens -= 1.0

    def reconfigure(self, rate: float, burst: int) -> None:
        self._refill()
        self.rate = rate
        self.burst = burst
        self._tokens = min(self._tokens, float(burst))

    @staticmethod
    def retry_after(wait: float) -> int:
        """Telegram's integer ``retry_after`` (at least 1 second)."""
        if math.isinf(wait):
            return 3600
        return max(1, math.ceil(wait))
