"""Domain errors are codes with parameters; adapters turn them into text or HTTP statuses."""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(enum.StrEnum):
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    CONFLICT = "conflict"
    INVITE_INVALID = "invite_invalid"
    INVITE_THROTTLED = "invite_throttled"
    UNKNOWN_TEAM = "unknown_team"
    UNSUPPORTED_LOCALE = "unsupported_locale"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, **params: Any) -> None:
        super().__init__(code.value, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        if not self.params:
            return self.code.value
        detail = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.code.value} ({detail})"


class DeliveryError(Exception):
    """A message of the outbox could not be delivered (raised by Notifier/WebhookRelay)."""


class RecipientGoneError(DeliveryError):
    """The participant blocked the bot or the chat is gone: stop sending there."""


class TryLaterError(DeliveryError):
    """A passing problem (timeouts, 5xx, 429 after its waits): try again with backoff."""


class RejectedError(DeliveryError):
    """The receiver refuses this message for good (e.g. a bad request)."""
